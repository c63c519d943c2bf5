"""The mentors' competence map (osaamiskartta): agencies × themes, each cell the mentors of that
agency who cover that theme. Built from mentors.yaml and agencies.yaml alone; the site page, the
trainers' slide and the SCORM page all show this same structure.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import model as m
from .collation import collation_key


@dataclass(frozen=True, slots=True)
class MapMentor:
    id: str
    role: str
    languages: tuple[str, ...]  # languages of service


@dataclass(frozen=True, slots=True)
class MapRow:
    code: str  # agency code, e.g. "MML"
    name: str  # agency name in the page language
    short: str  # the code when it adds something to the name, else "" ("Poliisi (Poliisi)" is not shown)
    cells: tuple[tuple[MapMentor, ...], ...]  # one per theme, in theme order


@dataclass(frozen=True, slots=True)
class CompetenceMap:
    lang: str
    themes: tuple[tuple[str, str], ...]  # (theme id, name) = columns
    rows: tuple[MapRow, ...]  # agencies with at least one mentor, by name
    languages: tuple[str, ...]  # every language of service that occurs, course languages first

    def mentor_count(self) -> int:
        return len({x.id for row in self.rows for cell in row.cells for x in cell})


def _short(code: str, name: str) -> str:
    """The agency code shown beside the name only when it says something the name does not."""
    if not code or code.casefold() == name.casefold() or name.casefold().startswith(code.casefold()):
        return ""
    return code


def competence_map(course: m.Course, lang: str) -> CompetenceMap:
    themes = tuple((t.id, t.name.get(lang)) for t in course.themes)
    theme_ids = [t for t, _ in themes]
    agencies = {a.code: a for a in course.agencies}
    rows = []
    for code in dict.fromkeys(x.agency for x in course.mentors):
        mentors = [x for x in course.mentors if x.agency == code]
        agency = agencies.get(code)
        name = agency.name.get(lang) if agency else code
        cells = tuple(
            tuple(MapMentor(x.id, x.role.get(lang), tuple(x.languages)) for x in mentors if theme in x.themes)
            for theme in theme_ids
        )
        if any(cells):
            rows.append(MapRow(code, name, _short(code, name), cells))
    rows.sort(key=lambda r: collation_key(r.name))
    spoken = {lang_ for x in course.mentors for lang_ in x.languages}
    languages = tuple(x for x in course.languages if x in spoken) + tuple(sorted(spoken - set(course.languages)))
    return CompetenceMap(lang, themes, tuple(rows), languages)
