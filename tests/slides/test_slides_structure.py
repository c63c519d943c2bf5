"""Decks opened with python-pptx: titles, reading order, notes, alt text, languages, layouts, tables."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER

from kummi.pipeline import load_and_check
from slides_helpers import A, LAYOUT_NAMES, P, module_ids


def _decks_by_name(decks) -> dict[str, Path]:
    return {p.name: p for p in decks}


def test_one_deck_per_module_and_language(slides_course, decks):
    names = {p.name for p in decks}
    expected = {f"{mid}.{lang}.pptx" for mid in module_ids(slides_course) for lang in ("fi", "sv")}
    assert names == expected


def test_every_slide_has_a_unique_title_first_in_reading_order(decks):
    for path in decks:
        prs = Presentation(str(path))
        titles = []
        for n, slide in enumerate(prs.slides, 1):
            title = slide.shapes.title
            assert title is not None and title.text_frame.text.strip(), f"{path.name} slide {n} has no title"
            first = next(iter(slide.shapes))
            assert first.shape_id == title.shape_id, f"{path.name} slide {n}: title is not first in reading order"
            titles.append(title.text_frame.text.strip().casefold())
        dupes = {t for t in titles if titles.count(t) > 1}
        assert not dupes, f"{path.name}: duplicate titles {dupes}"


def test_layouts_are_picked_by_name(decks):
    used = set()
    for path in decks:
        for slide in Presentation(str(path)).slides:
            assert slide.slide_layout.name in LAYOUT_NAMES
            used.add(slide.slide_layout.name)
    # the course (with the dense lesson) uses every kind of slide
    assert used >= {"Title Slide", "Section Header", "Title and Content", "Two Content", "Picture with Caption", "Quote", "Closing"}


def test_deck_shape(decks):
    prs = Presentation(str(_decks_by_name(decks)["tyo-2-0.fi.pptx"]))
    slides = list(prs.slides)
    assert slides[0].slide_layout.name == "Title Slide"
    assert slides[-1].slide_layout.name == "Closing"
    assert slides[1].shapes.title.text == "Osaamistavoitteet"  # learnertext common.objectives
    subtitle = slides[0].placeholders[1].text_frame.text
    assert "Valtiovarainministeriö" in subtitle and "30 min" in subtitle
    titles = [s.shapes.title.text for s in slides]
    assert "Tietovisa" in titles and "Kysymys 1" in titles


def test_text_runs_carry_the_language(decks):
    for path in decks:
        lang = path.name.split(".")[-2]
        tag = {"fi": "fi-FI", "sv": "sv-FI"}[lang]
        prs = Presentation(str(path))
        assert prs.core_properties.language == tag
        assert prs.core_properties.title
        seen = set()
        for slide in prs.slides:
            parts = [slide._element]
            if slide.has_notes_slide:
                parts.append(slide.notes_slide._element)
            for el in parts:
                for r in el.iter(f"{A}r"):
                    rpr = r.find(f"{A}rPr")
                    assert rpr is not None and rpr.get("lang") in ("fi-FI", "sv-FI"), f"{path.name}: run without language"
                    seen.add(rpr.get("lang"))
        assert tag in seen


def test_pictures_have_alt_text_from_markdown(slides_course, decks):
    course, _ = load_and_check(slides_course, [])
    alts = {img.alt for m in course.modules for lesson in m.lessons for t in lesson.texts for img in t.images}
    count = 0
    for path in decks:
        for slide in Presentation(str(path)).slides:
            for pic in slide._element.iter(f"{P}pic"):
                descr = pic.find(f"{P}nvPicPr/{P}cNvPr").get("descr", "")
                assert descr in alts, f"{path.name}: alt text {descr!r} is not from the Markdown"
                assert not re.search(r"\.(png|jpe?g|gif|svg)$", descr, re.I)
                count += 1
    assert count > 0


def test_tables_have_a_header_row(decks):
    tables = 0
    for path in decks:
        for slide in Presentation(str(path)).slides:
            for tbl in slide._element.iter(f"{A}tbl"):
                assert tbl.find(f"{A}tblPr").get("firstRow") == "1"
                tables += 1
    assert tables >= 2


def test_continuation_slides_and_notes(decks):
    prs = Presentation(str(_decks_by_name(decks)["tyo-2-0.fi.pptx"]))
    titles = [s.shapes.title.text for s in prs.slides]
    parts = [t for t in titles if t.startswith("Pitkä luettelo (")]
    assert len(parts) >= 3 and parts[0].endswith(f"(1/{len(parts)})")
    first = next(s for s in prs.slides if s.shapes.title.text == parts[0])
    assert "Käy luettelo läpi nopeasti." in first.notes_slide.notes_text_frame.text
    # every list item made it, in order, across the continuation slides
    text = "\n".join(s.placeholders[1].text_frame.text for s in prs.slides if s.shapes.title.text in parts)
    numbers = [int(n) for n in re.findall(r"Kohta (\d+):", text)]
    assert numbers == list(range(1, 23))
    table_parts = [t for t in titles if t.startswith("Taulukko")]
    assert len(table_parts) >= 2


def test_reflection_and_quiz_slides(decks):
    prs = Presentation(str(_decks_by_name(decks)["tyo-2-0.fi.pptx"]))
    quotes = [s for s in prs.slides if s.slide_layout.name == "Quote"]
    assert any("tärkein" in s.placeholders[1].text_frame.text for s in quotes)
    questions = [s for s in prs.slides if s.shapes.title.text.startswith("Kysymys")]
    assert questions
    for slide in questions:
        notes = slide.notes_slide.notes_text_frame.text
        assert "Oikea vastaus" in notes or "Oikeat vastaukset" in notes
        assert "Palaute" in notes


def test_inline_markdown_becomes_runs_and_links(decks):
    prs = Presentation(str(_decks_by_name(decks)["tyo-2-0.fi.pptx"]))
    links, glossary_plain, bold = [], False, False
    for slide in prs.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame:
                continue
            for p in shape.text_frame.paragraphs:
                for r in p.runs:
                    if r.hyperlink.address:
                        links.append((r.text, r.hyperlink.address))
                    if r.text and "ilmiölähtöisyys" in r.text and not r.hyperlink.address:
                        glossary_plain = True
                    if r.font.bold and "yhdellä silmäyksellä" in r.text:
                        bold = True
    assert ("linkki eOppivaan", "https://www.eoppiva.fi/") in links
    assert glossary_plain and bold


def test_no_file_names_or_placeholder_prompts_leak(decks):
    for path in decks:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                if name.startswith("ppt/slides/slide") and name.endswith(".xml"):
                    xml = zf.read(name).decode("utf-8")
                    assert "rakenteet.png" not in xml
                    assert "Click to" not in xml


def _slidenum_fields(slide):
    return list(slide._element.iter(f"{A}fld"))


def test_content_slides_carry_a_slide_number_from_the_layout(decks):
    for path in decks:
        prs = Presentation(str(path))
        slides = list(prs.slides)
        for n, slide in enumerate(slides, 1):
            fields = [f for f in _slidenum_fields(slide) if f.get("type") == "slidenum"]
            layout_has = any(ph.placeholder_format.type == PP_PLACEHOLDER.SLIDE_NUMBER for ph in slide.slide_layout.placeholders)
            if slide.slide_layout.name in ("Title Slide", "Closing") or not layout_has:
                assert not fields, f"{path.name} slide {n} ({slide.slide_layout.name}) should have no number"
                continue
            assert len(fields) == 1, f"{path.name} slide {n} ({slide.shapes.title.text}) has no slide number"
            assert fields[0].findtext(f"{A}t") == str(n)
            # the number is the layout's placeholder, inheriting position and style, last in reading order
            sp = list(slide.shapes._spTree.iter(f"{P}sp"))[-1]
            assert fields[0] in sp.iter(f"{A}fld")
            assert sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph").get("type") == "sldNum"
            assert len(sp.find(f"{P}spPr")) == 0
            shape = slide.shapes[-1]
            layout_ph = next(p for p in slide.slide_layout.placeholders if p.placeholder_format.type == shape.placeholder_format.type)
            assert (shape.left, shape.top, shape.width, shape.height) == (layout_ph.left, layout_ph.top, layout_ph.width, layout_ph.height)
    # the default master numbers every slide but the first and the last
    numbered = [s for path in decks for s in Presentation(str(path)).slides if s.slide_layout.name not in ("Title Slide", "Closing")]
    assert {s.slide_layout.name for s in numbered} >= {"Title and Content", "Section Header", "Quote", "Two Content"}
    assert all(_slidenum_fields(s) for s in numbered)


def test_shape_ids_stay_unique_with_the_slide_number(decks):
    for path in decks:
        for n, slide in enumerate(Presentation(str(path)).slides, 1):
            ids = [e.get("id") for e in slide._element.iter(f"{P}cNvPr")]
            assert len(ids) == len(set(ids)), f"{path.name} slide {n}: duplicate shape ids {ids}"


def test_tables_line_up_with_the_title_text(decks):
    """A table's left edge is where the title's (and body's) text starts, not the placeholder edge."""
    tables = 0
    for path in decks:
        for slide in Presentation(str(path)).slides:
            frames = [s for s in slide.shapes if getattr(s, "has_table", False) and s.has_table]
            if not frames:
                continue
            title = slide.shapes.title
            body = next(p for p in slide.slide_layout.placeholders if p.placeholder_format.idx == 1)
            title_x = title.left + (title.text_frame.margin_left or 0)
            body_top = body.top + body.text_frame.margin_top
            for frame in frames:
                assert frame.left == title_x == body.left + body.text_frame.margin_left
                assert frame.top > body_top  # below the first line's leading, as body text shows
                assert frame.left + frame.width == body.left + body.width - body.text_frame.margin_right
                tables += 1
    assert tables >= 2
