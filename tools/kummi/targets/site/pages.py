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

from ...competence import competence_map
from ...loader.markdown import slug
from ...collation import collation_key
from ...memo import IdentityMemo
from ...model import Course, Module
from ...views import answer_salt, learner_quiz, seal
from .i18n import NATIVE, VERDICTS, t

TEMPLATES = Path(__file__).parent / "templates"
INDEX_PAGE, MENTORS_PAGE, GLOSSARY_PAGE = "index.md", "mentors.md", "glossary.md"
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
def page_templates() -> Environment:
    """The Jinja environment of kummi's page templates (templates/)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # kummi's own templates do not change while it runs
    )
    return env


def _render(name: str, lang: str, **ctx) -> str:
    return page_templates().get_template(name).render(
        t=lambda key, **kw: t(lang, key, **kw), lang=lang, hyphenate=lambda text: soft_hyphens(text, lang), **ctx
    )


_VOWELS = set("aeiouyäöåéü")
_DIPHTHONGS = {"ai", "ei", "oi", "ui", "yi", "äi", "öi", "au", "eu", "iu", "ou", "ey", "äy", "öy", "ie", "uo", "yö"}
_WORD = re.compile(r"[^\W\d_]{9,}")


def soft_hyphens(text: str, lang: str) -> str:
    """Soft hyphens in long words (Finnish compounds are long and narrow table columns are not;
    browsers have no Finnish hyphenation offline): before a consonant that starts a syllable and,
    in Finnish, between two vowels that are not a long vowel or a diphthong. At least three
    letters stay on each side."""

    def word(m: re.Match) -> str:
        w = m.group(0)
        low = w.lower()
        out = [w[:3]]
        for i in range(3, len(w) - 2):
            prev, ch, nxt = low[i - 1], low[i], low[i + 1]
            cons_start = ch not in _VOWELS and nxt in _VOWELS and any(c in _VOWELS for c in low[:i])
            vowel_gap = lang == "fi" and prev in _VOWELS and ch in _VOWELS and prev != ch and prev + ch not in _DIPHTHONGS
            out.append(("\u00ad" if cons_start or vowel_gap else "") + w[i])
        return "".join(out) + w[len(w) - 2:] if len(w) > 5 else w

    return _WORD.sub(word, text)


def safe_title(text: str) -> str:
    """A title for the navigation and <title>: Material prints these unescaped (and `striptags`
    unescapes entities), so angle brackets are replaced, not escaped."""
    return str(escape(" ".join(text.replace("<", "‹").replace(">", "›").split())))


def plan_site(course: Course, lang: str, downloads: dict | None = None, trainer: bool = False) -> SitePlan:
    plan = SitePlan(lang)
    root = Path(course.root)
    home = course.title.get(lang)
    _html_page(plan, INDEX_PAGE, home, _render("index.html.j2", lang, course=course, cards=_module_cards(course, lang)),
               [(2, t(lang, "modules"), "modules"), (2, t(lang, "mentors"), "mentors"), (2, t(lang, "glossary"), "glossary")], hide=("toc",), meta_title=False)
    plan.sources[INDEX_PAGE] = "content/course.yaml"
    nav: list = [{safe_title(t(lang, "home")): INDEX_PAGE}]
    for i, mod in enumerate(course.modules):
        after = course.modules[i + 1] if i + 1 < len(course.modules) else None
        nav.append({safe_title(f"{mod.number}. {mod.title.get(lang)}"): _module(plan, course, mod, lang, downloads or {}, trainer, after)})
        _static_tree(plan, root, mod.path)
    for media in course.media:
        plan.static.setdefault(media, str(root / media))
    _html_page(plan, MENTORS_PAGE, t(lang, "mentors"), _render("mentors.html.j2", lang, **_mentors(course, lang)),
               [(2, t(lang, "mentors.map"), "map"), (2, t(lang, "mentors.list"), "all-mentors")], hide=("navigation", "toc"))
    plan.sources[MENTORS_PAGE] = "content/mentors.yaml"
    _html_page(plan, GLOSSARY_PAGE, t(lang, "glossary"), _render("glossary.html.j2", lang, letters=glossary_index(course, lang)), [])
    plan.sources[GLOSSARY_PAGE] = "content/glossary.yaml"
    nav.append({safe_title(t(lang, "mentors")): MENTORS_PAGE})
    nav.append({safe_title(t(lang, "glossary")): GLOSSARY_PAGE})
    plan.nav = nav
    return plan


_ID = re.compile(r'\bid="([^"]+)"')


def _html_page(plan: SitePlan, path: str, title: str, html: str, headings, hide=(), meta_title: bool = True) -> None:
    """A page whose content kummi renders as HTML (links still as the author's `.md` paths).
    `meta_title`: False for the home page, whose <title> is the site name alone."""
    plan.html[path] = PageHTML(title, html, (_toc(title, headings),), frozenset(_ID.findall(html)))
    meta = {**({"title": safe_title(title)} if meta_title else {}), **({"hide": list(hide)} if hide else {})}
    plan.pages[path] = "---\n" + "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items()) + "---\n" if meta else ""


def _module_languages(course: Course, mod: Module) -> list[str]:
    """The course languages in which every lesson of the module is written (not a fallback)."""
    return [x for x in course.languages if all(lesson.has(x) for lesson in mod.lessons)]


def _module_cards(course: Course, lang: str) -> list[dict]:
    return [
        {
            "mod": mod,
            "href": f"modules/{mod.folder}/index.md",
            "lessons": _lesson_count(len(mod.lessons), lang),
            "languages": [NATIVE.get(x, x) for x in _module_languages(course, mod)],
        }
        for mod in course.modules
    ]


def _lesson_count(n: int, lang: str) -> str:
    return t(lang, "lessons.count.one") if n == 1 else t(lang, "lessons.count", n=n)


def _module(plan: SitePlan, course: Course, mod: Module, lang: str, downloads: dict, trainer: bool, after: Module | None = None) -> list:
    base = f"modules/{mod.folder}"
    files = _downloads(plan, downloads.get(f"{mod.id}.{lang}") or (), lang)
    authors = []
    for author_id in mod.authors:
        mentor = course.mentor(author_id)
        if mentor is None:
            continue
        agency = course.agency(mentor.agency)
        authors.append({"id": mentor.id, "role": mentor.role.get(lang), "agency": agency.name.get(lang) if agency else mentor.agency})
    plan.pages[f"{base}/index.md"] = _render("module.md.j2", lang, mod=mod, authors=authors, downloads=files,
                                             lesson_count=_lesson_count(len(mod.lessons), lang))
    plan.sources[f"{base}/index.md"] = f"{mod.path}/module.yaml"
    items: list = [{safe_title(f"{mod.number}. {mod.title.get(lang)}"): f"{base}/index.md"}]
    # Where each lesson page's "next" link leads: the next lesson, the quiz, the next module.
    has_quiz = bool(mod.quiz and mod.quiz.questions)
    nexts = [{"href": f"{x.id}.md", "label": t(lang, "next"), "title": x.text(lang).title} for x in mod.lessons[1:]]
    if has_quiz:
        nexts.append({"href": "quiz.md", "label": t(lang, "next"), "title": t(lang, "quiz")})
    elif after is not None:
        nexts.append({"href": f"../{after.folder}/index.md", "label": t(lang, "next_module"), "title": f"{after.number}. {after.title.get(lang)}"})
    siblings = module_siblings(mod, lang)
    for i, lesson in enumerate(mod.lessons):
        text = lesson.text(lang)
        path = f"{base}/{lesson.id}.md"
        plan.html[path] = lesson_page(text, mod, lesson, lang, trainer, nexts[i] if i < len(nexts) else None, siblings)
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


def lesson_page(text, mod: Module, lesson, lang: str, trainer: bool, next_link: dict | None = None,
                siblings: tuple | None = None) -> PageHTML:
    """A lesson's page content from the HTML the loader rendered (notes only for trainers: the
    learner view has no notes segments at all). `next_link`: {href, label, title} of what follows;
    `siblings`: (id, title) of the module's lessons in this language (`module_siblings`).
    Remembered for the same lesson text object (`kummi serve` keeps unchanged lessons' objects
    between saves) and the same module navigation."""
    if siblings is None:
        siblings = module_siblings(mod, lang)
    navigation = (lang, trainer, repr(next_link), lesson.id, mod.title.get(lang), bool(mod.quiz and mod.quiz.questions), siblings)
    return _lesson_pages.get(text, navigation, lambda: _lesson_page(text, mod, lesson, lang, trainer, next_link, siblings))


_lesson_pages = IdentityMemo()


def module_siblings(mod: Module, lang: str) -> tuple:
    """(id, title) of every lesson of the module in `lang`: the list at the foot of each lesson page."""
    return tuple((other.id, other.text(lang).title) for other in mod.lessons)


def _lesson_items(siblings: tuple, current: str) -> Markup:
    """The module's lessons as list items, the current one marked (made here, not in the
    template: every lesson page of a module repeats the list)."""
    return Markup("".join(marked if other == current else link for other, link, marked in _sibling_items(siblings)))


@lru_cache(maxsize=64)
def _sibling_items(siblings: tuple) -> tuple:
    """(id, item as a link, item as the current page) of each lesson, escaped once per module."""
    return tuple(
        (other, f'<li><a href="{escape(other)}.md">{escape(title)}</a></li>\n', f'<li><strong aria-current="page">{escape(title)}</strong></li>\n')
        for other, title in siblings
    )


def _lesson_page(text, mod: Module, lesson, lang: str, trainer: bool, next_link: dict | None, siblings: tuple) -> PageHTML:
    body = "".join(html for kind, html in text.html if kind == "body" or trainer)
    content = _render("lesson.html.j2", lang, text=text, body=Markup(body), mod=mod, lesson=lesson,
                      fallback=text.lang != lang, next_link=next_link, lesson_items=_lesson_items(siblings, lesson.id))
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
    cut = len(str(root).rstrip(os.sep)) + 1
    for dirpath, dirnames, filenames in os.walk(str(root / folder)):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or os.path.splitext(name)[1].lower() in STATIC_SKIP:
                continue
            path = os.path.join(dirpath, name)
            plan.static[path[cut:].replace(os.sep, "/")] = path


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


def _mentors(course: Course, lang: str) -> dict:
    """The competence map (agencies × themes) and the list of every mentor, whose rows hold the
    `mentor-<id>` anchors that the map's cells and the module pages' author lists link to."""
    cmap = competence_map(course, lang)
    theme_names = {th.id: th.name.get(lang) for th in course.themes}
    people = []
    for mentor in course.mentors:
        agency = course.agency(mentor.agency)
        people.append({
            "id": mentor.id,
            "role": mentor.role.get(lang),
            "agency": agency.name.get(lang) if agency else mentor.agency,
            "themes": [theme_names.get(x, x) for x in mentor.themes],
            "languages": [NATIVE.get(x, x) for x in mentor.languages],
            "contact_html": _contact_html(mentor.contact),
        })
    people.sort(key=lambda p: (collation_key(p["agency"]), collation_key(p["role"])))
    return {
        "map": cmap,
        "rows": [{"row": row, "anchor": "agency-" + (slug(row.code) or "x")} for row in cmap.rows],
        "total": cmap.mentor_count(),
        "native": NATIVE,
        "people": people,
        "contact": any(p["contact_html"] for p in people),  # else no (empty) contact column
    }


ALPHABETS = {"fi": "ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ", "sv": "ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ", "en": "ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_LETTER_ANCHOR = {"Å": "aa", "Ä": "ae", "Ö": "oe"}


def _initial(text: str) -> str:
    for ch in text.strip():
        if ch.isalnum():
            base = collation_key(ch)
            return {"{0": "Å", "{1": "Ä", "{2": "Ö"}.get(base, base.upper()[:1]) if ch.isalpha() else "#"
    return "#"


def glossary_index(course: Course, lang: str) -> list[dict]:
    """The glossary by initial letter, in the language's alphabetical order: every letter of the
    alphabet (`terms` empty where no term begins with it), then any other initials."""
    terms = sorted(course.glossary, key=lambda term: (collation_key(term.term.get(lang)), term.id))
    groups: dict[str, list] = {}
    for term in terms:
        groups.setdefault(_initial(term.term.get(lang)), []).append(term)
    letters = list(ALPHABETS.get(lang, ALPHABETS["en"]))
    letters += sorted((x for x in groups if x not in letters), key=collation_key)
    return [
        {"char": x, "anchor": "letter-" + (_LETTER_ANCHOR.get(x) or (x.lower() if x.isascii() and x.isalpha() else f"u{ord(x):x}")),
         "terms": groups.get(x, [])}
        for x in letters
    ]
