"""Reading source files safely: UTF-8 only, never outside the course root."""
from __future__ import annotations

import os
import re
import stat
import threading
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..diagnostics import Location, Report, rel_posix
from ..i18n import M_, Msg


# Limits: far above any real lesson or YAML file (a 600-word lesson is ~5 kB), low enough that a
# pasted log file or a generated monster cannot stall a check or exhaust memory.
MAX_TEXT_BYTES = 1_000_000
MAX_LINE_CHARS = 20_000
MAX_YAML_DEPTH = 30
MAX_MEDIA_BYTES = 50_000_000


def shown_name(name: str) -> str:
    """A file name as it may appear in a message: a name that is not UTF-8 (surrogate escapes)
    with replacement characters, so that every output stays valid UTF-8."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def inside(root: Path, path: Path) -> bool:
    """True when `path` (after resolving symlinks and '..') stays inside `root`."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def file_problem(path: Path, root: Path, max_bytes: int | None = None) -> tuple[str, Msg, Msg] | None:
    """Why `path` may not go into an output, or None when it is a regular file inside the course
    after resolving symlinks: (code, message, hint)."""
    st = _plain_file(path, root)
    if st is None:
        problem, st = _resolved_file(path, root)
        if problem is not None:
            return problem
    if max_bytes is not None and st.st_size > max_bytes:
        return "KM004", M_("the file is too large ({size} MB, at most {limit} MB)", size=_mb(st.st_size), limit=_mb(max_bytes)), \
            M_("split it into smaller files, or make the picture smaller")
    return None


_real_dirs: dict[str, str] = {}


def forget_real_dirs() -> None:
    """Start a new load: folders may have been replaced by links since the last one (serve)."""
    _real_dirs.clear()


def _real_dir(folder: str) -> str:
    real = _real_dirs.get(folder)
    if real is None:
        real = _real_dirs[folder] = os.path.realpath(folder)
    return real


def _plain_file(path: Path, root: Path) -> os.stat_result | None:
    """The common case, quickly: a regular file (not a link), named without '..', in a folder
    that is inside the course once its links are resolved (folders resolved once per load).
    None means: check it the thorough way."""
    name = os.fspath(path)
    if f"{os.sep}..{os.sep}" in f"{os.sep}{name}{os.sep}":  # a '..' part
        return None
    try:
        st = os.lstat(name)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    folder = _real_dir(os.path.dirname(os.path.abspath(name)))
    real_root = _real_dir(os.path.abspath(root))
    return st if folder == real_root or folder.startswith(real_root.rstrip(os.sep) + os.sep) else None


def _resolved_file(path: Path, root: Path) -> tuple[tuple[str, Msg, Msg] | None, os.stat_result | None]:
    try:
        real = path.resolve(strict=True)
    except RuntimeError:  # a symlink loop (Python < 3.13)
        return ("KM306", M_("the file is a symbolic link that points to itself"), M_("replace the link with the file itself")), None
    except OSError as exc:
        if path.is_symlink():
            return ("KM306", M_("the file is a symbolic link to nothing"), M_("replace the link with the file itself")), None
        return ("KM001", M_("cannot read file: {reason}", reason=str(exc.strerror or exc)), ""), None
    try:
        real.relative_to(root.resolve())
    except ValueError:
        return ("KM305", M_("the file is a link to outside the course repository"), M_("copy the file into the repository instead of linking to it")), None
    try:
        st = real.stat()
    except OSError as exc:
        return ("KM001", M_("cannot read file: {reason}", reason=str(exc.strerror or exc)), ""), None
    if not stat.S_ISREG(st.st_mode):
        return ("KM306", M_("this is not an ordinary file (a device, pipe or socket)"), M_("only ordinary files can be published; remove it")), None
    return None, st


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f}".rstrip("0").rstrip(".") if n < 10_000_000 else str(round(n / 1_000_000))


