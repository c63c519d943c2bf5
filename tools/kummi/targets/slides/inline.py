"""Inline Markdown -> text runs (bold, italic, code, hyperlinks)."""
from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt

from .spec import Run

_EXTERNAL = re.compile(r"^(https?:|mailto:)", re.I)
_ATTR_LIST = re.compile(r"\s*\{[:.#]?[^{}]*\}\s*$")  # `{ .class }` / `{ layout=… }` at the end
# markdown-it's emphasis and link matching is superlinear on pathological input (50 000 `*[` take
# seconds): longer text is cut before parsing. It is more than fit.MAX_PARA_PAGES slides of text, so
# the planner truncates (and warns about) such a paragraph anyway.
MAX_INLINE = 10_000
# Where a CommonMark inline construct (escape, code, emphasis, link, image, autolink, HTML, entity,
# line break) can start, and what markdown-it normalises (\r, NUL). Text without any of them is
# one plain run: most paragraphs and bullets are, and need no parsing.
_MARKUP = re.compile(r"[\n\r\x00\\`*_\[\]!<&]")


@lru_cache(maxsize=1)
def _md() -> MarkdownIt:
    return MarkdownIt("commonmark")


def runs(text: str) -> tuple[Run, ...]:
    """Runs for one paragraph of inline Markdown. External links keep their descriptive text and
    get a hyperlink; glossary and lesson links become plain text; images become their alt text;
    raw HTML is dropped."""
    if len(text) > MAX_INLINE:
        text = text[:MAX_INLINE] + "…"
    text = _ATTR_LIST.sub("", text)
    if not _MARKUP.search(text):
        return _strip([Run(text, False, False, False, "")] if text else [])
    return _parsed(text)


def _parsed(text: str) -> tuple[Run, ...]:
    """`runs` of text that may hold inline Markdown."""
    tokens = _md().parseInline(text)
    out: list[Run] = []
    bold = italic = 0
    href: list[str] = []
    for tok in tokens[0].children or [] if tokens else []:
        t = tok.type
        if t == "strong_open":
            bold += 1
        elif t == "strong_close":
            bold -= 1
        elif t == "em_open":
            italic += 1
        elif t == "em_close":
            italic -= 1
        elif t == "link_open":
            target = str(tok.attrs.get("href", ""))
            href.append(target if _EXTERNAL.match(target) else "")
        elif t == "link_close":
            href.pop() if href else None
        elif t == "text":
            _add(out, Run(tok.content, bool(bold), bool(italic), False, href[-1] if href else ""))
        elif t == "code_inline":
            _add(out, Run(tok.content, bool(bold), bool(italic), True, href[-1] if href else ""))
        elif t == "softbreak":
            _add(out, Run(" ", bool(bold), bool(italic), False, href[-1] if href else ""))
        elif t == "hardbreak":
            _add(out, Run("\n", bool(bold), bool(italic), False, ""))
        elif t == "image":
            alt = "".join(c.content for c in tok.children or [] if c.type == "text")
            if alt:
                _add(out, Run(alt, bool(bold), bool(italic), False, ""))
    return _strip(out)


def _add(out: list[Run], run: Run) -> None:
    if not run.text:
        return
    if out and (out[-1].bold, out[-1].italic, out[-1].code, out[-1].href) == (run.bold, run.italic, run.code, run.href):
        prev = out.pop()
        run = Run(prev.text + run.text, run.bold, run.italic, run.code, run.href)
    out.append(run)


def _strip(out: list[Run]) -> tuple[Run, ...]:
    if out:
        out[0] = Run(out[0].text.lstrip(), out[0].bold, out[0].italic, out[0].code, out[0].href)
        out[-1] = Run(out[-1].text.rstrip(), out[-1].bold, out[-1].italic, out[-1].code, out[-1].href)
    return tuple(r for r in out if r.text)


def plain(text: str) -> str:
    """Inline Markdown as plain text; external links as 'text (address)' for speaker notes."""
    rs = runs(text)
    out = []
    for i, run in enumerate(rs):
        out.append(run.text)
        nxt = rs[i + 1].href if i + 1 < len(rs) else ""
        if run.href and nxt != run.href and run.href.removeprefix("mailto:") not in run.text:
            out.append(f" ({run.href.removeprefix('mailto:')})")
    return "".join(out)
