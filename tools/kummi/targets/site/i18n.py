"""Learner-facing words of the generated site pages, from kummi.learnertext (Finnish is the fallback).

The quiz has one name in every target: Tietovisa, Kunskapstest, Quiz (as on the slides)."""
from __future__ import annotations

from ...learnertext import word

# Site keys that name a word every target shows (learnertext common.*); the others are site.<key>.
COMMON = {
    "quiz": "common.quiz", "quiz.correct": "common.quiz.correct", "quiz.wrong": "common.quiz.wrong",
    "quiz.retry": "common.quiz.retry", "quiz.multiple": "common.quiz.choose_many", "quiz.true": "common.quiz.true",
    "quiz.false": "common.quiz.false", "objectives": "common.objectives", "glossary": "common.glossary",
    "current": "common.current_page", "trainer": "common.trainer",
}


# A quiz option's feedback is shown after the label quiz.correct or quiz.wrong; when the author's
# feedback begins with a verdict of its own ("Oikein. Kummit…", "Ei. Työ 2.0…"), that sentence is
# dropped so the verdict is not said twice. Only a verdict that is a whole sentence ("Ei.", not
# "Ei pidä paikkaansa.") and agrees with the option (right or wrong).
VERDICTS: dict[str, dict[str, tuple[str, ...]]] = {
    "fi": {"right": ("Oikein", "Aivan oikein", "Kyllä"), "wrong": ("Väärin", "Ei", "Ei aivan")},
    "sv": {"right": ("Rätt", "Helt rätt", "Ja", "Korrekt"), "wrong": ("Fel", "Nej", "Inte riktigt")},
    "en": {"right": ("Correct", "Right", "Yes"), "wrong": ("Incorrect", "Wrong", "No", "Not quite")},
}

# Names of languages in themselves, for the language switch.
NATIVE = {"fi": "Suomi", "sv": "Svenska", "en": "English"}


def t(lang: str, key: str, **kw) -> str:
    return word(lang, COMMON.get(key) or f"site.{key}", **kw)
