"""`kummi serve`: the preview rebuilds when a lesson is saved. (How fast: benchmarks/bench_serve.py.)"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from site_helpers import copy_course


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read()


def test_edited_lesson_shows_in_the_preview(tmp_path, repo_root):
    from kummi.loader import load_course

    root = copy_course(repo_root, tmp_path / "course")
    course, _ = load_course(root)
    mod, lesson = course.modules[0], course.modules[0].lessons[0]
    source = root / lesson.source.path
    port = _free_port()
    url = f"http://127.0.0.1:{port}/modules/{mod.folder}/{lesson.id}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kummi", "serve", str(root), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(url)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("kummi serve did not start: " + proc.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        for word in ("Esikatselu1", "Esikatselu2"):
            source.write_text(source.read_text(encoding="utf-8") + f"\n\n{word} toimii.\n", encoding="utf-8")
            start = time.monotonic()
            while word.encode() not in _get(url):
                assert time.monotonic() - start < 60, f"{word} never appeared in the preview"
                time.sleep(0.05)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_preview_shows_errors_instead_of_hanging(tmp_path, repo_root):
    """Saving a lesson with an error keeps the preview answering: the last good version with the
    errors on top; fixing the error removes them."""
    from kummi.loader import load_course

    root = copy_course(repo_root, tmp_path / "course")
    course, _ = load_course(root)
    mod, lesson = course.modules[0], course.modules[0].lessons[0]
    source = root / lesson.source.path
    good = source.read_text(encoding="utf-8")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/modules/{mod.folder}/{lesson.id}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kummi", "serve", str(root), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(url)
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "kummi serve did not start"
                time.sleep(0.2)
        source.write_text(good + "\n[rikki](99-ei-ole.md)\n", encoding="utf-8")
        start = time.monotonic()
        while b"kummi-serve-errors" not in (page := _get(url)):
            assert time.monotonic() - start < 60, "the error banner never appeared"
            time.sleep(0.1)
        assert b"KM301 broken link: &#39;99-ei-ole.md&#39; is not a lesson" in page
        source.write_text(good, encoding="utf-8")
        start = time.monotonic()
        while b"kummi-serve-errors" in _get(url):
            assert time.monotonic() - start < 60, "the error banner did not go away"
            time.sleep(0.1)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
