"""The course's own master: same layout names just work; a missing layout is a KM701 from check."""
from __future__ import annotations

import subprocess
import sys

from pptx import Presentation

from kummi.targets.slides.template import LAYOUTS, PACKAGE_DEFAULT, load_template
from slides_helpers import A, LAYOUT_NAMES, P, THEME, check, copy_course, make_swapped_master


def test_package_default_and_course_master_have_all_layouts(repo_root):
    for path in [PACKAGE_DEFAULT, *sorted((repo_root / "templates" / "slides").glob("*.pptx"))]:
        names = {layout.name for layout in Presentation(str(path)).slide_layouts}
        assert set(LAYOUTS.values()) <= names, path
    tpl = load_template(repo_root)
    assert tpl.rel.startswith("templates/slides/")


def test_default_master_look(repo_root):
    prs = Presentation(str(PACKAGE_DEFAULT))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    ).blob.decode()
    assert 'typeface="Arial"' in theme and "00357A" in theme
    assert not list(prs.slides)


def test_swapped_master_is_used(swapped_decks):
    assert swapped_decks
    for path in swapped_decks:
        prs = Presentation(str(path))
        titles = [s.shapes.title.text for s in prs.slides]
        assert "Esimerkkidia" not in titles  # the master's example slide is dropped
        # the theme's colours were swapped and nothing in master, layouts or slides still says kummi blue
        theme = prs.slide_master.part.part_related_by(THEME).blob.decode()
        assert '<a:dk2><a:srgbClr val="4B2A73"/></a:dk2>' in theme
        parts = [prs.slide_master._element] + [lay._element for lay in prs.slide_layouts] + [s._element for s in prs.slides]
        colours = {c.get("val").upper() for el in parts for c in el.iter(f"{A}srgbClr")}
        assert not colours & {"00357A", "E86717", "E7EEF7"}, colours
        for slide in prs.slides:
            assert slide.slide_layout.name in LAYOUT_NAMES
        # text was measured against the narrower content placeholder (8 in wide)
        content = [s for s in prs.slides if s.slide_layout.name == "Title and Content" and 1 in {p.placeholder_format.idx for p in s.placeholders}]
        assert content
        inner = int(8.0 * 914400) - 2 * 91440  # a table takes the text area inside the insets
        for s in content:
            ph = s.placeholders[1]
            assert ph.width == (inner if getattr(ph, "has_table", False) and ph.has_table else int(8.0 * 914400))


def test_missing_layout_is_km701(tmp_path):
    root = copy_course(tmp_path / "course")
    for old in (root / "templates" / "slides").glob("*.pptx"):
        old.unlink()
    make_swapped_master(root / "templates" / "slides" / "virasto.pptx", rename=("Quote", "Lainaus"), drop="Closing")
    report = check(root)
    errors = [d for d in report.errors if d.code == "KM701"]
    assert len(errors) == 2
    assert all(d.location.path == "templates/slides/virasto.pptx" for d in errors)
    assert any("'Quote'" in d.text for d in errors) and any("'Closing'" in d.text for d in errors)
    assert all(d.hint_text for d in errors)
    # the CLI reports it, no traceback; the build stops cleanly too
    for args in (["check"], ["build", "--target", "slides", "--out", str(tmp_path / "out")]):
        proc = subprocess.run([sys.executable, "-m", "kummi", *args, str(root)], capture_output=True, text=True, timeout=300)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 1, out
        assert "KM701" in out and "Traceback" not in out
    assert not (tmp_path / "out" / "slides").exists()


def test_unreadable_master_is_km701(tmp_path):
    root = copy_course(tmp_path / "course")
    folder = root / "templates" / "slides"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.pptx"):
        old.unlink()
    (folder / "rikki.pptx").write_bytes(b"not a zip file")
    errors = [d for d in check(root).errors if d.code == "KM701"]
    assert errors and errors[0].location.path == "templates/slides/rikki.pptx"


def test_without_course_master_the_package_default_is_used(tmp_path):
    root = copy_course(tmp_path / "course")
    for old in (root / "templates" / "slides").glob("*.pptx"):
        old.unlink()
    assert load_template(root).path == PACKAGE_DEFAULT
    assert not [d for d in check(root).errors if d.code == "KM701"]


# ------------------------------------------------------------------ theme colours

_CLR_MAP = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}


def _palette(prs) -> dict[str, str]:
    from lxml import etree

    theme = etree.fromstring(prs.slide_master.part.part_related_by(THEME).blob)
    scheme = theme.find(f".//{A}clrScheme")
    return {child.tag.split("}")[1]: child[0].get("val") or child[0].get("lastClr") for child in scheme}