def read_bytes(path: Path, root: Path, report: Report, max_bytes: int = MAX_TEXT_BYTES, memo: dict | None = None) -> bytes | None:
    """The file's bytes, or None with a diagnostic: only regular files inside the course, of a sane size.

    `memo` (the preview's, which reads the same files on every save): the bytes of files read
    before, by path, with their status; a regular file inside the course whose inode, size,
    modification and change times are still the same is not opened again."""
    loc = Location(rel_posix(path, root))
    signature = None
    if memo is not None:
        st = _plain_file(path, root)
        if st is not None and st.st_size <= max_bytes:
            signature = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            known = memo.get(os.fspath(path))
            if known is not None and known[0] == signature:
                return known[1]
    problem = file_problem(path, root, max_bytes)
    if problem:
        report.error(problem[0], problem[1], loc, problem[2])
        return None
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        report.error("KM001", M_("cannot read file: {reason}", reason=str(exc.strerror or exc)), loc)
        return None
    if len(data) > max_bytes:  # grew while reading
        report.error("KM004", M_("the file is too large ({size} MB, at most {limit} MB)", size=_mb(len(data)), limit=_mb(max_bytes)), loc)
        return None
    if signature is not None and len(data) == signature[2]:  # not changed while it was read
        if len(memo) >= MEMO_FILES:
            memo.clear()
        memo[os.fspath(path)] = (signature, data)
    return data


MEMO_FILES = 50_000  # files a read memo holds before it starts again


def decode_text(data: bytes, loc: Location, report: Report) -> str | None:
    """UTF-8 text with Unix line ends, or None with a diagnostic (not UTF-8, a line too long)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error(
            "KM001",
            M_("file is not UTF-8 (byte 0x{byte})", byte=format(data[exc.start], "02x")),
            loc.at(line, col),
            M_("save it as UTF-8; in VS Code first 'Reopen with Encoding' > Western (Windows 1252) so ä/ö show right, then 'Save with Encoding' > UTF-8"),
        )
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_LINE_CHARS:
        for number, line in enumerate(text.split("\n"), 1):
            if len(line) > MAX_LINE_CHARS:
                report.error("KM005", M_("line {line} is too long ({length} characters, at most {limit})", line=number, length=len(line), limit=MAX_LINE_CHARS),
                             loc.at(number, 1), M_("break it into shorter lines or paragraphs"))
                return None
    return text


def read_text(path: Path, root: Path, report: Report) -> str | None:
    """The file's text, or None with a diagnostic (not UTF-8, unreadable, outside the root, too large)."""
    data = read_bytes(path, root, report)
    return None if data is None else decode_text(data, Location(rel_posix(path, root)), report)


def yaml_depth(text: str) -> int:
    """How deeply the YAML text nests (indentation steps and open brackets), cheaply, before parsing."""
    depth = deepest = 0
    indents: list[int] = []
    quote = ""
    for line in text.split("\n"):
        stripped = line.lstrip(" ")
        if stripped and not stripped.startswith("#") and not depth:
            indent = len(line) - len(stripped)
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            deepest = max(deepest, len(indents) + stripped.count("- ", 0, 40))
        for ch in line:
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'":
                quote = ch
            elif ch == "#":
                break
            elif ch in "[{":
                depth += 1
                deepest = max(deepest, depth + len(indents))
            elif ch in "]}":
                depth = max(0, depth - 1)
        quote = "" if not depth else quote
    return deepest


_LOADERS = threading.local()


def _round_trip_loader() -> YAML:
    """ruamel's round-trip loader, one per thread and reused (making one costs a third of loading
    a lesson's front matter). ruamel resets its reader and scanner after every load; after a
    failed load a new one is made, as the composer's anchors of the failed document may remain."""
    yaml = getattr(_LOADERS, "rt", None)
    if yaml is None:
        yaml = _LOADERS.rt = YAML(typ="rt")
        yaml.allow_duplicate_keys = False
    return yaml


def _load_round_trip(text: str):
    try:
        return _round_trip_loader().load(text)
    except BaseException:
        _LOADERS.rt = None
        raise


