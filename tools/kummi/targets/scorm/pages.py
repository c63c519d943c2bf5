"""Learner-facing HTML for one module in one language, rendered from the course model.

Lessons are rendered block by block from the model (trainer notes are a block type that is simply
never rendered), inline Markdown with markdown-it-py, and every fragment is sanitised with nh3.
Links are rewritten for a single-page package: other lessons of the module and glossary terms become
in-page anchors, files and images are copied into the package under ASCII names.
"""
from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import nh3
from markdown_it import MarkdownIt

from ... import model as m
from ... import views
from ...competence import CompetenceMap, competence_map
from ...views import TrainerMaterialLeak
from .ids import asset_name
from .strings import strings

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "figcaption",
    "figure", "h2", "h3", "h4", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "small", "span",
    "strong", "sub", "sup", "table", "tbody", "td", "th", "thead", "tr", "u", "ul", "aside",
}
ALLOWED_ATTRS = {
    "*": {"id", "class", "lang"},
    "a": {"href", "title", "target"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "aside": {"aria-label", "role"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_EXTERNAL = re.compile(r"^(https?|mailto|tel):", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
QUIZ_PAGE, GLOSSARY_PAGE, MAP_PAGE = "quiz", "glossary", "competence-map"
QUIZ_BIT = 100  # lessons use their NN number (0-99) as bit in the seen-bitmap
MAP_BIT = 101  # the competence map page (same hex digit of suspend_data as the quiz's bit)


def sanitize(fragment: str) -> str:
    return _cleaner().clean(fragment)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """Made once: nh3.clean() would configure a new sanitizer for every fragment."""
    return nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes=URL_SCHEMES,
                       link_rel="noopener noreferrer", strip_comments=True)


def anchor_id(lesson_id: str, anchor: str) -> str:
    return f"{lesson_id}--{anchor}" if anchor else f"page-{lesson_id}"


@dataclass
class Assets:
    """Course files copied into the package: source path (root-relative) -> package path."""

    root: Path
    files: dict[str, str] = field(default_factory=dict)
    data: dict[str, bytes] = field(default_factory=dict)

    def add(self, source: str, folder: str) -> str | None:
        if source in self.files:
            return self.files[source]
        path = self.root / source
        try:
            if not path.resolve().is_relative_to(self.root.resolve()) or not path.is_file():
                return None
            data = path.read_bytes()
        except OSError:
            return None
        name = asset_name(folder, source, data)
        self.files[source], self.data[name] = name, data
        return name


@dataclass
class Page:
    id: str  # location value: lesson id, "quiz" or "glossary"
    kind: str
    title: str
    lang: str  # language of the content (a lesson without translation falls back to Finnish)
    html: str  # sanitised body
    bit: int  # bit in the seen-bitmap, -1 = not tracked
    number: int = 0
    map: CompetenceMap | None = None  # the competence map page's data (rendered by the template)


@dataclass
class QuizOption:
    """An option as the package carries it: whether it is right and its feedback only sealed
    (views.seal / views.seal_feedback), opened by the runtime once the learner has chosen it."""

    id: str
    html: str
    lang: str
    feedback_sealed: str  # sealed feedback HTML ("" = no feedback)
    feedback_lang: str
    verdict: str  # sealed "1" (right) or "0" (wrong)


@dataclass
class QuizQuestion:
    id: str
    type: str
    cmi_type: str  # choice | true-false
    prompt_html: str
    lang: str
    options: list[QuizOption]
    answer_key: str  # views.answer_key of the right answer: the runtime compares digests, not ids


@dataclass
class ModulePages:
    lang: str
    pages: list[Page]
    questions: list[QuizQuestion]
    assets: Assets
    glossary_terms: list[tuple[str, str, str]]  # (id, term, definition html)


class _Renderer:
    """Renders one module in one language; collects assets and glossary references."""

    def __init__(self, course: m.Course, module: m.Module, lang: str, assets: Assets):
        self.course, self.module, self.lang, self.assets = course, module, lang, assets
        self.ui = strings(lang)
        self.terms_used: dict[str, None] = {}
        self.md = MarkdownIt("commonmark").enable("table")
        self.md.renderer.rules["link_open"] = self._link_open
        self.md.renderer.rules["link_close"] = self._link_close
        self.md.renderer.rules["image"] = self._image
        self._link_stack: list[bool] = []
        self._lesson_paths: dict[str, str] = {}
        self._anchors: dict[str, frozenset[str]] = {}  # lesson id -> slide anchors in this language
        for lesson in module.lessons:
            for text in lesson.texts:
                self._lesson_paths[text.path] = lesson.id
            self._anchors[lesson.id] = frozenset(sl.anchor for sl in lesson.text(lang).slides if not sl.intro)
        self.current_path = ""

    # ------------------------------------------------------------ links and images

    def resolve_href(self, href: str) -> tuple[str | None, bool]:
        """(new href or None to drop the link, external?)"""
        if href.startswith("glossary:"):
            term_id = href.split(":", 1)[1]
            if self.course.term(term_id) is None:
                return None, False
            self.terms_used[term_id] = None
            return f"#glossary--{term_id}", False
        if _EXTERNAL.match(href):
            return href, True
        if _SCHEME.match(href):
            return None, False
        path_part, _, anchor = href.partition("#")
        if not path_part:
            lesson_id = self._lesson_paths.get(self.current_path, "")
            return ("#" + self._target(lesson_id, anchor)) if lesson_id else None, False
        base = posixpath.dirname(self.current_path)
        target = posixpath.normpath(posixpath.join(base, path_part.split("?")[0]))
        if target.startswith("../") or target.startswith("/"):
            return None, False
        if target.endswith(".md"):
            lesson_id = self._lesson_paths.get(target) or self._lesson_paths.get(re.sub(r"\.[a-z]{2}\.md$", ".md", target))
            if lesson_id is None:
                return None, False  # a lesson of another module: not in this package
            return "#" + self._target(lesson_id, anchor), False
        name = self.assets.add(target, "files")
        return name, False

    def _target(self, lesson_id: str, anchor: str) -> str:
        """In-page id for a lesson (and heading): headings that are not slides, or that exist only
        in another language version, fall back to the lesson itself."""
        return anchor_id(lesson_id, anchor if anchor in self._anchors.get(lesson_id, ()) else "")

    def _link_open(self, tokens, idx, options, env):
        href = str(tokens[idx].attrs.get("href", ""))
        new, external = self.resolve_href(href)
        self._link_stack.append(new is not None)
        if new is None:
            return ""
        title = tokens[idx].attrs.get("title")
        attrs = f' href="{html.escape(new, quote=True)}"'
        if title:
            attrs += f' title="{html.escape(str(title), quote=True)}"'
        if external:
            attrs += ' target="_blank" class="external"'
        elif new.startswith("#glossary--"):
            attrs += ' class="term"'
        elif not new.startswith("#"):
            attrs += ' class="file" target="_blank"'
        return f"<a{attrs}>"

    def _link_close(self, tokens, idx, options, env):
        keep = self._link_stack.pop() if self._link_stack else False
        return "</a>" if keep else ""

    def _image(self, tokens, idx, options, env):
        tok = tokens[idx]
        src = str(tok.attrs.get("src", ""))
        alt = self.md.renderer.renderInlineAsText(tok.children or [], options, env)
        name = self.image_src(src)
        if name is None:
            return html.escape(alt)
        return f'<img src="{html.escape(name, quote=True)}" alt="{html.escape(alt, quote=True)}">'

    def image_src(self, src: str) -> str | None:
        if not src or _SCHEME.match(src):
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.current_path), src.split("#")[0].split("?")[0]))
        if target.startswith("../") or target.startswith("/"):
            return None
        return self.assets.add(target, "media")

    # ------------------------------------------------------------ blocks

    def inline(self, text: str) -> str:
        return self.md.renderInline(text)

    def blocks(self, blocks) -> str:
        return "".join(self.block(b) for b in blocks)

    def block(self, b) -> str:
        if isinstance(b, m.Notes):
            return ""  # trainer notes never reach learners
        if isinstance(b, m.Paragraph):
            return f"<p>{self.inline(b.text)}</p>\n"
        if isinstance(b, m.BulletList):
            return self.bullet_list(b)
        if isinstance(b, m.Table):
            head = "".join(f'<th scope="col">{self.inline(c)}</th>' for c in b.header)
            rows = "".join("<tr>" + "".join(f"<td>{self.inline(c)}</td>" for c in row) + "</tr>" for row in b.rows)
            return f'<div class="table-wrap"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>\n'
        if isinstance(b, m.Image):
            name = self.image_src(b.src)
            if name is None:
                return ""
            caption = f"<figcaption>{html.escape(b.title)}</figcaption>" if b.title else ""
            return f'<figure><img src="{html.escape(name, quote=True)}" alt="{html.escape(b.alt, quote=True)}">{caption}</figure>\n'
        if isinstance(b, m.Quote):
            return f"<blockquote><p>{self.inline(b.text)}</p></blockquote>\n"
        if isinstance(b, m.Code):
            return f"<pre><code>{html.escape(b.text)}</code></pre>\n"
        if isinstance(b, m.Reflection):
            title = b.title or self.ui["reflection"]
            return f'<aside class="reflection" aria-label="{html.escape(title, quote=True)}"><p class="box-title">{html.escape(title)}</p>{self.blocks(b.blocks)}</aside>\n'
        if isinstance(b, m.Callout):
            kind = re.sub(r"[^a-z0-9-]", "", b.kind.lower()) or "note"
            title = f'<p class="box-title">{html.escape(b.title)}</p>' if b.title else ""
            return f'<aside class="callout callout-{kind}" role="note">{title}{self.blocks(b.blocks)}</aside>\n'
        return ""

    def bullet_list(self, b: m.BulletList) -> str:
        out: list[str] = []
        stack: list[str] = []  # open list tags
        for item, level in zip(b.items, b.levels):
            if level > len(stack) - 1:
                while len(stack) - 1 < level:
                    tag = ("ol" if b.ordered else "ul") if not stack else "ul"
                    out.append(f"<{tag}>")
                    stack.append(tag)
            else:
                out.append("</li>")
                while len(stack) - 1 > level:
                    out.append(f"</{stack.pop()}></li>")
            out.append(f"<li>{self.inline(item)}")
        while stack:
            out.append(f"</li></{stack.pop()}>")
        return "".join(out) + "\n"

    # ------------------------------------------------------------ pages

    def lesson_page(self, lesson: m.Lesson) -> Page:
        text = lesson.text(self.lang)
        self.current_path = text.path
        parts = []
        for slide in text.slides:
            if not slide.intro:
                parts.append(f'<h3 id="{anchor_id(lesson.id, slide.anchor)}">{html.escape(slide.title)}</h3>\n')
            parts.append(self.blocks(slide.blocks))
        body = sanitize("".join(parts))
        return Page(lesson.id, "lesson", text.title, text.lang, body, lesson.number, lesson.number)


