"""Decks rendered by LibreOffice headless: every slide renders, and no text runs outside its box.

All decks are converted in ONE soffice run (start-up dominates). The PDF words' bounding boxes
(`pdftotext -bbox-layout`) are compared with the boxes of the slide's text shapes and tables, and
with the fit model: the text areas (placeholder less insets) and the heights the planner measured.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation

from kummi.targets.slides.pdf import find_soffice, to_pdf

pytestmark = pytest.mark.libreoffice

EMU_PT = 12700
TOLERANCE = 1.5  # pt: rounding


def _need_tools():
    if find_soffice() is None:
        pytest.fail("LibreOffice (soffice) is not installed: run .ci/run or apt-get install libreoffice-impress")
    for tool in ("pdftotext", "pdftoppm"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: apt-get install poppler-utils")
    fonts = subprocess.run(["fc-list", ":family=Liberation Sans"], capture_output=True, text=True).stdout
    if not fonts.strip():
        pytest.fail("font 'Liberation Sans' (Arial metrics, the decks' fallback) is missing: apt-get install fonts-liberation2")


@pytest.fixture(scope="session")
def rendered(decks, swapped_decks, tmp_path_factory) -> dict[Path, Path]:
    _need_tools()
    all_decks = list(decks) + list(swapped_decks)
    # the swapped-template decks share names with the others: convert copies with unique names
    work = tmp_path_factory.mktemp("slides-render-in")
    inputs = []
    for i, deck in enumerate(all_decks):
        dest = work / f"{i:02d}-{deck.name}"
        shutil.copy2(deck, dest)
        inputs.append(dest)
    out = tmp_path_factory.mktemp("slides-render-out")
    pdfs = to_pdf(inputs, out)
    return dict(zip(all_decks, pdfs))


def _text_boxes(slide) -> list[tuple[float, float, float, float]]:
    boxes = []
    for shape in slide.shapes:
        if shape.has_text_frame and shape.text_frame.text.strip() or getattr(shape, "has_table", False) and shape.has_table:
            x, y, w, h = (int(v) / EMU_PT for v in (shape.left, shape.top, shape.width, shape.height))
            boxes.append((x, y, x + w, y + h))
    return boxes


def _words(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(html, etree.HTMLParser(encoding="utf-8"))
    pages = []
    for page in root.iter("page"):
        words = []
        for w in page.iter("word"):
            words.append(((w.text or "").strip(), *(float(w.get(k)) for k in ("xmin", "ymin", "xmax", "ymax"))))
        pages.append(words)
    return pages


def test_every_slide_renders(rendered, tmp_path):
    for deck, pdf in rendered.items():
        n = len(Presentation(str(deck)).slides)
        prefix = tmp_path / re.sub(r"\W", "-", pdf.stem)
        subprocess.run(["pdftoppm", "-r", "12", "-png", str(pdf), str(prefix)], check=True)
        pngs = sorted(tmp_path.glob(prefix.name + "-*.png"))
        assert len(pngs) == n, f"{deck.name}: {len(pngs)} pages rendered for {n} slides"
        for png in pngs:
            with Image.open(png) as im:
                lo, hi = im.convert("L").getextrema()
            assert hi - lo > 50, f"{png.name} is blank"


def test_no_text_outside_its_box(rendered):
    problems = []
    for deck, pdf in rendered.items():
        prs = Presentation(str(deck))
        pages = _words(pdf)
        assert len(pages) == len(prs.slides)
        for n, (slide, words) in enumerate(zip(prs.slides, pages), 1):
            title = slide.shapes.title.text_frame.text
            assert words, f"{deck.name} slide {n} ({title}) shows no text"
            boxes = _text_boxes(slide)
            for text, x0, y0, x1, y1 in words:
                # pdftotext's word box spans the font's whole bounding box (about 1.3 em), taller
                # than a line set at 1.2 em: test the middle half of it vertically, all of it
                # horizontally. A line that spills out of its box fails either way.
                mid, half = (y0 + y1) / 2, (y1 - y0) / 4
                y0, y1 = mid - half, mid + half
                inside = any(
                    x0 >= bx0 - TOLERANCE and y0 >= by0 - TOLERANCE and x1 <= bx1 + TOLERANCE and y1 <= by1 + TOLERANCE
                    for bx0, by0, bx1, by1 in boxes
                )
                if not inside:
                    problems.append(f"{deck.parent.name}/{deck.name} slide {n} ({title[:40]}): '{text}' at {x0:.0f},{y0:.0f}-{x1:.0f},{y1:.0f}")
    assert not problems, "text outside its placeholder:\n" + "\n".join(problems[:30])


def test_slide_size_matches_pdf_page(rendered):
    deck, pdf = next(iter(rendered.items()))
    prs = Presentation(str(deck))
    html = subprocess.run(["pdftotext", "-bbox-layout", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, check=True).stdout
    page = etree.fromstring(html, etree.HTMLParser(encoding="utf-8")).find(".//page")
    assert abs(float(page.get("width")) - prs.slide_width / EMU_PT) < 1
    assert abs(float(page.get("height")) - prs.slide_height / EMU_PT) < 1


def test_slide_numbers_are_shown(rendered):
    """Content slides show their number at the bottom right; the title slide does not."""
    deck, pdf = next(iter(rendered.items()))
    prs = Presentation(str(deck))
    pages = _words(pdf)
    height = prs.slide_height / EMU_PT
    width = prs.slide_width / EMU_PT
    numbered = 0
    for n, (slide, words) in enumerate(zip(prs.slides, pages), 1):
        corner = [text for text, x0, y0, x1, y1 in words if y0 > height * 0.9 and x0 > width * 0.8]
        if slide.slide_layout.name in ("Title Slide", "Closing"):
            assert str(n) not in corner, f"{deck.name} slide {n}: {slide.slide_layout.name} shows a number"
        elif slide.slide_layout.name == "Title and Content":
            assert corner == [str(n)], f"{deck.name} slide {n}: bottom right shows {corner}, not the slide number"
            numbered += 1
    assert numbered >= 3


def _pixels(pdf: Path, page: int, points, out: Path) -> list[tuple[int, int, int]]:
    """RGB at (x, y) inches on a rendered page."""
    dpi = 100
    prefix = out / f"{pdf.stem}-p{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-png", str(pdf), str(prefix)], check=True)
    with Image.open(f"{prefix}.png") as im:
        rgb = im.convert("RGB")
        return [rgb.getpixel((int(x * dpi), int(y * dpi))) for x, y in points]


def _hex(value: str) -> tuple[int, int, int]:
    return tuple(int(value[i : i + 2], 16) for i in (0, 2, 4))


def _close(a, b, tol: int = 8) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


def test_colours_follow_the_theme(rendered, decks, swapped_decks, tmp_path):
    """The swapped master changed only its theme's colour scheme: the rendered slides follow it."""
    from slides_helpers import SWAPPED_PALETTE

    default = {"dk2": "00357A", "lt2": "E7EEF7", "accent2": "E86717"}
    for deck, palette in ((decks[0], default), (swapped_decks[0], {**default, **SWAPPED_PALETTE})):
        pdf = rendered[deck]
        layouts = [s.slide_layout.name for s in Presentation(str(deck)).slides]
        content = layouts.index("Title and Content") + 1
        quote = layouts.index("Quote") + 1
        title_bg, = _pixels(pdf, 1, [(0.3, 7.2)], tmp_path)
        band, rule = _pixels(pdf, content, [(6.0, 0.06), (1.3, 1.65)], tmp_path)
        quote_bg, = _pixels(pdf, quote, [(13.1, 4.0)], tmp_path)
        seen = {"title background": title_bg, "top band": band, "title rule": rule, "quote background": quote_bg}
        want = {"title background": "dk2", "top band": "dk2", "title rule": "accent2", "quote background": "lt2"}
        for what, slot in want.items():
            assert _close(seen[what], _hex(palette[slot])), f"{deck.name}: {what} is {seen[what]}, theme {slot} is #{palette[slot]}"


