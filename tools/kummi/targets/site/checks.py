"""Site-specific checks, run by `kummi check` and before `kummi build`."""
from __future__ import annotations

import re
from pathlib import Path

from ...diagnostics import Location, Report
from ...i18n import M_
from ...model import Course

_ANGLE = re.compile(r"[<>]")


def check_site(course: Course, report: Report) -> None:
    _check_config(Path(course.root), report)
    _check_titles(course, report)


def _check_config(root: Path, report: Report) -> None:
    path = root / "mkdocs.yml"
    if not path.is_file():
        return  # kummi uses its default configuration
    text = path.read_text(encoding="utf-8", errors="replace")
    if not re.search(r"^\s*-\s*kummi\s*(:|$)", text, re.M):
        report.error(
            "KM410",
            M_("mkdocs.yml does not use the kummi plugin, so the site would have no pages"),
            Location("mkdocs.yml"),
            M_("add '- kummi' as the first item under 'plugins:'"),
        )


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
