"""Slide plan -> .pptx file. The only module that writes with python-pptx.

Accessibility: every slide gets a title placeholder (first in reading order), pictures get the
Markdown alt text in `descr`, tables keep their header row, every run carries the language.
Determinism: fixed core properties from the build clock, fixed zip timestamps, no random ids.
"""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.packuri import PackURI
from pptx.shapes.placeholder import PicturePlaceholder, TablePlaceholder
from pptx.util import Emu, Pt

from ...archive import rewrite_zip
from .fit import NUMBER_INDENT, margin, table_area
from .spec import DeckSpec, Para, PictureSpec, Run, SlideSpec, TableSpec
from .template import LAYOUTS, Template

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
CODE_FONT = "Courier New"
COLOURED = {"title", "section", "quote", "closing"}  # roles whose default layouts have a coloured background
UNNUMBERED = {"title", "closing"}  # as PowerPoint's "Don't show on title slide": the first and last slide carry no number
SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # used when the layout's own field has no id


def write_deck(deck: DeckSpec, tpl: Template, dest: Path, epoch: int) -> Path:
    prs = Presentation(str(tpl.path))
    _remove_slides(prs)
    _fast_notes_partnames(prs.part.package)
    first = int(prs.part._element.get("firstSlideNum", "1"))
    for number, spec in enumerate(deck.slides, first):
        layout = prs.slide_layouts.get_by_name(LAYOUTS[spec.role])
        slide = prs.slides.add_slide(layout)
        _fill(slide, spec, tpl)
        if spec.role not in UNNUMBERED:
            _slide_number(slide, layout, number, spec.lang)
    _properties(prs, deck, epoch)
    dest.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(dest))
    rewrite_zip(dest, epoch)
    return dest


NOTES_TMPL = "/ppt/notesSlides/notesSlide%d.xml"


def _fast_notes_partnames(package) -> None:
    """python-pptx names every new notes slide by walking all parts of the package
    (`OpcPackage.next_partname`): quadratic in the slides of a deck. The notes slides' names are
    kept in a set instead, and chosen by the same rule (the highest free number up to one past the
    count), so the output is byte-identical. Only notes slides get their names this way (python-pptx
    makes them nowhere else), every other template goes to the original method."""
    original = package.next_partname
    prefix = NOTES_TMPL[: (NOTES_TMPL % 42).find("42")]
    names: set[str] | None = None

    def next_partname(tmpl: str):
        nonlocal names
        if tmpl != NOTES_TMPL:
            return original(tmpl)
        if names is None:
            names = {str(p.partname) for p in package.iter_parts() if p.partname.startswith(prefix)}
        for n in range(len(names) + 1, 0, -1):
            candidate = tmpl % n
            if candidate not in names:
                names.add(candidate)
                return PackURI(candidate)
        return original(tmpl)

    package.next_partname = next_partname


def _remove_slides(prs) -> None:
    """A course master may contain example slides: drop them."""
    id_lst = prs.slides._sldIdLst
    for sld_id in list(id_lst):
        prs.part.drop_rel(sld_id.rId)
        id_lst.remove(sld_id)


def _properties(prs, deck: DeckSpec, epoch: int) -> None:
    when = datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)
    cp = prs.core_properties
    cp.title = deck.title[:255]  # python-pptx refuses longer core properties (the planner warns)
    cp.author = (deck.author or "kummi")[:255]
    cp.last_modified_by = "kummi"
    cp.language = deck.lang_tag
    cp.revision = 1
    cp.created = cp.modified = cp.last_printed = when
    cp.subject = ""
    cp.keywords = ""
    cp.comments = ""
    for rpr in prs.part._element.iter(f"{{{_A}}}defRPr"):  # proofing language of new text
        rpr.set("lang", deck.lang_tag)


# ------------------------------------------------------------------ slides


