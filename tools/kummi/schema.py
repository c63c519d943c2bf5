"""A small declarative schema for kummi's YAML files.

One description serves three purposes: validating ruamel.yaml round-trip nodes (with file
positions), producing clean Python values for the loader, and generating JSON Schemas for editors.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from .diagnostics import Location, Report
from .i18n import M_, MP_, Msg

LANG_CODES = ("fi", "sv", "en")
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"

# HTML markup in a text field: a tag (`<b>`, `</b>`, `<svg/onload=…>`), a comment or a processing
# instruction. `<` before a space or a digit ("alle < 5") is ordinary text.
MARKUP = re.compile(r"<\s*(?:/\s*)?[a-zA-Z][\w:.-]*|<!|<\?")
URL_PATTERN = re.compile(r"^https?://[^\s\"'<>`\\{}|^]+$", re.I)


# Control characters (a YAML escape such as "\a" or "\x07" in quotes, or one pasted in): XML —
# decks, SCORM manifests — cannot hold them at all. Tab, line feed and carriage return are text.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check_markup(text: str, loc: Location, where: str, report: Report) -> bool:
    """An error for HTML markup (KM408) or a control character (KM409) in a YAML text field that
    the outputs show (titles, summaries, glossary, quiz texts…): the outputs escape markup, but the
    author meant something else. True when clean."""
    control = CONTROL.search(text)
    if control:
        code = format(ord(control.group()), "04X")
        report.error(
            "KM409", M_("{where}: the text contains the control character U+{code}", where=where, code=code), loc,
            M_("remove it; in double quotes YAML reads a backslash as an escape (\\a, \\x07): write \\\\ for a backslash"),
        )
        return False
    match = MARKUP.search(text)
    if not match:
        return True
    end = text.find(">", match.start())
    shown = text[match.start(): end + 1 if 0 <= end < match.start() + 60 else match.start() + 30]
    report.error(
        "KM408", M_("{where}: HTML markup '{markup}' is not allowed in text", where=where, markup=shown), loc,
        M_("write plain text: the pages, decks and packages show it as it is (Markdown and HTML work only in lessons)"),
    )
    return False


# Finnish words mentors naturally type for kummi's (English) keys.
FINNISH_KEYS = {
    "otsikko": "title", "nimi": "name", "kuvaus": "summary", "tiivistelmä": "summary", "tavoitteet": "objectives",
    "osaamistavoitteet": "objectives", "kesto": "duration", "kohderyhmä": "audience", "kirjoittajat": "authors",
    "tekijät": "authors", "tila": "status", "hyväksymisraja": "pass_mark", "versio": "version", "kielet": "languages",
    "moduulit": "modules", "julkaisija": "publisher", "lisenssi": "licence", "kysymykset": "questions",
    "kysymys": "question", "tyyppi": "type", "vaihtoehdot": "options", "teksti": "text", "oikein": "correct",
    "palaute": "feedback", "vastaus": "answer", "rooli": "role", "virasto": "agency", "teemat": "themes",
    "termi": "term", "termit": "terms", "määritelmä": "definition", "koodi": "code", "tunniste": "id",
}


class Node(dict):
    """A validated mapping that remembers where each key was written."""

    loc: Location
    key_locs: dict[str, Location]

    def __init__(self, loc: Location):
        super().__init__()
        self.loc = loc
        self.key_locs = {}

    def loc_of(self, key: str) -> Location:
        return self.key_locs.get(key, self.loc)


class Seq(list):
    """A validated list that remembers where each item was written."""

    loc: Location
    item_locs: list[Location]

    def __init__(self, loc: Location):
        super().__init__()
        self.loc = loc
        self.item_locs = []


# ---------------------------------------------------------------- kinds


@dataclass(frozen=True)
class Kind:
    doc: str = field(default="", kw_only=True)

    def type_name(self) -> Msg:
        raise NotImplementedError

    def check(self, value: Any, loc: Location, where: str, report: Report) -> tuple[bool, Any]:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


def _type_error(value: Any, kind: Kind, loc: Location, where: str, report: Report, hint: Msg | str = "") -> tuple[bool, Any]:
    got = _describe(value)
    if where:
        message = M_("{where}: expected {expected}, got {got}", where=where, expected=kind.type_name(), got=got)
    else:  # the whole file
        message = M_("expected {expected}, got {got}", expected=kind.type_name(), got=got)
    report.error("KM103", message, loc, hint)
    return False, None


def _describe(value: Any) -> Msg | str:
    """What the author wrote, as a phrase for "expected …, got {got}"."""
    if value is None:
        return M_("nothing (empty value)")
    if isinstance(value, bool):
        return M_("a true/false value ({value})", value=str(value).lower())
    if isinstance(value, int):
        return M_("a number ({value})", value=str(value))
    if isinstance(value, float):
        return M_("a decimal number ({value})", value=str(value))
    if isinstance(value, str):
        return M_("text ({value})", value=repr(value)) if len(value) < 40 else M_("text")
    if isinstance(value, dict):
        return M_("a mapping (key: value pairs)")
    if isinstance(value, list):
        return M_("a list")
    return type(value).__name__  # a Python type name: not a sentence to translate


@dataclass(frozen=True)
class Str(Kind):
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    pattern_hint: Msg | str = ""
    multiline: bool = False
    plain: bool = False  # text that the outputs show: no HTML markup

    def type_name(self) -> Msg:
        if self.enum:
            return M_("one of {values}", values=", ".join(self.enum))
        return M_("text")

    def check(self, value, loc, where, report):
        if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
            return _type_error(value, self, loc, where, report, M_('put text in quotes, e.g. "1.0"') if isinstance(value, bool) else "")
        if isinstance(value, float):  # YAML reads 1.10 as the number 1.1: the text is already lost
            return _type_error(value, self, loc, where, report, M_('write it in quotes, e.g. "1.10": without quotes it is read as a number'))
        value = str(value)
        if not value.strip():
            report.error("KM104", M_("{where}: must not be empty", where=where), loc)
            return False, None
        if self.enum and value not in self.enum:
            close = difflib.get_close_matches(value, self.enum, n=1)
            values = ", ".join(self.enum)
            hint = M_("did you mean '{name}'?", name=close[0]) if close else M_("use one of: {values}", values=values)
            report.error("KM104", M_("{where}: '{value}' is not one of {values}", where=where, value=value, values=values), loc, hint)
            return False, None
        if self.pattern and not re.match(self.pattern, value):
            report.error("KM104", M_("{where}: '{value}' is not valid", where=where, value=_short(value)), loc, self.pattern_hint)
            return False, None
        if self.plain:
            check_markup(value, loc, where, report)
        return True, value

    def json_schema(self):
        s: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.enum:
            s["enum"] = list(self.enum)
        if self.pattern:
            s["pattern"] = self.pattern
        return s


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass(frozen=True)
class Url(Str):
    """A web address (http or https) that outputs put into links and attributes: no quotes,
    whitespace or markup. The JSON Schema stays a plain string."""

    def check(self, value, loc, where, report):
        ok, clean = super().check(value, loc, where, report)
        if not ok:
            return ok, clean
        if not URL_PATTERN.match(clean):
            report.error(
                "KM104", M_("{where}: '{value}' is not a web address", where=where, value=_short(clean)), loc,
                M_("write an address that starts with https://, without spaces, quotes or < >"),
            )
            return False, None
        return True, clean

    def json_schema(self):
        return super().json_schema()


@dataclass(frozen=True)
class Int(Kind):
    minimum: int | None = None
    maximum: int | None = None

    def type_name(self) -> Msg:
        return M_("a whole number")

    def check(self, value, loc, where, report):
        if isinstance(value, bool) or not isinstance(value, int):
            return _type_error(value, self, loc, where, report, M_("write a whole number without units, e.g. 30"))
        lo, hi = self.minimum, self.maximum
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            rng = f"{lo if lo is not None else '…'}-{hi if hi is not None else '…'}"
            report.error("KM104", M_("{where}: {value} is out of range {range}", where=where, value=str(value), range=rng), loc)
            return False, None
        return True, int(value)

    def json_schema(self):
        s: dict[str, Any] = {"type": "integer"}
        if self.minimum is not None:
            s["minimum"] = self.minimum
        if self.maximum is not None:
            s["maximum"] = self.maximum
        return s


@dataclass(frozen=True)
class Bool(Kind):
    def type_name(self) -> Msg:
        return M_("true or false")

    def check(self, value, loc, where, report):
        if not isinstance(value, bool):
            return _type_error(value, self, loc, where, report, M_("write true or false without quotes"))
        return True, value

    def json_schema(self):
        return {"type": "boolean"}


@dataclass(frozen=True)
class Text(Kind):
    """Text per language: `{fi: ..., sv: ...}`; a plain string counts as Finnish."""

    def type_name(self) -> Msg:
        return M_("text per language (fi: …, sv: …)")

    def check(self, value, loc, where, report):
        if isinstance(value, str):
            if not value.strip():
                report.error("KM104", M_("{where}: must not be empty", where=where), loc)
                return False, None
            check_markup(value, loc, where, report)
            return True, {"fi": value.strip()}
        if not isinstance(value, dict):
            return _type_error(value, self, loc, where, report, M_("write e.g.\n      fi: Suomeksi\n      sv: På svenska"))
        out: dict[str, str] = {}
        ok = True
        for key, text in value.items():
            kloc = _key_loc(value, key, loc)
            if key not in LANG_CODES:
                close = difflib.get_close_matches(str(key), LANG_CODES, n=1)
                if close:
                    hint = M_("did you mean '{name}'?", name=close[0])
                elif " " in str(key):
                    hint = M_("text that contains a comma or a colon must be in quotes: fi: \"Ei, vaan…\"")
                else:
                    hint = M_("use fi, sv or en")
                report.error("KM101", M_("{where}: unknown language '{lang}'", where=where, lang=str(key)), kloc, hint)
                ok = False
                continue
            if not isinstance(text, str) or not text.strip():
                report.error("KM103", M_("{where}: expected {expected}, got {got}", where=where + "." + str(key), expected=M_("text"), got=_describe(text)), kloc)
                ok = False
                continue
            check_markup(text, _value_loc(value, key, kloc), where + "." + str(key), report)
            out[key] = text.strip()
        if "fi" not in out and ok:
            report.error("KM102", M_("{where}: the Finnish text (fi) is missing", where=where), loc, M_("add a line 'fi: …'"))
            return False, None
        return bool(out), out or None

    def json_schema(self):
        return {
            "oneOf": [
                {"type": "string", "minLength": 1},
                {
                    "type": "object",
                    "properties": {lang: {"type": "string", "minLength": 1} for lang in LANG_CODES},
                    "required": ["fi"],
                    "additionalProperties": False,
                },
            ]
        }


@dataclass(frozen=True)
class ListOf(Kind):
    item: Kind = field(default_factory=Str)
    min_items: int = 0

    def type_name(self) -> Msg:
        return M_("a list")

    def check(self, value, loc, where, report):
        if not isinstance(value, list):
            return _type_error(value, self, loc, where, report, M_("write each item on its own line starting with '- '"))
        out = Seq(loc)
        for i, item in enumerate(value):
            iloc = _item_loc(value, i, loc)
            ok, clean = self.item.check(item, iloc, f"{where}[{i + 1}]", report)
            if ok:
                out.append(clean)
                out.item_locs.append(iloc)
        if len(value) < self.min_items:
            report.error("KM102", MP_("{where}: needs at least {n} item", "{where}: needs at least {n} items", self.min_items, where=where), loc)
        return True, out

    def json_schema(self):
        s = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            s["minItems"] = self.min_items
        return s


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Obj(Kind):
    fields: tuple[Field, ...] = ()
    title: str = ""

    def type_name(self) -> Msg:
        return M_("a mapping (key: value pairs)")

    def check(self, value, loc, where, report):
        if not isinstance(value, dict):
            return _type_error(value, self, loc, where, report)
        known = {f.name: f for f in self.fields}
        out = Node(loc)
        misspelled: set[str] = set()  # required fields that an unknown key probably meant
        prefix = f"{where}." if where else ""
        for key, raw in value.items():
            kloc = _key_loc(value, key, loc)
            f = known.get(str(key))
            if f is None:
                close = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
                english = FINNISH_KEYS.get(str(key).lower())
                if english in known:
                    close = [english]
                    hint = M_("keys are written in English: use '{key}'", key=english)
                elif close:
                    hint = M_("did you mean '{name}'?", name=close[0])
                else:
                    hint = M_("valid keys: {keys}", keys=", ".join(known))
                if close and close[0] not in value:
                    misspelled.add(close[0])
                report.error("KM101", M_("unknown key '{key}'", key=prefix + str(key)), kloc, hint)
                continue
            vloc = _value_loc(value, key, kloc)
            ok, clean = f.kind.check(raw, vloc, prefix + f.name, report)
            if ok:
                out[f.name] = clean
                out.key_locs[f.name] = kloc
        for f in self.fields:
            if f.required and f.name not in value and f.name not in misspelled:
                report.error(
                    "KM102",
                    M_("missing required field '{field}'", field=prefix + f.name),
                    loc,
                    # f.doc is the JSON Schema description: English, shown as it is
                    M_("add '{key}:' ({description})", key=f.name, description=f.doc) if f.doc else "",
                )
        return True, out

    def json_schema(self):
        return {
            "type": "object",
            **({"title": self.title} if self.title else {}),
            **({"description": self.doc} if self.doc else {}),
            "properties": {
                f.name: {**f.kind.json_schema(), **({"description": f.doc} if f.doc else {})} for f in self.fields
            },
            "required": [f.name for f in self.fields if f.required],
            "additionalProperties": False,
        }


# ------------------------------------------------------- ruamel positions


def _key_loc(container, key, default: Location) -> Location:
    lc = getattr(container, "lc", None)
    try:
        line, col = lc.key(key)
        return default.at(line + 1, col + 1)
    except Exception:  # plain dicts and odd nodes carry no positions
        return default


def _value_loc(container, key, default: Location) -> Location:
    lc = getattr(container, "lc", None)
    try:
        line, col = lc.value(key)
        return default.at(line + 1, col + 1)
    except Exception:
        return default


def _item_loc(container, index, default: Location) -> Location:
    lc = getattr(container, "lc", None)
    try:
        line, col = lc.item(index)
        return default.at(line + 1, col + 1)
    except Exception:
        return default


def validate(document: Any, kind: Kind, loc: Location, report: Report) -> Any:
    """Validate a parsed YAML document; returns the clean value (None when unusable)."""
    ok, clean = kind.check(document, loc, "", report)
    return clean if ok else None


def json_schema_for(kind: Obj, schema_id: str, title: str) -> dict:
    body = kind.json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": schema_id, **body, "title": title}