def _local(text: m.LocalText, lang: str) -> tuple[str, str]:
    """(text, its language): the Finnish fallback is marked as Finnish."""
    return text.get(lang), (lang if text.has(lang) else "fi")


def learner_questions(course: m.Course, module: m.Module) -> tuple[m.Question, ...]:
    """The module's questions as the learner view has them (answer key, sealed verdicts, no correct
    flags). A package is a learner output: a model that still says which option is right (the
    full model, given by a caller that skipped views.learner_view) is turned into the learner form
    here, so the answers never reach the package in plain text."""
    if not module.quiz:
        return ()
    questions = module.quiz.questions
    if all(q.answer_key for q in questions) and not any(o.correct for q in questions for o in q.options):
        return questions
    if any(q.answer_key for q in questions):
        raise TrainerMaterialLeak(f"{module.id}: a learner quiz that still marks options correct")
    salt = views.answer_salt(course, module)
    return tuple(
        replace(
            q,
            options=tuple(replace(o, correct=False, verdict=views.seal(salt, q.id, o.id, "1" if o.correct else "0")) for o in q.options),
            answer_key=views.answer_key(salt, q.id, q.correct_ids),
        )
        for q in questions
    )


def render_module(course: m.Course, module: m.Module, lang: str, root: Path) -> ModulePages:
    assets = Assets(root)
    r = _Renderer(course, module, lang, assets)
    pages = [r.lesson_page(lesson) for lesson in module.lessons]
    if module.competence_map:  # the module that introduces the network: the map after its lessons
        cmap = competence_map(course, lang)
        if cmap.rows and cmap.themes:
            pages.append(Page(MAP_PAGE, "map", r.ui["map_title"], lang, "", MAP_BIT, map=cmap))
    questions: list[QuizQuestion] = []
    if module.quiz and module.quiz.questions:
        r.current_path = module.quiz.path
        salt = views.answer_salt(course, module)
        for q in learner_questions(course, module):
            prompt, plang = _local(q.prompt, lang)
            opts = []
            for o in q.options:
                text, olang = _local(o.text, lang)
                fb, flang = _local(o.feedback, lang)
                sealed = views.seal_feedback(salt, q.id, o.id, sanitize(r.inline(fb))) if fb else ""
                opts.append(QuizOption(o.id, sanitize(r.inline(text)), olang, sealed, flang, o.verdict))
            cmi_type = "true-false" if q.type == "truefalse" else "choice"
            questions.append(QuizQuestion(q.id, q.type, cmi_type, sanitize(r.inline(prompt)), plang, opts, q.answer_key))
        pages.append(Page(QUIZ_PAGE, "quiz", r.ui["quiz"], lang, "", QUIZ_BIT))
    terms = []
    for term_id in sorted(r.terms_used, key=lambda t: course.term(t).term.get(lang).lower()):
        term = course.term(term_id)
        definition, _ = _local(term.definition, lang)
        terms.append((term_id, term.term.get(lang), sanitize(r.inline(definition))))
    if terms:
        pages.append(Page(GLOSSARY_PAGE, "glossary", r.ui["glossary"], lang, "", -1))
    return ModulePages(lang, pages, questions, assets, terms)


def suspend_data_worst_case(module: m.Module) -> int:
    """Longest suspend_data the runtime can write for this module (see kummi-scorm.js encodeState):
    'k1~' + 25 hex digits of lesson bits + 1 for the quiz and the competence map (bits 100-103) + '~' +
    'qid:answers' joined by ',' + '~' +
    the answer counter in base 36 (6 digits cover two billion answers)."""
    length = 3 + 26 + 1 + 1 + 6
    if module.quiz:
        for q in module.quiz.questions:
            length += len(q.id) + 1 + sum(len(o.id) for o in q.options) + 1
    return length
