"""The loader builds the model that every target renders from: slides, blocks, locations."""
from __future__ import annotations

import shutil

from testpaths import FIXTURES
from kummi import model as m
from kummi.pipeline import load_and_check


def _load(root):
    course, report = load_and_check(root)
    assert course is not None
    return course, report


def test_lesson_becomes_slides_with_blocks_and_lines():
    course, report = _load(FIXTURES / "good")
    assert report.sorted() == []
    lesson = course.modules[0].lessons[0]
    fi = lesson.text("fi")
    assert [s.title for s in fi.slides] == ["Alku", "Ensimmäinen dia"]
    intro, first = fi.slides
    assert intro.intro and isinstance(intro.blocks[0], m.Paragraph)
    assert (first.loc.line, first.anchor) == (7, "ensimmäinen-dia")
    kinds = [type(b).__name__ for b in first.blocks]
    assert kinds == ["BulletList", "Image", "Notes", "Paragraph"]
    image = first.blocks[1]
    assert (image.alt, image.path, image.loc.line) == ("Sininen neliö", "modules/01-perusteet/media/kuva.png", 12)
    assert first.blocks[2].markdown == "Muistiinpano."
    assert fi.loc.path == "modules/01-perusteet/01-alku.md"


def test_translation_fallback_and_versions():
    course, _ = _load(FIXTURES / "good")
    lesson = course.modules[0].lessons[0]
    assert lesson.text("sv").title == "Början"
    assert lesson.text("en") is lesson.source  # documented fallback: Finnish
    assert lesson.text("sv").source_version == lesson.source.version


def test_reflection_and_quiz_model():
    course, _ = _load(FIXTURES / "good")
    module = course.modules[0]
    reflection = module.lessons[1].source.slides[0].blocks[0]
    assert isinstance(reflection, m.Reflection) and reflection.title == "Pohdi"
    q = module.quiz.questions[0]
    assert q.type == "single" and q.correct_ids == ("a",) and module.pass_mark == 50
    assert q.options[1].feedback.get("sv") == "Fel."


def test_truefalse_becomes_two_options(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    (root / "modules/01-perusteet/quiz.yaml").write_text(
        "questions:\n  - id: tf\n    type: truefalse\n    question: {fi: Onko?, sv: Är det?}\n    answer: false\n"
        "    feedback_false: {fi: Oikein., sv: Rätt.}\n",
        encoding="utf-8",
    )
    course, report = _load(root)
    q = course.modules[0].quiz.questions[0]
    assert [(o.id, o.correct, o.text.get("fi")) for o in q.options] == [("true", False, "Tosi"), ("false", True, "Epätosi")]
    assert q.options[1].feedback.get("sv") == "Rätt."


def test_anchor_with_finnish_letters_links_fine(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    lesson = root / "modules/01-perusteet/01-alku.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("02-loppu.md#toinen-dia", "#ensimmäinen-dia"), encoding="utf-8")
    _, report = _load(root)
    assert [d.code for d in report.errors] == []
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("#ensimmäinen-dia", "#ensimmainen-dia"), encoding="utf-8")
    _, report = _load(root)
    [error] = report.errors
    assert (error.code, error.text, error.hint_text) == ("KM302", "no heading '#ensimmainen-dia' in this lesson", "did you mean 'ensimmäinen-dia'?")


def test_model_is_immutable():
    course, _ = _load(FIXTURES / "good")
    import dataclasses

    import pytest

    with pytest.raises(dataclasses.FrozenInstanceError):
        course.modules[0].lessons[0].source.title = "x"  # type: ignore[misc]


def test_translation_links_to_anchors_of_the_translation(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    sv = root / "modules/01-perusteet/01-alku.sv.md"
    sv.write_text(sv.read_text(encoding="utf-8").replace("#andra-bilden", "#toinen-dia"), encoding="utf-8")
    _, report = _load(root)
    [error] = report.errors
    assert (error.code, error.location.path) == ("KM302", "modules/01-perusteet/01-alku.sv.md")
    assert error.text == "broken anchor '#toinen-dia' in link to '02-loppu.md'"
