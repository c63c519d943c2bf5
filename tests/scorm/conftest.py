"""SCORM test fixtures: the small fixture course built once, and a local LMS host served over HTTP."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import pytest

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


@pytest.fixture(scope="session")
def fixture_course(tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("scorm-course") / "course"
    shutil.copytree(FIXTURE_COURSE, dest)
    return dest


@pytest.fixture(scope="session")
def built(fixture_course, tmp_path_factory) -> Path:
    """build/scorm of the fixture course with both SCORM versions."""
    out = tmp_path_factory.mktemp("scorm-build")
    build_course(fixture_course, out, scorm_versions=("1.2", "2004"))
    return out / "scorm"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest output clean
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@pytest.fixture(scope="session")
def lms_server(built, tmp_path_factory):
    """http://127.0.0.1:<port>/ serving host.html (the LMS side, scorm-again), scorm-again itself and
    every package extracted under /pkg/<zip name without .zip>/."""
    if not (SCORM_AGAIN / "scorm12.min.js").exists():
        pytest.fail("scorm-again is missing: run 'npm ci' (done by .ci/run)")
    root = tmp_path_factory.mktemp("lms")
    shutil.copy2(HERE / "host.html", root / "host.html")
    (root / "scorm-again").mkdir()
    for name in ("scorm12.min.js", "scorm2004.min.js"):
        shutil.copy2(SCORM_AGAIN / name, root / "scorm-again" / name)
    for zpath in sorted(built.glob("*.zip")):
        dest = root / "pkg" / zpath.name[: -len(".zip")]
        with zipfile.ZipFile(zpath) as zf:
            zf.extractall(dest)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