def _fill(slide, spec: SlideSpec, tpl: Template) -> None:
    geo = tpl.layouts[spec.role]
    by_idx = {ph.placeholder_format.idx: ph for ph in slide.placeholders}
    used: set[int] = set()
    # Title
    title = by_idx[geo.title.idx]
    used.add(geo.title.idx)
    _title(title, spec)
    bodies = [by_idx.get(b.idx) for b in geo.bodies]
    if spec.role == "picture":
        if spec.picture is not None and geo.picture is not None and geo.picture.idx in by_idx:
            box = geo.picture
            if not spec.body and geo.bodies:  # no caption: let the picture use the caption's room too
                right = max((b.x + b.w for b in geo.bodies if b.x >= box.x + box.w - 12700), default=0)
                box = replace(box, w=max(box.w, right - box.x))
            _picture(slide, by_idx[geo.picture.idx], spec.picture, box)
            used.add(geo.picture.idx)
        if spec.body and bodies and bodies[0] is not None:
            _text(bodies[0].text_frame, spec.body, spec.lang, geo.bodies[0])
            used.add(geo.bodies[0].idx)
    else:
        if spec.table is not None and bodies and bodies[0] is not None:
            _table(slide, bodies[0], spec.table, spec.lang, geo.bodies[0])
            used.add(geo.bodies[0].idx)
        elif spec.body and bodies and bodies[0] is not None:
            _text(bodies[0].text_frame, spec.body, spec.lang, geo.bodies[0], text_colour_links=spec.role in COLOURED)
            used.add(geo.bodies[0].idx)
        if len(bodies) > 1 and bodies[1] is not None:
            if spec.picture is not None:
                _picture(slide, bodies[1], spec.picture, geo.bodies[1])
                used.add(geo.bodies[1].idx)
            elif spec.body2:
                _text(bodies[1].text_frame, spec.body2, spec.lang, geo.bodies[1])
                used.add(geo.bodies[1].idx)
    # Empty placeholders would show "click to add text" when edited and confuse screen readers.
    for idx, ph in by_idx.items():
        if idx not in used:
            ph._element.getparent().remove(ph._element)
    # Reading order = shape order: the title first.
    tree = slide.shapes._spTree
    tel = title._element
    tree.remove(tel)
    tree.insert(2, tel)
    if spec.notes:
        _notes(slide, spec.notes, spec.lang)


def _slide_number(slide, layout, number: int, tag: str) -> None:
    """A slide-number field, placed and styled by the layout's Slide Number placeholder.

    python-pptx copies no date/footer/number placeholders to new slides. This clones the layout's
    one with an empty spPr and bodyPr (so position, size and text style are inherited and follow
    later edits of the master) and appends it last in spTree: the title stays first in reading
    order. The field's text is the number at build time; PowerPoint and LibreOffice renumber it."""
    source = next((sp for sp in layout.placeholders if sp._element.find(f".//{{{_P}}}nvPr/{{{_P}}}ph").get("type") == "sldNum"), None)
    if source is None:
        return
    layout_field = source._element.find(f".//{{{_A}}}fld[@type='slidenum']")
    field_id = layout_field.get("id") if layout_field is not None and layout_field.get("id") else SLIDENUM_FIELD_ID
    tree = slide.shapes._spTree
    shape_id = max((int(el.get("id")) for el in tree.iter(f"{{{_P}}}cNvPr") if el.get("id", "").isdigit()), default=1) + 1
    ph = source._element.find(f".//{{{_P}}}nvPr/{{{_P}}}ph")
    sp = etree.Element(f"{{{_P}}}sp")
    ext_lst = tree.find(f"{{{_P}}}extLst")
    if ext_lst is not None:
        ext_lst.addprevious(sp)
    else:
        tree.append(sp)
    nv = etree.SubElement(sp, f"{{{_P}}}nvSpPr")
    c_nv_pr = etree.SubElement(nv, f"{{{_P}}}cNvPr")
    c_nv_pr.set("id", str(shape_id))
    c_nv_pr.set("name", f"Slide Number Placeholder {shape_id}")
    etree.SubElement(etree.SubElement(nv, f"{{{_P}}}cNvSpPr"), f"{{{_A}}}spLocks").set("noGrp", "1")
    nv_pr = etree.SubElement(nv, f"{{{_P}}}nvPr")
    nv_pr.append(etree.fromstring(etree.tostring(ph)))
    etree.SubElement(sp, f"{{{_P}}}spPr")
    tx = etree.SubElement(sp, f"{{{_P}}}txBody")
    etree.SubElement(tx, f"{{{_A}}}bodyPr")
    etree.SubElement(tx, f"{{{_A}}}lstStyle")
    p = etree.SubElement(tx, f"{{{_A}}}p")
    fld = etree.SubElement(p, f"{{{_A}}}fld")
    fld.set("id", field_id)
    fld.set("type", "slidenum")
    _lang(etree.SubElement(fld, f"{{{_A}}}rPr"), tag)
    etree.SubElement(fld, f"{{{_A}}}t").text = str(number)
    _lang(etree.SubElement(p, f"{{{_A}}}endParaRPr"), tag)


