"""Parsing a lesson's Markdown into slides and blocks, with source lines.

The syntax is plain Markdown plus two mkdocs-material admonitions that every target understands:
`!!! notes` (trainer notes) and `!!! reflection "Pohdi"` (reflection question). Each `##` heading
starts a slide.
"""
from __future__ import annotations

import difflib
import hashlib
import posixpath
import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from pymdownx.slugs import slugify

from .. import model as m
from ..diagnostics import Location, Report, rel_posix
from ..i18n import M_
from ..schema import CONTROL, validate
from ..specs import FRONT_MATTER
from .files import decode_text, parse_yaml, read_bytes
from .html import segments as html_segments

NOTES_KINDS = {"notes"}
REFLECTION_KINDS = {"reflection"}
# mkdocs-material's admonition types; anything else renders as a plain grey box.
CALLOUT_KINDS = {"note", "abstract", "summary", "tldr", "info", "todo", "tip", "hint", "important", "success", "check",
                 "done", "question", "help", "faq", "warning", "caution", "attention", "failure", "fail", "missing",
                 "danger", "error", "bug", "example", "quote", "cite"}
_SLUG = slugify(case="lower")


def slug(text: str) -> str:
    return _SLUG(text, "-")


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table").use(admon_plugin)


def content_version(markdown: str, tokens: list[Token] | None = None) -> str:
    """Fingerprint (8 hex) of what a reader sees in a lesson body: `source_version` of translations.

    Whitespace, line wrapping, link targets, image paths and Markdown spellings that render the
    same (`*`/`-` bullets, `**`/`__`, setext/ATX headings) leave it unchanged; a changed word, alt
    text, link text, heading level, box kind or title, or code changes it."""
    return hashlib.sha256("\n".join(visible_text(markdown, tokens)).encode("utf-8")).hexdigest()[:8]


_WS = re.compile(r"\s+")


def visible_text(markdown: str, tokens: list[Token] | None = None) -> list[str]:
    """The body as a list of normalized parts: block tags and the reader-visible text of each block."""
    out: list[str] = []
    for tok in tokens if tokens is not None else parser().parse(markdown):
        if tok.type == "inline":
            out.append(_WS.sub(" ", _visible_inline(tok.children or [])).strip())
        elif tok.type in ("fence", "code_block"):
            out.append("code:" + "\n".join(line.rstrip() for line in tok.content.strip("\n").split("\n")))
        elif tok.type == "html_block":
            out.append("html:" + _WS.sub(" ", tok.content).strip())
        elif tok.type == "admonition_open":
            out.append(f"box:{(tok.meta or {}).get('tag', '')}")
        elif tok.type == "hr":
            out.append("hr")
        elif tok.nesting:
            out.append(("<" if tok.nesting > 0 else ">") + tok.tag)
    return out


