"""What a running site build knows that mkdocs.yml cannot say: the loaded course, the build
options, which language this MkDocs config renders, and whether trainer notes are shown.

`SiteTarget`, `kummi serve` and the plugin's own per-language builds push a `Run`; the plugin reads
the innermost one. Plain `mkdocs build` pushes nothing and the plugin loads the course itself.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, replace

from ...model import Course


@dataclass(frozen=True)
class Run:
    course: Course | None = None  # None: the plugin loads and checks the course itself
    root: str = ""  # course root when mkdocs.yml is not in it (kummi's default config)
    lang: str = ""  # "" = the primary (Finnish) site, which then builds the other languages
    downloads: tuple = ()  # options.downloads as sorted items
    offline: bool = False
    trainer: bool = False
    single: bool = False  # build only `lang`, at the root, without a language switch (kummi serve)

    def nested(self, course: Course, lang: str) -> "Run":
        return replace(self, course=course, lang=lang)


_STACK: list[Run] = []


def current() -> Run | None:
    return _STACK[-1] if _STACK else None


@contextmanager
def running(run: Run):
    _STACK.append(run)
    try:
        yield run
    finally:
        _STACK.pop()


def trainer_from_env() -> bool:
    return os.environ.get("KUMMI_TRAINER", "").strip().lower() in ("1", "true", "yes")


def offline_from_env() -> bool:
    return os.environ.get("KUMMI_OFFLINE", "").strip().lower() in ("1", "true", "yes")
