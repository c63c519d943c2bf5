"""The automatic accessibility checks kummi runs on the course model, counted for the statement.

Every check counts what it looked at (`checked`) and lists what failed (`failed`, with the file and
line). They read the learner view of the model (views.learner_view: what learners see, no trainer
notes), except the slide titles (decks are the trainer's view) and the quiz texts (the full model).
A page is one lesson in one language of the course; a lesson without a translation is shown in
Finnish (marked lang="fi"), and counted as a page of that language.

What these checks cannot see (videos' captions, linked documents, contrast, reading order, foreign
words inside a sentence…) is listed as `media`, `documents` and the statement's fixed gaps.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import __version__
from .. import model as m
from ..views import learner_view

# WCAG 2.1 success criteria each check stands for (shown in the statement).
WCAG = {
    "alt_text": ("1.1.1",),
    "language": ("3.1.1", "3.1.2"),
    "headings": ("1.3.1", "2.4.6"),
    "tables": ("1.3.1",),
    "link_text": ("2.4.4",),
    "quiz_labels": ("1.3.1", "3.3.2", "4.1.2"),
    "slide_titles": ("2.4.2",),
    # decks.py: the accessibility checker's rules on the written .pptx files
    "deck_titles": ("1.3.2", "2.4.2"),
    "deck_alt_text": ("1.1.1",),
    "deck_tables": ("1.3.1",),
    "deck_language": ("3.1.1", "3.1.2"),
}
CHECK_ORDER = tuple(WCAG)

MEDIA = re.compile(r"\.(mp4|m4v|webm|ogv|mov|avi|mp3|m4a|wav|ogg|oga|flac)(\?|#|$)|(^|//)(www\.)?(youtube\.com|youtu\.be|vimeo\.com)/", re.I)
DOCUMENTS = re.compile(r"\.(pdf|docx?|pptx?|xlsx?|odt|odp|ods|rtf|epub)(\?|#|$)", re.I)
# Link texts that say nothing about where the link goes (WCAG 2.4.4), fi/sv/en.
VAGUE_LINKS = frozenset({
    "tästä", "tässä", "täältä", "linkki", "klikkaa", "klikkaa tästä", "lue lisää", "lisää", "täällä",
    "här", "klicka här", "länk", "läs mer", "mer",
    "here", "click here", "link", "read more", "more",
})


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    detail: str  # author text or a short fact ("h2 → h4"), shown as is

    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class Check:
    key: str
    checked: int
    failed: tuple[Finding, ...] = ()

    @property
    def wcag(self) -> tuple[str, ...]:
        return WCAG[self.key]


@dataclass(frozen=True)
class Checks:
    """What kummi checked in this build, with what and when."""

    tool: str
    version: str
    epoch: int
    languages: tuple[str, ...]
    pages: int
    fallback_pages: int  # pages shown in Finnish in another language's course, marked lang="fi"
    items: tuple[Check, ...]
    media: tuple[Finding, ...] = ()  # videos and audio: captions and transcripts not checked
    documents: tuple[Finding, ...] = ()  # linked files: their accessibility not checked
    decks: int = 0  # .pptx files the deck rules read (0: no decks built, the deck_* checks are not in items)
    axe: object | None = None  # axe.AxeReport for the current site build, or None
    axe_status: str = "missing"  # missing | stale | current (a report exists but for another site build: stale)
    notes: tuple[str, ...] = field(default=())

    def get(self, key: str) -> Check:
        return next(c for c in self.items if c.key == key)

    @property
    def failures(self) -> int:
        return sum(len(c.failed) for c in self.items)


def _blocks(blocks):
    for block in blocks:
        yield block
        if isinstance(block, (m.Callout, m.Reflection)):
            yield from _blocks(block.blocks)


def _pages(course: m.Course):
    """(lang, lesson text shown, is fallback) for every page of every published language."""
    for module in course.modules:
        for lesson in module.lessons:
            for lang in course.languages:
                text = lesson.text(lang)
                yield lang, text, text.lang != lang


def _slides_template(course: m.Course):
    """The slides target's template, or None when it cannot be used (then the model's titles stand in)."""
    try:
        from ..targets.slides.template import TemplateProblem, load_template
    except ImportError:  # python-pptx missing: the slides target could not run either
        return None
    try:
        return load_template(course.root)
    except TemplateProblem:
        return None


def _deck_titles(course: m.Course, module: m.Module, lang: str, template) -> list[tuple[str, object]]:
    if template is not None:
        from ..targets.slides.target import deck_titles  # planned once per run (or read from the build cache)

        return list(deck_titles(course, module, lang, template))
    return [(slide.title, slide.loc) for lesson in module.lessons for slide in lesson.text(lang).slides]


def run_checks(course: m.Course, epoch: int) -> Checks:
    """Run kummi's automatic checks on `course` (the published model the build rendered)."""
    learner = learner_view(course)
    pages = list(_pages(learner))
    alt = links = tables = 0
    alt_failed, link_failed, table_failed, heading_failed = [], [], [], []
    media: dict[tuple, Finding] = {}
    documents: dict[tuple, Finding] = {}
    for lang, text, _fallback in pages:
        for image in text.images:
            alt += 1
            if not image.alt.strip():
                alt_failed.append(Finding(image.loc.path, image.loc.line, image.src))
            if MEDIA.search(image.src):
                media[(image.loc.path, image.loc.line, image.src)] = Finding(image.loc.path, image.loc.line, image.src)
        for link in text.links:
            links += 1
            label = " ".join(link.text.split()).strip(" .:!").lower()
            if not label or label in VAGUE_LINKS:
                link_failed.append(Finding(link.loc.path, link.loc.line, link.text.strip() or link.href))
            if MEDIA.search(link.href):
                media[(link.loc.path, link.loc.line, link.href)] = Finding(link.loc.path, link.loc.line, link.href)
            elif DOCUMENTS.search(link.href) and not link.href.startswith("glossary:"):
                documents[(link.loc.path, link.loc.line, link.href)] = Finding(link.loc.path, link.loc.line, link.href)
        for slide in text.slides:
            for block in _blocks(slide.blocks):
                if isinstance(block, m.Table):
                    tables += 1
                    if not any(cell.strip() for cell in block.header):
                        table_failed.append(Finding(block.loc.path, block.loc.line, "|".join(block.header)))
        previous = 1  # the lesson title is the page's h1
        for level, title, _anchor in text.headings:
            if level > previous + 1:
                heading_failed.append(Finding(text.path, 0, f"h{previous} → h{level}: {title}"))
            previous = level

    # Quiz texts: the question and every option are the form's labels (full model: answers don't matter).
    questions, quiz_failed = 0, []
    for module in course.modules:
        for q in module.quiz.questions if module.quiz else ():
            for lang in course.languages:
                questions += 1
                if not q.prompt.get(lang).strip() or any(not o.text.get(lang).strip() for o in q.options):
                    quiz_failed.append(Finding(q.loc.path, q.loc.line, f"{q.id} ({lang})"))

    # Slide titles: every slide of every deck (one per module and language) needs a title of its
    # own. The decks are planned exactly as the slides target plans them (pure: nothing written);
    # without a usable template, the model's slide titles stand in for them.
    slides, slide_failed = 0, []
    template = _slides_template(course)
    for module in course.modules:
        for lang in course.languages:
            seen: set[str] = set()
            for title, loc in _deck_titles(course, module, lang, template):
                slides += 1
                title = " ".join(title.split())
                if not title:
                    slide_failed.append(Finding(loc.path, loc.line, "—"))
                elif title.lower() in seen:
                    slide_failed.append(Finding(loc.path, loc.line, title))
                seen.add(title.lower())

    def _sorted(findings):
        """Unique problems (a Finnish page shown again as another language's fallback counts once)."""
        return tuple(sorted(set(findings), key=lambda f: (f.path, f.line, f.detail)))

    items = (
        Check("alt_text", alt, _sorted(alt_failed)),
        Check("language", len(pages)),
        Check("headings", len(pages), _sorted(heading_failed)),
        Check("tables", tables, _sorted(table_failed)),
        Check("link_text", links, _sorted(link_failed)),
        Check("quiz_labels", questions, _sorted(quiz_failed)),
        Check("slide_titles", slides, _sorted(slide_failed)),
    )
    return Checks(
        tool="kummi", version=__version__, epoch=epoch, languages=tuple(course.languages), pages=len(pages),
        fallback_pages=sum(1 for _, _, fb in pages if fb), items=items,
        media=_sorted(media.values()), documents=_sorted(documents.values()),
    )
