"""Course model -> slide plan (pure: no files written, no python-pptx).

One deck per module and language: title slide, learning objectives, per lesson a section slide and
its content slides, reflections on their own slides, the mentors' competence map (competence.py, in
the module with competence_map: true), quiz questions as discussion slides, closing.
Text is measured against the template's placeholders (fit.py) and split onto continuation slides.
"""
from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path

from ... import model as m
from ...diagnostics import Location
from ...i18n import M_, MP_, Msg
from . import fit
from .competence import map_slides
from .inline import MAX_INLINE, plain, runs
from .spec import DeckSpec, Para, PictureSpec, Run, SlideSpec, TableSpec
from .strings import has as has_string
from .strings import lang_tag, t
from .template import Template

MAX_PARTS = 2  # a source slide whose content needs more slides than this is too dense (KM702)
MAX_TABLE_ROWS = 8  # a table with more body rows or columns than these is too dense to read (KM702)
MAX_TABLE_COLS = 5
MAX_SLIDE_PAGES = 20  # a source slide never makes more slides than this (the rest is left out, KM702)
MAX_TITLE = 255  # characters a deck's title (core property) may have
RASTER = {".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff"}


@dataclass
class _Planned:
    spec: SlideSpec
    candidates: tuple[str, ...]  # alternative titles if the first one is taken


@dataclass
class _Ctx:
    course: m.Course
    tpl: Template
    lang: str
    slides: list[_Planned] = field(default_factory=list)
    warnings: list[tuple[str, Msg, Location, Msg]] = field(default_factory=list)
    errors: list[tuple[str, Msg, Location, Msg]] = field(default_factory=list)

    def box(self, role: str, n: int = 0):
        bodies = self.tpl.layouts[role].bodies
        return bodies[n] if n < len(bodies) else None

    def add(self, spec: SlideSpec, *candidates: str) -> None:
        self.slides.append(_Planned(spec, candidates))

    def warn(self, message: Msg, loc: Location, hint: Msg, code: str = "KM702") -> None:
        self.warnings.append((code, message, loc, hint))

    def error(self, message: Msg, loc: Location, hint: Msg, code: str) -> None:
        self.errors.append((code, message, loc, hint))


def plan_deck(course: m.Course, module: m.Module, lang: str, tpl: Template) -> DeckSpec:
    ctx = _Ctx(course, tpl, lang)
    _title_slide(ctx, module)
    _objectives(ctx, module)
    total = len(module.lessons)
    for number, lesson in enumerate(module.lessons, 1):
        _lesson(ctx, lesson, number, total)
    for spec in map_slides(course, module, lang, ctx.box("content")):  # after the lessons, before the quiz
        ctx.add(spec)
    if module.quiz and module.quiz.questions:
        _quiz(ctx, module.quiz)
    _closing(ctx, module)
    slides = _finish(ctx)
    title = module.title.get(lang)
    if len(title) > MAX_TITLE:
        ctx.warn(M_("module title has {n} characters: the deck's title property keeps the first {max}", n=len(title), max=MAX_TITLE),
                 module.loc, M_("shorten the module title in module.yaml"))
        title = title[: MAX_TITLE - 1] + "…"
    return DeckSpec(
        module_id=module.id,
        lang=lang,
        lang_tag=lang_tag(lang),
        title=title,
        author=course.publisher.get(lang),
        slides=slides,
        warnings=tuple(dict.fromkeys(ctx.warnings)),
        errors=tuple(dict.fromkeys(ctx.errors)),
    )


# ------------------------------------------------------------------ fixed slides


def _local(text: m.LocalText, lang: str) -> tuple[str, str]:
    """(text, BCP 47 tag of the language it is actually in)."""
    return text.get(lang), lang_tag(lang if text.has(lang) else m.DEFAULT_LANG)


