"""Alphabetical order as Finnish and Swedish readers expect it: ... X Y Z Å Ä Ö, other accented
letters with their base letter (é with e, ü with y as in Finnish dictionaries)."""
from __future__ import annotations

import unicodedata

_LAST = {"å": "{0", "ä": "{1", "æ": "{1", "ö": "{2", "ø": "{2", "ü": "y"}


def collation_key(text: str) -> str:
    out = []
    for ch in text.casefold():
        if ch in _LAST:
            out.append(_LAST[ch])
        else:
            out.append("".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c)))
    return "".join(out)
