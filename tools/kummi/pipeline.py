"""Load → validate → (targets). The one place that turns a course folder into a checked model."""
from __future__ import annotations

from pathlib import Path

from . import model as m
from .diagnostics import Report
from .loader import load_course
from .validate import validate_course


def load_and_check(root: str | Path, targets=(), cache=None) -> tuple[m.Course | None, Report]:
    """The course and every problem found in it. `cache` (cache.Cache) lets unchanged files and
    deck plans be reused; without it everything is computed."""
    report = Report()
    course, report = load_course(root, report, cache=cache)
    if course is not None:
        validate_course(course, report, cache=cache)
        for target in targets:
            target.check(course, report, cache=cache)
    return course, report