def _visible_inline(children: list[Token]) -> str:
    parts = []
    for c in children:
        if c.type in ("text", "code_inline", "html_inline"):
            parts.append(c.content)
        elif c.type == "softbreak":
            parts.append(" ")
        elif c.type == "hardbreak":
            parts.append("<br>")
        elif c.type == "image":
            parts.append("<img " + _visible_inline(c.children or []) + ">")
        elif c.type in ("em_open", "em_close", "strong_open", "strong_close", "s_open", "s_close"):
            parts.append("<" + ("/" if c.nesting < 0 else "") + c.tag + ">")
    return "".join(parts)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front matter YAML or None, body, 1-based line of the body's first line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            return "\n".join(lines[1:i]), "\n".join(lines[i + 1 :]), i + 2
    # Not closed: take the front matter to end at the first blank line (see parse_lesson_file).
    end = next((i for i in range(1, len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join(lines[1:end]), "\n".join(lines[end + 1 :]), end + 2


def parse_lesson_file(path: Path, root: Path, lang: str, report: Report) -> m.LessonText | None:
    """Read and parse one lesson file (tests and tools; the loader reads bytes itself and caches)."""
    data = read_bytes(path, root, report)
    return None if data is None else parse_lesson_bytes(rel_posix(path, root), data, lang, report)


def _check_control_characters(text: str, loc: Location, report: Report) -> None:
    """KM409 for invisible control characters (a vertical tab pasted from a word processor, a
    stray escape): decks and SCORM manifests are XML, which cannot hold them. NUL is left to
    markdown-it, which shows it as U+FFFD."""
    found = (match for match in CONTROL.finditer(text) if match.group() != "\x00")
    for n, match in enumerate(found):
        if n == 3:  # a few are enough to find the rest
            break
        line = text.count("\n", 0, match.start()) + 1
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        report.error(
            "KM409", M_("the text contains the invisible control character U+{code}", code=format(ord(match.group()), "04X")),
            loc.at(line, col), M_("delete it (in VS Code it shows as a red box); retype the text around it if unsure"),
        )


def parse_lesson_bytes(rel: str, data: bytes, lang: str, report: Report) -> m.LessonText | None:
    """A lesson from its bytes and its path in the course. Pure: reads nothing else, so the result
    can be cached by (path, language, bytes)."""
    loc = Location(rel)
    text = decode_text(data, loc, report)
    if text is None:
        return None
    _check_control_characters(text, loc, report)
    fm_text, body, body_line = split_front_matter(text)
    if fm_text is None:
        report.error(
            "KM102",
            M_("lesson has no front matter"),
            loc,
            M_("start the file with three lines:\n      ---\n      title: Oppitunnin otsikko\n      ---"),
        )
        front = {}
    else:
        closing = body_line - 1  # 1-based line of the closing '---'
        lines = text.split("\n")
        if closing > len(lines) or lines[closing - 1].strip() not in ("---", "..."):
            report.error(
                "KM003", M_("front matter is not closed"), loc.at(1, 1),
                M_("add a line with three hyphens (---) after line {line}", line=str(closing - 1)),
            )
        # A leading newline keeps YAML positions equal to the file's line numbers.
        doc = parse_yaml("\n" + fm_text, loc, report)
        front = validate(doc, FRONT_MATTER, loc.at(1, 1), report) if doc is not None else {}
        if doc is None and fm_text.strip() == "":
            report.error("KM102", M_("missing required field '{field}'", field="title"), loc.at(1, 1), M_("add 'title: …' to the front matter"))
        front = front or {}
    title = front.get("title") or posixpath.basename(rel).rsplit(".", 1)[0]
    digest = hashlib.sha256(rel.encode("utf-8", "surrogateescape") + b"\0" + lang.encode() + b"\0" + data).hexdigest()[:32]
    return _build_lesson_text(rel, lang, loc, body, body_line, front, title, report, digest)


def _build_lesson_text(rel, lang, loc, body, body_line, front, title, report, digest="") -> m.LessonText:
    tokens = parser().parse(body)
    ctx = _Ctx(rel=rel, loc=loc, offset=body_line - 1, report=report, lines=body.split("\n"))
    _scan_inline_and_html(tokens, ctx)
    slides = _slides(tokens, ctx, title)
    return m.LessonText(
        lang=lang,
        path=loc.path,
        title=title,
        duration=front.get("duration"),
        source_version=front.get("source_version", ""),
        version=content_version(body, tokens),
        markdown=body,
        body_line=body_line,
        slides=tuple(slides),
        links=tuple(ctx.links),
        headings=tuple(ctx.headings),
        loc=loc,
        images=tuple(ctx.images),
        html=html_segments(tokens, lang),
        digest=digest,
    )


class _Ctx:
    def __init__(self, rel, loc, offset, report, lines):
        self.rel, self.loc, self.offset, self.report, self.lines = rel, loc, offset, report, lines
        self.links: list[m.Link] = []
        self.images: list[m.Image] = []
        self.headings: list[tuple[int, str, str]] = []
        self._anchors: dict[str, int] = {}
        self.bad_urls: set[tuple[int, str]] = set()  # (line, scheme) already reported

    def at(self, token: Token | None, col: int = 1) -> Location:
        line = token.map[0] + 1 + self.offset if token is not None and token.map else self.offset + 1
        return self.loc.at(line, col)

    def anchor_for(self, text: str) -> str:
        base = slug(text)
        n = self._anchors.get(base, 0)
        self._anchors[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def col_of(self, token: Token | None, needle: str) -> tuple[int, int]:
        """Line and column of `needle` within the token's source lines (best effort)."""
        if token is None or not token.map:
            return self.offset + 1, 1
        for i in range(token.map[0], min(token.map[1], len(self.lines))):
            c = self.lines[i].find(needle)
            if c >= 0:
                return i + 1 + self.offset, c + 1
        return token.map[0] + 1 + self.offset, 1


# ------------------------------------------------------------------ security and references

# Scripts can reach a page through tags, event attributes and URLs. markdown-it leaves much of it
# as text (it refuses `javascript:` links, `<svg/onload=…>` is not a tag to it) and the sanitizer
# removes the rest from the output; the author is told all the same, at the place in the file.
_ACTIVE_TAG = re.compile(r"<\s*(script|iframe|frame|frameset|object|embed|applet|style|form|base|meta|link|svg|math|template|portal)\b", re.I)
# An event attribute inside something that looks like a tag: `<img src=x onerror=…>`, `<svg/onload=…>`.
_TAG_EVENT = re.compile(r"<[a-z][^<>]*?[\s/\"'`](on[a-z]+)\s*=", re.I)
_URL_ATTR = re.compile(
    r"""(?<=[\s/"'`])(href|src|action|formaction|xlink:href|data|poster|background|srcset|codebase|cite|longdesc|lowsrc|dynsrc)"""
    r"""\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
FORBIDDEN_SCHEMES = ("javascript", "vbscript", "data", "file")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
# Link destinations as written: [x](url), [x]: url (a definition markdown-it refused stays text), <url>.
_MD_DEST = re.compile(r"\]\(\s*<?\s*([^\s)>]+)|^ {0,3}\[[^\]]+\]:\s*<?\s*([^\s>]+)|<\s*([a-z][a-z0-9+.&#;-]*:[^\s>]*)>?", re.I | re.M)
_CODE_SPAN = re.compile(r"(`+)(?:.|\n)*?\1")


def forbidden_scheme(url: str) -> str | None:
    """'javascript', 'vbscript', 'data' or 'file' when `url` would open with that scheme in a browser
    (entities decoded, tabs, newlines and control characters ignored as browsers do), else None."""
    import html as _html

    cleaned = _CONTROL.sub("", _html.unescape(unquote(url)))
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned, re.I)
    scheme = match.group(1).lower() if match else ""
    return scheme if scheme in FORBIDDEN_SCHEMES else None


def _scan_inline_and_html(tokens: list[Token], ctx: _Ctx) -> None:
    for tok in tokens:
        if tok.type == "html_block":
            _check_html(tok.content, tok, ctx)
        elif tok.type == "inline":
            _scan_children(tok, ctx)


def _bad_url(ctx: _Ctx, scheme: str, line: int, col: int, image: bool = False) -> None:
    """One KM403 per scheme and line (the raw text and markdown-it's tokens may both see it)."""
    key = (line, scheme)
    if key in ctx.bad_urls:
        return
    ctx.bad_urls.add(key)
    if image:
        ctx.report.error("KM403", M_("image uses a forbidden scheme: '{scheme}'", scheme=scheme + ":"), ctx.loc.at(line, col),
                         M_("save the image under the module's media/ folder and link it relatively; pages must work offline"))
    else:
        ctx.report.error("KM403", M_("link uses a forbidden scheme: '{scheme}'", scheme=scheme + ":"), ctx.loc.at(line, col),
                         M_("links may point to web pages (https://…), lessons or files in the course"))


def _scan_children(inline: Token, ctx: _Ctx) -> None:
    # The raw text, code spans blanked: markdown-it leaves refused links and non-tags as text.
    content = _CODE_SPAN.sub(lambda mt: " " * len(mt.group(0)), inline.content)
    for match in _MD_DEST.finditer(content):
        dest = match.group(1) or match.group(2) or match.group(3)
        scheme = forbidden_scheme(dest)
        if scheme:
            line, col = ctx.col_of(inline, dest)
            before = content[max(0, match.start() - 200): match.start()]
            _bad_url(ctx, scheme, line, col, image=match.group(1) is not None and before.rfind("![") > before.rfind("]"))
    _check_html(content, inline, ctx)
    for child in inline.children or []:
        if child.type == "link_open":
            href = unquote(str(child.attrs.get("href", "")))  # markdown-it percent-encodes ä/ö
            text = _plain(inline.children[inline.children.index(child) + 1 :], stop="link_close")
            line, col = ctx.col_of(inline, f"]({href}") if href else ctx.col_of(inline, "](")
            loc = ctx.loc.at(line, col + 2 if href else col)
            scheme = forbidden_scheme(href)
            if scheme:
                _bad_url(ctx, scheme, loc.line, loc.col)
            else:
                ctx.links.append(m.Link(href=href, text=text, loc=loc))
        elif child.type == "image":
            _image(child, inline, ctx)


def _check_html(html: str, token: Token, ctx: _Ctx) -> None:
    for match in _ACTIVE_TAG.finditer(html):
        line, col = ctx.col_of(token, match.group(0))
        ctx.report.error(
            "KM401",
            M_("raw <{tag}> is not allowed in lessons", tag=match.group(1).lower()),
            ctx.loc.at(line, col),
            M_("remove it; interactive parts (quizzes, reflections) come from quiz.yaml and '!!! reflection'"),
        )
    for match in _TAG_EVENT.finditer(html):
        line, col = ctx.col_of(token, match.group(1))
        ctx.report.error(
            "KM402", M_("inline event handler '{attribute}' is not allowed", attribute=match.group(1).lower()),
            ctx.loc.at(line, col), M_("remove the attribute; lessons cannot run scripts"),
        )
    for match in _URL_ATTR.finditer(html):
        scheme = forbidden_scheme(match.group(2).strip("\"'"))
        if scheme:
            line, col = ctx.col_of(token, match.group(0))
            key = (line, scheme)
            if key in ctx.bad_urls:
                continue
            ctx.bad_urls.add(key)
            ctx.report.error(
                "KM403", M_("'{scheme}:' URLs are not allowed", scheme=scheme), ctx.loc.at(line, col),
                M_("link to a web page (https://…) or a file in the course"),
            )


def _image(child: Token, inline: Token, ctx: _Ctx) -> m.Image:
    src = unquote(str(child.attrs.get("src", "")))
    alt = _plain(child.children or []).strip() if child.children else child.content.strip()
    title = str(child.attrs.get("title", "") or "")
    line, col = ctx.col_of(inline, f"]({src}") if src else ctx.col_of(inline, "![")
    loc = ctx.loc.at(line, col + 2 if src else col)
    resolved = ""
    scheme = forbidden_scheme(src)
    if scheme:
        _bad_url(ctx, scheme, loc.line, loc.col, image=True)
    elif re.match(r"^[a-z][a-z0-9+.-]*:", src, re.I):
        ctx.report.error(
            "KM303", M_("image '{src}' is not in the repository", src=src), loc,
            M_("save the image under the module's media/ folder and link it relatively; pages must work offline"),
        )
    else:
        # Resolved as text here (the parse reads no files); validate.py checks the file itself.
        path = src.split("#")[0].split("?")[0]
        target = posixpath.normpath(posixpath.join(posixpath.dirname(ctx.rel), path)) if path else ""
        if not path or posixpath.isabs(path) or target == ".." or target.startswith("../"):
            ctx.report.error("KM305", M_("image path '{src}' escapes the course repository", src=src), loc, M_("use a path relative to the lesson, e.g. media/kuva.png"))
        else:
            resolved = target
    img = m.Image(src=src, path=resolved, alt=alt, title=title, loc=loc)
    ctx.images.append(img)
    return img


def _plain(children: list[Token], stop: str | None = None) -> str:
    out = []
    for c in children:
        if stop and c.type == stop:
            break
        if c.type in ("text", "code_inline"):
            out.append(c.content)
        elif c.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif c.type == "image":
            out.append(_plain(c.children or []))
    return "".join(out)


# ------------------------------------------------------------------ blocks and slides


def _slides(tokens: list[Token], ctx: _Ctx, title: str) -> list[m.Slide]:
    slides: list[m.Slide] = []
    current_title, current_anchor, current_loc, intro = title, "", ctx.loc.at(ctx.offset + 1, 1), True
    current: list[m.Block] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            text = _plain(tokens[i + 1].children or [])
            level = int(tok.tag[1])
            anchor = ctx.anchor_for(text)
            tok.attrSet("id", anchor)  # the same id in the rendered HTML (loader/html.py)
            ctx.headings.append((level, text, anchor))
            if level == 1:
                ctx.report.warning(
                    "KM207", M_("'#' heading in a lesson body"), ctx.at(tok),
                    M_("the lesson title comes from the front matter; start slides with '## '"),
                )
            if level <= 2:
                if current or not intro:
                    slides.append(m.Slide(current_title, current_anchor, tuple(current), current_loc, intro))
                current_title, current_anchor, current_loc, intro, current = text, anchor, ctx.at(tok), False, []
            else:
                current.append(m.Paragraph(f"**{tokens[i + 1].content}**", ctx.at(tok)))
            i += 3
            continue
        block, i = _block(tokens, i, ctx)
        if block is not None:
            current.append(block)
    if current or not intro:
        slides.append(m.Slide(current_title, current_anchor, tuple(current), current_loc, intro))
    return slides


def _close_index(tokens: list[Token], i: int) -> int:
    """Index of the token that closes tokens[i] (same nesting level)."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


# A paragraph that starts like a box but is not one: `!! notes`, `!!!notes`, `!!!! notes`, `??? `…
_NEAR_BOX = re.compile(r"^(?:!{1,2}\s*[a-zåäö]|!{3}[a-zåäö]|!{4,}\s*[a-zåäö]|\?{2,}\+?\s*[a-zåäö]|¡{2,}|！{2,})", re.I)


def _block(tokens: list[Token], i: int, ctx: _Ctx) -> tuple[m.Block | None, int]:
    tok = tokens[i]
    loc = ctx.at(tok)
    t = tok.type
    if t == "paragraph_open":
        inline = tokens[i + 1]
        if _NEAR_BOX.match(inline.content):
            ctx.report.error(
                "KM405", M_("this line looks like a box ('!!! notes') but is not one"), loc,
                M_("write three exclamation marks and a space: !!! notes"),
            )
        kids = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip()) and c.type != "softbreak"]
        if len(kids) == 1 and kids[0].type == "image":
            img = next(im for im in reversed(ctx.images) if im.src == unquote(str(kids[0].attrs.get("src", ""))))
            return img, i + 3
        return m.Paragraph(inline.content, loc), i + 3
    if t in ("bullet_list_open", "ordered_list_open"):
        end = _close_index(tokens, i)
        items, levels, depth = [], [], -1
        for tk in tokens[i:end + 1]:
            if tk.type in ("bullet_list_open", "ordered_list_open"):
                depth += 1
            elif tk.type in ("bullet_list_close", "ordered_list_close"):
                depth -= 1
            elif tk.type == "inline":
                items.append(tk.content)
                levels.append(depth)
        return m.BulletList(tuple(items), tuple(levels), t == "ordered_list_open", loc), end + 1
    if t == "table_open":
        end = _close_index(tokens, i)
        header: list[str] = []
        rows: list[list[str]] = []
        in_head = False
        for tk in tokens[i:end + 1]:
            if tk.type == "thead_open":
                in_head = True
            elif tk.type == "thead_close":
                in_head = False
            elif tk.type == "tr_open" and not in_head:
                rows.append([])
            elif tk.type == "inline":
                (header if in_head else rows[-1]).append(tk.content)
        return m.Table(tuple(header), tuple(tuple(r) for r in rows), loc), end + 1
    if t == "blockquote_open":
        end = _close_index(tokens, i)
        text = " ".join(tk.content for tk in tokens[i:end] if tk.type == "inline")
        return m.Quote(text, loc), end + 1
    if t in ("fence", "code_block"):
        if t == "code_block" and re.match(r"^\s*(?:!!!|\?\?\?)\+?\s*[\w-]", tok.content):
            ctx.report.error("KM405", M_("this box is indented, so it would be shown as code"), loc,
                             M_("start the '!!!' line at the beginning of the line (only the box's text is indented)"))
        return m.Code(tok.content, loc), i + 1
    if t == "admonition_open":
        end = _close_index(tokens, i)
        kind = (tok.meta or {}).get("tag", "note")
        title = _admonition_title(tok)
        inner: list[m.Block] = []
        j = i + 1
        if j < end and tokens[j].type == "admonition_title_open":
            j = _close_index(tokens, j) + 1
        while j < end:
            block, j = _block(tokens, j, ctx)
            if block is not None:
                inner.append(block)
        _check_admonition(kind, inner, tok, ctx)
        if kind in NOTES_KINDS:
            last = (tok.map[1] + ctx.offset) if tok.map else loc.line
            return m.Notes(_admonition_source(tok, ctx), tuple(inner), loc, end_line=last), end + 1
        if kind in REFLECTION_KINDS:
            return m.Reflection(title, tuple(inner), loc), end + 1
        return m.Callout(kind, title, tuple(inner), loc), end + 1
    if tok.nesting == 1:  # anything else that opens: skip to its end
        return None, _close_index(tokens, i) + 1
    return None, i + 1


# Words a mentor may use for trainer notes instead of `notes` (Finnish, Swedish, English).
NOTES_LIKE = re.compile(r"^(muistiinpano|kouluttaj|anteckning|utbildar|trainer|speaker|puhuj|talar|notes?[-_]|opettaj|lärar)", re.I)
TRAINER_TITLE = re.compile(r"kouluttaj|muistiinpan|trainer|utbildar|anteckning|speaker|puhujan|talarens|opettajalle|för läraren", re.I)


def _check_admonition(kind: str, inner: list, tok: Token, ctx: _Ctx) -> None:
    """A box that is almost trainer notes is an error, never a published paragraph: trainer notes
    exist only in trainer outputs, and a near miss would show them to learners."""
    loc = ctx.at(tok)
    known = NOTES_KINDS | REFLECTION_KINDS | CALLOUT_KINDS
    if not inner:
        if kind in NOTES_KINDS | REFLECTION_KINDS:
            # The text below would end up outside the box: trainer notes shown to learners.
            ctx.report.error("KM404", M_("'!!! {kind}' box has no text inside it", kind=kind), loc, M_("indent every line of the box's text by 4 spaces"))
        else:
            ctx.report.warning("KM405", M_("'!!! {kind}' box has no text inside it", kind=kind), loc, M_("indent every line of the box's text by 4 spaces"))
    if kind not in known:
        if NOTES_LIKE.match(kind):
            hint = M_("did you mean '{name}'?", name="notes")
        else:
            close = difflib.get_close_matches(kind, sorted(known), n=1)
            hint = M_("did you mean '{name}'?", name=close[0]) if close else \
                M_("use notes (trainer notes), reflection, or note, tip, warning, example, info, quote")
        ctx.report.error("KM405", M_("unknown box type '{kind}'", kind=kind), loc, hint)
    elif kind not in NOTES_KINDS and TRAINER_TITLE.search(_admonition_title(tok)):
        ctx.report.error(
            "KM406", M_("the box '{title}' would be shown to learners", title=_admonition_title(tok)), loc,
            M_("trainer notes are written as '!!! notes' (they never reach learners); for a box that learners should see, choose another title"),
        )
    if kind in NOTES_KINDS and tok.level > 0:
        ctx.report.error("KM407", M_("trainer notes inside another box"), loc,
                         M_("move the '!!! notes' box out of the box around it, unindented, after it"))


def _admonition_title(tok: Token) -> str:
    info = tok.info.strip()
    match = re.search(r'"(.*)"', info)
    return match.group(1) if match else ""


def _admonition_source(tok: Token, ctx: _Ctx) -> str:
    start, end = tok.map
    lines = ctx.lines[start + 1 : end]
    return "\n".join(line[4:] if line.startswith("    ") else line.lstrip() for line in lines).strip()
