"""The pages of one language site, generated from the course model.

Page paths are the same in every language (the language switch keeps you on the same page) and a
lesson's page sits where its Finnish file is (`modules/<folder>/<lesson id>.md`), so relative
links and images written in lessons resolve as they do in the repository.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from ...loader.markdown import slug
from ...model import Course, Module
from ...views import answer_salt, learner_quiz, seal
from .i18n import NATIVE, VERDICTS, t

TEMPLATES = Path(__file__).parent / "templates"
MENTORS_PAGE, GLOSSARY_PAGE = "mentors.md", "glossary.md"
STATIC_SKIP = {".md", ".yaml", ".yml"}


@dataclass(frozen=True)
class PageHTML:
    """A page whose content kummi renders itself (no Python-Markdown): lessons, from the HTML the
    loader rendered once. Link targets are still the author's (`02-x.md`, `glossary:term`); the
    plugin turns them into page URLs for the configuration's URL style."""

    title: str
    html: str
    toc: tuple  # Python-Markdown style toc tokens ({level, id, name, children})
    anchors: frozenset


@dataclass
class SitePlan:
    lang: str
    pages: dict[str, str] = field(default_factory=dict)  # docs path -> Markdown (front matter for html pages)
    html: dict[str, PageHTML] = field(default_factory=dict)  # docs path -> content rendered by kummi
    sources: dict[str, str] = field(default_factory=dict)  # docs path -> course source path
    static: dict[str, str] = field(default_factory=dict)  # docs path -> absolute file path
    nav: list = field(default_factory=list)


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def _render(name: str, lang: str, **ctx) -> str:
    return _env().get_template(name).render(t=lambda key, **kw: t(lang, key, **kw), lang=lang, **ctx)


def safe_title(text: str) -> str:
    """A title for the navigation and <title>: Material prints these unescaped (and `striptags`
    unescapes entities), so angle brackets are replaced, not escaped."""
    return str(escape(" ".join(text.replace("<", "‹").replace(">", "›").split())))


def plan_site(course: Course, lang: str, downloads: dict | None = None, trainer: bool = False) -> SitePlan:
    plan = SitePlan(lang)
    root = Path(course.root)
    plan.pages["index.md"] = _render("index.md.j2", lang, course=course, modules=course.modules)
    plan.sources["index.md"] = "content/course.yaml"
    nav: list = [{safe_title(t(lang, "home")): "index.md"}]
    for mod in course.modules:
        nav.append({safe_title(f"{mod.number}. {mod.title.get(lang)}"): _module(plan, course, mod, lang, downloads or {}, trainer)})
        _static_tree(plan, root, mod.path)
    for media in course.media:
        plan.static.setdefault(media, str(root / media))
    plan.pages[MENTORS_PAGE] = _render(MENTORS_PAGE + ".j2", lang, **_mentor_groups(course, lang))
    plan.sources[MENTORS_PAGE] = "content/mentors.yaml"
    plan.pages[GLOSSARY_PAGE] = _render(GLOSSARY_PAGE + ".j2", lang, terms=_sorted_terms(course, lang))
    plan.sources[GLOSSARY_PAGE] = "content/glossary.yaml"
    nav.append({safe_title(t(lang, "mentors")): MENTORS_PAGE})
    nav.append({safe_title(t(lang, "glossary")): GLOSSARY_PAGE})
    plan.nav = nav
    return plan


def _module(plan: SitePlan, course: Course, mod: Module, lang: str, downloads: dict, trainer: bool) -> list:
    base = f"modules/{mod.folder}"
    files = _downloads(plan, downloads.get(f"{mod.id}.{lang}") or (), lang)
    authors = []
    for author_id in mod.authors:
        mentor = course.mentor(author_id)
        if mentor is None:
            continue
        agency = course.agency(mentor.agency)
        authors.append({"id": mentor.id, "role": mentor.role.get(lang), "agency": agency.name.get(lang) if agency else mentor.agency})
    plan.pages[f"{base}/index.md"] = _render("module.md.j2", lang, mod=mod, authors=authors, downloads=files)
    plan.sources[f"{base}/index.md"] = f"{mod.path}/module.yaml"
    items: list = [{safe_title(f"{mod.number}. {mod.title.get(lang)}"): f"{base}/index.md"}]
    for lesson in mod.lessons:
        text = lesson.text(lang)
        path = f"{base}/{lesson.id}.md"
        plan.html[path] = lesson_page(text, mod, lesson, lang, trainer)
        plan.pages[path] = f"---\ntitle: {json.dumps(safe_title(text.title), ensure_ascii=False)}\n---\n"
        plan.sources[path] = text.path
        items.append({safe_title(text.title): path})
    if mod.quiz and mod.quiz.questions:
        salt = answer_salt(course, mod)

        def sealed_feedback(q, o, correct: bool) -> str:
            html = str(escape(quiz_feedback(o, lang, correct)))
            return seal(salt, q.id, f"{o.id}/feedback/{'right' if correct else 'wrong'}", html)

        plan.pages[f"{base}/quiz.md"] = _render(
            "quiz.md.j2", lang, mod=mod, quiz=learner_quiz(course, mod), salt=salt,
            hint=lambda q: _multiple_hint(q, lang), sealed_feedback=sealed_feedback,
        )
        plan.sources[f"{base}/quiz.md"] = mod.quiz.path
        items.append({safe_title(t(lang, "quiz")): f"{base}/quiz.md"})
    return items


