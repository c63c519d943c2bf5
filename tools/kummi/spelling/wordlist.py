"""The course's own words: word lists per language and the words kummi accepts without asking.

`content/sanasto.fi.txt` and `content/sanasto.sv.txt` hold one word per line; `#` starts a
comment. `kummi check --add-word WORD [--lang sv]` appends to them. Besides those words, the
words of the course's glossary terms, agency names and codes, mentor roles and theme names (in
any of its languages) are accepted, and so are their inflected forms (`eOppiva` → `eOppivassa`,
`Karvi` → `Karvin`).
"""
from __future__ import annotations

import re
from pathlib import Path

from .. import model as m
from .words import WORD

WORDLIST = "content/sanasto.{lang}.txt"
HEADER = {
    "fi": (
        "# Kurssin omat sanat, jotka oikoluku hyväksyy (suomi). Yksi sana riville; # aloittaa kommentin.\n"
        "# Lisää sana komennolla: kummi check --add-word SANA --lang fi\n"
    ),
    "sv": (
        "# Kursens egna ord som stavningskontrollen godkänner (svenska). Ett ord per rad; # inleder en kommentar.\n"
        "# Lägg till ett ord med: kummi check --add-word ORD --lang sv\n"
    ),
}


def wordlist_path(root: str | Path, lang: str) -> Path:
    return Path(root) / WORDLIST.format(lang=lang)


def read_wordlist(path: Path) -> list[str]:
    """The words of a word list file ([] when there is none)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    out = []
    for line in text.splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            out.append(word)
    return out


def add_word(root: str | Path, word: str, lang: str) -> tuple[Path, bool]:
    """Append `word` to the course's word list for `lang`. (path, False) when it was there already."""
    path = wordlist_path(root, lang)
    if word in read_wordlist(path):
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    existing = path.read_text(encoding="utf-8") if path.is_file() else HEADER.get(lang, "")
    if existing and not existing.endswith("\n"):
        existing += "\n"
    path.write_text(existing + word + "\n", encoding="utf-8")
    return path, True


def _words_of(text: str) -> set[str]:
    out = set()
    for match in WORD.finditer(text or ""):
        word = match.group(0).rstrip("-").lower()
        out.add(word)
        out.update(p for p in re.split(r"[-:]", word) if p)
    return out


def accepted_words(course: m.Course, lang: str) -> frozenset[str]:
    """Every word the course itself vouches for in `lang`, in lower case: the word list of `lang`
    and the words of glossary terms, agency names and codes, mentor roles and theme names in any
    of the course's languages (a Swedish text may well name Poliisi or a kummi)."""
    words: set[str] = set()
    for term in course.glossary:
        for _, value in term.term.values:
            words |= _words_of(value)
    for agency in course.agencies:
        words |= _words_of(agency.code)
        for _, value in agency.name.values:
            words |= _words_of(value)
    for mentor in course.mentors:
        for _, value in mentor.role.values:
            words |= _words_of(value)
    for theme in course.themes:
        for _, value in theme.name.values:
            words |= _words_of(value)
    for entry in read_wordlist(wordlist_path(course.root, lang)):
        words |= _words_of(entry) | {entry.lower()}
    return frozenset(words)
