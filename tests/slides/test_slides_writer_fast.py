"""The deck writer's XML, read straight from the package: every part parses, titles come first,
notes and slide numbers are where the plan puts them, hostile text stays escaped, output is stable."""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation

from kummi.diagnostics import Location
from kummi.pipeline import load_and_check
from kummi.targets.slides.plan import plan_deck
from kummi.targets.slides.pptxparts import template_parts
from kummi.targets.slides.spec import Para, Run, SlideSpec
from kummi.targets.slides.template import load_template
from kummi.targets.slides.writer import UNNUMBERED, write_deck
from slides_helpers import A, EPOCH, P

R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NOTES_SLIDE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/notesSlide"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


@pytest.fixture(scope="module")
def planned(slides_course):
    course, _ = load_and_check(slides_course, [])
    tpl = load_template(course.root)
    return tpl, [plan_deck(course, m, lang, tpl) for m in course.modules for lang in course.languages]


class Package:
    """A written deck's parts, parsed."""

    def __init__(self, path: Path):
        with zipfile.ZipFile(path) as zf:
            self.blobs = {n: zf.read(n) for n in zf.namelist()}

    def xml(self, member: str):
        return etree.fromstring(self.blobs[member])

    def rels(self, member: str) -> dict[str, etree._Element]:
        base, name = posixpath.split(member)
        rels_name = posixpath.join(base, "_rels", name + ".rels")
        if rels_name not in self.blobs:
            return {}
        return {el.get("Id"): el for el in self.xml(rels_name).iter(f"{PR}Relationship")}

    def target(self, member: str, rel) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(member), rel.get("Target")))

    def slides(self) -> list[str]:
        rels = self.rels("ppt/presentation.xml")
        ids = self.xml("ppt/presentation.xml").iter(f"{P}sldId")
        return [self.target("ppt/presentation.xml", rels[el.get(f"{R}id")]) for el in ids]

    def notes(self, slide: str) -> str | None:
        found = [self.target(slide, r) for r in self.rels(slide).values() if r.get("Type") == NOTES_SLIDE]
        return found[0] if found else None


def _shapes(sld) -> list:
    return list(sld.find(f"{P}cSld/{P}spTree"))[2:]  # after nvGrpSpPr and grpSpPr


def _ph(shape):
    return shape[0].find(f"{P}nvPr/{P}ph")


def _text(el) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(f"{A}t")) for p in el.iter(f"{A}p"))


def _write(deck, tpl, path: Path) -> Package:
    write_deck(deck, tpl, path, EPOCH)
    return Package(path)


def test_every_part_parses_and_slides_follow_the_plan(planned, tmp_path):
    tpl, decks = planned
    assert decks and sum(len(d.slides) for d in decks) > 100
    for deck in decks:
        pkg = _write(deck, tpl, tmp_path / f"{deck.module_id}.{deck.lang}.pptx")
        for name, blob in pkg.blobs.items():
            if name.endswith((".xml", ".rels")):
                etree.fromstring(blob)  # raises on broken XML
        slides = pkg.slides()
        assert len(slides) == len(deck.slides)
        first = int(pkg.xml("ppt/presentation.xml").get("firstSlideNum", "1"))
        notes_names = [n for n in map(pkg.notes, slides) if n]
        assert notes_names == [f"ppt/notesSlides/notesSlide{i}.xml" for i in range(1, len(notes_names) + 1)]
        for number, (member, spec) in enumerate(zip(slides, deck.slides), first):
            where = f"{deck.module_id}.{deck.lang} slide {number}"
            sld = pkg.xml(member)
            shapes = _shapes(sld)
            assert _ph(shapes[0]).get("type") in ("title", "ctrTitle"), f"{where}: title is not first in reading order"
            assert _text(shapes[0]) == spec.title, where
            for shape in shapes:  # no empty placeholder left behind
                assert shape.tag != f"{P}sp" or _text(shape).strip(), f"{where}: empty placeholder"
            for el in sld.iter(f"{A}rPr", f"{A}endParaRPr"):
                assert el.get("lang") == spec.lang, where
            assert all(p.find(f"{A}endParaRPr") is not None for p in sld.iter(f"{A}p")), f"{where}: paragraph without endParaRPr"
            numbers = [f for f in sld.iter(f"{A}fld") if f.get("type") == "slidenum"]
            if spec.role in UNNUMBERED:
                assert not numbers, where
            else:
                assert ["".join(f.itertext()) for f in numbers] == [str(number)], where
            if spec.picture is not None:
                assert [c.get("descr") for c in sld.iter(f"{P}cNvPr") if c.getparent().tag == f"{P}nvPicPr"] == [spec.picture.alt], where
            if spec.table is not None:
                assert [t.get("firstRow") for t in sld.iter(f"{A}tblPr")] == ["1"], where
            notes = pkg.notes(member)
            assert (notes is not None) == bool(spec.notes), where
            if notes:
                body = [sp for sp in _shapes(pkg.xml(notes)) if _ph(sp).get("type") == "body"]
                assert _text(body[0]) == spec.notes, where


def test_same_deck_same_bytes(planned, tmp_path):
    tpl, decks = planned
    deck = max(decks, key=lambda d: len(d.slides))
    first = write_deck(deck, tpl, tmp_path / "a" / "deck.pptx", EPOCH).read_bytes()
    again = write_deck(deck, tpl, tmp_path / "b" / "deck.pptx", EPOCH).read_bytes()
    assert first == again
    assert write_deck(deck, tpl, tmp_path / "c" / "deck.pptx", EPOCH + 60).read_bytes() != first  # the clock is in the file


def test_hostile_text_is_escaped(planned, tmp_path):
    tpl, decks = planned
    title = 'Ja <b> & "lainaus"\tja \x07kello'
    url = 'https://example.org/?a=1&b="2"<x>'
    spec = SlideSpec("content", title, "fi-FI", Location("x.md"),
                     body=(Para((Run("linkki <&>", href=url, bold=True),), kind="bullet"),), notes='Muista <&> "tämä"\x01\n\nloppu')
    deck = replace(decks[0], title='Pakka <&> "x"', slides=(spec, replace(spec, role="closing", title="Loppu")))
    pkg = _write(deck, tpl, tmp_path / "hostile.pptx")
    slide = pkg.slides()[0]
    sld = pkg.xml(slide)
    assert _text(_shapes(sld)[0]) == 'Ja <b> & "lainaus"\tja _x0007_kello'  # control characters as python-pptx escapes them
    click = next(sld.iter(f"{A}hlinkClick"))
    rel = pkg.rels(slide)[click.get(f"{R}id")]
    assert (rel.get("Type"), rel.get("Target"), rel.get("TargetMode")) == (HYPERLINK, url, "External")
    body = [sp for sp in _shapes(pkg.xml(pkg.notes(slide))) if _ph(sp).get("type") == "body"][0]
    assert _text(body) == 'Muista <&> "tämä"_x0001_\n\nloppu'
    assert Presentation(str(tmp_path / "hostile.pptx")).core_properties.title == 'Pakka <&> "x"'


def test_master_is_read_once_per_file(planned):
    tpl, _ = planned
    assert template_parts(tpl.path) is template_parts(tpl.path)