def lesson_page(text, mod: Module, lesson, lang: str, trainer: bool) -> PageHTML:
    """A lesson's page content from the HTML the loader rendered (notes only for trainers: the
    learner view has no notes segments at all)."""
    body = "".join(html for kind, html in text.html if kind == "body" or trainer)
    content = _render("lesson.html.j2", lang, text=text, body=Markup(body), mod=mod, lesson=lesson, fallback=text.lang != lang)
    return PageHTML(text.title, content, (_toc(text.title, text.headings),), frozenset(["kummi-title", *text.anchors]))


def _toc(title: str, headings) -> dict:
    """Toc tokens as Python-Markdown makes them: the page title (h1) holding the h2 > h3 tree."""
    root = {"level": 1, "id": "kummi-title", "name": str(escape(title)), "children": []}
    stack = [root]
    for level, heading, anchor in headings:
        if level < 2:
            continue
        node = {"level": level, "id": anchor, "name": str(escape(heading)), "children": []}
        while len(stack) > 1 and stack[-1]["level"] >= level:
            stack.pop()
        stack[-1]["children"].append(node)
        stack.append(node)
    return root


def _multiple_hint(question, lang: str) -> Markup:
    """'(Choose all correct options)' unless the question already says so."""
    if question.type != "multiple" or t(lang, "quiz.multiple.marker") in question.prompt.get(lang).lower():
        return Markup("")
    return Markup(' <span class="kummi-hint">({})</span>').format(t(lang, "quiz.multiple"))


def quiz_feedback(option, lang: str, correct: bool | None = None) -> str:
    """The author's feedback on an option, without a leading verdict sentence that the label
    before it (quiz.correct / quiz.wrong) already says. `correct`: the option's verdict (the
    learner view does not have it: the page carries both variants, sealed)."""
    correct = option.correct if correct is None else correct
    text = " ".join(option.feedback.get(lang).split()) if option.feedback else ""
    words = VERDICTS.get(lang, VERDICTS["fi"])["right" if correct else "wrong"]
    label = t(lang, "quiz.correct" if correct else "quiz.wrong").rstrip(".!")
    pattern = "|".join(re.escape(w) for w in sorted({*words, label}, key=len, reverse=True))
    return re.sub(rf"^(?:{pattern})\s*[.!]+(?:\s+|$)", "", text, count=1, flags=re.I)


def _static_tree(plan: SitePlan, root: Path, folder: str) -> None:
    """Media and other files that lessons may link to (not Markdown or YAML sources)."""
    base = root / folder
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if name.startswith(".") or path.suffix.lower() in STATIC_SKIP:
                continue
            plan.static[path.relative_to(root).as_posix()] = str(path)


def _downloads(plan: SitePlan, paths, lang: str) -> list[dict]:
    out = []
    for p in paths:
        p = Path(p)
        if not p.is_file():
            continue
        plan.static[f"downloads/{p.name}"] = str(p)
        out.append({"name": p.name, "label": _download_label(p.name, lang), "size": _size(p.stat().st_size, lang)})
    return out


def _download_label(name: str, lang: str) -> str:
    lower = name.lower()
    if lower.endswith(".pptx"):
        key = "download.pptx"
    elif lower.endswith(".pdf"):
        key = "download.pdf"
    elif lower.endswith(".zip") and "scorm" in lower:
        key = "download.scorm2004" if "2004" in lower else "download.scorm12" if "12" in lower else "download.scorm"
    else:
        key = "download.file"
    return f"{t(lang, key)}: {name}"


def _size(n: int, lang: str) -> str:
    unit_kb, unit_mb = ("kB", "MB") if lang == "en" else ("kt", "Mt") if lang == "fi" else ("kB", "MB")
    if n >= 1024 * 1024:
        value = f"{n / 1024 / 1024:.1f} {unit_mb}"
    else:
        value = f"{max(1, round(n / 1024))} {unit_kb}"
    return value.replace(".", ",") if lang in ("fi", "sv") else value


def _contact_html(contact: str) -> Markup:
    """A shared mailbox or a web page as a link; anything else as text."""
    contact = contact.strip()
    if re.match(r"^https?://\S+$", contact):
        href = contact
    elif re.match(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", contact, re.I):
        href = f"mailto:{contact}"
    else:
        return escape(contact)
    return Markup('<a href="{}">{}</a>').format(href, contact)


def _mentor_groups(course: Course, lang: str) -> dict:
    theme_names = {th.id: th.name.get(lang) for th in course.themes}

    def row(mentor):
        agency = course.agency(mentor.agency)
        return {
            "id": mentor.id,
            "role": mentor.role.get(lang),
            "agency": agency.name.get(lang) if agency else mentor.agency,
            "themes": [theme_names.get(x, x) for x in mentor.themes],
            "languages": [NATIVE.get(x, x) for x in mentor.languages],
            "contact_html": _contact_html(mentor.contact),
        }

    by_agency = []
    codes = [a.code for a in course.agencies] + sorted({x.agency for x in course.mentors} - {a.code for a in course.agencies})
    for code in codes:
        mentors = [row(x) for x in course.mentors if x.agency == code]
        if not mentors:
            continue
        agency = course.agency(code)
        by_agency.append({
            "code": code,
            "name": agency.name.get(lang) if agency else code,
            "anchor": slug(code) or "x",
            "mentors": mentors,
            "contact": any(m["contact_html"] for m in mentors),  # else no (empty) contact column
        })
    by_agency.sort(key=lambda g: g["name"].casefold())
    by_theme = [
        {"id": th.id, "name": th.name.get(lang), "mentors": [row(x) for x in course.mentors if th.id in x.themes]}
        for th in course.themes
    ]
    return {"by_agency": by_agency, "by_theme": by_theme}


def _sorted_terms(course: Course, lang: str):
    return sorted(course.glossary, key=lambda term: term.term.get(lang).casefold())