def _title_slide(ctx: _Ctx, module: m.Module) -> None:
    lang = ctx.lang
    title, tag = _local(module.title, lang)
    people = []
    for mentor_id in module.authors:
        mentor = ctx.course.mentor(mentor_id)
        if mentor is None:
            continue
        agency = ctx.course.agency(mentor.agency)
        role = mentor.role.get(lang)
        people.append(f"{role}, {agency.name.get(lang)}" if agency else role)
    body = [Para((Run(p),)) for p in people]
    if module.duration:
        body.append(Para((Run(t("duration", lang, n=module.duration), bold=True),)))
    box = ctx.box("title")
    if people and not fit.fits(box, body):
        body = [Para((Run(" · ".join(people)),))] + body[len(people):]
    if not fit.fits(box, body):
        ctx.warn(M_("the authors do not fit on the title slide"), module.loc, M_("list fewer authors in module.yaml"))
        body = body[-1:]
    notes = [module.summary.get(lang)]
    if module.audience:
        notes.append(t("audience", lang, a=module.audience.get(lang)))
    ctx.add(SlideSpec("title", title, tag, module.loc, body=tuple(body), notes="\n".join(n for n in notes if n)))


def _objectives(ctx: _Ctx, module: m.Module) -> None:
    if not module.objectives:
        return
    lang = ctx.lang
    paras = [Para(runs(o.get(lang)), 0, "bullet") for o in module.objectives]
    tag = lang_tag(lang if all(o.has(lang) for o in module.objectives) else m.DEFAULT_LANG)
    _text_slides(ctx, t("objectives", lang), paras, tag, module.loc, notes="")


def _closing(ctx: _Ctx, module: m.Module) -> None:
    lang = ctx.lang
    course = ctx.course
    body = [Para((Run(course.title.get(lang), bold=True),))]
    if course.publisher:
        body.append(Para((Run(course.publisher.get(lang)),)))
    if course.licence:
        body.append(Para((Run(t("licence", lang, l=course.licence.replace("-", " "))),)))
    if course.site_url:
        body.append(Para((Run(course.site_url, href=course.site_url),)))
    box = ctx.box("closing")
    while len(body) > 1 and not fit.fits(box, body):
        body.pop()
    ctx.add(SlideSpec("closing", t("thanks", lang), lang_tag(lang), module.loc, body=tuple(body)),
            f"{t('thanks', lang)} – {module.title.get(lang)}")


# ------------------------------------------------------------------ lessons


def _lesson(ctx: _Ctx, lesson: m.Lesson, number: int, total: int) -> None:
    text = lesson.text(ctx.lang)
    tag = lang_tag(text.lang)
    meta = (
        t("lesson_duration", ctx.lang, n=number, total=total, d=text.duration)
        if text.duration
        else t("lesson", ctx.lang, n=number, total=total)
    )
    section_body = [Para((Run(meta, bold=True),))]
    slides = list(text.slides)
    intro_notes = ""
    if slides and slides[0].intro:
        intro = slides.pop(0)
        segments, notes = _segments(ctx, intro.blocks)
        intro_notes = notes
        box = ctx.box("section")
        if len(segments) == 1 and segments[0][0] == "text" and fit.fits(box, section_body + segments[0][1]):
            section_body += segments[0][1]
        elif segments:
            slides.insert(0, replace(intro, blocks=tuple(b for b in intro.blocks if not isinstance(b, m.Notes))))
    ctx.add(SlideSpec("section", text.title, tag, text.loc.at(1, 1), body=tuple(section_body), notes=intro_notes),
            f"{number}. {text.title}")
    for slide in slides:
        _slide(ctx, slide, tag, text.title)


Segment = tuple  # ("text", [Para], loc, [loc per Para]) | ("image", m.Image) | ("table", m.Table) | ("reflection", m.Reflection)