def parse_yaml(text: str, loc: Location, report: Report, line_offset: int = 0, allowed_tag=None, tag_error=None):
    """Parse YAML with positions (ruamel round-trip, which constructs no Python objects). Returns
    None on a syntax error, on nesting deeper than any kummi file needs, and on YAML tags
    (`!!python/…`, `!foo`): kummi's files are plain data. `allowed_tag(tag) -> bool` lets a
    caller accept some tags (mkdocs.yml's `!ENV`); `tag_error(tag, loc, report)` reports a tag
    that is not allowed instead of the generic KM002."""
    if yaml_depth(text) > MAX_YAML_DEPTH:
        report.error("KM006", M_("the YAML nests too deeply (more than {limit} levels)", limit=MAX_YAML_DEPTH), loc.at(1 + line_offset, 1),
                     M_("kummi's files need only a few levels of indentation; check the indentation and brackets"))
        return None
    try:
        doc = _load_round_trip(text)
    except RecursionError:
        report.error("KM006", M_("the YAML nests too deeply (more than {limit} levels)", limit=MAX_YAML_DEPTH), loc.at(1 + line_offset, 1),
                     M_("kummi's files need only a few levels of indentation; check the indentation and brackets"))
        return None
    except MarkedYAMLError as exc:
        line, col, problem, hint = _explain(exc, text.split("\n"))
        code = "KM002"
        if "duplicate key" in str(exc):
            code, hint = "KM105", M_("each key may appear only once in a mapping")
        report.error(code, M_("YAML syntax error: {problem}", problem=problem), loc.at(line + line_offset, col), hint)
    except YAMLError as exc:  # the parser's own (English) text
        report.error("KM002", M_("YAML syntax error: {problem}", problem=str(exc)), loc.at(1 + line_offset, 1))
    else:
        tagged = _first_tag(doc, allowed=allowed_tag)
        if tagged is None:
            return doc
        tag, line, col = tagged
        tag = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
        if tag_error is not None:
            tag_error(tag, loc.at(line + 1 + line_offset, col + 1), report)
            return None
        report.error("KM002", M_("YAML tag '{tag}' is not allowed", tag=tag), loc.at(line + 1 + line_offset, col + 1),
                     M_("write plain values; tags starting with ! are not used in kummi's files"))
    return None


def _first_tag(node, depth: int = 0, allowed=None):
    """(tag, line, col) of the first explicitly tagged value (that `allowed` does not accept), or None."""
    if depth > MAX_YAML_DEPTH + 5:
        return None
    tag = getattr(node, "tag", None)
    value = getattr(tag, "value", tag) if tag is not None else None
    if isinstance(node, (bytes, bytearray)):  # !!binary
        value = "tag:yaml.org,2002:binary"
    if isinstance(value, str) and not (allowed is not None and allowed(value)):
        lc = getattr(node, "lc", None)
        return value, getattr(lc, "line", 0) or 0, getattr(lc, "col", 0) or 0
    if isinstance(node, dict):
        for key, item in node.items():
            found = _first_tag(item, depth + 1, allowed)
            if found:
                if not found[1] and hasattr(node, "lc"):
                    try:
                        line, col = node.lc.value(key)
                        return found[0], line, col
                    except (KeyError, TypeError, AttributeError):
                        pass
                return found
    elif isinstance(node, list):
        for item in node:
            found = _first_tag(item, depth + 1, allowed)
            if found:
                return found
    return None


_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?=[^\s/:])")
_DUPLICATE = re.compile(r'found duplicate key "([^"]*)"')


def _explain(exc: MarkedYAMLError, lines: list[str]) -> tuple[int, int, Msg | str, Msg | str]:
    """(1-based line, column, message, hint) for a YAML error, phrased for people who don't know YAML.
    Parsers notice many mistakes a line or two later; point at the line that has the mistake.
    The message is ours (a Msg) where we recognise the mistake, else the parser's own English text."""
    problem = (exc.problem or exc.context or "").strip()
    context = (exc.context or "").strip()
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line, mark.column) if mark else (0, 0)
    # `key:value` without a space: reported at the next line, or as "mapping values not allowed".
    for candidate in range(min(line, len(lines) - 1), max(line - 3, -1), -1):
        found = _NO_SPACE.match(lines[candidate]) if 0 <= candidate < len(lines) else None
        if found:
            key = found.group(1)
            return (
                candidate + 1, found.end(1) + 1, M_("missing space after '{key}:'", key=key),
                M_("write '{key}: …' with a space after the colon", key=key),
            )
    if "\\t" in problem or "\t" in problem:
        return line + 1, col + 1, M_("a tab character is used for indentation"), M_("indent with spaces, not tabs (set your editor to insert spaces)")
    match = _DUPLICATE.search(problem)
    if match:
        return line + 1, col + 1, M_("duplicate key '{key}'", key=match.group(1)), ""
    opened = {"while parsing a flow mapping": "'{'", "while parsing a flow sequence": "'['", "while scanning a quoted scalar": ""}
    if context in opened and exc.context_mark is not None:
        same_line = exc.problem_mark is not None and exc.problem_mark.line == exc.context_mark.line
        if same_line and problem.endswith("but got ':'"):
            return line + 1, col + 1, M_("a colon inside {…} is read as a new key"), M_('put the text in quotes: {fi: "Ei: näin", sv: "Nej: så"}')
        at = M_("at line {line}", line=str(exc.problem_mark.line + 1)) if exc.problem_mark else M_("at the end of the file")
        if opened[context]:  # a bracket: the symbol is a value, not a word to translate
            message = M_("{bracket} opened here is not closed ({problem} {at})", bracket=opened[context], problem=yaml_problem(problem), at=at)
        else:
            message = M_("the quote opened here is not closed ({problem} {at})", problem=yaml_problem(problem), at=at)
        cm = exc.context_mark
        return cm.line + 1, cm.column + 1, message, M_('close it on the same line, e.g. {fi: Teksti, sv: Text} or "teksti"')
    if "mapping values are not allowed" in problem:
        return line + 1, col + 1, yaml_problem(problem), M_("a value containing ': ' must be in quotes")
    if "could not find expected ':'" in problem:
        return line + 1, col + 1, yaml_problem(problem), M_("each line of a mapping needs 'key: value'")
    return line + 1, col + 1, yaml_problem(problem) if problem else M_("invalid YAML"), M_("check indentation and quotes on this line and the one above")


