"""Slide plan -> .pptx file: the slide and notes XML built directly with lxml, on slides that start as
python-pptx would start them (pptxparts reads the master once per process).

Accessibility: every slide gets a title placeholder (first in reading order), pictures get the
Markdown alt text in `descr`, tables keep their header row, every run carries the language.
Determinism: fixed core properties from the build clock, fixed zip timestamps, no random ids.
The output is byte for byte what the python-pptx object layer wrote for the same plan.
"""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from .fit import NUMBER_INDENT, margin, table_area
from .pptxparts import DeckPackage, LayoutParts, Part, core_xml, presentation_xml, template_parts, xml_bytes
from .spec import DeckSpec, Para, PictureSpec, Run, SlideSpec, TableSpec
from .template import Template

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A, P = f"{{{_A}}}", f"{{{_P}}}"
CODE_FONT = "Courier New"
COLOURED = {"title", "section", "quote", "closing"}  # roles whose default layouts have a coloured background
UNNUMBERED = {"title", "closing"}  # as PowerPoint's "Don't show on title slide": the first and last slide carry no number
SLIDENUM_FIELD_ID = "{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}"  # used when the layout's own field has no id
TABLE_STYLE_ID = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # PowerPoint's default table style (as python-pptx)
TABLE_URI = "http://schemas.openxmlformats.org/drawingml/2006/table"
_SHAPE_TAGS = {f"{P}sp", f"{P}pic", f"{P}graphicFrame"}


def write_deck(deck: DeckSpec, tpl: Template, dest: Path, epoch: int) -> Path:
    parts = template_parts(tpl.path)
    package = DeckPackage(parts)
    for number, spec in enumerate(deck.slides, parts.first_slide_number):
        layout = parts.layouts[spec.role]
        slide = package.add_slide(layout)
        sld = etree.fromstring(layout.slide_xml)
        _fill(sld.find(f"{P}cSld/{P}spTree"), spec, tpl, package, slide)
        if spec.role not in UNNUMBERED:
            _slide_number(sld.find(f"{P}cSld/{P}spTree"), layout, number, spec.lang)
        slide.blob = xml_bytes(sld)
    dest.parent.mkdir(parents=True, exist_ok=True)
    package.write(dest, epoch, presentation_xml(parts, package.slide_rids, deck.lang_tag), core_xml(parts, _properties(deck, epoch)))
    return dest


def _properties(deck: DeckSpec, epoch: int) -> list[tuple[str, str]]:
    """Core properties from the build clock, in the order python-pptx's writer set them."""
    when = datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        ("dc:title", deck.title[:255]),  # core properties hold at most 255 characters (the planner warns)
        ("dc:creator", (deck.author or "kummi")[:255]),
        ("cp:lastModifiedBy", "kummi"),
        ("dc:language", deck.lang_tag),
        ("cp:revision", "1"),
        ("dcterms:created", when),
        ("dcterms:modified", when),
        ("cp:lastPrinted", when),
        ("dc:subject", ""),
        ("cp:keywords", ""),
        ("dc:description", ""),
    ]


# ------------------------------------------------------------------ slides


def _placeholders(tree) -> dict[int, etree._Element]:
    """idx -> placeholder shape, in idx order (the last of equal idx wins, as in python-pptx)."""
    found = []
    for shape in tree:
        if shape.tag in _SHAPE_TAGS:
            ph = shape[0].find(f"{P}nvPr/{P}ph")
            if ph is not None:
                found.append((int(ph.get("idx", "0")), shape))
    return dict(sorted(found, key=lambda item: item[0]))


def _fill(tree, spec: SlideSpec, tpl: Template, package: DeckPackage, slide: Part) -> None:
    geo = tpl.layouts[spec.role]
    by_idx = _placeholders(tree)
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
            _picture(by_idx[geo.picture.idx], spec.picture, box, package, slide)
            used.add(geo.picture.idx)
        if spec.body and bodies and bodies[0] is not None:
            _text(bodies[0].find(f"{P}txBody"), spec.body, spec.lang, slide, geo.bodies[0])
            used.add(geo.bodies[0].idx)
    else:
        if spec.table is not None and bodies and bodies[0] is not None:
            _table(bodies[0], spec.table, spec.lang, geo.bodies[0], slide)
            used.add(geo.bodies[0].idx)
        elif spec.body and bodies and bodies[0] is not None:
            _text(bodies[0].find(f"{P}txBody"), spec.body, spec.lang, slide, geo.bodies[0], text_colour_links=spec.role in COLOURED)
            used.add(geo.bodies[0].idx)
        if len(bodies) > 1 and bodies[1] is not None:
            if spec.picture is not None:
                _picture(bodies[1], spec.picture, geo.bodies[1], package, slide)
                used.add(geo.bodies[1].idx)
            elif spec.body2:
                _text(bodies[1].find(f"{P}txBody"), spec.body2, spec.lang, slide, geo.bodies[1])
                used.add(geo.bodies[1].idx)
    # Empty placeholders would show "click to add text" when edited and confuse screen readers.
    for idx, ph in by_idx.items():
        if idx not in used:
            tree.remove(ph)
    # Reading order = shape order: the title first.
    tree.remove(title)
    tree.insert(2, title)
    if spec.notes:
        package.add_notes(slide, _notes(package.template.notes_xml, spec.notes, spec.lang))


