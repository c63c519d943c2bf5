"""Helpers shared by the site tests (a uniquely named module: every folder's conftest is 'conftest')."""
from __future__ import annotations

from pathlib import Path

from testpaths import copy_course  # noqa: F401  (re-exported for the site tests)

EPOCH = 1704067200


def build(course_root: Path, out: Path, **options):
    from kummi.loader import load_course
    from kummi.targets import BuildOptions
    from kummi.targets.site import SiteTarget

    course, _ = load_course(course_root)
    SiteTarget().build(course, BuildOptions(out_dir=out, epoch=EPOCH, **options))
    return course, out / "site"
