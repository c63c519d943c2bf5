"""Build the default slide master (`default.pptx`) from python-pptx's own default template.

Run `python -m kummi.targets.slides.make_master [OUT]` to regenerate it. The result is a 16:9
master with the layout names kummi picks slides by (see `template.LAYOUTS`), theme fonts Arial for
headings and body (on every Windows and Office; LibreOffice substitutes the metric-compatible
Liberation Sans, and fit.py measures with those metrics, so lines break at the same places),
exact line spacing so text height does not depend on the installed font, and no logos.

Colours: the master and layouts use only theme colours (`schemeClr`: tx1/bg1 text and background,
tx2 brand blue, bg2 light blue, accent2 orange), and the theme's colour scheme is the kummi
palette (`PALETTE`). Picking other theme colours in PowerPoint (Design > Variants > Colors)
re-skins the whole deck.

The generated file is deterministic (fixed core properties and zip timestamps).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

from ...archive import rewrite_zip

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = f'xmlns:a="{A}" xmlns:p="{P}" xmlns:r="{R}"'

EMU_IN = 914400
SLIDE_W, SLIDE_H = 12192000, 6858000  # 13.333 in x 7.5 in (16:9)

# The theme's colour scheme. Text contrast in this palette: dk2 on lt1 11.7:1, lt1 on dk2 11.7:1,
# dk2 on lt2 ~10:1, dk1 on lt1 16.1:1, the slide numbers' grey (dk1 lightened) on lt1 ~7:1.
PALETTE = {
    "dk1": "212121", "lt1": "FFFFFF",
    "dk2": "00357A", "lt2": "E7EEF7",  # brand blue; light blue (quote background)
    "accent1": "00357A",  # table header rows and banding (the default table style uses accent1)
    "accent2": "E86717",  # orange: decorative only (title rule, accents)
    "accent3": "2A6EBB", "accent4": "235A9A", "accent5": "09A580", "accent6": "AE332D",
    "hlink": "235A9A", "folHlink": "5A3D8A",
}
# Colour roles in the master and layouts, as theme colour references (mapped by the master's clrMap).
BLUE = "tx2"  # brand: backgrounds of title/section/closing slides, titles, bullets, top band
BLUE_LIGHT = "bg2"  # quote background
ORANGE = "accent2"  # decorative only
TEXT = "tx1"
WHITE = "bg1"  # text on the blue backgrounds
GREY = ("tx1", '<a:lumMod val="75000"/><a:lumOff val="25000"/>')  # slide numbers: #212121 -> #585858
FONT = "Arial"  # must match fit.FONT_TWIN's original (Arial <-> Liberation Sans)
FONT_PANOSE = "020B0604020202020204"

EPOCH = 1704067200


def emu(inches: float) -> int:
    return int(round(inches * EMU_IN))


def _xfrm(x, y, w, h) -> str:
    return f'<a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'


def _clr(color) -> str:
    """A theme colour reference: "tx2", or ("tx1", "<a:lumMod .../>...") with colour modifiers."""
    name, mods = (color, "") if isinstance(color, str) else color
    return f'<a:schemeClr val="{name}">{mods}</a:schemeClr>' if mods else f'<a:schemeClr val="{name}"/>'


def _lvl(n: int, size: float, *, bullet: str | None, mar: float = 0.0, indent: float = 0.0, before: float = 0.0,
         color: str = TEXT, bold: bool = False, algn: str = "l", bullet_color: str = BLUE, font: str = "+mn-lt") -> str:
    """One a:lvlNpPr with exact line spacing (1.2 x size)."""
    bu = (
        f'<a:buClr>{_clr(bullet_color)}</a:buClr><a:buFont typeface="Arial"/><a:buChar char="{bullet}"/>'
        if bullet
        else "<a:buNone/>"
    )
    b = ' b="1"' if bold else ""
    return (
        f'<a:lvl{n}pPr marL="{emu(mar)}" indent="{emu(indent)}" algn="{algn}" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
        f'<a:lnSpc><a:spcPts val="{int(size * 120)}"/></a:lnSpc>'
        f'<a:spcBef><a:spcPts val="{int(before * 100)}"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>'
        f"{bu}"
        f'<a:defRPr sz="{int(size * 100)}"{b} kern="1200"><a:solidFill>{_clr(color)}</a:solidFill>'
        f'<a:latin typeface="{font}"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{n}pPr>'
    )


def _body_levels(sizes=(24, 20, 18), color=TEXT, bullets=True, algn="l", before=(10, 6, 6)) -> str:
    out = []
    for n in range(1, 10):
        size = sizes[min(n - 1, len(sizes) - 1)]
        spc = before[min(n - 1, len(before) - 1)]
        if bullets:
            mar = 0.375 + 0.375 * (n - 1)
            out.append(_lvl(n, size, bullet="•" if n % 2 else "–", mar=mar, indent=-0.3, before=spc, color=color, algn=algn))
        else:
            out.append(_lvl(n, size, bullet=None, mar=0.375 * (n - 1), before=spc, color=color, algn=algn))
    return "".join(out)


def _title_level(size: float, color: str, algn: str = "l") -> str:
    return _lvl(1, size, bullet=None, color=color, bold=True, algn=algn, font="+mj-lt")


def _body_pr(anchor: str = "t") -> str:
    # noAutofit: kummi measures text itself and splits slides; nothing is shrunk behind its back.
    return (
        f'<a:bodyPr vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0" anchor="{anchor}">'
        "<a:noAutofit/></a:bodyPr>"
    )


def _ph(sid: int, name: str, ph: str, box, *, anchor="t", lst: str = "", prompt: str = "", geom=True) -> str:
    geo = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>' if geom else ""
    text = f'<a:p><a:r><a:rPr lang="en-US"/><a:t>{prompt}</a:t></a:r></a:p>' if prompt else '<a:p><a:endParaRPr lang="en-US"/></a:p>'
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f"<p:nvPr>{ph}</p:nvPr></p:nvSpPr><p:spPr>{_xfrm(*box)}{geo}</p:spPr>"
        f"<p:txBody>{_body_pr(anchor)}<a:lstStyle>{lst}</a:lstStyle>{text}</p:txBody></p:sp>"
    )


def _rect(sid: int, name: str, box, color: str) -> str:
    """A decorative rectangle (layouts/master only; never on slides)."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="{name}" descr=""/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
        f'<p:spPr>{_xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:solidFill>{_clr(color)}</a:solidFill>'
        '<a:ln><a:noFill/></a:ln></p:spPr>'
        '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:endParaRPr lang="fi-FI"/></a:p></p:txBody></p:sp>'
    )


