"""Plain data passed from the planner to the writer: what each slide shows, already split to fit."""
from __future__ import annotations

from dataclasses import dataclass, field

from ...diagnostics import Location
from ...i18n import Msg
from ...pickling import quick_pickle_module


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    href: str = ""  # external hyperlink target ("" = none)


@dataclass(frozen=True, slots=True)
class Para:
    runs: tuple[Run, ...]
    level: int = 0
    kind: str = "plain"  # plain | bullet | number | cont (item continued, no bullet) | code
    number: int = 1  # first number of a numbered item (for continuation slides)
    alpha: bool = False  # numbered with letters: A) B) C)

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class TableSpec:
    header: tuple[tuple[Run, ...], ...]
    rows: tuple[tuple[tuple[Run, ...], ...], ...]
    col_widths: tuple[int, ...] = ()  # EMU
    row_heights: tuple[int, ...] = ()  # EMU, header first
    size: float = 16.0  # font size (pt)
    first_col: bool = False  # the first column holds row headers (the competence map's agencies)


@dataclass(frozen=True, slots=True)
class PictureSpec:
    path: str  # absolute
    alt: str
    width_px: int
    height_px: int


@dataclass(frozen=True, slots=True)
class SlideSpec:
    role: str  # key of template.LAYOUTS
    title: str
    lang: str  # BCP 47 tag of this slide's text, e.g. "fi-FI"
    loc: Location
    body: tuple[Para, ...] = ()  # first text placeholder (subtitle, content, caption, question)
    body2: tuple[Para, ...] = ()  # second text placeholder (right column)
    picture: PictureSpec | None = None
    table: TableSpec | None = None
    notes: str = ""
    title_size: float = 0.0  # 0 = the layout's size; set when a long title had to be shrunk


@dataclass(frozen=True, slots=True)
class DeckSpec:
    module_id: str
    lang: str  # course language code, e.g. "fi"
    lang_tag: str  # "fi-FI"
    title: str
    author: str
    slides: tuple[SlideSpec, ...]
    warnings: tuple[tuple[str, Msg, Location, Msg], ...] = field(default=())  # (code, message, loc, hint)
    errors: tuple[tuple[str, Msg, Location, Msg], ...] = field(default=())


quick_pickle_module(globals())  # plans are kept pickled between check and write (slides/target.py)
