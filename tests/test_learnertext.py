"""One source of learner-facing words per language (kummi/learnertext/<lang>.yaml), the same word for
the same thing in the site, the SCORM player and the decks."""
from __future__ import annotations

import re

import pytest

from kummi import learnertext
from kummi.targets.scorm.strings import strings as scorm_strings
from kummi.targets.site.i18n import t as site_word
from kummi.targets.slides.strings import t as slide_word

LANGS = ("fi", "sv", "en")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_every_language_has_the_same_keys_and_placeholders():
    assert set(learnertext.languages()) == set(LANGS)
    fi = learnertext.table("fi")
    for lang in LANGS[1:]:
        other = {k: v for k, v in learnertext.table(lang).items()}
        raw = (learnertext.FOLDER / f"{lang}.yaml").read_text(encoding="utf-8")
        keys = set(re.findall(r"^([\w.]+):", raw, re.M))
        assert keys == set(fi), f"{lang}.yaml: missing {sorted(set(fi) - keys)}, extra {sorted(keys - set(fi))}"
        for key in fi:
            assert set(PLACEHOLDER.findall(other[key])) == set(PLACEHOLDER.findall(fi[key])), f"{lang}: {key}"
            assert other[key].strip(), f"{lang}: {key} is empty"


@pytest.mark.parametrize("lang", LANGS)
def test_shared_words_are_the_same_in_every_target(lang):
    scorm = scorm_strings(lang)
    common = learnertext.section(lang, "common")
    assert site_word(lang, "quiz") == scorm["quiz"] == slide_word("quiz", lang) == common["quiz"]
    assert site_word(lang, "quiz.correct") == scorm["correct"] == common["quiz.correct"]
    assert site_word(lang, "quiz.wrong") == scorm["wrong"] == common["quiz.wrong"]
    assert site_word(lang, "quiz.retry") == scorm["retry"] == common["quiz.retry"]
    assert site_word(lang, "quiz.multiple") == scorm["choose_many"] == slide_word("multiple", lang)
    assert scorm["choose_one"] == slide_word("single", lang) == common["quiz.choose_one"]
    assert site_word(lang, "objectives") == scorm["objectives"] == slide_word("objectives", lang)
    assert scorm["reflection"] == slide_word("reflect", lang) == common["reflection"]
    assert site_word(lang, "glossary") == scorm["glossary"]


@pytest.mark.parametrize("lang", LANGS)
def test_no_target_redefines_a_shared_word(lang):
    """A target-specific key holding exactly a shared word's text is a second source for it."""
    words = learnertext.table(lang)
    common = {v for k, v in words.items() if k.startswith("common.")}
    for key, value in words.items():
        if not key.startswith("common.") and len(value) > 12:
            assert value not in common, f"{lang}: {key} repeats a common.* word; use the common key"


def test_pass_mark_is_one_word_in_finnish():
    fi = " ".join(learnertext.table("fi").values())
    assert "Hyväksyntäraja" not in fi and "hyväksyntäraja" not in fi


def test_competence_map_agencies_in_finnish_alphabetical_order():
    """Å, Ä and Ö come after Z (a casefold sort would put Ä among the A's)."""
    from kummi.collation import collation_key

    names = ["Öljyvarasto", "Ålands landskapsregering", "Aluehallintovirasto", "Ympäristöministeriö", "Ämpärivirasto", "Émile-virasto", "Eduskunta"]
    assert sorted(names, key=collation_key) == [
        "Aluehallintovirasto", "Eduskunta", "Émile-virasto", "Ympäristöministeriö", "Ålands landskapsregering", "Ämpärivirasto", "Öljyvarasto",
    ]