def _ink(pdf: Path, page: int, out: Path, dpi: int = 100):
    prefix = out / f"{pdf.stem}-ink{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile", "-gray", "-png", str(pdf), str(prefix)], check=True)
    with Image.open(f"{prefix}.png") as im:
        return im.convert("L").copy()


def _first_dark_row(im, y0: float, y1: float, x0: float, x1: float, dpi: int = 100) -> float | None:
    for y in range(int(y0 * dpi), int(y1 * dpi)):
        if any(im.getpixel((x, y)) < 200 for x in range(int(x0 * dpi), int(x1 * dpi))):
            return y / dpi
    return None


def test_tables_sit_where_text_starts(rendered, decks, tmp_path):
    """A table leaves the same gap under the title as body text, and starts at the title text's left."""
    deck = decks[0]
    pdf = rendered[deck]
    slides = list(Presentation(str(deck)).slides)
    EMU_IN = 914400

    def has_table(slide):
        return any(getattr(s, "has_table", False) and s.has_table for s in slide.shapes)

    table_n = next(n for n, s in enumerate(slides, 1) if has_table(s))
    text_n = next(n for n, s in enumerate(slides, 1) if s.slide_layout.name == "Title and Content" and not has_table(s)
                  and 1 in {p.placeholder_format.idx for p in s.placeholders})
    title = slides[table_n - 1].shapes.title
    below_title = (title.top + title.height) / EMU_IN
    # past the end of the short rule under the title: the first dark row is the text or the table
    tops = {}
    for n in (table_n, text_n):
        tops[n] = _first_dark_row(_ink(pdf, n, tmp_path), below_title + 0.15, 7.0, 2.2, 10.0)
    assert tops[table_n] is not None and tops[text_n] is not None
    assert abs(tops[table_n] - tops[text_n]) <= 2 / 72, f"table top {tops[table_n]:.2f} in, text top {tops[text_n]:.2f} in"
    # left edge of the table's header row = where the title's text starts
    im = _ink(pdf, table_n, tmp_path)
    y = int((tops[table_n] + 0.08) * 100)
    left = next(x for x in range(im.width) if im.getpixel((x, y)) < 200) / 100
    title_x = (title.left + (title.text_frame.margin_left or 0)) / EMU_IN
    assert abs(left - title_x) <= 1.5 / 72, f"table starts at {left:.2f} in, title text at {title_x:.2f} in"


