"""Reading source files safely: UTF-8 only, never outside the course root."""
from __future__ import annotations

import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..diagnostics import Location, Report, rel_posix
from ..i18n import M_, Msg


def inside(root: Path, path: Path) -> bool:
    """True when `path` (after resolving symlinks and '..') stays inside `root`."""
    try:
        path.resolve().relative_to(root.resolve())
        return True
    except ValueError:
        return False


def read_text(path: Path, root: Path, report: Report) -> str | None:
    """The file's text, or None with a diagnostic (not UTF-8, unreadable, outside the root)."""
    loc = Location(rel_posix(path, root))
    if not inside(root, path):
        report.error("KM305", M_("file is outside the course repository"), loc, M_("do not link files outside the repository"))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.error("KM001", M_("cannot read file: {reason}", reason=str(exc.strerror)), loc)
        return None
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
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_yaml(text: str, loc: Location, report: Report, line_offset: int = 0):
    """Parse YAML with positions (ruamel round-trip). Returns None on a syntax error."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        line, col, problem, hint = _explain(exc, text.split("\n"))
        code = "KM002"
        if "duplicate key" in str(exc):
            code, hint = "KM105", M_("each key may appear only once in a mapping")
        report.error(code, M_("YAML syntax error: {problem}", problem=problem), loc.at(line + line_offset, col), hint)
    except YAMLError as exc:  # the parser's own (English) text
        report.error("KM002", M_("YAML syntax error: {problem}", problem=str(exc)), loc.at(1 + line_offset, 1))
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
            message = M_("{bracket} opened here is not closed ({problem} {at})", bracket=opened[context], problem=problem, at=at)
        else:
            message = M_("the quote opened here is not closed ({problem} {at})", problem=problem, at=at)
        cm = exc.context_mark
        return cm.line + 1, cm.column + 1, message, M_('close it on the same line, e.g. {fi: Teksti, sv: Text} or "teksti"')
    if "mapping values are not allowed" in problem:
        return line + 1, col + 1, problem, M_("a value containing ': ' must be in quotes")
    if "could not find expected ':'" in problem:
        return line + 1, col + 1, problem, M_("each line of a mapping needs 'key: value'")
    return line + 1, col + 1, problem or M_("invalid YAML"), M_("check indentation and quotes on this line and the one above")


def read_yaml(path: Path, root: Path, report: Report):
    """Read and parse a YAML file; returns (document or None, location of the file)."""
    loc = Location(rel_posix(path, root))
    text = read_text(path, root, report)
    if text is None:
        return None, loc
    return parse_yaml(text, loc, report), loc
