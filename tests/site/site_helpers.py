"""Helpers shared by the site tests (a uniquely named module: every folder's conftest is 'conftest')."""
from __future__ import annotations

import shutil
from pathlib import Path

EPOCH = 1704067200


def copy_course(src: Path, dest: Path) -> Path:
    """content/, modules/, templates/ and mkdocs.yml of a course, without build output."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("content", "modules", "templates"):
        if (src / name).is_dir():
            shutil.copytree(src / name, dest / name)
    if (src / "mkdocs.yml").is_file():
        shutil.copy2(src / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


def build(course_root: Path, out: Path, **options):
    from kummi.loader import load_course
    from kummi.targets import BuildOptions
    from kummi.targets.site import SiteTarget

    course, _ = load_course(course_root)
    SiteTarget().build(course, BuildOptions(out_dir=out, epoch=EPOCH, **options))
    return course, out / "site"
