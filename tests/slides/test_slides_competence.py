"""The mentors' competence map as table slides in the deck of the module with competence_map: true:
every mentor once per theme they cover and nowhere else, agency codes only where they add
something, the dense-table limits kept without warnings, and the slides rendered by LibreOffice."""
from __future__ import annotations

import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from pptx import Presentation
from ruamel.yaml import YAML

from kummi.pipeline import load_and_check
from kummi.targets.slides import SlidesTarget
from kummi.targets.slides.plan import MAX_TABLE_COLS, MAX_TABLE_ROWS, plan_deck
from kummi.targets.slides.template import load_template
from slides_helpers import A, build, copy_course

MAP_MODULE = "kummin-rooli"
TITLES = {"fi": "Kummien osaamiskartta", "sv": "Faddrarnas kompetenskarta"}
AGENCY = {"fi": "Virasto", "sv": "Myndighet"}


@pytest.fixture(scope="module")
def map_course(tmp_path_factory) -> Path:
    return copy_course(tmp_path_factory.mktemp("map-course") / "course")


@pytest.fixture(scope="module")
def map_decks(map_course, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("map-build")
    paths = build(map_course, out, modules=(MAP_MODULE,))
    return {p.name.split(".")[-2]: p for p in paths if p.suffix == ".pptx"}


def _map_slides(deck: Path, lang: str):
    return [s for s in Presentation(str(deck)).slides if s.shapes.title.text.startswith(TITLES[lang])]


def _cells(slide) -> tuple[list[str], list[list[str]]]:
    """(header texts, body rows) of the slide's one table; line breaks in a cell kept as \\n."""
    tables = [s.table for s in slide.shapes if getattr(s, "has_table", False) and s.has_table]
    assert len(tables) == 1
    grid = [[cell.text_frame.text.replace("\v", "\n") for cell in row.cells] for row in tables[0].rows]
    return grid[0], grid[1:]


def _expected(course, lang: str) -> Counter:
    """(theme name, agency label, role) for every mentor and every theme they cover."""
    themes = {t.id: t.name.get(lang) for t in course.themes}
    out = Counter()
    for mentor in course.mentors:
        agency = course.agency(mentor.agency)
        name = agency.name.get(lang) if agency else mentor.agency
        label = name if name.casefold().startswith(mentor.agency.casefold()) else f"{name} ({mentor.agency})"
        for theme in mentor.themes:
            out[(themes[theme], label, mentor.role.get(lang))] += 1
    return out


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_every_mentor_once_per_theme_they_cover(map_course, map_decks, lang):
    course, _ = load_and_check(map_course, [])
    slides = _map_slides(map_decks[lang], lang)
    assert len(slides) >= 2
    found = Counter()
    for slide in slides:
        header, rows = _cells(slide)
        assert header[0] == AGENCY[lang]
        for row in rows:
            for theme, cell in zip(header[1:], row[1:]):
                for line in filter(None, cell.split("\n")):
                    found[(theme, row[0], re.sub(r"^• ", "", line))] += 1
    expected = _expected(course, lang)
    assert found == expected  # each once, none in a theme they do not cover
    assert max(found.values()) == 1
    # the sample course's network: a code equal to the name is not repeated, a different one is shown
    labels = {row for _, row, _ in found}
    if lang == "fi":
        assert "Poliisi" in labels and "Maanmittauslaitos (MML)" in labels
        assert not any(label.startswith("Poliisi (") or label.startswith("Tulli (") for label in labels)


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_map_slides_are_readable_and_accessible(map_decks, lang):
    prs = Presentation(str(map_decks[lang]))
    titles = [s.shapes.title.text for s in prs.slides]
    slides = _map_slides(map_decks[lang], lang)
    n = len(slides)
    assert [s.shapes.title.text for s in slides] == [f"{TITLES[lang]} ({k}/{n})" for k in range(1, n + 1)]
    # after the lessons, just before the quiz
    first = titles.index(slides[0].shapes.title.text)
    assert titles[first + n] in ("Tietovisa", "Frågesport", "Quiz") or prs.slides[first + n].slide_layout.name == "Section Header"
    tag = {"fi": "fi-FI", "sv": "sv-FI"}[lang]
    for slide in slides:
        assert next(iter(slide.shapes)).shape_id == slide.shapes.title.shape_id  # title first in reading order
        tbl = slide._element.find(f".//{A}tbl")
        pr = tbl.find(f"{A}tblPr")
        assert pr.get("firstRow") == "1" and pr.get("firstCol") == "1"  # header row and row headers
        header, rows = _cells(slide)
        assert len(header) <= MAX_TABLE_COLS and 1 <= len(rows) <= 6 <= MAX_TABLE_ROWS
        sizes = {int(r.find(f"{A}rPr").get("sz")) for r in tbl.iter(f"{A}r")}
        assert sizes and min(sizes) >= 1400  # at least 14 pt
        assert {r.find(f"{A}rPr").get("lang") for r in tbl.iter(f"{A}r")} == {tag}
        notes = slide.notes_slide.notes_text_frame.text
        assert "mentors.yaml" in notes and re.search(r": fi(, sv)?$", notes, re.M)
        assert {r.find(f"{A}rPr").get("lang") for r in slide.notes_slide._element.iter(f"{A}r")} == {tag}


def test_only_the_module_with_the_flag_has_the_map(map_course):
    course, _ = load_and_check(map_course, [])
    tpl = load_template(map_course)
    for module in course.modules:
        deck = plan_deck(course, module, "fi", tpl)
        has_map = any(s.title.startswith(TITLES["fi"]) for s in deck.slides)
        assert has_map == module.competence_map, module.id
        assert not deck.warnings, [(c, str(m)) for c, m, _, _ in deck.warnings]


def test_a_large_network_is_paginated_without_warnings(tmp_path):
    """7 themes and 23 agencies with long role names: at most 4 themes and 6 agencies a slide, each
    page within the body's height at 14 pt or more, every mentor once per theme, no KM702."""
    from kummi.targets.slides import fit

    root = copy_course(tmp_path / "course")
    yaml = YAML()
    path = root / "content" / "mentors.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    agencies = yaml.load((root / "content" / "agencies.yaml").read_text(encoding="utf-8"))["agencies"]
    themes = [t["id"] for t in data["themes"]][:7]
    data["themes"] = data["themes"][:7]
    mentors = []
    for i, agency in enumerate(agencies):
        for j in range(2):
            mentors.append({
                "id": f"m{i}-{j}",
                "role": {"fi": f"Henkilöstön kehittämisen ja työhyvinvoinnin erityisasiantuntija {i}-{j}", "sv": f"Fadder {i}-{j}"},
                "agency": agency["code"],
                "themes": [themes[(i + j * 3 + k) % 7] for k in range(3)],
                "languages": ["fi"],
            })
    data["mentors"] = mentors
    for module in (root / "modules").iterdir():
        mod = module / "module.yaml"
        if mod.is_file():
            text = mod.read_text(encoding="utf-8")
            mod.write_text(re.sub(r"^authors: .*$", "authors: [m0-0]", text, flags=re.M), encoding="utf-8")
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(data, fh)
    course, report = load_and_check(root, [SlidesTarget()])
    assert course is not None and not report.has_errors(), [d.format_text() for d in report.errors]
    assert not [d for d in report.warnings if d.code == "KM702"]
    tpl = load_template(root)
    module = next(m for m in course.modules if m.competence_map)
    deck = plan_deck(course, module, "fi", tpl)
    assert not deck.warnings
    tables = [s.table for s in deck.slides if s.title.startswith(TITLES["fi"])]
    _, _, _, height = fit.table_area(tpl.layouts["content"].bodies[0])
    found = Counter()
    for table in tables:
        assert len(table.header) <= 5 and len(table.rows) <= 6 and table.size >= 14
        assert sum(table.row_heights) <= height
        heads = ["".join(r.text for r in h) for h in table.header]
        for row in table.rows:
            for head, cell in zip(heads[1:], row[1:]):
                for line in filter(None, "".join(r.text for r in cell).split("\n")):
                    found[(head, re.sub(r"^• ", "", line))] += 1
    names = {t.id: t.name.get("fi") for t in course.themes}
    assert found == Counter({(names[t], m["role"]["fi"]): 1 for m in mentors for t in m["themes"]})


# ------------------------------------------------------------------ rendered


@pytest.mark.libreoffice
def test_map_slides_render_within_the_fit_model(map_course, map_decks, tmp_path):
    """LibreOffice draws every word of the map slides inside the planned table area; PNGs of the
    map slides are kept in the tmp dir for a person to look at."""
    from kummi.targets.slides.pdf import find_soffice, to_pdf
    from test_slides_render import _check_against_plan, _planned, _words

    if find_soffice() is None or shutil.which("pdftoppm") is None:
        pytest.fail("LibreOffice and poppler-utils are needed: apt-get install libreoffice-impress poppler-utils")
    decks = [map_decks["fi"], map_decks["sv"]]
    pdfs = to_pdf(decks, tmp_path)
    plans = _planned(map_course)
    problems = []
    for deck, pdf in zip(decks, pdfs):
        lang = deck.name.split(".")[-2]
        tpl, specs = plans[(MAP_MODULE, lang)]
        problems += _check_against_plan(deck, pdf, tpl, specs)
        pages = _words(pdf)
        numbers = [n for n, s in enumerate(specs, 1) if s.title.startswith(TITLES[lang])]
        assert numbers
        for n in numbers:
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(n), "-l", str(n), str(pdf), str(tmp_path / f"map-{lang}-{n}")], check=True)
            words = " ".join(w for w, *_ in pages[n - 1])
            spec = specs[n - 1]
            for row in spec.table.rows:  # every role word was drawn (nothing clipped)
                for cell in row:
                    for word in "".join(r.text for r in cell).replace("•", " ").split():
                        assert word in words, (lang, n, word)
    assert not problems, "\n".join(problems[:20])
