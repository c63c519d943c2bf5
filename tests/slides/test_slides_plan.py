"""The planner on a course model: document order, title patterns and density warnings."""
from __future__ import annotations

import pytest

from kummi.i18n import text
from kummi.pipeline import load_and_check
from kummi.targets.slides.plan import plan_deck
from kummi.targets.slides.strings import t
from kummi.targets.slides.template import load_template
from slides_helpers import copy_course, first_module_dir

LESSON = """---
title: Järjestys
---

## Pohdittavaksi

Ensin tämä lause.

!!! reflection "Pohdi"
    Mitä ajattelet?

Jäljelle jäänyt lause.

## Vain pohdinta

!!! reflection "Mieti"
    Entä tämä?

## Leveä taulukko

| A | B | C | D | E | F |
|---|---|---|---|---|---|
| 1 | 2 | 3 | 4 | 5 | 6 |

## Pitkä taulukko

| A | B |
|---|---|
{rows}

## Kolmeen osaan

{items}
"""


@pytest.fixture(scope="module")
def planned(tmp_path_factory):
    root = copy_course(tmp_path_factory.mktemp("plan") / "course")
    rows = "\n".join(f"| {i} | rivi |" for i in range(9))
    items = "\n".join(f"- Kohta {i}: virastojen yhteinen toimintatapa, jossa asiakkaan tarve ohjaa työtä" for i in range(20))
    path = first_module_dir(root) / "96-jarjestys.md"
    path.write_text(LESSON.format(rows=rows, items=items), encoding="utf-8")
    course, _ = load_and_check(root, [])
    deck = plan_deck(course, course.modules[0], "fi", load_template(root))
    rel = path.relative_to(root).as_posix()
    return [s for s in deck.slides if s.loc.path == rel], [w for w in deck.warnings if w[2].path == rel]


def test_reflection_keeps_document_order(planned):
    slides, _ = planned
    lines = [s.loc.line for s in slides]
    assert lines == sorted(lines)
    bodies = [(s.role, s.body[0].text if s.body else "") for s in slides]
    before = bodies.index(("content", "Ensin tämä lause."))
    assert bodies[before + 1] == ("quote", "Mitä ajattelet?")
    assert bodies[before + 2] == ("content", "Jäljelle jäänyt lause.")


def test_reflection_titles_follow_one_pattern(planned):
    slides, _ = planned
    titles = {s.body[0].text: s.title for s in slides if s.role == "quote"}
    assert titles["Mitä ajattelet?"] == t("reflection_title", "fi", label="Pohdi", slide="Pohdittavaksi")
    assert titles["Entä tämä?"] == "Vain pohdinta"  # a slide holding only the reflection keeps its heading


def test_density_warnings_at_the_source_line(planned):
    _, warnings = planned
    by_line = {}
    for code, message, loc, _ in warnings:
        assert code == "KM702"
        by_line.setdefault(loc.line, []).append(text(message, "en"))
    wide = next(line for line, msgs in by_line.items() if any("6 columns" in m for m in msgs))
    tall = next(line for line, msgs in by_line.items() if any("9 rows" in m for m in msgs))
    assert wide < tall
    assert any("Kolmeen osaan" in m and "too dense" in m for msgs in by_line.values() for m in msgs)


def test_long_text_before_a_picture_shares_its_slide(tmp_path):
    """Text too long to sit beside a picture is split at a paragraph: the first part gets its own
    slide, the last part goes beside the picture in two columns (document order kept)."""
    from PIL import Image

    root = copy_course(tmp_path / "course")
    folder = first_module_dir(root)
    (folder / "media").mkdir(exist_ok=True)
    Image.new("RGB", (800, 600), "#00357A").save(folder / "media" / "kaavio.png")
    items = [f"Kohta {i}: virastojen yhteinen toimintatapa, jossa asiakkaan tarve ohjaa työtä" for i in range(12)]
    path = folder / "95-kuva.md"
    path.write_text("---\ntitle: Kuva\n---\n\n## Luettelo ja kuva\n\n" + "\n".join(f"- {x}" for x in items)
                    + "\n\n![Kaavio](media/kaavio.png)\n", encoding="utf-8")
    course, _ = load_and_check(root, [])
    deck = plan_deck(course, course.modules[0], "fi", load_template(root))
    rel = path.relative_to(root).as_posix()
    slides = [s for s in deck.slides if s.loc.path == rel and s.role != "section"]
    assert [s.role for s in slides][-1] == "two", [s.role for s in slides]
    assert slides[-1].picture is not None and slides[-1].body
    texts = [p.text for s in slides for p in s.body]
    assert texts == items
    lines = [s.loc.line for s in slides]
    assert lines == sorted(lines)
