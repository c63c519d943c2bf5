"""Words on generated slides, from kummi.learnertext (Finnish is the fallback)."""
from __future__ import annotations

from ...learnertext import table, word

LANG_TAGS = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB", "se": "se-FI"}

# Deck keys that name a word every target shows (learnertext common.*); the others are slides.<key>.
COMMON = {
    "quiz": "common.quiz", "multiple": "common.quiz.choose_many", "single": "common.quiz.choose_one",
    "objectives": "common.objectives", "reflect": "common.reflection",
    "note": "common.box.note", "tip": "common.box.tip", "warning": "common.box.warning",
    "example": "common.box.example", "info": "common.box.info",
}


def t(key: str, lang: str, **kw) -> str:
    return word(lang, COMMON.get(key) or f"slides.{key}", **kw)


def has(key: str) -> bool:
    return key in COMMON or f"slides.{key}" in table("fi")


def lang_tag(lang: str) -> str:
    return LANG_TAGS.get(lang, lang)
