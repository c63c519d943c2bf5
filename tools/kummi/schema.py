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

LANG_CODES = ("fi", "sv", "en")
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


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

    def type_name(self) -> str:
        raise NotImplementedError

    def check(self, value: Any, loc: Location, where: str, report: Report) -> tuple[bool, Any]:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError


def _type_error(value: Any, kind: Kind, loc: Location, where: str, report: Report, hint: str = "") -> tuple[bool, Any]:
    got = _describe(value)
    report.error("KM103", f"{where}: expected {kind.type_name()}, got {got}", loc, hint)
    return False, None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, bool):
        return f"a true/false value ({str(value).lower()})"
    if isinstance(value, int):
        return f"a number ({value})"
    if isinstance(value, float):
        return f"a decimal number ({value})"
    if isinstance(value, str):
        return f"text ({value!r})" if len(value) < 40 else "text"
    if isinstance(value, dict):
        return "a mapping (key: value pairs)"
    if isinstance(value, list):
        return "a list"
    return type(value).__name__


@dataclass(frozen=True)
class Str(Kind):
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    pattern_hint: str = ""
    multiline: bool = False

    def type_name(self) -> str:
        if self.enum:
            return "one of " + ", ".join(self.enum)
        return "text"

    def check(self, value, loc, where, report):
        if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
            return _type_error(value, self, loc, where, report, 'put text in quotes, e.g. "1.0"' if isinstance(value, bool) else "")
        if isinstance(value, float):  # YAML reads 1.10 as the number 1.1: the text is already lost
            return _type_error(value, self, loc, where, report, 'write it in quotes, e.g. "1.10": without quotes it is read as a number')
        value = str(value)
        if not value.strip():
            report.error("KM104", f"{where}: must not be empty", loc)
            return False, None
        if self.enum and value not in self.enum:
            close = difflib.get_close_matches(value, self.enum, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(self.enum)
            report.error("KM104", f"{where}: '{value}' is not one of {', '.join(self.enum)}", loc, hint)
            return False, None
        if self.pattern and not re.match(self.pattern, value):
            report.error("KM104", f"{where}: '{value}' is not valid", loc, self.pattern_hint)
            return False, None
        return True, value

    def json_schema(self):
        s: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.enum:
            s["enum"] = list(self.enum)
        if self.pattern:
            s["pattern"] = self.pattern
        return s


@dataclass(frozen=True)
class Int(Kind):
    minimum: int | None = None
    maximum: int | None = None

    def type_name(self) -> str:
        return "a whole number"

    def check(self, value, loc, where, report):
        if isinstance(value, bool) or not isinstance(value, int):
            return _type_error(value, self, loc, where, report, "write a whole number without units, e.g. 30")
        lo, hi = self.minimum, self.maximum
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            rng = f"{lo if lo is not None else '…'}-{hi if hi is not None else '…'}"
            report.error("KM104", f"{where}: {value} is out of range {rng}", loc)
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
    def type_name(self) -> str:
        return "true or false"

    def check(self, value, loc, where, report):
        if not isinstance(value, bool):
            return _type_error(value, self, loc, where, report, "write true or false without quotes")
        return True, value

    def json_schema(self):
        return {"type": "boolean"}


@dataclass(frozen=True)
class Text(Kind):
    """Text per language: `{fi: ..., sv: ...}`; a plain string counts as Finnish."""

    def type_name(self) -> str:
        return "text per language (fi: …, sv: …)"

    def check(self, value, loc, where, report):
        if isinstance(value, str):
            if not value.strip():
                report.error("KM104", f"{where}: must not be empty", loc)
                return False, None
            return True, {"fi": value.strip()}
        if not isinstance(value, dict):
            return _type_error(value, self, loc, where, report, "write e.g.\n      fi: Suomeksi\n      sv: På svenska")
        out: dict[str, str] = {}
        ok = True
        for key, text in value.items():
            kloc = _key_loc(value, key, loc)
            if key not in LANG_CODES:
                close = difflib.get_close_matches(str(key), LANG_CODES, n=1)
                if close:
                    hint = f"did you mean '{close[0]}'?"
                elif " " in str(key):
                    hint = "text that contains a comma or a colon must be in quotes: fi: \"Ei, vaan…\""
                else:
                    hint = "use fi, sv or en"
                report.error("KM101", f"{where}: unknown language '{key}'", kloc, hint)
                ok = False
                continue
            if not isinstance(text, str) or not text.strip():
                report.error("KM103", f"{where}.{key}: expected text, got {_describe(text)}", kloc)
                ok = False
                continue
            out[key] = text.strip()
        if "fi" not in out and ok:
            report.error("KM102", f"{where}: the Finnish text (fi) is missing", loc, "add a line 'fi: …'")
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

    def type_name(self) -> str:
        return "a list"

    def check(self, value, loc, where, report):
        if not isinstance(value, list):
            return _type_error(value, self, loc, where, report, "write each item on its own line starting with '- '")
        out = Seq(loc)
        for i, item in enumerate(value):
            iloc = _item_loc(value, i, loc)
            ok, clean = self.item.check(item, iloc, f"{where}[{i + 1}]", report)
            if ok:
                out.append(clean)
                out.item_locs.append(iloc)
        if len(value) < self.min_items:
            report.error("KM102", f"{where}: needs at least {self.min_items} item(s)", loc)
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

    def type_name(self) -> str:
        return "a mapping (key: value pairs)"

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
                    hint = f"keys are written in English: use '{english}'"
                else:
                    hint = f"did you mean '{close[0]}'?" if close else "valid keys: " + ", ".join(known)
                if close and close[0] not in value:
                    misspelled.add(close[0])
                report.error("KM101", f"unknown key '{prefix}{key}'", kloc, hint)
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
                    f"missing required field '{prefix}{f.name}'",
                    loc,
                    f"add '{f.name}:' ({f.doc})" if f.doc else "",
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