def _segments(ctx: _Ctx, blocks: tuple[m.Block, ...]) -> tuple[list[Segment], str]:
    segments: list[Segment] = []
    notes: list[str] = []

    def text(paras: list[Para], loc: Location) -> None:
        if not paras:
            return
        if segments and segments[-1][0] == "text":
            segments[-1][1].extend(paras)
            segments[-1][3].extend([loc] * len(paras))
        else:
            segments.append(("text", list(paras), loc, [loc] * len(paras)))

    def walk(items) -> None:
        for block in items:
            if isinstance(block, m.Notes):
                notes.append(_notes_text(block.blocks) or block.markdown)
            elif isinstance(block, m.Image):
                segments.append(("image", block))
            elif isinstance(block, m.Table):
                segments.append(("table", block))
            elif isinstance(block, m.Reflection):
                segments.append(("reflection", block))
            elif isinstance(block, m.Callout):
                label = block.title or (t(block.kind, ctx.lang) if has_string(block.kind) else block.kind.capitalize())
                text([Para((Run(label, bold=True),))], block.loc)
                walk(block.blocks)
            else:
                if isinstance(block, (m.Paragraph, m.Quote)) and len(block.text) > MAX_INLINE:
                    ctx.warn(M_("a paragraph of {n} characters is too long for slides and is truncated", n=len(block.text)), block.loc,
                             M_("split it into shorter paragraphs"))
                text(_paras(block), block.loc)

    walk(blocks)
    return segments, "\n\n".join(n for n in notes if n)


def _paras(block: m.Block) -> list[Para]:
    if isinstance(block, m.Paragraph):
        return [Para(runs(block.text))]
    if isinstance(block, m.BulletList):
        out, counters = [], {}
        for item, level in zip(block.items, block.levels):
            for deeper in [k for k in counters if k > level]:
                del counters[deeper]
            counters[level] = counters.get(level, 0) + 1
            out.append(Para(runs(item), min(level, 4), "number" if block.ordered else "bullet", counters[level]))
        return out
    if isinstance(block, m.Quote):
        rs = runs(block.text)
        return [Para(tuple(replace(r, italic=True) for r in (Run("“"),) + rs + (Run("”"),)))]
    if isinstance(block, m.Code):
        return [Para((Run(line or " ", code=True),), 0, "code") for line in block.text.rstrip("\n").split("\n")]
    return []


def _notes_text(blocks) -> str:
    lines = []
    for block in blocks:
        if isinstance(block, m.Paragraph):
            lines.append(plain(block.text))
        elif isinstance(block, m.BulletList):
            for item, level in zip(block.items, block.levels):
                lines.append("  " * level + "• " + plain(item))
        elif isinstance(block, (m.Quote, m.Code)):
            lines.append(block.text.strip())
        elif isinstance(block, m.Table):
            lines.append(" | ".join(plain(h) for h in block.header))
            lines.extend(" | ".join(plain(c) for c in row) for row in block.rows)
        elif isinstance(block, (m.Callout, m.Reflection, m.Notes)):
            lines.append(_notes_text(block.blocks))
        elif isinstance(block, m.Image):
            lines.append(block.alt)
    return "\n".join(x for x in lines if x)


MAX_BESIDE = 12  # paragraphs tried beside a picture when the whole text is too long for it


def _split_for_pictures(ctx: _Ctx, segments: list[Segment]) -> list[Segment]:
    """Text too long to sit beside its picture is split at a paragraph: as much of its end (text
    before the picture) or its start (text after it, when nothing precedes the picture) as fits
    goes beside the picture in two columns; the rest gets slides of its own, in document order."""
    out: list[Segment] = []
    for i, seg in enumerate(segments):
        if seg[0] == "text" and len(seg[1]) > 1 and not _pairable(ctx, seg[1]):
            paras, locs = seg[1], seg[3]
            before_picture = i + 1 < len(segments) and segments[i + 1][0] == "image"
            after_picture = i > 0 and segments[i - 1][0] == "image" and (i < 2 or segments[i - 2][0] != "text")
            if before_picture or after_picture:
                k = 0
                while k + 1 < len(paras) and k < MAX_BESIDE:
                    part = paras[-(k + 1):] if before_picture else paras[: k + 1]
                    if not _pairable(ctx, part):
                        break
                    k += 1
                if k and before_picture:
                    out.append(("text", paras[:-k], seg[2], locs[:-k]))
                    out.append(("text", paras[-k:], locs[-k], locs[-k:]))
                    continue
                if k:
                    out.append(("text", paras[:k], seg[2], locs[:k]))
                    out.append(("text", paras[k:], locs[k], locs[k:]))
                    continue
        out.append(seg)
    return out


