"""The slide master: where it is, which named layouts it must have, and the geometry and text styles
of their placeholders (so the planner can measure text before anything is written)."""
from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from ...diagnostics import Location, rel_posix
from ...i18n import M_, MP_, Msg, text

# role -> layout name. A course's own master must have layouts with these names.
LAYOUTS: dict[str, str] = {
    "title": "Title Slide",
    "section": "Section Header",
    "content": "Title and Content",
    "two": "Two Content",
    "picture": "Picture with Caption",
    "quote": "Quote",
    "closing": "Closing",
}
# How many text placeholders (besides the title) each role needs; "picture" also needs a picture one.
_BODIES_NEEDED = {"title": 1, "section": 1, "content": 1, "two": 2, "picture": 0, "quote": 1, "closing": 1}

PACKAGE_DEFAULT = Path(__file__).with_name("default.pptx")
COURSE_DIR = "templates/slides"

_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
_TITLE_TYPES = {"title", "ctrTitle"}
_SKIP_TYPES = {"dt", "ftr", "sldNum", "hdr", "sldImg", "chart", "tbl", "clipArt", "dgm", "media"}


class TemplateProblem(Exception):
    """The master cannot be used; `problems` lists (message, hint) as Msgs, translated when shown."""

    def __init__(self, location: Location, problems: list[tuple[Msg, Msg]]):
        super().__init__(location, problems)
        self.location = location
        self.problems = problems

    def __str__(self) -> str:
        return "; ".join(text(m) for m, _ in self.problems)


@dataclass(frozen=True, slots=True)
class TextStyle:
    sizes: tuple[float, ...]  # pt per level 0..8
    margins: tuple[int, ...]  # marL EMU per level
    lines: tuple[float, ...]  # line height pt per level
    before: tuple[float, ...]  # space before pt per level
    bold: bool = False

    def size(self, level: int) -> float:
        return self.sizes[min(level, len(self.sizes) - 1)]

    def margin(self, level: int) -> int:
        return self.margins[min(level, len(self.margins) - 1)]

    def line(self, level: int, size: float | None = None) -> float:
        base = self.lines[min(level, len(self.lines) - 1)]
        if size is None:
            return base
        return base * size / self.size(level)

    def space_before(self, level: int) -> float:
        return self.before[min(level, len(self.before) - 1)]


@dataclass(frozen=True, slots=True)
class Box:
    idx: int
    x: int
    y: int
    w: int
    h: int
    insets: tuple[int, int, int, int]  # l, t, r, b (EMU)
    style: TextStyle

    @property
    def inner_w_pt(self) -> float:
        return (self.w - self.insets[0] - self.insets[2]) / 12700

    @property
    def inner_h_pt(self) -> float:
        return (self.h - self.insets[1] - self.insets[3]) / 12700


@dataclass(frozen=True, slots=True)
class LayoutGeometry:
    name: str
    title: Box | None
    bodies: tuple[Box, ...]  # text placeholders in idx order
    picture: Box | None


@dataclass(frozen=True, slots=True)
class Template:
    path: Path
    rel: str  # path for diagnostics (relative to the course root, or the package file)
    layouts: dict[str, LayoutGeometry]  # role -> geometry
    slide_w: int
    slide_h: int


def find_template(root: str | Path) -> tuple[Path, str]:
    """The course's master (first templates/slides/*.pptx by name) or the package default."""
    folder = Path(root) / COURSE_DIR
    if folder.is_dir():
        candidates = sorted(p for p in folder.glob("*.pptx") if not p.name.startswith(("~$", ".")))
        if candidates:
            return candidates[0], rel_posix(candidates[0], root)
    return PACKAGE_DEFAULT, "kummi/targets/slides/default.pptx"


def load_template(root: str | Path) -> Template:
    """Read the master; raise TemplateProblem listing every missing layout or placeholder."""
    from pptx import Presentation

    path, rel = find_template(root)
    loc = Location(rel)
    replace_hint = M_("replace it with a .pptx saved from PowerPoint or delete it to use kummi's default")
    reason = _package_problem(path)
    if reason is not None:
        raise TemplateProblem(loc, [(reason, replace_hint)])
    try:
        prs = Presentation(str(path))
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a user problem, not a crash
        error = str(exc).strip() or type(exc).__name__
        raise TemplateProblem(loc, [(M_("cannot open the slide master: {error}", error=error), replace_hint)]) from None
    master = prs.slide_master
    problems: list[tuple[Msg, Msg]] = []
    layouts: dict[str, LayoutGeometry] = {}
    names = [lay.name for lay in prs.slide_layouts]
    # TRANSLATORS: the list of layouts in a slide master that has none
    present = ", ".join(names) or M_("none")
    for role, name in LAYOUTS.items():
        layout = prs.slide_layouts.get_by_name(name)
        if layout is None:
            problems.append((
                M_("slide master has no layout named '{layout}'", layout=name),
                M_("add or rename a layout in the slide master to '{layout}' (layouts now: {layouts})", layout=name, layouts=present),
            ))
            continue
        geo = _geometry(layout, master)
        if geo.title is None:
            problems.append((
                M_("layout '{layout}' has no title placeholder", layout=name),
                M_("every slide needs a title: add a title placeholder to the layout"),
            ))
        if len(geo.bodies) < _BODIES_NEEDED[role]:
            problems.append((
                MP_("layout '{layout}' needs {n} text placeholder, found {found}", "layout '{layout}' needs {n} text placeholders, found {found}",
                    _BODIES_NEEDED[role], layout=name, found=len(geo.bodies)),
                M_("add a content or text placeholder to the layout in the slide master"),
            ))
        if role == "picture" and geo.picture is None:
            problems.append((M_("layout '{layout}' has no picture placeholder", layout=name), M_("add a picture placeholder to the layout")))
        layouts[role] = geo
    if problems:
        raise TemplateProblem(loc, problems)
    return Template(path=path, rel=rel, layouts=layouts, slide_w=int(prs.slide_width), slide_h=int(prs.slide_height))


