"""Cache keys of SCORM packages: a digest of everything one package is made from.

A package reads the course-level files (`course.digest`: title, publisher, licence, site address,
agencies, mentors, themes, glossary), its module (module.yaml and quiz.yaml: `module.digest`;
folder, number and id), its lessons in its language (or the Finnish text they fall back to), and
the files they show or link to (size and modification time, as `Cache.reuse` trusts outputs).
The cache's own key (`cache.code_version`) adds kummi's code, templates and learner texts.
"""
from __future__ import annotations

import posixpath
import re

from ... import model as m
from ...cache import digest, file_stamp

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


def package_key(course: m.Course, module: m.Module, lang: str, version: str, epoch: int) -> str:
    texts = [(lesson.id, lesson.text(lang)) for lesson in module.lessons]
    files: set[str] = set()
    for _, text in texts:
        files.update(image.path for image in text.images if image.path)
        base = posixpath.dirname(text.path)
        for link in text.links:
            target = link.href.partition("#")[0].partition("?")[0]
            if target and not _SCHEME.match(target) and not target.endswith(".md"):
                files.add(posixpath.normpath(posixpath.join(base, target)))
    return digest(
        "scorm", course.root, course.id, course.digest, tuple(course.languages), module.id, module.folder, module.path,
        module.number, module.digest, tuple((lesson_id, t.lang, t.path, t.digest) for lesson_id, t in texts),
        tuple(file_stamp(course.root, f) for f in sorted(files)), lang, version, epoch,
    )