def _sldnum(sid: int, color=GREY) -> str:
    lst = f'<a:lvl1pPr algn="r"><a:defRPr sz="1200"><a:solidFill>{_clr(color)}</a:solidFill></a:defRPr></a:lvl1pPr>'
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="Slide Number"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f'<p:nvPr><p:ph type="sldNum" sz="quarter" idx="12"/></p:nvPr></p:nvSpPr><p:spPr>{_xfrm(11.6, 6.95, 1.13, 0.4)}'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>'
        f'<p:txBody><a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0" anchor="ctr"/><a:lstStyle>{lst}</a:lstStyle>'
        '<a:p><a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum"><a:rPr lang="fi-FI"/><a:t>‹#›</a:t></a:fld>'
        '<a:endParaRPr lang="fi-FI"/></a:p></p:txBody></p:sp>'
    )


_GRP = (
    '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
    '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
)

TITLE_BOX = (0.6, 0.3, 12.13, 1.25)
BODY_BOX = (0.6, 1.8, 12.13, 4.95)


def _bg(color: str) -> str:
    return f'<p:bg><p:bgPr><a:solidFill>{_clr(color)}</a:solidFill><a:effectLst/></p:bgPr></p:bg>'


def _master_tree() -> str:
    return (
        f"<p:spTree>{_GRP}"
        + _ph(2, "Title Placeholder", '<p:ph type="title"/>', TITLE_BOX, anchor="b", prompt="Otsikko")
        + _ph(3, "Text Placeholder", '<p:ph type="body" idx="1"/>', BODY_BOX, prompt="Teksti")
        + _sldnum(4)
        + _rect(5, "Top band", (0, 0, 13.3334, 0.12), BLUE)
        + _rect(6, "Title rule", (0.7, 1.62, 1.2, 0.06), ORANGE)
        + "</p:spTree>"
    )


