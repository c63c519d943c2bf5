"""Words of the SCORM player, from kummi.learnertext (Finnish is the fallback)."""
from __future__ import annotations

from ...learnertext import section, word

# Player keys that name a word every target shows (learnertext common.*); the others are scorm.<key>.
COMMON = {
    "quiz": "common.quiz", "correct": "common.quiz.correct", "wrong": "common.quiz.wrong", "retry": "common.quiz.retry",
    "choose_one": "common.quiz.choose_one", "choose_many": "common.quiz.choose_many", "objectives": "common.objectives",
    "glossary": "common.glossary", "reflection": "common.reflection", "current": "common.current_page",
}


def strings(lang: str) -> dict[str, str]:
    """The player's words for `lang` (Finnish filling any gap), keyed as the templates and script use them."""
    words = section(lang, "scorm")
    words.update({key: word(lang, common) for key, common in COMMON.items()})
    return words
