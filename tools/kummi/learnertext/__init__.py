"""Learner-facing words of every output (site, SCORM player, slide decks): one source per language.

`<lang>.yaml` holds flat dotted keys: `common.*` for words that several targets show (the quiz's
name, its verdicts, "Osaamistavoitteet"), `site.*`, `scorm.*` and `slides.*` for one target's own.
A target asks `word(lang, key, **values)`; a language without a file, or a key missing in it,
falls back to Finnish, the course's source language.

These are course texts in the learner's language (the course language), not kummi's own messages
to mentors, which are gettext catalogues in kummi/locale (see i18n.py).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FOLDER = Path(__file__).parent
FALLBACK = "fi"


@lru_cache(maxsize=None)
def table(lang: str) -> dict[str, str]:
    """Every word for `lang` (Finnish filling any gap)."""
    from ruamel.yaml import YAML

    def load(code: str) -> dict[str, str]:
        path = FOLDER / f"{code}.yaml"
        if not path.is_file():
            return {}
        return {str(k): str(v) for k, v in (YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8")) or {}).items()}

    words = load(FALLBACK)
    if lang != FALLBACK:
        words.update(load(lang))
    return words


def languages() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in FOLDER.glob("*.yaml")))


def word(lang: str, key: str, **values) -> str:
    text = table(lang).get(key, key)
    return text.format(**values) if values else text


def section(lang: str, prefix: str) -> dict[str, str]:
    """The keys under `prefix.` (without it), e.g. every `scorm.*` word for the player's script."""
    cut = len(prefix) + 1
    return {k[cut:]: v for k, v in table(lang).items() if k.startswith(prefix + ".")}
