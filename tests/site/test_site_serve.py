"""`kummi serve`: the preview rebuilds when a lesson is saved. (How fast: benchmarks/bench_serve.py.)"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager

import pytest

from site_helpers import copy_course


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.read()


@contextmanager
def _preview(tmp_path, repo_root, log: list | None = None):
    """A running `kummi serve` on a copy of the course: yields (first lesson's source file, its URL).
    `log`, when given, collects the lines the preview prints, as they come."""
    from kummi.loader import load_course

    root = copy_course(repo_root, tmp_path / "course")
    course, _ = load_course(root)
    mod, lesson = course.modules[0], course.modules[0].lessons[0]
    port = _free_port()
    url = f"http://127.0.0.1:{port}/modules/{mod.folder}/{lesson.id}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "kummi", "serve", str(root), "-a", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    if log is not None:
        def read_lines():
            for line in proc.stderr:
                log.append(line.decode("utf-8", "replace"))

        threading.Thread(target=read_lines, daemon=True).start()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(url)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("kummi serve did not start: " + ("".join(log) if log is not None else proc.stderr.read().decode())[-2000:])
                time.sleep(0.2)
        yield root / lesson.source.path, url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _wait_until(predicate, what: str, seconds: float = 120) -> None:
    """Polls; a request that times out while the preview rebuilds on a busy machine is a 'not yet'."""
    start = time.monotonic()
    while True:
        try:
            if predicate():
                return
        except (TimeoutError, OSError):
            pass
        assert time.monotonic() - start < seconds, what
        time.sleep(0.05)


def test_edited_lesson_shows_in_the_preview(tmp_path, repo_root):
    with _preview(tmp_path, repo_root) as (source, url):
        for word in ("Esikatselu1", "Esikatselu2"):
            source.write_text(source.read_text(encoding="utf-8") + f"\n\n{word} toimii.\n", encoding="utf-8")
            _wait_until(lambda: word.encode() in _get(url), f"{word} never appeared in the preview")


def test_preview_rebuilds_once_per_save(tmp_path, repo_root):
    """A save is one rebuild, and a rebuild (which opens and reads the course's files) does not
    set off another: the watcher passes on changes only."""
    log: list[str] = []
    with _preview(tmp_path, repo_root, log) as (source, url):
        source.write_text(source.read_text(encoding="utf-8") + "\n\nKerran tallennettu.\n", encoding="utf-8")
        _wait_until(lambda: b"Kerran tallennettu." in _get(url), "the edit never appeared in the preview")
        time.sleep(3)
        builds = sum("Site built in" in line for line in log)
        time.sleep(3)
        assert sum("Site built in" in line for line in log) == builds  # quiet while nothing changes
        assert 2 <= builds <= 3, log  # the first build and the save (its events may come in two bursts)


def test_preview_shows_errors_instead_of_hanging(tmp_path, repo_root):
    """Saving a lesson with an error keeps the preview answering: the last good version with the
    errors on top; fixing the error removes them."""
    with _preview(tmp_path, repo_root) as (source, url):
        good = source.read_text(encoding="utf-8")
        source.write_text(good + "\n[rikki](99-ei-ole.md)\n", encoding="utf-8")
        _wait_until(lambda: b"kummi-serve-errors" in _get(url), "the error banner never appeared")
        page = _get(url)
        assert b"KM301" in page and b"99-ei-ole.md" in page
        source.write_text(good, encoding="utf-8")
        _wait_until(lambda: b"kummi-serve-errors" not in _get(url), "the error banner did not go away")


def test_watching_falls_back_to_polling_where_inotify_fails(tmp_path, monkeypatch):
    """The preview moves MkDocs' watches to inotify only when an inotify observer starts on them;
    where it cannot (no inotify, or its limit of watches reached), MkDocs' polling stays, with
    every path still watched."""
    from mkdocs.livereload import LiveReloadServer
    from watchdog.observers.inotify import InotifyObserver
    from watchdog.observers.polling import PollingObserver

    from kummi.targets.site.plugin import _watch_natively

    def watching(server) -> list[str]:
        return sorted(watch.path for watch in server.observer._watches)

    for fails in (False, True):
        if fails:
            def refuse(self):
                raise OSError(28, "inotify watch limit reached")

            monkeypatch.setattr(InotifyObserver, "start", refuse)
        server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
        try:
            server.watch(str(tmp_path))
            assert _watch_natively(server) is not fails
            assert isinstance(server.observer, PollingObserver) is fails
            assert isinstance(server.observer, InotifyObserver) is not fails
            assert watching(server) == [str(tmp_path)]
        finally:
            server.server_close()