def _master_styles() -> str:
    other = "".join(_lvl(n, 18, bullet=None, mar=0.5 * (n - 1)) for n in range(1, 10))
    return (
        "<p:txStyles>"
        f"<p:titleStyle>{_title_level(32, BLUE)}</p:titleStyle>"
        f"<p:bodyStyle>{_body_levels()}</p:bodyStyle>"
        f"<p:otherStyle>{other}</p:otherStyle>"
        "</p:txStyles>"
    )


# (name, type attr, dark background?, shapes builder)
def _layouts() -> list[tuple[str, str, str, str]]:
    white = WHITE
    title_dark = lambda size, algn="l": f"<a:lvl1pPr algn=\"{algn}\"><a:lnSpc><a:spcPts val=\"{size * 120}\"/></a:lnSpc><a:defRPr sz=\"{size * 100}\" b=\"1\"><a:solidFill>{_clr(white)}</a:solidFill></a:defRPr></a:lvl1pPr>"
    plain = lambda size, color, algn="l": _body_levels(sizes=(size,), color=color, bullets=False, algn=algn, before=(6,))
    out = []
    # Title slide
    out.append((
        "Title Slide", "title", _bg(BLUE),
        _ph(2, "Title", '<p:ph type="ctrTitle"/>', (0.8, 1.3, 11.7, 2.5), anchor="b", lst=title_dark(44), prompt="Moduulin nimi")
        + _rect(3, "Accent", (0.9, 3.98, 1.6, 0.08), ORANGE)
        + _ph(4, "Subtitle", '<p:ph type="subTitle" idx="1"/>', (0.8, 4.2, 11.7, 2.7), lst=plain(20, white), prompt="Tekijät ja kesto"),
    ))
    out.append((
        "Section Header", "secHead", _bg(BLUE),
        _ph(2, "Title", '<p:ph type="title"/>', (0.8, 1.5, 11.7, 2.4), anchor="b", lst=title_dark(40), prompt="Osion otsikko")
        + _rect(3, "Accent", (0.9, 4.08, 1.6, 0.08), ORANGE)
        + _ph(4, "Text", '<p:ph type="body" idx="1"/>', (0.8, 4.3, 11.7, 2.6), lst=plain(20, white), prompt="Johdanto")
        + _sldnum(5, color=white),
    ))
    out.append((
        "Title and Content", "obj", "",
        _ph(2, "Title", '<p:ph type="title"/>', TITLE_BOX, anchor="b", prompt="Otsikko")
        + _ph(3, "Content", '<p:ph idx="1"/>', BODY_BOX, prompt="Sisältö")
        + _sldnum(4),
    ))
    out.append((
        "Two Content", "twoObj", "",
        _ph(2, "Title", '<p:ph type="title"/>', TITLE_BOX, anchor="b", prompt="Otsikko")
        + _ph(3, "Content Left", '<p:ph sz="half" idx="1"/>', (0.6, 1.8, 5.9, 4.95), prompt="Sisältö")
        + _ph(4, "Content Right", '<p:ph sz="half" idx="2"/>', (6.83, 1.8, 5.9, 4.95), prompt="Sisältö")
        + _sldnum(5),
    ))
    out.append((
        "Picture with Caption", "picTx", "",
        _ph(2, "Title", '<p:ph type="title"/>', TITLE_BOX, anchor="b", prompt="Otsikko")
        + _ph(3, "Picture", '<p:ph type="pic" idx="1"/>', (0.6, 1.8, 8.3, 4.95), prompt="Kuva")
        + _ph(4, "Caption", '<p:ph type="body" sz="half" idx="2"/>', (9.15, 1.8, 3.58, 4.95), lst=plain(18, TEXT), prompt="Kuvateksti")
        + _sldnum(5),
    ))
    out.append((
        "Quote", "cust", _bg(BLUE_LIGHT),
        _ph(2, "Title", '<p:ph type="title"/>', TITLE_BOX, anchor="b", prompt="Pohdi")
        + _rect(3, "Quote bar", (0.7, 2.05, 0.12, 4.4), BLUE)
        + _ph(4, "Question", '<p:ph idx="1"/>', (1.1, 1.9, 11.6, 4.7), anchor="ctr", lst=plain(28, BLUE), prompt="Kysymys")
        + _sldnum(5),
    ))
    out.append((
        "Closing", "cust", _bg(BLUE),
        _ph(2, "Title", '<p:ph type="ctrTitle"/>', (0.8, 1.2, 11.7, 2.4), anchor="b", lst=title_dark(44, "ctr"), prompt="Kiitos!")
        + _rect(3, "Accent", (5.87, 3.78, 1.6, 0.08), ORANGE)
        + _ph(4, "Text", '<p:ph type="subTitle" idx="1"/>', (0.8, 4.0, 11.7, 2.9), lst=plain(20, white, "ctr"), prompt="Lisätietoja"),
    ))
    out.append((
        "Title Only", "titleOnly", "",
        _ph(2, "Title", '<p:ph type="title"/>', TITLE_BOX, anchor="b", prompt="Otsikko") + _sldnum(3),
    ))
    out.append(("Blank", "blank", "", _sldnum(2)))
    return out