def _slide(ctx: _Ctx, slide: m.Slide, tag: str, lesson_title: str) -> None:
    segments, notes = _segments(ctx, slide.blocks)
    segments = _split_for_pictures(ctx, segments)
    # Pair each image with the text right before (else after) it when that text fits beside it.
    pairs: dict[int, int] = {}
    for i, seg in enumerate(segments):
        if seg[0] != "image":
            continue
        for j in (i - 1, i + 1):
            if 0 <= j < len(segments) and segments[j][0] == "text" and j not in pairs.values() and _pairable(ctx, segments[j][1]):
                pairs[i] = j
                break
    parts: list[tuple[SlideSpec, bool]] = []  # (spec without its final title, is a reflection)
    for i, seg in enumerate(segments):
        kind = seg[0]
        if kind == "image":
            parts.append((_picture(ctx, seg[1], segments[pairs[i]][1] if i in pairs else None, tag), False))
        elif kind == "table":
            parts.extend((spec, False) for spec in _table(ctx, seg[1], tag))
        elif kind == "reflection":
            body = [p for block in seg[1].blocks for p in _paras(block)]
            pages, cut = fit.paginate(ctx.box("quote"), body)
            _warn_truncated(ctx, cut, [seg[1].loc] * len(body))
            if cut or len(pages) > 1:
                ctx.warn(M_("reflection question is too long for one slide"), seg[1].loc, M_("keep a reflection to one or two sentences"))
            parts.extend((SlideSpec("quote", seg[1].title, tag, seg[1].loc, body=tuple(page)), True) for page in pages)
        elif kind == "text" and i not in pairs.values():
            pages, cut = fit.paginate(ctx.box("content"), seg[1])
            for index, _ in cut:
                ctx.warn(M_("a paragraph on slide '{slide}' is too long for one slide and is cut mid-text", slide=_short(slide.title)), seg[3][index],
                         M_("split it into shorter paragraphs or a bulleted list"))
            _warn_truncated(ctx, cut, seg[3])
            if len(pages) > MAX_SLIDE_PAGES:
                ctx.warn(M_("slide '{slide}' needs {n} slides: only the first {max} are made", slide=_short(slide.title), n=len(pages), max=MAX_SLIDE_PAGES),
                         seg[2],
                         M_("start new slides with more '## ' headings"))
                pages = pages[:MAX_SLIDE_PAGES]
            if len(pages) > MAX_PARTS:
                ctx.warn(MP_("slide '{slide}' is too dense: it needs {n} slide", "slide '{slide}' is too dense: it needs {n} slides",
                             len(pages), slide=_short(slide.title)), seg[2],
                         M_("shorten the text or start new slides with more '## ' headings"))
            parts.extend((SlideSpec("content", "", tag, seg[2], body=tuple(page)), False) for page in pages)
    if not parts:
        parts.append((SlideSpec("content", "", tag, slide.loc), False))
    n = sum(1 for _, refl in parts if not refl)
    k = 0
    for index, (spec, refl) in enumerate(parts):
        note = notes if index == 0 else ""
        if refl:
            # One pattern: a slide holding only a reflection keeps its heading; a reflection among
            # other content is "<box title>: <heading>" (slides.reflection_title), so its slide
            # sits between the heading's other parts and says which heading it belongs to. A
            # repeated title is told apart by its lesson.
            label = spec.title or t("reflect", ctx.lang)
            title = slide.title if n == 0 else t("reflection_title", ctx.lang, label=label, slide=slide.title)
            ctx.add(replace(spec, title=title, notes=note), f"{title} – {lesson_title}")
        else:
            k += 1
            title = slide.title if n == 1 else f"{slide.title} ({k}/{n})"
            ctx.add(replace(spec, title=title, notes=note), f"{title} – {lesson_title}")


