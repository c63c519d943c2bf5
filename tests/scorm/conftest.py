"""SCORM test fixtures: the small fixture course built once, and a local LMS host served over HTTP."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import pytest


from scorm_helpers import EPOCH, FIXTURE_COURSE, HERE, SCORM_AGAIN, build_course  # noqa: E402,F401


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
    (root / "blank.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>left</title>'
        '<link rel="icon" href="data:,"></head><body></body></html>',
        encoding="utf-8",
    )
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
