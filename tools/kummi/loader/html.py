"""A lesson's HTML, rendered once from the tokens the loader already parsed.

The result is a tuple of segments `(kind, html)`: "body" for what learners see, "notes" for a
trainer-notes box. The learner view drops the notes segments; trainer views show them. Links and
images keep the target exactly as the author wrote it (`href="02-seuraava.md#kohta"`,
`href="glossary:kummi"`, `src="media/kuva.png"`); each output rewrites them for its own pages
(`rewrite_targets`). Headings carry the anchors the loader computed (the same ids the checker
validates links against) and a permalink.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import unquote

from markdown_it.token import Token

from ..learnertext import word

NOTES_TAGS = {"notes"}


def segments(tokens: list[Token], lang: str) -> tuple[tuple[str, str], ...]:
    """Render top-level tokens; a top-level notes box becomes a segment of its own."""
    from .markdown import parser

    md = parser()
    env = {"kummi_lang": lang}
    out: list[tuple[str, str]] = []
    body: list[Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "admonition_open" and tok.level == 0 and (tok.meta or {}).get("tag") in NOTES_TAGS:
            end = _close(tokens, i)
            if body:
                out.append(("body", _render(md, body, env)))
                body = []
            out.append(("notes", _render(md, tokens[i : end + 1], env)))
            i = end + 1
            continue
        body.append(tok)
        i += 1
    if body:
        out.append(("body", _render(md, body, env)))
    return tuple(out)


def _close(tokens: list[Token], i: int) -> int:
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _render(md, tokens: list[Token], env: dict) -> str:
    return _renderer(md).render(tokens, md.options, env)


@lru_cache(maxsize=1)
def _renderer(md):
    """markdown-it's HTML renderer with kummi's headings, boxes, links and images."""
    from markdown_it.renderer import RendererHTML

    from types import MethodType

    renderer = RendererHTML(md)
    for name, rule in (("heading_close", _heading_close), ("admonition_open", _admonition_open),
                       ("admonition_title_open", _admonition_title_open), ("admonition_title_close", _admonition_title_close),
                       ("link_open", _link_open), ("image", _image)):
        renderer.rules[name] = MethodType(rule, renderer)
    return renderer


def _heading_close(self, tokens, idx, options, env):
    opening = tokens[idx - 2]
    anchor = opening.attrGet("id")
    if not anchor:
        return f"</{tokens[idx].tag}>\n"
    title = word(env.get("kummi_lang", "fi"), "common.permalink")
    return f'<a class="headerlink" href="#{html.escape(str(anchor))}" title="{html.escape(title)}">¶</a></{tokens[idx].tag}>\n'


def _box_kind(token) -> str:
    return (token.meta or {}).get("tag", "note")


def _admonition_open(self, tokens, idx, options, env):
    kind = _box_kind(tokens[idx])
    css = {"notes": "kummi-trainer", "reflection": "question kummi-reflection"}.get(kind, kind)
    out = f'<div class="admonition {html.escape(css)}">\n'
    has_title = idx + 1 < len(tokens) and tokens[idx + 1].type == "admonition_title_open"
    explicit = has_title and '"' in (tokens[idx].info or "")
    if not explicit:
        # A box without a title of its own gets its type's name in the page language.
        if has_title:
            tokens[idx + 1].meta = {**(tokens[idx + 1].meta or {}), "kummi_default": True}
        else:
            out += f'<p class="admonition-title">{html.escape(box_title(kind, env.get("kummi_lang", "fi")))}</p>\n'
    return out


def _admonition_title_open(self, tokens, idx, options, env):
    if (tokens[idx].meta or {}).get("kummi_default"):
        # skip the plugin's capitalised type name: render ours instead and drop its inline
        kind = _box_kind(tokens[idx - 1])
        tokens[idx + 1].children = []
        tokens[idx + 1].content = ""
        return f'<p class="admonition-title">{html.escape(box_title(kind, env.get("kummi_lang", "fi")))}'
    return '<p class="admonition-title">'


def _admonition_title_close(self, tokens, idx, options, env):
    return "</p>\n"


def box_title(kind: str, lang: str) -> str:
    key = {"reflection": "common.reflection", "notes": "common.trainer"}.get(kind, f"common.box.{kind}")
    text = word(lang, key)
    return text if text != key else kind.capitalize()


def _link_open(self, tokens, idx, options, env):
    tok = tokens[idx]
    href = unquote(str(tok.attrGet("href") or ""))  # as written (markdown-it percent-encodes ä/ö)
    attrs = [f'href="{html.escape(href)}"']
    title = tok.attrGet("title")
    if title:
        attrs.append(f'title="{html.escape(str(title))}"')
    return f"<a {' '.join(attrs)}>"


def _image(self, tokens, idx, options, env):
    tok = tokens[idx]
    src = unquote(str(tok.attrGet("src") or ""))
    alt = self.renderInlineAsText(tok.children or [], options, env)
    attrs = [f'src="{html.escape(src)}"', f'alt="{html.escape(alt)}"']
    title = tok.attrGet("title")
    if title:
        attrs.append(f'title="{html.escape(str(title))}"')
    return f"<img {' '.join(attrs)} />"


# ------------------------------------------------------------------ rewriting for an output

_TARGET = re.compile(r'(<(?:a|img)\s[^>]*?\b(?:href|src)=")([^"]*)(")')


def rewrite_targets(fragment: str, rewrite) -> str:
    """Apply `rewrite(target) -> (new target, extra attributes or "")` to every link and image
    target in HTML made by `segments` (targets as written by the author)."""

    def sub(match: re.Match) -> str:
        old = html.unescape(match.group(2))
        new, extra = rewrite(old)
        if new == old and not extra:
            return match.group(0)
        return f"{match.group(1)}{html.escape(new)}{match.group(3)}{extra}"

    return _TARGET.sub(sub, fragment)
