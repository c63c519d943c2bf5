"""User-facing words on generated slides, per language (fi, sv, en; others fall back to English)."""
from __future__ import annotations

LANG_TAGS = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB", "se": "se-FI"}

_S: dict[str, dict[str, str]] = {
    "objectives": {"fi": "Oppimistavoitteet", "sv": "Lärandemål", "en": "Learning objectives"},
    "duration": {"fi": "Kesto {n} min", "sv": "Längd {n} min", "en": "Duration {n} min"},
    "lesson": {"fi": "Oppitunti {n}/{total}", "sv": "Lektion {n}/{total}", "en": "Lesson {n}/{total}"},
    "lesson_duration": {"fi": "Oppitunti {n}/{total} · noin {d} min", "sv": "Lektion {n}/{total} · cirka {d} min", "en": "Lesson {n}/{total} · about {d} min"},
    "reflect": {"fi": "Pohdi", "sv": "Reflektera", "en": "Reflect"},
    "quiz": {"fi": "Tietovisa", "sv": "Kunskapstest", "en": "Quiz"},
    "quiz_intro": {"fi": "Keskustelkaa kysymyksistä yhdessä ennen kuin katsotte vastaukset.", "sv": "Diskutera frågorna tillsammans innan ni tittar på svaren.", "en": "Discuss the questions together before looking at the answers."},
    "question": {"fi": "Kysymys {n}", "sv": "Fråga {n}", "en": "Question {n}"},
    "single": {"fi": "Valitse yksi vaihtoehto.", "sv": "Välj ett alternativ.", "en": "Choose one option."},
    "multiple": {"fi": "Valitse kaikki oikeat vaihtoehdot.", "sv": "Välj alla rätta alternativ.", "en": "Choose all correct options."},
    "truefalse": {"fi": "Totta vai tarua?", "sv": "Sant eller falskt?", "en": "True or false?"},
    "answer": {"fi": "Oikea vastaus", "sv": "Rätt svar", "en": "Correct answer"},
    "answers": {"fi": "Oikeat vastaukset", "sv": "Rätta svar", "en": "Correct answers"},
    "feedback": {"fi": "Palaute", "sv": "Respons", "en": "Feedback"},
    "thanks": {"fi": "Kiitos!", "sv": "Tack!", "en": "Thank you!"},
    "licence": {"fi": "Lisenssi: {l}", "sv": "Licens: {l}", "en": "Licence: {l}"},
    "audience": {"fi": "Kohderyhmä: {a}", "sv": "Målgrupp: {a}", "en": "Audience: {a}"},
    "image_missing": {"fi": "Kuva: {alt}", "sv": "Bild: {alt}", "en": "Image: {alt}"},
    "note": {"fi": "Huom.", "sv": "Obs.", "en": "Note"},
    "tip": {"fi": "Vinkki", "sv": "Tips", "en": "Tip"},
    "warning": {"fi": "Varoitus", "sv": "Varning", "en": "Warning"},
    "example": {"fi": "Esimerkki", "sv": "Exempel", "en": "Example"},
    "info": {"fi": "Tietoa", "sv": "Information", "en": "Information"},
}


def t(key: str, lang: str, **kw) -> str:
    d = _S[key]
    text = d.get(lang) or d.get("en") or d["fi"]
    return text.format(**kw) if kw else text


def has(key: str) -> bool:
    return key in _S


def lang_tag(lang: str) -> str:
    return LANG_TAGS.get(lang, lang)
