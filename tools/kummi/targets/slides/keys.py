"""Cache keys of decks: a digest of everything one deck (its plan and its .pptx) is made from.

A deck reads the course-level files (title, publisher, licence, site address, agencies, mentors,
themes: `course.digest`), its module (module.yaml and quiz.yaml: `module.digest`; folder, number and
id), its lessons in its language (or the Finnish text they fall back to: their `digest`s: path, language and bytes), the images
they show (size and modification time, as `Cache.reuse` trusts outputs) and the slide master. The
cache's own key (`cache.code_version`) adds kummi's code and the libraries'.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ...cache import digest, file_stamp
from ... import model as m
from .template import Template


@lru_cache(maxsize=8)
def _file_digest(path: str, size: int, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def template_digest(tpl: Template) -> str:
    st = tpl.path.stat()
    return _file_digest(str(tpl.path), st.st_size, st.st_mtime_ns)


def deck_key(course: m.Course, module: m.Module, lang: str, tpl: Template) -> str:
    """The key of the deck of `module` in `lang` (its plan: warnings, errors, slides)."""
    texts = [(lesson.id, lesson.text(lang)) for lesson in module.lessons]  # a deck reads only these
    lessons = tuple(
        (lesson_id, t.lang, t.digest, tuple(kind for kind, _ in t.html),  # the learner view has no "notes" parts
         tuple(file_stamp(course.root, image.path) for image in t.images if image.path))
        for lesson_id, t in texts
    )
    return digest(
        "deck", course.root, course.digest, module.id, module.folder, module.path, module.number, module.digest,
        lessons, lang, tpl.rel, template_digest(tpl),
    )