# ------------------------------------------------------------------ rendered text vs the fit model


def _planned(course_root: Path):
    """(module id, lang) -> (template, planned slides), as the build planned them."""
    from kummi.pipeline import load_and_check
    from kummi.targets.slides.plan import plan_deck
    from kummi.targets.slides.template import load_template

    course, _ = load_and_check(course_root, [])
    tpl = load_template(course_root)
    return {(m.id, lang): (tpl, plan_deck(course, m, lang, tpl).slides) for m in course.modules for lang in course.languages}


def _inner(box) -> tuple[float, float, float, float]:
    left, top, right, bottom = box.insets
    return ((box.x + left) / EMU_PT, (box.y + top) / EMU_PT, (box.x + box.w - right) / EMU_PT, (box.y + box.h - bottom) / EMU_PT)


def _check_against_plan(deck: Path, pdf: Path, tpl, specs) -> list[str]:
    """Every word of a planned text box lies inside the box's text area (placeholder less insets),
    and the rendered text of the box is no taller than the height fit.py planned for its
    paragraphs (whatever the box's vertical anchor): the renderer broke no line the fit model did
    not count."""
    from kummi.targets.slides import fit

    problems = []
    pages = _words(pdf)
    assert len(pages) == len(specs), f"{deck.name}: {len(pages)} pages, {len(specs)} planned slides"
    for n, (spec, words) in enumerate(zip(specs, pages), 1):
        geo = tpl.layouts[spec.role]
        areas = []  # (text area, planned height or None)
        if geo.title is not None:
            areas.append((_inner(geo.title), None))
        bodies = list(geo.bodies)
        for paras, box in ((spec.body, bodies[0] if bodies else None), (spec.body2, bodies[1] if len(bodies) > 1 else None)):
            if paras and box is not None and spec.table is None:
                areas.append((_inner(box), fit.height(box, paras)))
        if spec.table is not None and bodies:
            x, y, w, h = fit.table_area(bodies[0])
            areas.append(((x / EMU_PT, y / EMU_PT, (x + w) / EMU_PT, (y + sum(spec.table.row_heights)) / EMU_PT), None))
        spans: dict[int, list[float]] = {}
        for word, wx0, wy0, wx1, wy1 in words:
            if word.isdigit() and wy0 > 6.8 * 72:  # the slide number
                continue
            mid, half = (wy0 + wy1) / 2, (wy1 - wy0) / 4
            cy0, cy1 = mid - half, mid + half
            home = [i for i, (a, _) in enumerate(areas) if a[0] - TOLERANCE <= (wx0 + wx1) / 2 <= a[2] + TOLERANCE
                    and a[1] - TOLERANCE <= mid <= a[3] + TOLERANCE]
            where = f"{deck.name} slide {n} ({spec.title[:40]}): '{word}' at {wx0:.0f},{cy0:.0f}-{wx1:.0f},{cy1:.0f}"
            if not home:
                problems.append(where + " is in no planned text area")
                continue
            (ax0, ay0, ax1, ay1), _ = areas[home[0]]
            if wx0 < ax0 - TOLERANCE or wx1 > ax1 + TOLERANCE or cy1 > ay1 + TOLERANCE or cy0 < ay0 - TOLERANCE:
                problems.append(where + f" runs out of its text area {ax0:.0f},{ay0:.0f}-{ax1:.0f},{ay1:.0f}")
            span = spans.setdefault(home[0], [cy0, cy1])
            span[0], span[1] = min(span[0], cy0), max(span[1], cy1)
        for i, (top, bottom) in spans.items():
            planned = areas[i][1]
            if planned is not None and bottom - top > planned + TOLERANCE:
                problems.append(f"{deck.name} slide {n} ({spec.title[:40]}): text {bottom - top:.0f} pt tall, fit model planned {planned:.0f} pt")
    return problems


def test_rendered_text_stays_within_the_fit_model(rendered, decks, swapped_decks, slides_course, swapped_course):
    problems = []
    for root, group in ((slides_course, decks), (swapped_course, swapped_decks)):
        plans = _planned(root)
        for deck in group:
            module_id, lang = deck.stem.rsplit(".", 1)
            tpl, specs = plans[(module_id, lang)]
            problems += _check_against_plan(deck, rendered[deck], tpl, specs)
    assert not problems, f"{len(problems)} words outside the fit model:\n" + "\n".join(problems[:30])

