"""Messages in the mentors' language: gettext catalogues (fi, sv; English is the source).

Every user-facing string goes through this module:

- `_("text")` translates at once (strings printed right away);
- `M_("text {name}", name=…)` makes a `Msg`, translated when it is shown. Diagnostics carry `Msg`s,
  so a report made in a worker process or read from the cache prints in the reader's language;
- `MP_("one file", "{n} files", n)` is the plural form;
- `N_("text")` only marks a string for extraction (click help texts, translated when shown).

Placeholders use `str.format` names (`{name}`); the catalogue test checks that every translation
keeps them. Catalogues live in `locale/<lang>/LC_MESSAGES/kummi.po`; `.mo` files are compiled at
install time (hatch_build.py) and, when missing or older than the `.po`, in memory at first use.

The UI language: `--ui-lang`, else `KUMMI_UI_LANG`, else the locale (LANGUAGE, LC_ALL,
LC_MESSAGES, LANG): Finnish for a Finnish locale, Swedish for a Swedish one, English otherwise.
"""
from __future__ import annotations

import gettext
import io
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .pickling import quick_pickle_module

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "kummi"
UI_LANGS = ("fi", "sv", "en")
# Test-only pseudo language: every translated string is wrapped in ⟦…⟧, so a test can see that
# each printed line came through the catalogue.
PSEUDO = "x-pseudo"

_state = {"lang": None}


def detect_ui_lang(environ=None) -> str:
    env = os.environ if environ is None else environ
    forced = (env.get("KUMMI_UI_LANG") or "").strip()
    if forced:
        return normalise(forced)
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = (env.get(var) or "").strip()
        if value:
            return normalise(value.split(":")[0])
    return "en"


def normalise(value: str) -> str:
    """'fi_FI.UTF-8' -> 'fi'; 'sv-SE' -> 'sv'; anything else -> 'en'."""
    value = value.strip()
    if value == PSEUDO:
        return PSEUDO
    code = re.split(r"[_.@-]", value.lower(), maxsplit=1)[0]
    return code if code in UI_LANGS else "en"


def set_ui_lang(lang: str | None) -> str:
    _state["lang"] = normalise(lang) if lang else detect_ui_lang()
    return _state["lang"]


def ui_lang() -> str:
    if _state["lang"] is None:
        _state["lang"] = detect_ui_lang()
    return _state["lang"]


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    if lang in ("en", PSEUDO):
        return gettext.NullTranslations()
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.is_file():
        return gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    return gettext.NullTranslations()


def compile_po(po: Path) -> bytes:
    """The .mo bytes of a .po file (Babel)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=po.parent.parent.name, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def gettext_in(lang: str, msgid: str) -> str:
    if lang == PSEUDO:
        return f"⟦{msgid}⟧"
    return translations(lang).gettext(msgid)


def ngettext_in(lang: str, singular: str, plural: str, n: int) -> str:
    if lang == PSEUDO:
        return f"⟦{singular if n == 1 else plural}⟧"
    return translations(lang).ngettext(singular, plural, n)


def _(msgid: str) -> str:
    """Translate now, into the UI language."""
    return gettext_in(ui_lang(), msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    return ngettext_in(ui_lang(), singular, plural, n)


def _freeze(value):
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dict):
        return tuple(sorted(value.items()))
    return value


@dataclass(frozen=True, slots=True)
class Msg:
    """A message to translate when shown. Picklable, hashable, comparable (reports de-duplicate)."""

    msgid: str
    args: tuple = ()  # ((name, value), …); a value may itself be a Msg
    plural: str = ""
    n: int = 0

    def render(self, lang: str | None = None) -> str:
        lang = lang or ui_lang()
        if self.plural:
            template = ngettext_in(lang, self.msgid, self.plural, self.n)
        else:
            template = gettext_in(lang, self.msgid)
        if not self.args and not self.plural:
            return template
        values = {k: (v.render(lang) if isinstance(v, Msg) else _number(v, lang)) for k, v in self.args}
        values.setdefault("n", self.n)
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError):  # a broken translation must not hide the message
            return self.msgid.format(**values) if not self.plural else self.plural.format(**values)

    def __str__(self) -> str:
        return self.render()

    def __bool__(self) -> bool:
        return bool(self.msgid)


def _number(value, lang: str):
    """A decimal number with the language's decimal separator (2,5 s in Finnish and Swedish)."""
    if isinstance(value, float) and lang in ("fi", "sv"):
        return str(value).replace(".", ",")
    return value


def N_(msgid: str) -> str:
    """Marks a string for the catalogue without translating it (translated where it is shown)."""
    return msgid


def NP_(singular: str, plural: str) -> tuple[str, str]:
    """Marks a plural pair for the catalogue without translating it."""
    return singular, plural


def M_(msgid: str, **args) -> Msg:
    """A message translated when shown (extracted by Babel)."""
    return Msg(msgid, tuple(sorted((k, _freeze(v)) for k, v in args.items())))


def MP_(singular: str, plural: str, n: int, **args) -> Msg:
    """A plural message; `{n}` is the count."""
    return Msg(singular, tuple(sorted((k, _freeze(v)) for k, v in args.items())), plural, n)


def text(value, lang: str | None = None) -> str:
    """A Msg or a plain string (data from the course) as text."""
    return value.render(lang) if isinstance(value, Msg) else ("" if value is None else str(value))


def join(items, lang: str | None = None) -> str:
    """'a, b, c' with the list separator of the language."""
    return ", ".join(text(i, lang) for i in items)


def patch_click() -> None:
    """Click's own strings ('Usage:', 'No such option…') through our catalogue (click_messages.py)."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types

    for module in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.termui, click.types):
        if hasattr(module, "_"):
            module._ = _
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


class MessageError(Exception):
    """An error for the user: its message (a Msg) is translated when shown, so an error raised in
    a worker process prints in the reader's language."""

    def __init__(self, message: "Msg | str"):
        super().__init__(message)

    @property
    def message(self) -> "Msg | str":
        return self.args[0]

    def __str__(self) -> str:
        return text(self.message)


quick_pickle_module(globals())
