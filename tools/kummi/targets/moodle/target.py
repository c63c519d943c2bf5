"""The Moodle target: build/moodle/<module-id>.<lang>.questions.xml for Moodle's question bank.

The quiz of each module becomes a question category of its own, in every language of the course.
It renders from the full model (the trainer's view: the answers are the point of a question bank).
"""
from __future__ import annotations

import shutil
from pathlib import Path

from ...diagnostics import Report
from ...i18n import M_
from ...model import Course
from ..base import BuildOptions, Target
from .questions import IDNUMBER_LIMIT, _Inline, build_questions, category_idnumber, file_name, question_idnumber, render_questions


class MoodleTarget(Target):
    name = "moodle"
    description = "Moodle XML question-bank export of each module's quiz, per language"
    learner = False  # a question bank needs the answers: rendered from the full model

    def check(self, course: Course, report: Report, cache=None) -> None:
        longest = max(course.languages, key=len, default="fi")
        for module in course.modules:
            if not module.quiz or not module.quiz.questions:
                continue
            if len(category_idnumber(course, module, longest)) > IDNUMBER_LIMIT:
                report.error(
                    "KM721",
                    M_("module '{module}': its Moodle question category idnumber would be longer than {limit} characters",
                       module=module.id, limit=IDNUMBER_LIMIT),
                    module.loc,
                    M_("shorten the course or module id"),
                )
            for q in module.quiz.questions:
                if len(question_idnumber(module, q, longest)) > IDNUMBER_LIMIT:
                    report.error(
                        "KM721",
                        M_("question '{question}': its Moodle idnumber would be longer than {limit} characters", question=q.id, limit=IDNUMBER_LIMIT),
                        q.loc,
                        M_("use a shorter question id"),
                    )
            # Links to lessons or course files in quiz texts: Moodle has nothing to point them to.
            inline = _Inline(Path(course.root), module.quiz.path)
            for q in module.quiz.questions:
                texts = [q.prompt] + [o.text for o in q.options] + [o.feedback for o in q.options]
                for local in texts:
                    for _, value in local.values:
                        inline.render(value)
                dropped = sorted(set(inline.dropped.links)) + sorted(set(inline.dropped.images))
                inline.dropped.links.clear()
                inline.dropped.images.clear()
                for target in dropped:
                    report.warning(
                        "KM722",
                        M_("question '{question}': '{target}' cannot go into the Moodle question export; it becomes plain text there",
                           question=q.id, target=target),
                        q.loc,
                        M_("quiz texts in Moodle can link only to web addresses (https://…) and show only images from the course"),
                    )

    def write(self, course: Course, options: BuildOptions, staging: Path, previous: Path) -> list[Path]:
        modules = [mod for mod in course.modules if not options.modules or mod.id in options.modules]
        langs = [lang for lang in course.languages if not options.languages or lang in options.languages]
        written: list[Path] = []
        for module in modules:
            if not module.quiz or not module.quiz.questions:
                continue
            for lang in langs:
                dest = staging / file_name(module, lang)
                dest.write_bytes(render_questions(course, module, lang).encode("utf-8"))
                written.append(dest)
        if (options.modules or options.languages) and previous.is_dir():
            names = {p.name for p in written}
            for old in sorted(previous.glob("*.questions.xml")):
                if old.name not in names and old.is_file():
                    shutil.copy2(old, staging / old.name)
        return written


__all__ = ["MoodleTarget", "build_questions"]
