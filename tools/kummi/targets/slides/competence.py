"""The mentors' competence map (kummi.competence) as table slides in the deck of the module with
`competence_map: true`: agencies down, themes across, each cell the roles of the agency's mentors
who cover that theme (one line each).

Within the dense-table limits the planner warns about for author tables (KM702: at most 8 body rows
and 5 columns): at most MAP_THEMES themes beside the agency column and MAP_ROWS agencies per slide.
Themes are split into balanced groups, agencies with no mentor in a group's themes are left out of
that group, and the rows into balanced pages; the font size is the largest of fit.TABLE_SIZES at
which the fewest pages fit, the same on every map slide.
"""
from __future__ import annotations

import math

from ... import model as m
from ...competence import MapRow, competence_map
from . import fit
from .spec import Run, SlideSpec, TableSpec
from .strings import lang_tag, t
from .template import Box

MAP_THEMES = 4  # theme columns per slide (+ the agency column = 5)
MAP_ROWS = 6  # agencies per slide


def agency_label(row: MapRow) -> str:
    """The agency's name, its code beside it only where the code differs from the name."""
    return f"{row.name} ({row.short})" if row.short else row.name


def _balanced(n: int, size: int) -> list[tuple[int, int]]:
    """[(start, end)] splitting n items into the fewest groups of at most `size`, as even as can be."""
    if n <= 0:
        return []
    parts = math.ceil(n / size)
    base, extra = divmod(n, parts)
    out, start = [], 0
    for i in range(parts):
        end = start + base + (1 if i < extra else 0)
        out.append((start, end))
        start = end
    return out


def _cell(mentors) -> tuple[Run, ...]:
    """One line per mentor; several mentors in a cell are told apart by bullets."""
    if len(mentors) > 1:
        return (Run("\n".join(f"• {x.role}" for x in mentors)),)
    return (Run(mentors[0].role),) if mentors else ()


def _pages(header, rows, width: int, height: int) -> tuple[float, list[tuple[int, int]], tuple[int, ...], tuple[int, ...]]:
    """(size, pages, column widths, row heights) of one theme group: balanced pages of at most
    MAP_ROWS rows at the largest size where they fit; else at the smallest size, filled greedily."""
    least = len(_balanced(len(rows), MAP_ROWS))
    for size in fit.TABLE_SIZES:
        widths, heights = fit.table_layout(header, rows, width, size)
        pages = _balanced(len(rows), MAP_ROWS)
        if len(pages) == least and all(heights[0] + sum(heights[1 + a : 1 + b]) <= height * fit.HEIGHT_SLACK for a, b in pages):
            return size, pages, widths, heights
    pages, start, used = [], 0, heights[0]
    for i, h in enumerate(heights[1:]):
        if i > start and (used + h > height * fit.HEIGHT_SLACK or i - start >= MAP_ROWS):
            pages.append((start, i))
            start, used = i, heights[0]
        used += h
    if rows:
        pages.append((start, len(rows)))
    return size, pages, widths, heights


def map_slides(course: m.Course, module: m.Module, lang: str, box: Box) -> list[SlideSpec]:
    """The map's slides for `module` (none unless it has competence_map: true and mentors cover themes)."""
    if not module.competence_map:
        return []
    cmap = competence_map(course, lang)
    if not cmap.rows or not cmap.themes:
        return []
    tag = lang_tag(lang)
    _, _, width, height = fit.table_area(box)
    tables: list[tuple[TableSpec, list[MapRow]]] = []
    for start, end in _balanced(len(cmap.themes), MAP_THEMES):
        group = [row for row in cmap.rows if any(row.cells[start:end])]
        if not group:
            continue
        header = ((Run(t("map_agency", lang), bold=True),),) + tuple((Run(name, bold=True),) for _, name in cmap.themes[start:end])
        rows = tuple(((Run(agency_label(row), bold=True),),) + tuple(_cell(c) for c in row.cells[start:end]) for row in group)
        size, pages, widths, heights = _pages(header, rows, width, height)
        for a, b in pages:
            spec = TableSpec(header, rows[a:b], widths, (heights[0],) + heights[1 + a : 1 + b], size, first_col=True)
            tables.append((spec, group[a:b]))
    title = t("map_title", lang)
    out = []
    for k, (spec, group) in enumerate(tables, 1):
        name = title if len(tables) == 1 else f"{title} ({k}/{len(tables)})"
        out.append(SlideSpec("content", name, tag, module.loc, table=spec, notes=_notes(group, lang)))
    return out


def _notes(rows: list[MapRow], lang: str) -> str:
    """Trainer notes: where the map comes from and the languages each mentor on the slide serves in."""
    lines = [t("map_notes", lang)]
    for row in rows:
        seen: dict[str, None] = {}
        for cell in row.cells:
            for x in cell:
                if x.id not in seen:
                    seen[x.id] = None
                    lines.append(f"• {agency_label(row)} – {x.role}: {', '.join(x.languages)}")
    return "\n".join(lines)