def _title(ph, spec: SlideSpec) -> None:
    tf = ph.text_frame
    tf.clear()
    p = tf.paragraphs[0]
    if spec.title_size:
        _line_spacing(p, spec.title_size * 1.2)
    run = p.add_run()
    run.text = spec.title
    if spec.title_size:
        run.font.size = Pt(spec.title_size)
    _lang(run._r.get_or_add_rPr(), spec.lang)
    _lang(p._p.get_or_add_endParaRPr(), spec.lang)


def _line_spacing(p, points: float) -> None:
    ppr = p._p.get_or_add_pPr()
    ln = etree.SubElement(ppr, f"{{{_A}}}lnSpc")
    etree.SubElement(ln, f"{{{_A}}}spcPts").set("val", str(int(round(points * 100))))
    ppr.remove(ln)
    ppr.insert(0, ln)


def _lang(el, tag: str) -> None:
    el.set("lang", tag)


def _text(tf, paras: tuple[Para, ...], tag: str, box=None, size: float | None = None, text_colour_links: bool = False) -> None:
    tf.clear()
    first = True
    previous: Para | None = None
    for para in paras:
        p = tf.paragraphs[0] if first else tf.add_paragraph()
        first = False
        if para.level:
            p.level = para.level
        ppr = p._p.get_or_add_pPr()
        if size:
            _line_spacing(p, size * 1.2)
        if para.kind in ("plain", "code"):
            if para.level == 0:
                ppr.set("marL", "0")
            ppr.set("indent", "0")
            etree.SubElement(ppr, f"{{{_A}}}buNone")
        elif para.kind == "cont":
            ppr.set("indent", "0")
            etree.SubElement(ppr, f"{{{_A}}}buNone")
        elif para.kind == "number":
            if box is not None:
                ppr.set("marL", str(margin(box, para)))
                ppr.set("indent", str(-NUMBER_INDENT))
            auto = etree.SubElement(ppr, f"{{{_A}}}buAutoNum")
            auto.set("type", "alphaUcParenR" if para.alpha else "arabicPeriod")
            continues = previous is not None and previous.kind == "number" and previous.level == para.level and previous.alpha == para.alpha
            if para.number > 1 and not continues:
                auto.set("startAt", str(para.number))
        _runs(p, para.runs, tag, size, text_colour_links)
        _lang(p._p.get_or_add_endParaRPr(), tag)
        previous = para


def _link_in_text_colour(run) -> None:
    """On coloured slides the theme's link colour may be unreadable: PowerPoint (2019+) then draws
    the link in the placeholder's own text colour (still underlined)."""
    click = run._r.find(f"{{{_A}}}rPr/{{{_A}}}hlinkClick")
    ext_lst = etree.SubElement(click, f"{{{_A}}}extLst")
    ext = etree.SubElement(ext_lst, f"{{{_A}}}ext")
    ext.set("uri", "{A12FA001-AC4F-418D-AE19-62706E023703}")
    clr = etree.SubElement(ext, "{http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor}hlinkClr", nsmap={"ahyp": "http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor"})
    clr.set("val", "tx")


