"""One module's quiz in one language as Moodle XML (the format of Moodle's question-bank import).

What Moodle's importer reads (moodle/moodle `question/format/xml/format.php`, `question/format.php`):

- `<quiz>` holds `<question>` elements. A `type="category"` question switches the category: its
  `<category><text>` is a path `$course$/top/A/B` ('/' inside a name is written '//'), created when
  missing (matched by name under its parent) when the admin ticks "Get category from file".
  `<info>` and `<idnumber>` are only set on the last category of the path.
- `multichoice`: `<single>true|false</single>`; each `<answer fraction="…">` is a percentage that
  must be one of Moodle's grade options (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40,
  33.33333, 30, 25, 20, 16.66667, 14.28571, 12.5, 11.11111, 10, 5, 0 and their negatives; checked
  to 0.00001 with "Stop on error" on). Single choice needs one answer at 100 %; multiple choice
  needs its positive fractions to add up to 100 %.
- `truefalse`: two answers whose `<text>` is literally `true` and `false`; the one with
  fraction 100 is right. Its feedback becomes "feedback for the response 'True'/'False'".
- Texts are `<text>` children; `format="html"` texts are HTML, here escaped by Jinja2 (autoescape),
  so no author text is ever raw XML. Files (images) are `<file name path encoding="base64">`
  siblings of `<text>`, referred to as `@@PLUGINFILE@@/<name>`.
- `<name>` is cleaned as plain text; `<idnumber>` (at most 100 characters) is kept unless the
  category already holds a question with that idnumber, in which case the import drops it. Moodle's
  import never updates existing questions: a re-import adds copies, recognisable by name.

Fractions for multiple choice with partial credit: each right option is worth 100/n_right %, each
wrong option -100/n_wrong %, so ticking every box scores 0 (Moodle does not go below 0). With at
most 10 options both are among Moodle's grade options (1/q for q <= 10).
"""
from __future__ import annotations

import base64
import hashlib
import html
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import nh3
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markdown_it import MarkdownIt

from ... import model as m

TEMPLATES = Path(__file__).resolve().parent / "templates"
IDNUMBER_LIMIT = 100  # question_bank_entries.idnumber and question_categories.idnumber
PENALTY = {"multichoice": "0.3333333", "truefalse": "1"}  # Moodle's own defaults per type

