"""The immutable course model. Every node knows where it was written (`loc`).

Targets (site, slides, SCORM) render only from these objects; none reads another target's output.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

from .diagnostics import Location
from .pickling import quick_pickle_module

DEFAULT_LANG = "fi"


@dataclass(frozen=True, slots=True)
class LocalText:
    """Text per language. `get` falls back to Finnish."""

    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, mapping: dict[str, str] | None) -> "LocalText":
        return cls(tuple(sorted((mapping or {}).items())))

    def has(self, lang: str) -> bool:
        return any(k == lang for k, _ in self.values)

    def get(self, lang: str, fallback: str = DEFAULT_LANG) -> str:
        d = dict(self.values)
        return d.get(lang) or d.get(fallback) or ""

    def __bool__(self) -> bool:
        return bool(self.values)


# ---------------------------------------------------------------- lesson blocks


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str  # inline Markdown
    loc: Location


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[str, ...]  # inline Markdown per item (nested lists flattened with their level)
    levels: tuple[int, ...]
    ordered: bool
    loc: Location


@dataclass(frozen=True, slots=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    loc: Location


@dataclass(frozen=True, slots=True)
class Image:
    src: str  # as written, relative to the lesson file
    path: str  # resolved, relative to the course root ("" when it escapes the root)
    alt: str
    title: str
    loc: Location


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    loc: Location


@dataclass(frozen=True, slots=True)
class Code:
    text: str
    loc: Location


@dataclass(frozen=True, slots=True)
class Callout:
    """An admonition other than notes/reflection: note, tip, warning, example…"""

    kind: str
    title: str
    blocks: tuple["Block", ...]
    loc: Location


@dataclass(frozen=True, slots=True)
class Reflection:
    """`!!! reflection "Title"`: a question for the learner to think about."""

    title: str
    blocks: tuple["Block", ...]
    loc: Location


@dataclass(frozen=True, slots=True)
class Notes:
    """`!!! notes`: trainer notes; never shown to learners, they become speaker notes."""

    markdown: str
    blocks: tuple["Block", ...]
    loc: Location
    end_line: int = 0  # last line of the box in the file (its first is loc.line)


Block = Union[Paragraph, BulletList, Table, Image, Quote, Code, Callout, Reflection, Notes]


@dataclass(frozen=True, slots=True)
class Slide:
    """A `## heading` and what follows it up to the next `##`. The part before the first `##` has
    the lesson title and `intro=True`."""

    title: str
    anchor: str
    blocks: tuple[Block, ...]
    loc: Location
    intro: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    href: str
    text: str
    loc: Location


@dataclass(frozen=True, slots=True)
class LessonText:
    """One language version of a lesson file."""

    lang: str
    path: str  # relative to the course root
    title: str
    duration: int | None
    source_version: str  # translations: version of the Finnish source they follow
    version: str  # content hash of this file's body (8 hex)
    markdown: str  # body without front matter
    body_line: int  # line number of the body's first line in the file
    slides: tuple[Slide, ...]
    links: tuple[Link, ...]
    headings: tuple[tuple[int, str, str], ...]  # (level, text, anchor)
    loc: Location
    images: tuple[Image, ...] = ()  # every image, inline ones included
    html: tuple[tuple[str, str], ...] = ()  # rendered once: ("body" | "notes", html) segments (loader/html.py)
    digest: str = ""  # of the file's path, language and bytes (cache keys)

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(a for _, _, a in self.headings)


@dataclass(frozen=True, slots=True)
class Lesson:
    id: str  # file stem without language suffix, e.g. "01-mika-on-tyo-2-0"
    slug: str  # stem without the NN- prefix
    number: int
    texts: tuple[LessonText, ...]  # Finnish first

    def text(self, lang: str) -> LessonText:
        """The lesson in `lang`, or the Finnish text as the documented fallback."""
        for t in self.texts:
            if t.lang == lang:
                return t
        return self.texts[0]

    def has(self, lang: str) -> bool:
        return any(t.lang == lang for t in self.texts)

    @property
    def source(self) -> LessonText:
        return self.texts[0]


# ---------------------------------------------------------------- quiz


@dataclass(frozen=True, slots=True)
class Option:
    id: str  # "a", "b", … (stable per question)
    text: LocalText
    correct: bool
    feedback: LocalText
    loc: Location
    # Learner view only: "1" (right) or "0" (wrong) sealed with views.seal; `correct` is then
    # False for every option.
    verdict: str = ""


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    type: str  # single | multiple | truefalse
    prompt: LocalText
    options: tuple[Option, ...]
    loc: Location
    # Learner view only: the digest of the right answer (views.answer_key); options then say
    # nothing about which is correct.
    answer_key: str = ""

    @property
    def correct_ids(self) -> tuple[str, ...]:
        return tuple(o.id for o in self.options if o.correct)


@dataclass(frozen=True, slots=True)
class Quiz:
    path: str
    questions: tuple[Question, ...]
    loc: Location


# ---------------------------------------------------------------- course level


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: LocalText
    url: str
    loc: Location


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    name: LocalText
    loc: Location


@dataclass(frozen=True, slots=True)
class Mentor:
    id: str
    role: LocalText
    agency: str
    themes: tuple[str, ...]
    languages: tuple[str, ...]
    contact: str
    github: str
    loc: Location
    key_locs: tuple[tuple[str, Location], ...] = ()

    def loc_of(self, key: str) -> Location:
        return dict(self.key_locs).get(key, self.loc)


@dataclass(frozen=True, slots=True)
class Term:
    id: str
    term: LocalText
    definition: LocalText
    loc: Location


@dataclass(frozen=True, slots=True)
class Module:
    id: str
    folder: str  # e.g. "01-tyo-2-0"
    path: str  # "modules/01-tyo-2-0"
    number: int
    title: LocalText
    summary: LocalText
    objectives: tuple[LocalText, ...]
    duration: int
    audience: LocalText
    authors: tuple[str, ...]
    status: str
    pass_mark: int  # effective pass mark (quiz.yaml overrides module.yaml); 0 without a quiz
    version: str
    lessons: tuple[Lesson, ...]
    quiz: Quiz | None
    loc: Location
    key_locs: tuple[tuple[str, Location], ...] = ()
    competence_map: bool = False  # this module introduces the mentor network: decks and SCORM show the map
    digest: str = ""  # of module.yaml and quiz.yaml (cache keys; lessons have their own)

    def loc_of(self, key: str) -> Location:
        return dict(self.key_locs).get(key, self.loc)


@dataclass(frozen=True, slots=True)
class Course:
    root: str  # absolute path of the course repository
    id: str
    title: LocalText
    description: LocalText
    languages: tuple[str, ...]
    publisher: LocalText
    licence: str
    version: str
    scorm_versions: tuple[str, ...]
    site_url: str
    modules: tuple[Module, ...]
    agencies: tuple[Agency, ...]
    themes: tuple[Theme, ...]
    mentors: tuple[Mentor, ...]
    glossary: tuple[Term, ...]
    loc: Location
    media: tuple[str, ...] = field(default=())  # shared media files under content/media, root-relative
    unreadable: tuple[str, ...] = ()  # course-level YAML files that could not be parsed
    digest: str = ""  # of the course-level files (course, agencies, mentors, glossary): cache keys

    def module(self, module_id: str) -> Module | None:
        return next((m for m in self.modules if m.id == module_id), None)

    def mentor(self, mentor_id: str) -> Mentor | None:
        return next((m for m in self.mentors if m.id == mentor_id), None)

    def agency(self, code: str) -> Agency | None:
        return next((a for a in self.agencies if a.code == code), None)

    def theme(self, theme_id: str) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)

    def term(self, term_id: str) -> Term | None:
        return next((t for t in self.glossary if t.id == term_id), None)


quick_pickle_module(globals())
