"""Load → validate → (targets). The one place that turns a course folder into a checked model."""
from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

from . import model as m
from .diagnostics import Report
from .loader import load_course
from .validate import validate_course

BACKGROUND_TEXTS = 200  # lesson texts from which spelling runs beside the other checks


def load_and_check(root: str | Path, targets=(), cache=None, loaded=None) -> tuple[m.Course | None, Report]:
    """The course and every problem found in it. `cache` (cache.Cache) lets unchanged files and
    deck plans be reused; without it everything is computed. In a large course the spelling
    check runs in a second process while the other checks (and the targets' deck plans) run in
    this one. `loaded(course, report)` is called once the course is loaded, before it is checked
    (a build starts the work that does not wait for the checks)."""
    from .spelling import check_spelling

    report = Report()
    course, report = load_course(root, report, cache=cache)
    if course is not None:
        texts = sum(len(lesson.texts) for module in course.modules for lesson in module.lessons)
        # Not beside other threads (the preview's server): a fork copies no thread, but may copy a held lock.
        alone = threading.active_count() == 1
        background = _Background(check_spelling, course, cache) if texts >= BACKGROUND_TEXTS and alone and (os.cpu_count() or 1) > 1 else None
        if loaded is not None:
            loaded(course, report)
        validate_course(course, report, cache=cache, skip=(check_spelling,) if background else ())
        for target in targets:
            target.check(course, report, cache=cache)
        if background is not None:
            background.finish(report, cache)
    return course, report


class _Background:
    """One check in a forked process (it has the model already); its diagnostics and new cache
    entries come back when `finish` is called. If the process fails, the check runs here."""

    def __init__(self, check, course: m.Course, cache):
        self.check, self.course = check, course
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        if cache is not None:
            cache.suspend()  # an open SQLite connection must not cross a fork
        try:
            self.process = context.Process(target=_run_check, args=(check, course, cache, send), daemon=True)
            self.process.start()
        finally:
            if cache is not None:
                cache.resume()
        send.close()

    def finish(self, report: Report, cache) -> None:
        try:
            items, entries = self.receive.recv()
        except (EOFError, OSError):
            self.process.join()
            self.check(self.course, report, cache=cache)
            return
        self.process.join()
        report.items.extend(items)
        if cache is not None:
            for kind, key, value in entries:
                cache.put(kind, key, value)


def _run_check(check, course: m.Course, cache, send) -> None:
    from .cache import Cache, CollectingCache, MemoryCache

    if cache is not None and not isinstance(cache, MemoryCache):
        cache = Cache(cache.path, readonly=True) if cache.path is not None else None
    view = CollectingCache(cache)
    report = Report()
    check(course, report, cache=view)
    send.send((report.items, view.entries))
    send.close()