ALLOWED_TAGS = {"a", "b", "br", "code", "del", "em", "i", "img", "kbd", "p", "s", "span", "strong", "sub", "sup"}
ALLOWED_ATTRS = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "span": {"lang"}}
_EXTERNAL = re.compile(r"^(https?|mailto|tel):", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@dataclass(frozen=True)
class EmbeddedFile:
    name: str
    data: str  # base64


@dataclass(frozen=True)
class Html:
    """An HTML fragment (sanitised) and the files it refers to as @@PLUGINFILE@@/name."""

    html: str
    files: tuple[EmbeddedFile, ...] = ()


@dataclass(frozen=True)
class Answer:
    fraction: str
    format: str
    text: Html
    feedback: Html


@dataclass(frozen=True)
class XmlQuestion:
    type: str  # multichoice | truefalse
    name: str
    idnumber: str
    text: Html
    penalty: str
    single: bool
    answers: tuple[Answer, ...]


@dataclass
class Dropped:
    """What the export could not carry: links to lessons or course files (become their text)."""

    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ names and numbers


def category_path(*names: str) -> str:
    """`$course$/top/<names…>` the way Moodle assembles it: '/' in a name doubled, a name that would
    start or end with '/' padded with a space (question/format.php assemble_category_path)."""
    parts = []
    for name in names:
        escaped = " ".join(name.split()).replace("/", "//")
        if escaped.startswith("/"):
            escaped = " " + escaped
        if escaped.endswith("/"):
            escaped += " "
        parts.append(escaped)
    return "/".join(["$course$", "top", *parts])


def category_idnumber(course: m.Course, module: m.Module, lang: str) -> str:
    return f"kummi.{course.id}.{module.id}.{lang}"


def question_idnumber(module: m.Module, question: m.Question, lang: str) -> str:
    return f"{module.id}.{question.id}.{lang}"


def percent(value: Fraction) -> str:
    """A fraction as Moodle writes it: the grade rounded to 7 decimals, times 100 ('33.33333')."""
    rounded = round(float(value), 7) * 100
    text = f"{rounded:.5f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def fractions(question: m.Question) -> list[Fraction]:
    right = [o for o in question.options if o.correct]
    wrong = [o for o in question.options if not o.correct]
    if question.type == "multiple":
        return [Fraction(1, len(right)) if o.correct else -Fraction(1, len(wrong)) for o in question.options]
    return [Fraction(1) if o.correct else Fraction(0) for o in question.options]


# ------------------------------------------------------------------ text


def _slug(text: str, limit: int = 40) -> str:
    norm = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", norm).strip("-")[:limit].strip("-") or "file"


class _Inline:
    """Inline Markdown of one quiz text -> sanitised HTML. Raw HTML in the author's text stays
    text (html: False); external links stay links; links to lessons, course files and glossary
    terms become their text (Moodle has no page to point to); images are embedded as files."""

    def __init__(self, root: Path, quiz_path: str):
        self.root, self.quiz_path = root, quiz_path
        self.md = MarkdownIt("commonmark", {"html": False})
        self.md.renderer.rules["link_open"] = self._link_open
        self.md.renderer.rules["link_close"] = self._link_close
        self.md.renderer.rules["image"] = self._image
        self._stack: list[bool] = []
        self.files: dict[str, EmbeddedFile] = {}
        self.dropped = Dropped()

    def render(self, source: str, lang_attr: str = "") -> Html:
        self.files = {}
        fragment = _cleaner().clean(self.md.renderInline(source))
        if lang_attr and fragment:
            fragment = f'<span lang="{lang_attr}">{fragment}</span>'
        return Html(fragment, tuple(self.files[k] for k in sorted(self.files)))

    def _link_open(self, tokens, idx, options, env):
        href = str(tokens[idx].attrs.get("href", ""))
        keep = bool(_EXTERNAL.match(href))
        self._stack.append(keep)
        if not keep:
            if not href.startswith("glossary:"):
                self.dropped.links.append(href)
            return ""
        title = tokens[idx].attrs.get("title")
        attrs = f' href="{html.escape(href, quote=True)}"'
        if title:
            attrs += f' title="{html.escape(str(title), quote=True)}"'
        return f"<a{attrs}>"

    def _link_close(self, tokens, idx, options, env):
        return "</a>" if (self._stack.pop() if self._stack else False) else ""

    def _image(self, tokens, idx, options, env):
        tok = tokens[idx]
        src = str(tok.attrs.get("src", ""))
        alt = self.md.renderer.renderInlineAsText(tok.children or [], options, env)
        data = self._read(src)
        if data is None:
            self.dropped.images.append(src)
            return html.escape(alt)
        stem, _, ext = posixpath.basename(src.split("?")[0].split("#")[0]).rpartition(".")
        ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:8]
        name = f"{_slug(stem or ext)}-{hashlib.sha256(data).hexdigest()[:8]}" + (f".{ext}" if stem and ext else "")
        self.files[name] = EmbeddedFile(name, base64.b64encode(data).decode("ascii"))
        return f'<img src="@@PLUGINFILE@@/{html.escape(name, quote=True)}" alt="{html.escape(alt, quote=True)}">'

    def _read(self, src: str) -> bytes | None:
        if not src or _SCHEME.match(src):
            return None
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.quiz_path), src.split("#")[0].split("?")[0]))
        if target.startswith("../") or target.startswith("/"):
            return None
        path = self.root / target
        try:
            if not path.resolve().is_relative_to(self.root.resolve()) or not path.is_file():
                return None
            return path.read_bytes()
        except OSError:
            return None


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """Made once: nh3.clean() would configure a new sanitizer for every text."""
    return nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRS, url_schemes={"http", "https", "mailto", "tel"},
                       link_rel="noopener noreferrer", strip_comments=True)


def _local(inline: _Inline, text: m.LocalText, lang: str) -> Html:
    """The text in `lang`; the Finnish fallback is marked as Finnish for screen readers."""
    source = text.get(lang)
    fallback = lang != m.DEFAULT_LANG and not text.has(lang) and bool(source)
    return inline.render(source, m.DEFAULT_LANG if fallback else "")


def _paragraph(value: Html) -> Html:
    return Html(f"<p>{value.html}</p>", value.files) if value.html else value


# ------------------------------------------------------------------ the document


def build_questions(course: m.Course, module: m.Module, lang: str) -> tuple[list[XmlQuestion], Dropped]:
    inline = _Inline(Path(course.root), module.quiz.path if module.quiz else module.path)
    out: list[XmlQuestion] = []
    for q in module.quiz.questions if module.quiz else ():
        prompt = _paragraph(_local(inline, q.prompt, lang))
        answers = []
        if q.type == "truefalse":
            for option in sorted(q.options, key=lambda o: o.id != "true"):
                answers.append(Answer("100" if option.correct else "0", "moodle_auto_format",
                                      Html(option.id), _local(inline, option.feedback, lang)))
            qtype = "truefalse"
        else:
            for option, value in zip(q.options, fractions(q)):
                answers.append(Answer(percent(value), "html", _local(inline, option.text, lang), _local(inline, option.feedback, lang)))
            qtype = "multichoice"
        out.append(XmlQuestion(qtype, q.id, question_idnumber(module, q, lang), prompt, PENALTY[qtype], q.type == "single", tuple(answers)))
    return out, inline.dropped


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_questions(course: m.Course, module: m.Module, lang: str) -> str:
    questions, _ = build_questions(course, module, lang)
    info = _paragraph(_Inline(Path(course.root), module.path).render(module.summary.get(lang))) if module.summary else Html("")
    return environment().get_template("questions.xml.j2").render(
        category=category_path(course.title.get(lang) or course.id, module.title.get(lang) or module.id),
        category_info=info.html,
        category_idnumber=category_idnumber(course, module, lang),
        questions=questions,
    )


def file_name(module: m.Module, lang: str) -> str:
    return f"{module.id}.{lang}.questions.xml"
