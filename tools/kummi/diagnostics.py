"""Diagnostics: every problem kummi finds, with a location, a stable code and a hint."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from pathlib import PurePosixPath

from .i18n import M_, Msg, _, text
from .pickling import quick_pickle_module


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a source file. `path` is relative to the course root (POSIX), lines and columns 1-based."""

    path: str
    line: int = 1
    col: int = 1

    def at(self, line: int | None = None, col: int | None = None) -> "Location":
        return Location(self.path, line or self.line, col or self.col)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: Msg | str  # a Msg is translated when shown
    location: Location
    hint: Msg | str = ""

    def sort_key(self):
        return (self.location.path, self.location.line, self.location.col, self.code, text(self.message, "en"))

    @property
    def text(self) -> str:
        return text(self.message)

    @property
    def hint_text(self) -> str:
        return text(self.hint)

    def severity_label(self) -> str:
        return _("error") if self.severity is Severity.ERROR else _("warning")

    def hint_line(self) -> str:
        # TRANSLATORS: the line under a diagnostic that tells how to fix it.
        return text(M_("hint: {hint}", hint=self.hint_text))

    def format_text(self) -> str:
        head = f"{self.location}: {self.severity_label()} {self.code} {self.text}"
        return head + ("\n    " + self.hint_line() if self.hint else "")

    def format_github(self) -> str:
        def esc(text: str) -> str:  # GitHub workflow-command escaping
            return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

        def esc_prop(text: str) -> str:
            return esc(text).replace(":", "%3A").replace(",", "%2C")

        loc = self.location
        msg = self.text + ("\n" + self.hint_line() if self.hint else "")
        return (
            f"::{self.severity.value} file={esc_prop(loc.path)},line={loc.line},col={loc.col},"
            f"title={esc_prop(self.code)}::{esc(msg)}"
        )

    def as_dict(self) -> dict:
        return {
            "path": self.location.path,
            "line": self.location.line,
            "col": self.location.col,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.text,
            "hint": self.hint_text,
        }


@dataclass
class Report:
    """Collects diagnostics; sorted and de-duplicated on output."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, message: Msg | str, location: Location, hint: Msg | str = "") -> None:
        self.items.append(Diagnostic(code, Severity.ERROR, message, location, hint))

    def warning(self, code: str, message: Msg | str, location: Location, hint: Msg | str = "") -> None:
        self.items.append(Diagnostic(code, Severity.WARNING, message, location, hint))

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items), key=Diagnostic.sort_key)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.sorted() if d.severity is Severity.WARNING]

    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self.items)

    def to_json(self) -> str:
        return json.dumps([d.as_dict() for d in self.sorted()], ensure_ascii=False, indent=2)


def rel_posix(path, root) -> str:
    """Path relative to root as a POSIX string, without resolving a link at the end (a link is
    reported where it is, not where it points); falls back to the absolute path. A file name that
    is not UTF-8 is shown with replacement characters, so that output stays valid UTF-8."""
    import os
    from pathlib import Path

    given, base = os.fspath(path), os.fspath(root)
    if isinstance(given, str) and isinstance(base, str) and given.startswith(base) and given[len(base):len(base) + 1] == "/" and base != "/" \
            and os.path.isabs(base) and os.path.normpath(given) == given and os.path.normpath(base) == base:
        # The usual case (a file found under the root): what relpath would give, without its cost.
        return given[len(base) + 1:].encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    absolute = os.path.abspath(path)
    base = os.path.abspath(root)
    rel = os.path.relpath(absolute, base)
    if rel.startswith(".."):  # perhaps the root was given through a link
        try:
            rel = os.path.relpath(absolute, str(Path(base).resolve()))
        except OSError:
            pass
        if rel.startswith(".."):
            rel = None
    text_path = PurePosixPath(rel if rel is not None else absolute).as_posix()
    return text_path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


quick_pickle_module(globals())