def _slide_number(tree, layout: LayoutParts, number: int, tag: str) -> None:
    """A slide-number field, placed and styled by the layout's Slide Number placeholder.

    python-pptx copies no date/footer/number placeholders to new slides. This clones the layout's
    one with an empty spPr and bodyPr (so position, size and text style are inherited and follow
    later edits of the master) and appends it last in spTree: the title stays first in reading
    order. The field's text is the number at build time; PowerPoint and LibreOffice renumber it."""
    if layout.number_ph is None:
        return
    shape_id = max((int(el.get("id")) for el in tree.iter(f"{P}cNvPr") if el.get("id", "").isdigit()), default=1) + 1
    sp = etree.SubElement(tree, f"{P}sp")
    ext_lst = tree.find(f"{P}extLst")
    if ext_lst is not None:
        ext_lst.addprevious(sp)
    nv = etree.SubElement(sp, f"{P}nvSpPr")
    c_nv_pr = etree.SubElement(nv, f"{P}cNvPr")
    c_nv_pr.set("id", str(shape_id))
    c_nv_pr.set("name", f"Slide Number Placeholder {shape_id}")
    etree.SubElement(etree.SubElement(nv, f"{P}cNvSpPr"), f"{A}spLocks").set("noGrp", "1")
    etree.SubElement(nv, f"{P}nvPr").append(etree.fromstring(layout.number_ph))
    etree.SubElement(sp, f"{P}spPr")
    tx = etree.SubElement(sp, f"{P}txBody")
    etree.SubElement(tx, f"{A}bodyPr")
    etree.SubElement(tx, f"{A}lstStyle")
    p = etree.SubElement(tx, f"{A}p")
    fld = etree.SubElement(p, f"{A}fld")
    fld.set("id", layout.number_field_id or SLIDENUM_FIELD_ID)
    fld.set("type", "slidenum")
    etree.SubElement(fld, f"{A}rPr").set("lang", tag)
    etree.SubElement(fld, f"{A}t").text = str(number)
    etree.SubElement(p, f"{A}endParaRPr").set("lang", tag)


_CONTROL = re.compile(r"[\x00-\x08\x0B-\x1F]")


def _run_text(text: str) -> str:
    """Control characters (other than tab and newline) as "_xHHHH_" escapes, as python-pptx writes them."""
    return _CONTROL.sub(lambda m: "_x%04X_" % ord(m.group()), text)


