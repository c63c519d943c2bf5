"""Helpers shared by the SCORM tests (imported by conftest.py and the test modules)."""
from __future__ import annotations

from pathlib import Path

from kummi.pipeline import load_and_check
from kummi.targets import BuildOptions
from kummi.targets.scorm import ScormTarget

HERE = Path(__file__).resolve().parent
FIXTURE_COURSE = HERE / "fixtures" / "course"
REPO = HERE.parents[1]
SCORM_AGAIN = REPO / "node_modules" / "scorm-again" / "dist"
EPOCH = 1718000000


def build_course(src: Path, out: Path, **options) -> tuple[list[Path], object]:
    course, report = load_and_check(src, [ScormTarget()])
    assert course is not None and not report.has_errors(), [d.format_text() for d in report.errors]
    opts = BuildOptions(out_dir=out, epoch=options.pop("epoch", EPOCH), **options)
    return ScormTarget().build(course, opts), report