def _resolve(fill, palette) -> tuple[float, float, float]:
    """RGB (0..1) of an a:solidFill / a:buClr / a:bgRef child, with lumMod/lumOff applied."""
    import colorsys

    clr = fill[0] if fill.tag != f"{A}schemeClr" and fill.tag != f"{A}srgbClr" else fill
    val = clr.get("val")
    hexa = palette[_CLR_MAP.get(val, val)] if clr.tag == f"{A}schemeClr" else val
    rgb = tuple(int(hexa[i : i + 2], 16) / 255 for i in (0, 2, 4))
    mod = clr.find(f"{A}lumMod")
    off = clr.find(f"{A}lumOff")
    if mod is not None or off is not None:
        h, lum, sat = colorsys.rgb_to_hls(*rgb)
        lum = lum * (int(mod.get("val")) / 100000 if mod is not None else 1) + (int(off.get("val")) / 100000 if off is not None else 0)
        rgb = colorsys.hls_to_rgb(h, min(lum, 1.0), sat)
    return rgb


def _contrast(a, b) -> float:
    def lum(rgb):
        c = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in rgb]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _bg_fill(el):
    bg = el.find(f"{P}cSld/{P}bg")
    if bg is None:
        return None
    return bg.find(f"{P}bgPr/{A}solidFill") if bg.find(f"{P}bgPr") is not None else bg.find(f"{P}bgRef")


def _text_fills(sp, master):
    """Colour elements that set the text of a layout placeholder (its own lstStyle, else the master's)."""
    fills = list(sp.iterfind(f"{P}txBody/{A}lstStyle//{A}solidFill")) + list(sp.iterfind(f"{P}txBody/{A}lstStyle//{A}buClr"))
    if fills:
        return fills
    typ = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph").get("type", "obj")
    style = {"title": "titleStyle", "ctrTitle": "titleStyle"}.get(typ, "bodyStyle")
    return list(master.find(f"{P}txStyles/{P}{style}").iter(f"{A}solidFill"))


def test_default_master_uses_theme_colours_only():
    """No hard-coded colour in master or layouts: changing the theme's colours re-skins the deck."""
    prs = Presentation(str(PACKAGE_DEFAULT))
    for el in [prs.slide_master._element] + [lay._element for lay in prs.slide_layouts]:
        assert not list(el.iter(f"{A}srgbClr")), el.find(f"{P}cSld").get("name", "master")
        assert list(el.iter(f"{A}schemeClr"))
    palette = _palette(prs)
    assert (palette["dk2"], palette["lt2"], palette["accent2"]) == ("00357A", "E7EEF7", "E86717")


def test_default_palette_text_contrast():
    """Every layout's placeholder text is at least 4.5:1 against the layout's background."""
    prs = Presentation(str(PACKAGE_DEFAULT))
    palette = _palette(prs)
    master = prs.slide_master._element
    checked = 0
    for layout in prs.slide_layouts:
        bg = _resolve(_bg_fill(layout._element) if _bg_fill(layout._element) is not None else _bg_fill(master), palette)
        for sp in layout._element.iter(f"{P}sp"):
            if sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph") is None:
                continue
            for fill in _text_fills(sp, master):
                ratio = _contrast(_resolve(fill, palette), bg)
                assert ratio >= 4.5, f"{layout.name}: text {ratio:.1f}:1 on its background"
                checked += 1
    assert checked > 20


OFFICE_FONTS = {"Arial", "Calibri"}  # installed with every Windows and Office
METRIC_TWINS = {"Arial": "Liberation Sans", "Calibri": "Carlito"}  # what LibreOffice on Linux substitutes


def _theme_fonts(path) -> dict[str, str]:
    import re

    prs = Presentation(str(path))
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme").blob.decode()
    major = re.search(r"<a:majorFont>\s*<a:latin typeface=\"([^\"]+)\"", theme).group(1)
    minor = re.search(r"<a:minorFont>\s*<a:latin typeface=\"([^\"]+)\"", theme).group(1)
    return {"major": major, "minor": minor}


def test_theme_fonts_exist_on_a_government_laptop(repo_root):
    """Headings and body use a font every Windows/Office has, so PowerPoint does not substitute
    something wider than what kummi measured; the course's copy of the master says the same."""
    for path in (PACKAGE_DEFAULT, *sorted((repo_root / "templates" / "slides").glob("*.pptx"))):
        fonts = _theme_fonts(path)
        assert set(fonts.values()) <= OFFICE_FONTS, (path, fonts)


def test_fit_model_measures_with_the_theme_fonts_metric_twin():
    """fit.py's advance widths are those of the metric-compatible twin of the theme font, read from
    the installed TTF (PowerPoint's Arial/Calibri and LibreOffice's Liberation Sans/Carlito break
    lines at the same places)."""
    import subprocess

    from PIL import ImageFont

    from kummi.targets.slides import fit

    twin = METRIC_TWINS[_theme_fonts(PACKAGE_DEFAULT)["minor"]]
    assert twin == fit.FONT_TWIN
    for style, table in (("Regular", fit.REGULAR), ("Bold", fit.BOLD)):
        file = subprocess.run(["fc-match", "-f", "%{file}", f"{twin}:style={style}"], capture_output=True, text=True).stdout
        assert twin.replace(" ", "") in file.replace(" ", ""), f"{twin} {style} is not installed"
        font = ImageFont.truetype(file, 1000)
        wrong = {ch: (w, round(font.getlength(ch))) for ch, w in table.items() if abs(font.getlength(ch) - w) > 1}
        assert not wrong, wrong
