"""Site-specific checks, run by `kummi check` and before `kummi build`."""
from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from pathlib import Path

from ...diagnostics import Location, Report
from ...i18n import M_
from ...loader.files import decode_text, parse_yaml, read_bytes
from ...model import Course

_ANGLE = re.compile(r"[<>]")
CONFIG = "mkdocs.yml"
_PY = "tag:yaml.org,2002:python/"
# MkDocs' own tags, and the few Python callables that Markdown extensions are configured with in
# mkdocs.yml. MkDocs reads the file with PyYAML's unsafe loader, so any other `!!python/…` tag
# would run code on the machine that builds (a pull request's CI runner): check reads the file
# with a loader that constructs nothing and refuses such tags before MkDocs sees it.
SAFE_TAGS = {"!ENV", "!relative"}
SAFE_PYTHON = {
    "name": {
        "pymdownx.slugs.slugify", "pymdownx.slugs.uslugify", "pymdownx.slugs.uslugify_encoded",
        "pymdownx.slugs.gfm", "pymdownx.slugs.gfm_encoded",
        "pymdownx.superfences.fence_code_format", "pymdownx.superfences.fence_div_format",
        "pymdownx.arithmatex.arithmatex_fenced_format", "pymdownx.arithmatex.arithmatex_inline_format",
        "pymdownx.emoji.twemoji", "pymdownx.emoji.emojione", "pymdownx.emoji.gemoji",
        "pymdownx.emoji.to_svg", "pymdownx.emoji.to_png", "pymdownx.emoji.to_alt",
        "material.extensions.emoji.twemoji", "material.extensions.emoji.to_svg",
        "markdown.extensions.toc.slugify", "markdown.extensions.toc.slugify_unicode",
    },
    "object/apply": {"pymdownx.slugs.slugify", "pymdownx.arithmatex.arithmatex_fenced_format"},
}


def check_site(course: Course, report: Report) -> None:
    _check_config(Path(course.root), report)
    _check_titles(course, report)


def _allowed_tag(tag: str) -> bool:
    if tag in SAFE_TAGS:
        return True
    if tag.startswith(_PY):
        kind, _, name = tag[len(_PY):].partition(":")
        return name in SAFE_PYTHON.get(kind, ())
    return False


def _tag_error(tag: str, loc: Location, report: Report) -> None:
    if tag.startswith("!!python/"):
        report.error(
            "KM412", M_("YAML tag '{tag}' in mkdocs.yml would run Python code when the site is built", tag=tag), loc,
            M_("remove it; mkdocs.yml may use !ENV and the functions of Markdown extensions such as pymdownx.slugs.slugify"),
        )
    else:
        report.error("KM412", M_("YAML tag '{tag}' is not allowed in mkdocs.yml", tag=tag), loc,
                     M_("remove it; mkdocs.yml may use the tags !ENV and !relative"))


def _check_config(root: Path, report: Report) -> None:
    path = root / CONFIG
    if not path.exists() and not path.is_symlink():
        return  # kummi uses its default configuration
    loc = Location(CONFIG)
    data = read_bytes(path, root, report)  # an ordinary file inside the repository, of a sane size
    if data is None:
        return
    text = decode_text(data, loc, report)
    if text is None:
        return
    local = Report()
    doc = parse_yaml(text, loc, local, allowed_tag=_allowed_tag, tag_error=_tag_error)
    report.items.extend(local.items)
    if local.has_errors():
        return  # MkDocs must never read a file with a tag that runs code
    if not re.search(r"^\s*-\s*kummi\s*(:|$)", text, re.M):
        report.error(
            "KM410",
            M_("mkdocs.yml does not use the kummi plugin, so the site would have no pages"),
            loc,
            M_("add '- kummi' as the first item under 'plugins:'"),
        )
    _check_with_mkdocs(root, path, doc, report)


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _quiet_mkdocs_log(collector: logging.Handler):
    log = logging.getLogger("mkdocs")
    saved = log.propagate
    log.addHandler(collector)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(collector)
        log.propagate = saved


_CONFIG_VALUE = re.compile(r"^Config value '([^']+)': (.*)$", re.S)


def _check_with_mkdocs(root: Path, path: Path, doc, report: Report) -> None:
    """Let MkDocs validate the configuration as the build will (theme, plugins, Markdown
    extensions, folders): every warning or error it has becomes KM413 at the key's line, because
    the build stops on any of them. Only after the tags were checked: MkDocs' loader is unsafe."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError

    collector = _Collect()
    failure = ""
    saved_env = os.environ.get("NO_MKDOCS_2_WARNING")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    try:
        with _quiet_mkdocs_log(collector):
            load_config(config_file=str(path), site_dir=str(root / "build" / ".staging" / "site"))
    except Abort:
        pass  # the reasons were logged
    except (ConfigurationError, OSError, ValueError, TypeError, AttributeError, ImportError) as exc:
        failure = str(exc) or type(exc).__name__
    except Exception as exc:  # a plugin or extension failing in its own way: still the config's problem
        failure = f"{type(exc).__name__}: {exc}"
    finally:
        if saved_env is None:
            os.environ.pop("NO_MKDOCS_2_WARNING", None)
        else:
            os.environ["NO_MKDOCS_2_WARNING"] = saved_env
    problems = [r.getMessage() for r in collector.records if r.levelno >= logging.WARNING]
    if failure and failure not in problems:
        problems.append(failure)
    for problem in dict.fromkeys(problems):
        match = _CONFIG_VALUE.match(problem.strip())
        key, message = (match.group(1), match.group(2)) if match else ("", problem.strip())
        if key == "theme" and isinstance(doc, dict) and isinstance(doc.get("theme"), dict) and "name" in doc["theme"]:
            key = "theme.name"
        report.error("KM413", M_("mkdocs.yml: {problem}", problem=message.strip().split("\n")[0][:300]), _key_loc(doc, key),
                     M_("kummi build stops on every MkDocs warning; fix the setting or remove it"))


def _key_loc(doc, key: str) -> Location:
    """The line of `key` (a top-level key, or 'a.b') in mkdocs.yml, else line 1."""
    node, loc = doc, Location(CONFIG)
    for part in key.split(".") if key else ():
        lc = getattr(node, "lc", None)
        if not isinstance(node, dict) or part not in node or lc is None:
            break
        try:
            line, col = lc.key(part)
        except (KeyError, TypeError, AttributeError):
            break
        loc = Location(CONFIG, line + 1, col + 1)
        node = node[part]
    return loc


def _check_titles(course: Course, report: Report) -> None:
    """Titles go into the navigation and <title> as text; angle brackets there look like HTML."""
    for module in course.modules:
        for lang, text in module.title.values:
            if _ANGLE.search(text):
                report.warning("KM411", M_("module title ({lang}) contains '<' or '>', shown as ‹ › on the site", lang=lang), module.loc,
                               M_("write the title without angle brackets"))
        for lesson in module.lessons:
            for text in lesson.texts:
                if _ANGLE.search(text.title):
                    report.warning("KM411", M_("lesson title contains '<' or '>', shown as ‹ › on the site"), text.loc.at(2, 1),
                                   M_("write the title without angle brackets"))