def _centipoints(points: float) -> str:
    return str(int(points * 12700) // 127)  # python-pptx's Pt(points).centipoints


def _title(sp, spec: SlideSpec) -> None:
    p = sp.find(f"{P}txBody/{A}p")
    if spec.title_size:
        _line_spacing(etree.SubElement(p, f"{A}pPr"), spec.title_size * 1.2)
    r = etree.SubElement(p, f"{A}r")
    rpr = etree.SubElement(r, f"{A}rPr")
    if spec.title_size:
        rpr.set("sz", _centipoints(spec.title_size))
    rpr.set("lang", spec.lang)
    etree.SubElement(r, f"{A}t").text = _run_text(spec.title)
    etree.SubElement(p, f"{A}endParaRPr").set("lang", spec.lang)


def _line_spacing(ppr, points: float) -> None:
    ln = etree.Element(f"{A}lnSpc")
    etree.SubElement(ln, f"{A}spcPts").set("val", str(int(round(points * 100))))
    ppr.insert(0, ln)


def _text(body, paras: tuple[Para, ...], tag: str, slide: Part, box=None, size: float | None = None, text_colour_links: bool = False) -> None:
    """Fill a fresh text body (one empty paragraph) with `paras`."""
    previous: Para | None = None
    for i, para in enumerate(paras):
        p = body.find(f"{A}p") if i == 0 else etree.SubElement(body, f"{A}p")
        ppr = etree.SubElement(p, f"{A}pPr")
        if para.level:
            ppr.set("lvl", str(para.level))
        if size:
            _line_spacing(ppr, size * 1.2)
        if para.kind in ("plain", "code"):
            if para.level == 0:
                ppr.set("marL", "0")
            ppr.set("indent", "0")
            etree.SubElement(ppr, f"{A}buNone")
        elif para.kind == "cont":
            ppr.set("indent", "0")
            etree.SubElement(ppr, f"{A}buNone")
        elif para.kind == "number":
            if box is not None:
                ppr.set("marL", str(margin(box, para)))
                ppr.set("indent", str(-NUMBER_INDENT))
            auto = etree.SubElement(ppr, f"{A}buAutoNum")
            auto.set("type", "alphaUcParenR" if para.alpha else "arabicPeriod")
            continues = previous is not None and previous.kind == "number" and previous.level == para.level and previous.alpha == para.alpha
            if para.number > 1 and not continues:
                auto.set("startAt", str(para.number))
        _runs(p, para.runs, tag, slide, size, text_colour_links)
        etree.SubElement(p, f"{A}endParaRPr").set("lang", tag)
        previous = para


def _link_in_text_colour(click) -> None:
    """On coloured slides the theme's link colour may be unreadable: PowerPoint (2019+) then draws
    the link in the placeholder's own text colour (still underlined)."""
    ext_lst = etree.SubElement(click, f"{A}extLst")
    ext = etree.SubElement(ext_lst, f"{A}ext")
    ext.set("uri", "{A12FA001-AC4F-418D-AE19-62706E023703}")
    clr = etree.SubElement(ext, "{http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor}hlinkClr", nsmap={"ahyp": "http://schemas.microsoft.com/office/drawing/2018/hyperlinkcolor"})
    clr.set("val", "tx")


def _runs(p, runs: tuple[Run, ...], tag: str, slide: Part, size: float | None = None, text_colour_links: bool = False) -> None:
    for spec in runs:
        for i, piece in enumerate(spec.text.split("\n")):
            if i:
                etree.SubElement(p, f"{A}br")
            if not piece:
                continue
            r = etree.SubElement(p, f"{A}r")
            rpr = etree.SubElement(r, f"{A}rPr")
            if spec.bold:
                rpr.set("b", "1")
            if spec.italic:
                rpr.set("i", "1")
            if spec.code:
                etree.SubElement(rpr, f"{A}latin").set("typeface", CODE_FONT)
            if size:
                rpr.set("sz", _centipoints(size))
            if spec.href:  # an external relationship of the slide: the address is escaped in its .rels
                click = etree.SubElement(rpr, f"{A}hlinkClick")
                click.set(f"{{{_R}}}id", slide.relate(RT.HYPERLINK, spec.href, external=True))
                if text_colour_links:
                    _link_in_text_colour(click)
            rpr.set("lang", tag)
            etree.SubElement(r, f"{A}t").text = _run_text(piece)


def _picture(placeholder, pic: PictureSpec, box, package: DeckPackage, slide: Part) -> None:
    """The picture in place of `placeholder`, scaled to fit `box` and centred in it."""
    rid = package.add_image(slide, Path(pic.path).read_bytes())
    shape_id = placeholder[0][0].get("id")
    scale = min(box.w / pic.width_px, box.h / pic.height_px)
    w, h = int(pic.width_px * scale), int(pic.height_px * scale)
    el = etree.Element(f"{P}pic")
    nv = etree.SubElement(el, f"{P}nvPicPr")
    c_nv_pr = etree.SubElement(nv, f"{P}cNvPr")
    c_nv_pr.set("id", shape_id)
    c_nv_pr.set("name", f"Picture {shape_id}")
    c_nv_pr.set("descr", pic.alt)  # the accessibility checker wants real alt text here
    locks = etree.SubElement(etree.SubElement(nv, f"{P}cNvPicPr"), f"{A}picLocks")
    locks.set("noGrp", "1")
    locks.set("noChangeAspect", "1")
    etree.SubElement(nv, f"{P}nvPr").append(placeholder.find(f"{P}nvSpPr/{P}nvPr/{P}ph"))
    fill = etree.SubElement(el, f"{P}blipFill")
    etree.SubElement(fill, f"{A}blip").set(f"{{{_R}}}embed", rid)
    etree.SubElement(fill, f"{A}srcRect")
    etree.SubElement(etree.SubElement(fill, f"{A}stretch"), f"{A}fillRect")
    _xfrm(etree.SubElement(etree.SubElement(el, f"{P}spPr"), f"{A}xfrm"), box.x + (box.w - w) // 2, box.y + (box.h - h) // 2, w, h)
    placeholder.addprevious(el)
    placeholder.getparent().remove(placeholder)


def _xfrm(xfrm, x: int, y: int, cx: int, cy: int) -> None:
    off = etree.SubElement(xfrm, f"{A}off")
    off.set("x", str(x))
    off.set("y", str(y))
    ext = etree.SubElement(xfrm, f"{A}ext")
    ext.set("cx", str(cx))
    ext.set("cy", str(cy))


def _table(placeholder, table: TableSpec, tag: str, box, slide: Part) -> None:
    """A table in place of `placeholder`, with its header row marked for screen readers."""
    shape_id = placeholder[0][0].get("id")
    frame = etree.Element(f"{P}graphicFrame")
    nv = etree.SubElement(frame, f"{P}nvGraphicFramePr")
    c_nv_pr = etree.SubElement(nv, f"{P}cNvPr")
    c_nv_pr.set("id", shape_id)
    c_nv_pr.set("name", f"Table {shape_id}")
    etree.SubElement(etree.SubElement(nv, f"{P}cNvGraphicFramePr"), f"{A}graphicFrameLocks").set("noGrp", "1")
    etree.SubElement(nv, f"{P}nvPr").append(placeholder.find(f"{P}nvSpPr/{P}nvPr/{P}ph"))
    x, y, _, _ = table_area(box)
    _xfrm(etree.SubElement(frame, f"{P}xfrm"), x, y, sum(table.col_widths), sum(table.row_heights))
    data = etree.SubElement(etree.SubElement(frame, f"{A}graphic"), f"{A}graphicData")
    data.set("uri", TABLE_URI)
    tbl = etree.SubElement(data, f"{A}tbl")
    tbl_pr = etree.SubElement(tbl, f"{A}tblPr")
    tbl_pr.set("firstRow", "1")  # header row: the accessibility checker's "table has header information"
    tbl_pr.set("bandRow", "1")
    if table.first_col:
        tbl_pr.set("firstCol", "1")
    etree.SubElement(tbl_pr, f"{A}tableStyleId").text = TABLE_STYLE_ID
    grid = etree.SubElement(tbl, f"{A}tblGrid")
    for width in table.col_widths:
        etree.SubElement(grid, f"{A}gridCol").set("w", str(width))
    for r, row in enumerate((table.header,) + table.rows):
        tr = etree.SubElement(tbl, f"{A}tr")
        tr.set("h", str(table.row_heights[r]))
        for c in range(len(table.col_widths)):
            cell_runs = row[c] if c < len(row) else ()
            _cell(tr, cell_runs, tag, table.size, slide, header=r == 0)
    placeholder.addprevious(frame)
    placeholder.getparent().remove(placeholder)


def _cell(tr, runs: tuple[Run, ...], tag: str, size: float, slide: Part, header: bool) -> None:
    tc = etree.SubElement(tr, f"{A}tc")
    body = etree.SubElement(tc, f"{A}txBody")
    etree.SubElement(body, f"{A}bodyPr")
    etree.SubElement(body, f"{A}lstStyle")
    etree.SubElement(body, f"{A}p")
    etree.SubElement(tc, f"{A}tcPr")
    _text(body, (Para(runs),), tag, slide, size=size)
    if header:
        for rpr in body.iterfind(f"{A}p/{A}r/{A}rPr"):
            rpr.set("b", "1")


def _notes(skeleton: bytes, text: str, tag: str) -> bytes:
    """The notes slide's XML: the notes master's placeholders with `text` in the notes one."""
    notes = etree.fromstring(skeleton)
    body = next(sp for sp in notes.iter(f"{P}sp") if sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph").get("type") == "body").find(f"{P}txBody")
    for i, line in enumerate(text.split("\n")):
        p = body.find(f"{A}p") if i == 0 else etree.SubElement(body, f"{A}p")
        if line:
            r = etree.SubElement(p, f"{A}r")
            etree.SubElement(r, f"{A}rPr").set("lang", tag)
            etree.SubElement(r, f"{A}t").text = _run_text(line)
        etree.SubElement(p, f"{A}endParaRPr").set("lang", tag)
    return xml_bytes(notes)
