"""Helpers for the slides tests: building decks in-process, a dense test lesson, reading PPTX XML."""
from __future__ import annotations

import re

from pathlib import Path

import testpaths

from kummi.diagnostics import Report
from kummi.pipeline import load_and_check
from kummi.targets.base import BuildOptions
from kummi.targets.slides import SlidesTarget
from kummi.targets.slides.template import LAYOUTS

REPO = Path(__file__).resolve().parents[2]
EPOCH = 1718000000
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
LAYOUT_NAMES = set(LAYOUTS.values())

# A lesson that exercises every splitting rule: a long list, a very long paragraph, a long title,
# a long table, code, a callout, an image with a caption, a link, a glossary link and notes.
DENSE_LESSON = """---
title: Tiivis testioppitunti
duration: 15
---

Johdanto, jossa on [linkki eOppivaan](https://www.eoppiva.fi/) ja termi [ilmiölähtöisyys](glossary:ilmiolahtoisyys).

## Pitkä luettelo

{items}

!!! notes "Kouluttajalle"
    Käy luettelo läpi nopeasti.

## {long_title}

{paragraph}

## Taulukko

| Rakenne | Mitä se tekee |
|---|---|
{rows}

## Koodi ja huomautus

```
kummi build --target slides --module tyo-2-0 --lang sv
kummi check
```

!!! tip "Vinkki"
    Rakenna yksi moduuli kerrallaan, niin näet tuloksen nopeasti.

## Kuva ja selitys

Kaavio näyttää kuusi rakennetta **yhdellä silmäyksellä**.

![Kuusi rakennetta kaaviona: strategia, ohjausryhmä, kummit, pilotit, osaaminen ja asiakasraati](media/rakenteet.png)

## Kuva ja luettelo

- Strategia suuntaa yhteisiä palveluja.
- Ohjausryhmä ohjaa henkilöstöasioita.
- Kummit vievät muutosta virastoihin.
- Pilotit kokeilevat uutta ensimmäisinä ja kertovat muille, mikä toimi.

![Kuusi rakennetta kaaviona: strategia, ohjausryhmä, kummit, pilotit, osaaminen ja asiakasraati](media/rakenteet.png)

## Pohdinta

!!! reflection "Pohdi"
    Mikä näistä rakenteista on sinulle tärkein ja miksi?
"""


def dense_lesson() -> str:
    items = "\n".join(
        f"- Kohta {i}: virastojen yhteinen toimintatapa, jossa asiakkaan tarve ohjaa työtä yli rakenteiden"
        + ("\n    - Alakohta, joka tarkentaa edellistä kohtaa hieman" if i % 4 == 0 else "")
        for i in range(1, 23)
    )
    sentence = "Työ 2.0 tarkoittaa, että virastot tekevät yhteistyötä asiakkaan tarpeesta käsin eivätkä omien rajojensa sisällä. "
    paragraph = (sentence * 30).strip()
    rows = "\n".join(f"| Rakenne numero {i} | Kuvaus rakenteesta {i}, joka on tarkoituksella melko pitkä solu |" for i in range(1, 31))
    long_title = "Erittäin pitkä otsikko, joka ei mahdu yhdelle riville vaan jatkuu ja jatkuu ja jatkuu vielä kolmannellekin riville asti"
    return DENSE_LESSON.format(items=items, paragraph=paragraph, rows=rows, long_title=long_title)


def copy_course(dest: Path) -> Path:
    return testpaths.copy_course(REPO, dest)


def first_module_dir(root: Path) -> Path:
    return sorted(p for p in (root / "modules").iterdir() if (p / "module.yaml").is_file())[0]


def add_dense_lesson(root: Path) -> Path:
    folder = first_module_dir(root)
    media = folder / "media"
    media.mkdir(exist_ok=True)
    if not (media / "rakenteet.png").exists():
        from PIL import Image

        Image.new("RGB", (640, 360), "#00357A").save(media / "rakenteet.png")
    path = folder / "98-tiivis.md"
    path.write_text(dense_lesson(), encoding="utf-8")
    in_review(folder)
    return path


def in_review(folder: Path) -> None:
    """For Finnish-only test lessons: the module goes back to review, where a missing translation
    is a warning (an error once published)."""
    module_yaml = folder / "module.yaml"
    module_yaml.write_text(re.sub(r"(?m)^status: published$", "status: review", module_yaml.read_text(encoding="utf-8")), encoding="utf-8")


def check(root: Path) -> Report:
    _, report = load_and_check(root, [SlidesTarget()])
    return report


def build(root: Path, out: Path, **kw) -> list[Path]:
    course, report = load_and_check(root, [SlidesTarget()])
    assert course is not None and not report.has_errors(), "\n".join(d.format_text() for d in report.errors)
    return SlidesTarget().build(course, BuildOptions(out_dir=out, epoch=kw.pop("epoch", EPOCH), **kw))


def module_ids(root: Path) -> list[str]:
    course, _ = load_and_check(root, [])
    return [m.id for m in course.modules]


THEME = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
# Other theme colours, as picked in PowerPoint (Design > Variants > Colors): purple and green.
SWAPPED_PALETTE = {"dk2": "4B2A73", "lt2": "F1ECF7", "accent1": "4B2A73", "accent2": "1E7F4F"}


def swap_theme_colours(blob: bytes, palette: dict[str, str]) -> bytes:
    """theme1.xml with the colour scheme's entries in `palette` replaced (the rest kept)."""
    import re

    text = blob.decode("utf-8")
    for name, value in palette.items():
        text, n = re.subn(rf"<a:{name}>.*?</a:{name}>", f'<a:{name}><a:srgbClr val="{value}"/></a:{name}>', text, count=1, flags=re.S)
        assert n == 1, name
    return text.encode("utf-8")


def make_swapped_master(dest: Path, drop: str = "", rename: tuple[str, str] | None = None) -> Path:
    """An agency's own master made from kummi's default: layouts in another order, other theme colours,
    a narrower content placeholder with smaller text, an example slide. `drop` removes a layout,
    `rename` renames one (to make a broken master)."""
    from pptx import Presentation
    from pptx.util import Emu

    from kummi.targets.slides.template import PACKAGE_DEFAULT

    prs = Presentation(str(PACKAGE_DEFAULT))
    master = prs.slide_master
    id_lst = master._element.find(f"{P}sldLayoutIdLst")
    entries = list(id_lst)
    for e in entries:
        id_lst.remove(e)
    for e in reversed(entries):
        id_lst.append(e)
    theme = master.part.part_related_by(THEME)
    theme._blob = swap_theme_colours(theme.blob, SWAPPED_PALETTE)
    content = master.slide_layouts.get_by_name("Title and Content")
    body = next(ph for ph in content.placeholders if ph.placeholder_format.idx == 1)
    body.width = Emu(int(8.0 * 914400))
    body.height = Emu(int(4.0 * 914400))
    lst = body._element.find(f"{P}txBody/{A}lstStyle")
    lvl = lst.makeelement(f"{A}lvl1pPr", {})
    rpr = lvl.makeelement(f"{A}defRPr", {"sz": "2000"})
    lvl.append(rpr)
    lst.append(lvl)
    if rename:
        layout = master.slide_layouts.get_by_name(rename[0])
        layout._element.find(f"{P}cSld").set("name", rename[1])
    if drop:
        layout = master.slide_layouts.get_by_name(drop)
        master.slide_layouts.remove(layout)
    example = prs.slides.add_slide(master.slide_layouts.get_by_name("Title Only"))
    example.shapes.title.text = "Esimerkkidia"
    dest.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(dest))
    return dest
