"""Finding the words of prose, with their exact place in the source file.

A *unit* is a run of inline Markdown: a paragraph, list item, table cell, heading or box title
of a lesson (taken from the loaded model, so nothing is parsed twice), or a YAML text. Inside a
unit, code spans, link and image targets, HTML tags, URLs, e-mail addresses and attribute lists are
blanked out (`mask`: replaced by spaces, so offsets stay the same); the rest is prose.

The words of a unit are then looked for, in order, in the masked source file from the unit's first
line on (`find_words_in`), which gives each its exact line and column; `yaml_value_start` finds
where a YAML value is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

# A word: letters, digits and inner joiners (hyphen, apostrophe, colon, dot, slash, @), and a
# trailing hyphen before a space ("työ- ja elinkeinoministeriö", "arbets- och").
WORD = re.compile(r"[^\W_](?:[^\W_]|_(?=\w)|['’](?=[^\W_])|[-.:/@](?=[^\W_]))*(?:-(?=\s|$))?")

_MASKS = re.compile(
    "|".join(
        (
            r"(`+)[\s\S]+?(?<!`)\1(?!`)",  # code span
            r"<!--[\s\S]*?-->",  # HTML comment
            r"<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>",  # autolink <https://…>
            r"<[^<>\s@]+@[^<>\s]+>",  # <name@example.fi>
            r"</?[A-Za-z][^<>]*>",  # HTML tag (attributes included)
            r"\]\(<[^>]*>(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)",  # ](<target with spaces>)
            r"\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^)]*\)))?\s*\)",  # ](target "title")
            r"\]\[[^\]]*\]",  # ][reference]
            r"\[\^[^\]]*\]",  # footnote [^1]
            r"\{[:#.][^}]*\}",  # attribute list {#anchor .class}
            r"&#?[A-Za-z0-9]+;",  # entity
            r"\\.",  # backslash escape
            r"(?:https?|ftp)://[^\s<>()\]]+",  # bare URL
            r"www\.[^\s<>()\]]+",
            r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # e-mail address
        )
    )
)

SENTENCE_END = ".!?…"
_OPENERS = " \t\n\"'“”‘’«»([*_~"


def mask(text: str) -> str:
    """`text` with everything that is not prose replaced by spaces (same length, same lines)."""
    # Every pattern of _MASKS needs one of these (most texts have none: "HR:ltä" has a colon, not "://").
    if not any(c in text for c in "`<]{&\\@") and "://" not in text and "www." not in text:
        return text
    return _MASKS.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    offset: int  # in the unit
    sentence_start: bool  # first word of a sentence (a capital letter says nothing there)
    dot_follows: bool  # "esim." — an abbreviation may need its dot


def words(text: str) -> Iterator[Word]:
    """The words of a prose unit (already masked or plain text)."""
    prose = mask(text)
    for match in WORD.finditer(prose):
        start = match.start()
        i = start - 1
        while i >= 0 and prose[i] in _OPENERS:
            i -= 1
        end = match.end()
        yield Word(match.group(0), start, i < 0 or prose[i] in SENTENCE_END, end < len(prose) and prose[end] == ".")


# ---------------------------------------------------------------- YAML values


def yaml_value_start(source: str, from_line: int, keys: tuple[str, ...], nth: int = 1) -> int | None:
    """Offset in `source` where the value of the last of `keys` begins, looking for each key in
    turn from line `from_line` (1-based) on; the last key is looked for `nth` times (the n-th
    objective's `fi:`). None when a key is not found."""
    pos = _line_offset(source, from_line)
    for i, key in enumerate(keys):
        pattern = re.compile(r"(?:^|[\s{,-])" + re.escape(key) + r"\s*:(?:[ \t]+|$)", re.M)
        for _ in range(nth if i == len(keys) - 1 else 1):
            match = pattern.search(source, pos)
            if match is None:
                return None
            pos = match.end()
    return pos


def find_words_in(source: str, start: int, found: list[Word], limit: int | None = None) -> list[int | None]:
    """The offset in `source` of each word, searched for in order from `start` (a YAML value is
    its own text, give or take quotes, escapes and line folding). None where not found."""
    out: list[int | None] = []
    pos = start
    for word in found:
        at = _find_word(source, word.text, pos, limit)
        out.append(at)
        if at is not None:
            pos = at + len(word.text)
    return out


def _find_word(source: str, word: str, pos: int, limit: int | None) -> int | None:
    while True:
        at = source.find(word, pos, limit if limit is not None else len(source))
        if at < 0:
            return None
        before = source[at - 1] if at > 0 else " "
        after = source[at + len(word)] if at + len(word) < len(source) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            return at
        pos = at + 1


def _line_offset(source: str, line: int) -> int:
    pos = 0
    for _ in range(max(line - 1, 0)):
        nl = source.find("\n", pos)
        if nl < 0:
            return len(source)
        pos = nl + 1
    return pos


def line_col(source: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset`."""
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1
