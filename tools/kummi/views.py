"""Views of the course model for an audience. Targets for learners render from `learner_view`.

- `learner_view`: what learners may see. Trainer notes are not in it (blocks, Markdown, links and
  images inside notes are gone) and quiz options do not say which is correct: each question
  carries a digest of its right answer instead (`answer_key`), which the learner's browser
  compares with the digest of the chosen options (assets/answerkey.js computes the same), and
  each option carries its verdict sealed (`verdict`, "1"/"0" through `seal`), opened in the
  browser once the option is chosen. Feedback texts stay in the view as the author wrote them;
  an output seals their rendered HTML with `seal_feedback` (a feedback text often begins with
  "Oikein", which would give the answer away in the page source). A learner who runs code can
  still find the answers: a quiz graded in the browser cannot hide them.
- `published_view`: the modules that a build publishes (drafts only when asked).

The full model stays the trainer's view: decks with speaker notes, the Moodle question export.
"""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace

from . import model as m
from .memo import IdentityMemo


class TrainerMaterialLeak(AssertionError):
    """The learner view still holds something notes-like: a bug in kummi, never published."""


def answer_salt(course: m.Course, module: m.Module) -> str:
    return f"{course.id}/{module.id}"


def answer_key(salt: str, question_id: str, option_ids) -> str:
    """16 hex digits of SHA-256 over salt|question|sorted option ids (answerkey.js does the same)."""
    text = f"{salt}|{question_id}|{','.join(sorted(option_ids))}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def seal(salt: str, question_id: str, option_id: str, text: str) -> str:
    """`text` XOR a SHA-256 keystream, base64: feedback that the page source does not show
    (answerkey.js `kummiUnseal` opens it after the learner has chosen)."""
    data = text.encode("utf-8")
    stream = b"".join(
        hashlib.sha256(f"{salt}|{question_id}|{option_id}|{i}".encode("utf-8")).digest()
        for i in range((len(data) + 31) // 32)
    )
    sealed = (int.from_bytes(data, "big") ^ int.from_bytes(stream[: len(data)], "big")).to_bytes(len(data), "big")
    return base64.b64encode(sealed).decode("ascii")


def seal_feedback(salt: str, question_id: str, option_id: str, html: str) -> str:
    """An option's rendered feedback, sealed under its own key (`kummiUnseal(salt, q, o + "/feedback", …)`)."""
    return seal(salt, question_id, option_id + "/feedback", html)


def learner_view(course: m.Course) -> m.Course:
    modules = tuple(
        replace(module, lessons=tuple(_lesson(lesson) for lesson in module.lessons), quiz=_quiz(course, module))
        for module in course.modules
    )
    return replace(course, modules=modules)


def published_view(course: m.Course, drafts: bool) -> tuple[m.Course, tuple[m.Module, ...]]:
    """(course with the modules to publish, the draft modules left out)."""
    if drafts:
        return course, ()
    left_out = tuple(mod for mod in course.modules if mod.status == "draft")
    if not left_out:
        return course, ()
    return replace(course, modules=tuple(mod for mod in course.modules if mod.status != "draft")), left_out


# ------------------------------------------------------------------ lessons


def _lesson(lesson: m.Lesson) -> m.Lesson:
    return replace(lesson, texts=tuple(_learner_text(text) for text in lesson.texts))


_learner_texts = IdentityMemo()


def _learner_text(text: m.LessonText) -> m.LessonText:
    return _learner_texts.get(text, (), lambda: _text(text))


def _notes_spans(blocks) -> list[tuple[int, int]]:
    spans = []
    for block in blocks:
        if isinstance(block, m.Notes):
            spans.append((block.loc.line, block.end_line or block.loc.line))
        elif isinstance(block, (m.Callout, m.Reflection)):
            spans.extend(_notes_spans(block.blocks))
    return spans


def _without_notes(blocks) -> tuple:
    out = []
    for block in blocks:
        if isinstance(block, m.Notes):
            continue
        if isinstance(block, (m.Callout, m.Reflection)):
            block = replace(block, blocks=_without_notes(block.blocks))
        out.append(block)
    return tuple(out)


_NOTES_LINE = re.compile(r"^\s*(?:!!!|\?\?\?\+?)\s*notes\b", re.I | re.M)


def _text(text: m.LessonText) -> m.LessonText:
    spans = [span for slide in text.slides for span in _notes_spans(slide.blocks)]
    if not spans:
        if any(kind == "notes" for kind, _ in text.html):
            raise TrainerMaterialLeak(f"{text.path}: notes HTML without a notes block")
        return text

    in_notes = {line for start, end in spans for line in range(start, end + 1)}.__contains__

    lines = text.markdown.split("\n")
    kept = [line for i, line in enumerate(lines) if not in_notes(text.body_line + i)]
    markdown = "\n".join(kept)
    if _NOTES_LINE.search(markdown):
        raise TrainerMaterialLeak(f"{text.path}: a notes box survived the learner view")
    return replace(
        text,
        markdown=markdown,
        html=tuple(seg for seg in text.html if seg[0] != "notes"),
        slides=tuple(replace(slide, blocks=_without_notes(slide.blocks)) for slide in text.slides),
        links=tuple(link for link in text.links if not in_notes(link.loc.line)),
        images=tuple(image for image in text.images if not in_notes(image.loc.line)),
        # markdown lost lines: a line number in it no longer matches the file. Learner targets
        # don't report positions; keep body_line for the first line, which is unchanged.
    )


# ------------------------------------------------------------------ quiz


def learner_quiz(course: m.Course, module: m.Module) -> m.Quiz | None:
    """The module's quiz as learners get it (the trainer preview renders its quiz page from this too)."""
    if module.quiz is not None and any(q.answer_key for q in module.quiz.questions):
        return module.quiz
    return _quiz(course, module)


def _quiz(course: m.Course, module: m.Module) -> m.Quiz | None:
    if module.quiz is None:
        return None
    salt = answer_salt(course, module)
    questions = tuple(
        replace(
            q,
            options=tuple(
                replace(o, correct=False, verdict=seal(salt, q.id, o.id, "1" if o.correct else "0"))
                for o in q.options
            ),
            answer_key=answer_key(salt, q.id, q.correct_ids),
        )
        for q in module.quiz.questions
    )
    return replace(module.quiz, questions=questions)