def _theme(blob: bytes) -> bytes:
    text = blob.decode("utf-8")
    for name, value in PALETTE.items():
        text = re.sub(rf"<a:{name}>.*?</a:{name}>", f'<a:{name}><a:srgbClr val="{value}"/></a:{name}>', text, count=1, flags=re.S)
    text = text.replace('<a:clrScheme name="Office">', '<a:clrScheme name="kummi">')
    text = text.replace('<a:fontScheme name="Office">', '<a:fontScheme name="kummi">')
    text = text.replace('name="Office Theme"', 'name="kummi"')
    latin = f'<a:latin typeface="{FONT}" panose="{FONT_PANOSE}" pitchFamily="34" charset="0"/>'
    text = text.replace('<a:latin typeface="Calibri"/>', latin)
    return text.encode("utf-8")


def build_master(out: Path) -> Path:
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    master = prs.slide_master
    mel = master._element
    # Master shapes and text styles
    csld = mel.find(f"{{{P}}}cSld")
    csld.replace(csld.find(f"{{{P}}}spTree"), etree.fromstring(f"<p:spTree {NS}>" + _master_tree()[len("<p:spTree>"):]))
    mel.replace(mel.find(f"{{{P}}}txStyles"), etree.fromstring(f"<p:txStyles {NS}>" + _master_styles()[len("<p:txStyles>"):]))

    # Layouts: reuse the existing layout parts (rewritten), drop the rest.
    specs = _layouts()
    id_lst = mel.find(f"{{{P}}}sldLayoutIdLst")
    entries = list(id_lst)
    layouts = list(master.slide_layouts)
    keep = []
    for (name, typ, bg, shapes), layout in zip(specs, layouts):
        el = layout._element
        el.set("type", typ)
        el.set("preserve", "1")
        if bg:
            el.set("showMasterSp", "0")
        elif "showMasterSp" in el.attrib:
            del el.attrib["showMasterSp"]
        new_csld = etree.fromstring(f'<p:cSld {NS} name="{name}">{bg}<p:spTree>{_GRP}{shapes}</p:spTree></p:cSld>')
        el.replace(el.find(f"{{{P}}}cSld"), new_csld)
        keep.append(layout)
    for entry in entries:
        rid = entry.get(f"{{{R}}}id")
        if master.part.related_part(rid) in {lay.part for lay in layouts[len(specs):]}:
            id_lst.remove(entry)
            master.part.drop_rel(rid)
    # Theme
    theme_part = master.part.part_related_by(RT.THEME)
    theme_part._blob = _theme(theme_part.blob)
    # Presentation-wide defaults: Finnish proofing language
    pres = prs.part._element
    for rpr in pres.iter(f"{{{A}}}defRPr"):
        rpr.set("lang", "fi-FI")
    # No thumbnail of the old 4:3 template
    pkg = prs.part.package
    for rid, rel in list(pkg._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg._rels.pop(rid)
    from datetime import datetime, timezone

    cp = prs.core_properties
    cp.title = "kummi – oletuspohja"
    cp.author = "kummi"
    cp.last_modified_by = "kummi"
    cp.revision = 1
    cp.language = "fi-FI"
    cp.created = cp.modified = datetime.fromtimestamp(EPOCH, tz=timezone.utc).replace(tzinfo=None)
    cp.last_printed = datetime.fromtimestamp(EPOCH, tz=timezone.utc).replace(tzinfo=None)
    out.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(out))
    rewrite_zip(out, EPOCH)
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else Path(__file__).with_name("default.pptx")
    build_master(out)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