def _warn_truncated(ctx: _Ctx, cut: list[tuple[int, bool]], locs: list[Location]) -> None:
    for index, truncated in cut:
        if truncated:
            ctx.warn(M_("a paragraph is too long even for {n} slides: its end is left out", n=fit.MAX_PARA_PAGES), locs[index],
                     M_("split it into shorter paragraphs; a word or address longer than a line is broken"))


def _as_caption(ctx: _Ctx, paras: list[Para]) -> bool:
    """Short prose goes beside the picture as its caption; lists go to a two-column slide."""
    cap = ctx.box("picture")
    return cap is not None and all(p.kind == "plain" for p in paras) and fit.fits(cap, paras)


def _pairable(ctx: _Ctx, paras: list[Para]) -> bool:
    return _as_caption(ctx, paras) or fit.fits(ctx.box("two"), paras)


def _picture(ctx: _Ctx, image: m.Image, paras: list[Para] | None, tag: str) -> SlideSpec:
    path = Path(ctx.course.root) / image.path if image.path else None
    if path is None or not path.is_file():  # already an error from `kummi check` (KM30x)
        body = (Para((Run(t("image_missing", ctx.lang, alt=image.alt)),)),) + tuple(paras or ())
        return SlideSpec("content", "", tag, image.loc, body=body)
    if path.suffix.lower() not in RASTER:
        ctx.warn(M_("image '{image}' cannot be put on a slide (only PNG, JPEG, GIF, BMP and TIFF can)", image=image.src), image.loc,
                 M_("use a PNG or JPEG file; its alt text is shown instead"), code="KM703")
        body = (Para((Run(t("image_missing", ctx.lang, alt=image.alt)),)),) + tuple(paras or ())
        return SlideSpec("content", "", tag, image.loc, body=body)
    from PIL import Image as PILImage

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(path) as im:
                w, h = im.size
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        ctx.error(M_("image '{image}' is too large to put on a slide (over {n} million pixels)", image=image.src, n=(PILImage.MAX_IMAGE_PIXELS or 89_478_485) // 1_000_000),
                  image.loc, M_("scale it down, for example to 1920 pixels wide"), code="KM703")
        body = (Para((Run(t("image_missing", ctx.lang, alt=image.alt)),)),) + tuple(paras or ())
        return SlideSpec("content", "", tag, image.loc, body=body)
    except (OSError, ValueError, SyntaxError):
        w = h = 0
    if not w or not h:
        ctx.warn(M_("image '{image}' cannot be read", image=image.src), image.loc, M_("save it again as PNG or JPEG"), code="KM703")
        body = (Para((Run(t("image_missing", ctx.lang, alt=image.alt)),)),) + tuple(paras or ())
        return SlideSpec("content", "", tag, image.loc, body=body)
    pic = PictureSpec(str(path), image.alt, w, h)
    if paras:
        if _as_caption(ctx, paras):
            return SlideSpec("picture", "", tag, image.loc, body=tuple(paras), picture=pic)
        return SlideSpec("two", "", tag, image.loc, body=tuple(paras), picture=pic)
    caption = (Para((Run(image.title),)),) if image.title else ()
    return SlideSpec("picture", "", tag, image.loc, body=caption, picture=pic)


def _table(ctx: _Ctx, table: m.Table, tag: str) -> list[SlideSpec]:
    box = ctx.box("content")
    header = tuple(runs(h) for h in table.header)
    rows = tuple(tuple(runs(c) for c in row) for row in table.rows)
    cols = max([len(table.header)] + [len(r) for r in table.rows])
    if len(table.rows) > MAX_TABLE_ROWS or cols > MAX_TABLE_COLS:
        ctx.warn(M_("table has {rows} rows and {cols} columns: too dense for a slide (at most {max_rows} rows and {max_cols} columns read well)",
                    rows=len(table.rows), cols=cols, max_rows=MAX_TABLE_ROWS, max_cols=MAX_TABLE_COLS), table.loc,
                 M_("show the key rows on the slide and keep the full table in the learning material"))
    _, _, width, height = fit.table_area(box)
    size, pages, widths, heights = fit.paginate_table(header, rows, width, height)
    if len(pages) > MAX_PARTS:
        ctx.warn(MP_("table is too long: it needs {n} slide", "table is too long: it needs {n} slides", len(pages)), table.loc,
                 M_("split the table or move details to the learning material"))
    out = []
    for start, end in pages:
        spec = TableSpec(header, rows[start:end], widths, (heights[0],) + heights[1 + start : 1 + end], size)
        out.append(SlideSpec("content", "", tag, table.loc, table=spec))
    return out


def _text_slides(ctx: _Ctx, title: str, paras: list[Para], tag: str, loc: Location, notes: str) -> None:
    pages, cut = fit.paginate(ctx.box("content"), paras)
    _warn_truncated(ctx, cut, [loc] * len(paras))
    pages = pages[:MAX_SLIDE_PAGES]
    for k, page in enumerate(pages, 1):
        name = title if len(pages) == 1 else f"{title} ({k}/{len(pages)})"
        ctx.add(SlideSpec("content", name, tag, loc, body=tuple(page), notes=notes if k == 1 else ""))


# ------------------------------------------------------------------ quiz


def _quiz(ctx: _Ctx, quiz: m.Quiz) -> None:
    lang = ctx.lang
    ctx.add(SlideSpec("section", t("quiz", lang), lang_tag(lang), quiz.loc, body=(Para((Run(t("quiz_intro", lang)),)),)))
    for n, q in enumerate(quiz.questions, 1):
        prompt, tag = _local(q.prompt, lang)
        paras = [Para(tuple(replace(r, bold=True) for r in runs(prompt)))]
        paras.append(Para((Run(t(q.type if q.type in ("single", "multiple", "truefalse") else "single", lang), italic=True),)))
        letters = {}
        for i, option in enumerate(q.options):
            letters[option.id] = chr(ord("A") + i)
            paras.append(Para(runs(option.text.get(lang)), 0, "number", i + 1, alpha=True))
        correct = [f"{letters[o.id]}) {plain(o.text.get(lang))}" for o in q.options if o.correct]
        notes = [f"{t('answer' if len(correct) == 1 else 'answers', lang)}: {'; '.join(correct)}"]
        feedback = [f"{letters[o.id]}) {plain(o.feedback.get(lang))}" for o in q.options if o.feedback]
        if feedback:
            notes.append(f"{t('feedback', lang)}:")
            notes.extend(feedback)
        pages, cut = fit.paginate(ctx.box("content"), paras)
        _warn_truncated(ctx, cut, [q.loc] * len(paras))
        pages = pages[:MAX_SLIDE_PAGES]
        title = t("question", lang, n=n)
        for k, page in enumerate(pages, 1):
            name = title if len(pages) == 1 else f"{title} ({k}/{len(pages)})"
            ctx.add(SlideSpec("content", name, tag, q.loc, body=tuple(page), notes="\n".join(notes)))


# ------------------------------------------------------------------ titles


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _finish(ctx: _Ctx) -> tuple[SlideSpec, ...]:
    """Unique, fitting titles."""
    seen: set[str] = set()
    out = []
    for planned in ctx.slides:
        spec = planned.spec
        title = spec.title.strip() or t("reflect", ctx.lang)
        options = [title, *planned.candidates]
        chosen = next((o for o in options if o.casefold() not in seen), None)
        n = 2
        while chosen is None:
            candidate = f"{title} ({n})"
            if candidate.casefold() not in seen:
                chosen = candidate
            n += 1
        seen.add(chosen.casefold())
        box = ctx.tpl.layouts[spec.role].title
        size, ok = fit.title_size(box, chosen)
        if not ok:
            base = re.sub(r" \(\d+/\d+\)$", "", chosen)
            ctx.warn(M_("slide title '{title}' is too long for the title area", title=_short(base)), spec.loc,
                     M_("shorten the heading; it is set in a smaller size"))
        out.append(replace(spec, title=chosen, title_size=size))
    return tuple(out)
