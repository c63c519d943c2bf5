"""`kummi check --add-word WORD [--lang sv]`: put words into the course's word list, then check."""
from __future__ import annotations

import re
from pathlib import Path

from rich.markup import escape

from ..i18n import M_, text
from .wordlist import add_word

LANGS = ("fi", "sv")
_ONE_WORD = re.compile(r"^[^\s#]+$")


def add_words(ui, root: Path, words: tuple[str, ...], lang: str) -> bool:
    """Add each of `words` to content/sanasto.<lang>.txt. False (and a message) on a bad word."""
    for word in words:
        word = word.strip()
        if not _ONE_WORD.match(word):
            ui.err.print(text(M_("'{word}' is not one word: give each word with its own --add-word", word=word)), markup=False)
            return False
    for word in words:
        path, added = add_word(root, word.strip(), lang)
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        if added:
            ui.info(escape(text(M_("Added '{word}' to {path}.", word=word.strip(), path=rel))))
        else:
            ui.info(escape(text(M_("'{word}' is already in {path}.", word=word.strip(), path=rel))))
    return True