# The YAML parser's (ruamel.yaml) own problem texts, in the user's language. The token names
# ('<block end>') become words; an unknown text stays as the parser wrote it.
_TOKENS = {
    "'<block end>'": M_("the end of the block"),
    "'<block mapping start>'": M_("a new key"),
    "'<block sequence start>'": M_("a list"),
    "'<scalar>'": M_("a value"),
    "'<stream end>'": M_("the end of the file"),
    "'<document start>'": "'---'",
    "'<document end>'": "'...'",
    "'<tag>'": M_("a tag"),
    "'<alias>'": M_("an alias"),
    "'<anchor>'": M_("an anchor"),
}
_PROBLEMS = (
    (re.compile(r"expected ',' or '([\]}])', but got (.+)"), lambda m: M_(
        "expected ',' or '{bracket}', but got {found}", bracket=m[1], found=_TOKENS.get(m[2], m[2]))),
    (re.compile(r"expected <block end>, but found (.+)"), lambda m: M_(
        "the indentation does not match the lines above: found {found}", found=_TOKENS.get(m[1], m[1]))),
    (re.compile(r"expected the node content, but found (.+)"), lambda m: M_(
        "expected a value, but found {found}", found=_TOKENS.get(m[1], m[1]))),
    (re.compile(r"mapping values are not allowed here"), lambda m: M_("a colon followed by a space is not allowed here")),
    (re.compile(r"could not find expected ':'"), lambda m: M_("the ':' after a key is missing")),
    (re.compile(r"found character (.+) that cannot start any token"), lambda m: M_(
        "the character {char} cannot start a value", char=m[1])),
    (re.compile(r"found unexpected end of stream"), lambda m: M_("the file ended in the middle of a value")),
    (re.compile(r"found unknown escape character (.+)"), lambda m: M_(
        "unknown escape sequence: a backslash followed by {char}", char=m[1])),
    (re.compile(r"found undefined alias (.+)"), lambda m: M_("undefined alias {name}", name=m[1])),
    (re.compile(r"found unexpected ':'"), lambda m: M_("unexpected ':'")),
    (re.compile(r"sequence entries are not allowed here"), lambda m: M_("a list item ('- ') is not allowed here")),
    (re.compile(r"mapping keys are not allowed here"), lambda m: M_("a key is not allowed here")),
    (re.compile(r"expected alphabetic or numeric character, but found (.+)"), lambda m: M_(
        "expected a letter or a digit, but found {char}", char=m[1])),
    (re.compile(r"expected a comment or a line break, but found (.+)"), lambda m: M_(
        "expected a comment or the end of the line, but found {char}", char=m[1])),
    (re.compile(r"found unexpected document separator"), lambda m: M_("unexpected document separator '---'")),
    (re.compile(r"but found another document"), lambda m: M_("the file holds more than one YAML document (a second '---' line)")),
    (re.compile(r"found undefined tag handle (.+)"), lambda m: M_("undefined tag {name}", name=m[1])),
)


def yaml_problem(problem: str) -> Msg | str:
    for pattern, message in _PROBLEMS:
        match = pattern.fullmatch(problem)
        if match:
            return message(match)
    return problem


def read_yaml(path: Path, root: Path, report: Report):
    """Read and parse a YAML file; returns (document or None, location of the file)."""
    loc = Location(rel_posix(path, root))
    text = read_text(path, root, report)
    if text is None:
        return None, loc
    return parse_yaml(text, loc, report), loc
