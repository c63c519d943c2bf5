"""Turn a lesson's Markdown into the Markdown of its learner page.

- `!!! notes` blocks (trainer notes) are removed, or shown as a trainer box in trainer mode;
- `glossary:term` links point to the glossary page, with the definition as the link title;
- links to translated lesson files (`01-x.sv.md`) point to the page of that lesson (`01-x.md`).
"""
from __future__ import annotations

import re

from ...loader.markdown import NOTES_KINDS, parser
from ...model import Course, LessonText
from .i18n import t

_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(\s+\"[^\"]*\")?\s*\)")
_REF_DEF = re.compile(r"^(\s{0,3}\[[^\]]+\]:\s*)<?(\S+?)>?(\s.*)?$")
_LANG_MD = re.compile(r"^(?P<path>.*?\d\d-[a-z0-9-]+)\.[a-z]{2}\.md(?P<rest>#.*)?$")
_NOTES_START = re.compile(r"^(?P<indent>\s*)(?:!!!|\?\?\?\+?)\s+(?P<kind>[\w-]+)(?P<title>.*)$")


def learner_markdown(text: LessonText, course: Course, lang: str, glossary_href: str, trainer: bool = False) -> str:
    body = _notes(text.markdown, lang, trainer)
    return _rewrite_links(body, course, lang, glossary_href)


def _notes(markdown: str, lang: str, trainer: bool) -> str:
    lines = markdown.split("\n")
    drop: set[int] = set()
    starts: list[int] = []
    for tok in parser().parse(markdown):
        if tok.type == "admonition_open" and (tok.meta or {}).get("tag") in NOTES_KINDS and tok.map:
            start, end = tok.map
            starts.append(start)
            drop.update(range(start, end))
    if not trainer:
        return "\n".join(line for i, line in enumerate(lines) if i not in drop)
    for i in starts:
        match = _NOTES_START.match(lines[i])
        if match:
            title = match.group("title").strip() or f'"{t(lang, "trainer")}"'
            lines[i] = f'{match.group("indent")}!!! kummi-trainer {title}'
    return "\n".join(lines)


def _rewrite_links(markdown: str, course: Course, lang: str, glossary_href: str) -> str:
    terms = {term.id: term for term in course.glossary}

    def target(href: str) -> tuple[str, str]:
        """(new href, title) for a link target."""
        if href.startswith("glossary:"):
            term = terms.get(href[len("glossary:"):])
            if term is None:
                return href, ""
            definition = " ".join(term.definition.get(lang).split()).replace('"', "”")
            return f"{glossary_href}#{term.id}", definition
        match = _LANG_MD.match(href)
        if match and not re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I):
            return f"{match.group('path')}.md{match.group('rest') or ''}", ""
        return href, ""

    def inline(match: re.Match) -> str:
        href, title = target(match.group(1))
        if href == match.group(1):
            return match.group(0)
        title_part = f' "{title}"' if title else (match.group(2) or "")
        return f"]({href}{title_part})"

    out, fenced = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or "](" not in line and "]:" not in line:
            out.append(line)
            continue
        line = _INLINE_LINK.sub(inline, line)
        ref = _REF_DEF.match(line)
        if ref:
            href, title = target(ref.group(2))
            if href != ref.group(2):
                line = f"{ref.group(1)}{href}" + (f' "{title}"' if title else (ref.group(3) or ""))
        out.append(line)
    return "\n".join(out)