# A master is a few megabytes; these limits refuse zip bombs before python-pptx inflates anything.
MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all members together, uncompressed
MAX_MEMBERS = 10_000


def _package_problem(path: Path) -> Msg | None:
    """Why the .pptx at `path` must not be opened (a reason, never empty), or None."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return M_("the slide master is {mb} MB; at most {max} MB is accepted", mb=size // 2**20, max=MAX_FILE_BYTES // 2**20)
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        return M_("the slide master is not a .pptx (ZIP) package: {error}", error=str(exc) or "BadZipFile")
    except OSError as exc:
        return M_("cannot read the slide master: {error}", error=exc.strerror or type(exc).__name__)
    if len(infos) > MAX_MEMBERS:
        return M_("the slide master has {n} files inside; at most {max} are accepted", n=len(infos), max=MAX_MEMBERS)
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_UNPACKED_BYTES:
            return M_("the slide master unpacks to more than {max} MB (at '{member}'); it may be a zip bomb",
                      max=MAX_UNPACKED_BYTES // 2**20, member=info.filename[:80])
    return None


# ------------------------------------------------------------------ reading inherited styles


def _ph_type(el) -> str:
    ph = el.find(f".//{_P}nvPr/{_P}ph")
    return "" if ph is None else ph.get("type", "obj")


def _geometry(layout, master) -> LayoutGeometry:
    title = None
    bodies: list[Box] = []
    picture = None
    for ph in sorted(layout.placeholders, key=lambda p: p.placeholder_format.idx):
        typ = _ph_type(ph._element)
        if typ in _SKIP_TYPES:
            continue
        box = _box(ph, typ, master)
        if typ in _TITLE_TYPES:
            title = title or box
        elif typ == "pic":
            picture = picture or box
        else:
            bodies.append(box)
    return LayoutGeometry(layout.name, title, tuple(bodies), picture)


def _master_ph(master, typ: str):
    want = "title" if typ in _TITLE_TYPES else "body"
    for sp in master.placeholders:
        if _ph_type(sp._element) == want:
            return sp._element
    return None


def _box(ph, typ: str, master) -> Box:
    el = ph._element
    mel = _master_ph(master, typ)
    style_name = "titleStyle" if typ in _TITLE_TYPES else "bodyStyle"
    tx = master._element.find(f"{_P}txStyles/{_P}{style_name}")
    chain = [e for e in (el.find(f"{_P}txBody/{_A}lstStyle"), mel.find(f"{_P}txBody/{_A}lstStyle") if mel is not None else None, tx) if e is not None]
    sizes, margins, lines, before = [], [], [], []
    bold = False
    for lvl in range(1, 10):
        size = _first(chain, f"{_A}lvl{lvl}pPr/{_A}defRPr", "sz")
        size_pt = int(size) / 100 if size else 18.0
        mar = _first(chain, f"{_A}lvl{lvl}pPr", "marL")
        sizes.append(size_pt)
        margins.append(int(mar) if mar else 0)
        lines.append(_spacing(chain, lvl, "lnSpc", size_pt, default=1.0, line=True))
        before.append(_spacing(chain, lvl, "spcBef", size_pt, default=0.0, line=False))
        if lvl == 1:
            bold = _first(chain, f"{_A}lvl1pPr/{_A}defRPr", "b") in ("1", "true")
    insets = []
    for attr, default in (("lIns", 91440), ("tIns", 45720), ("rIns", 91440), ("bIns", 45720)):
        value = None
        for body in (el.find(f"{_P}txBody/{_A}bodyPr"), mel.find(f"{_P}txBody/{_A}bodyPr") if mel is not None else None):
            if body is not None and body.get(attr) is not None:
                value = int(body.get(attr))
                break
        insets.append(default if value is None else value)
    style = TextStyle(tuple(sizes), tuple(margins), tuple(lines), tuple(before), bold or typ in _TITLE_TYPES)
    return Box(ph.placeholder_format.idx, int(ph.left or 0), int(ph.top or 0), int(ph.width or 0), int(ph.height or 0), tuple(insets), style)


def _first(chain, path: str, attr: str):
    for el in chain:
        found = el.find(path)
        if found is not None and found.get(attr) is not None:
            return found.get(attr)
    return None


# Single spacing of a typical sans font is about 1.2 x the size (Arial 1.15, Source Sans 3 1.26):
# use the larger so percentage spacing in a user's master is never underestimated.
SINGLE_LINE = 1.26


def _spacing(chain, lvl: int, tag: str, size_pt: float, default: float, line: bool) -> float:
    for el in chain:
        node = el.find(f"{_A}lvl{lvl}pPr/{_A}{tag}")
        if node is None:
            continue
        pts = node.find(f"{_A}spcPts")
        if pts is not None:
            return int(pts.get("val", "0")) / 100
        pct = node.find(f"{_A}spcPct")
        if pct is not None:
            factor = int(pct.get("val", "100000")) / 100000
            return factor * size_pt * (SINGLE_LINE if line else 1.2)
    return default * size_pt * SINGLE_LINE if line else default
