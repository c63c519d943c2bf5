"""Sanitizing rendered page content: lessons arrive in pull requests, so the HTML of every page is
cleaned with an allowlist even though `kummi check` already rejects scripts and event handlers.

The allowlist keeps what Python-Markdown, pymdown-extensions, Material and kummi's own pages
produce (ids, classes, aria attributes, quiz inputs). Scripts, styles, frames, forms and event
handler attributes never survive.
"""
from __future__ import annotations

from functools import lru_cache

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "button", "caption", "code", "col", "colgroup", "dd",
    "del", "details", "div", "dl", "dt", "em", "fieldset", "figcaption", "figure", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "legend", "li",
    "mark", "nav", "ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
GENERIC = {"id", "class", "title", "lang", "dir", "role", "hidden"}
ATTRIBUTES = {
    "*": GENERIC,
    "a": {"href", "hreflang", "name", "rel"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "td": {"colspan", "rowspan", "style", "align"},
    "th": {"colspan", "rowspan", "scope", "style", "align"},
    "col": {"span"},
    "details": {"open"},
    "input": {"type", "name", "value", "checked", "disabled"},
    "label": {"for"},
    "button": {"type"},
    "abbr": {"title"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def clean(html: str) -> str:
    return _cleaner().clean(html)


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """Made once: nh3.clean() would configure a new sanitizer for every fragment."""
    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags={"script", "style"},
        attributes=ATTRIBUTES,
        generic_attribute_prefixes={"aria-", "data-"},
        url_schemes=URL_SCHEMES,
        link_rel=None,
        filter_style_properties={"text-align"},
        strip_comments=True,
    )