def _runs(p, runs: tuple[Run, ...], tag: str, size: float | None = None, text_colour_links: bool = False) -> None:
    for spec in runs:
        pieces = spec.text.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                p.add_line_break()
            if not piece:
                continue
            run = p.add_run()
            run.text = piece
            font = run.font
            if spec.bold:
                font.bold = True
            if spec.italic:
                font.italic = True
            if spec.code:
                font.name = CODE_FONT
            if size:
                font.size = Pt(size)
            if spec.href:
                run.hyperlink.address = spec.href
                if text_colour_links:
                    _link_in_text_colour(run)
            _lang(run._r.get_or_add_rPr(), tag)


def _picture(slide, placeholder, pic: PictureSpec, box) -> None:
    holder = PicturePlaceholder(placeholder._element, placeholder._parent)
    # python-pptx formats the file name into the picture's XML unescaped: a name such as a"b<c>.png
    # would make the slide unreadable. Hand it the bytes (it then names the image "image.png").
    shape = holder.insert_picture(io.BytesIO(Path(pic.path).read_bytes()))
    shape.crop_left = shape.crop_right = shape.crop_top = shape.crop_bottom = 0.0
    scale = min(box.w / pic.width_px, box.h / pic.height_px)
    w, h = int(pic.width_px * scale), int(pic.height_px * scale)
    shape.left, shape.top = Emu(box.x + (box.w - w) // 2), Emu(box.y + (box.h - h) // 2)
    shape.width, shape.height = Emu(w), Emu(h)
    c_nv_pr = shape._element.find(f".//{{{_P}}}cNvPr")
    c_nv_pr.set("descr", pic.alt)  # python-pptx writes the file name here; the checker wants real alt text
    c_nv_pr.set("name", f"Picture {c_nv_pr.get('id')}")


def _table(slide, placeholder, table: TableSpec, tag: str, box) -> None:
    holder = TablePlaceholder(placeholder._element, placeholder._parent)
    cols = len(table.col_widths)
    rows = 1 + len(table.rows)
    frame = holder.insert_table(rows, cols)
    x, y, _, _ = table_area(box)
    frame.left, frame.top, frame.width = Emu(x), Emu(y), Emu(sum(table.col_widths))
    frame.height = Emu(sum(table.row_heights))
    tbl = frame.table
    tbl.first_row = True  # header row: the accessibility checker's "table has header information"
    tbl.first_col = table.first_col
    tbl.horz_banding = True
    for c, width in enumerate(table.col_widths):
        tbl.columns[c].width = Emu(width)
    for r, height in enumerate(table.row_heights):
        tbl.rows[r].height = Emu(height)
    grid = [table.header] + [tuple(row) for row in table.rows]
    for r, row in enumerate(grid):
        for c in range(cols):
            cell_runs = row[c] if c < len(row) else ()
            tf = tbl.cell(r, c).text_frame
            _text(tf, (Para(cell_runs),) if cell_runs else (Para(()),), tag, size=table.size)
            if r == 0:
                for run in tf.paragraphs[0].runs:
                    run.font.bold = True
    c_nv_pr = frame._element.find(f".//{{{_P}}}cNvPr")
    c_nv_pr.set("name", f"Table {c_nv_pr.get('id')}")


def _notes(slide, text: str, tag: str) -> None:
    tf = slide.notes_slide.notes_text_frame
    tf.clear()
    for i, line in enumerate(text.split("\n")):
        p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
        if line:
            run = p.add_run()
            run.text = line
            _lang(run._r.get_or_add_rPr(), tag)
        _lang(p._p.get_or_add_endParaRPr(), tag)
