"""Text budgets: will this text fit this placeholder? python-pptx has no autofit, so kummi measures.

The rule: wrap each paragraph word by word using Arial's character widths (the theme font; on Linux
LibreOffice draws the metric-compatible Liberation Sans, same advance widths), times a safety factor, within the
placeholder's inner width less the level's indent; each line takes the layout's exact line height
plus the space before the paragraph. Whatever does not fit goes to a continuation slide.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from collections import deque
from dataclasses import replace

from .spec import Para, Run
from .template import Box

# Advance widths (1/1000 em) of Liberation Sans = Arial metrics, Regular and Bold (checked against the
# installed TTF by tests/slides/test_slides_template.py).
FONT = "Arial"
FONT_TWIN = "Liberation Sans"
_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"
    "äöåÄÖÅéèüÜ–—…“”‘’«»€§°×•"
)
_REGULAR = (
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556,
    556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 556,
    556, 556, 667, 778, 667, 556, 556, 556, 722, 556, 1000, 1000, 333, 333, 222, 222, 556, 556, 556, 556, 400, 584, 350,
)
_BOLD = (
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556,
    556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778,
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611,
    611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 556,
    611, 556, 722, 778, 722, 556, 556, 611, 722, 556, 1000, 1000, 500, 500, 278, 278, 556, 556, 556, 556, 400, 584, 350,
)
REGULAR = dict(zip(_CHARS, _REGULAR))
BOLD = dict(zip(_CHARS, _BOLD))
UNKNOWN = 750  # any other character: assume wide
MONO = 600  # Courier New / Liberation Mono
SAFETY = 1.06  # renderers differ in kerning and rounding; never plan to the last point
HEIGHT_SLACK = 0.97

EMU_PT = 12700


def char_width(ch: str, bold: bool = False, code: bool = False) -> float:
    if code:
        return MONO
    return (BOLD if bold else REGULAR).get(ch, UNKNOWN)


class _Widths(dict):
    """Character widths; any character not in the table is UNKNOWN wide."""

    def __missing__(self, ch: str) -> int:
        return UNKNOWN


_WIDTHS = {False: _Widths(REGULAR), True: _Widths(BOLD)}
_PIECES = re.compile(r"\n|[ \t]+|[^ \t\n]+")  # a forced break, blanks, or (part of) a word


@lru_cache(maxsize=1024)
def _tokens(runs: tuple[Run, ...]) -> tuple[tuple[float, float, bool], ...]:
    """(width of word in em/1000, width of the following space, forced break after) per word.
    A word may span runs (`**kumm**ien`). Widths are whole numbers, so sums are exact.
    Remembered per text: the planner measures the same text at several sizes and widths, one
    slide after another (more would hold a catalogue's every text: tens of MB for no gain)."""
    out: list[tuple[float, float, bool]] = []
    word, space = 0.0, 0.0
    for run in runs:
        widths = None if run.code else _WIDTHS[run.bold]
        blank = MONO if widths is None else widths[" "]
        for piece in _PIECES.findall(run.text):
            first = piece[0]
            if first == "\n":
                out.append((word, 0.0, True))
                word, space = 0.0, 0.0
            elif first == " " or first == "\t":
                space += blank * len(piece)
            else:
                if space:
                    out.append((word, space, False))
                    word, space = 0.0, 0.0
                word += MONO * len(piece) if widths is None else sum(map(widths.__getitem__, piece))
    out.append((word, space, False))
    return tuple(out)


def count_lines(runs: tuple[Run, ...], size: float, width_pt: float) -> int:
    """Lines the text wraps to at `size` pt within `width_pt` (greedy, as renderers do)."""
    limit = max(width_pt, 1.0) * 1000 / (size * SAFETY)
    lines, used = 1, 0.0
    for word, space, forced in _tokens(tuple(runs)):
        if word > limit:  # a word longer than a line breaks anywhere
            if used:
                lines += 1
            extra = math.ceil(word / limit) - 1
            lines += extra
            used = word - extra * limit
        elif used and used + word > limit:
            lines += 1
            used = word
        else:
            used += word
        used += space
        if forced:
            lines += 1
            used = 0.0
    return lines


NUMBER_EXTRA = 137160  # numbered items get 0.15 in more hanging indent than bullets, for "10." / "A)"
NUMBER_INDENT = 411480  # 0.45 in


def margin(box: Box, para: Para) -> int:
    """Left margin (EMU) of the paragraph's text lines; the writer sets the same."""
    if para.kind in ("plain", "code") and para.level == 0:
        return 0
    base = box.style.margin(para.level)
    return base + NUMBER_EXTRA if para.kind == "number" else base


def para_width(box: Box, para: Para) -> float:
    return box.inner_w_pt - margin(box, para) / EMU_PT


def para_height(box: Box, para: Para) -> float:
    size = box.style.size(para.level)
    lines = count_lines(para.runs, size, para_width(box, para))
    return box.style.space_before(para.level) + lines * box.style.line(para.level)


def height(box: Box, paras: tuple[Para, ...] | list[Para]) -> float:
    return sum(para_height(box, p) for p in paras)


def fits(box: Box, paras) -> bool:
    return height(box, paras) <= box.inner_h_pt * HEIGHT_SLACK


MAX_PARA_PAGES = 10  # a single paragraph longer than this many slides is truncated (KM702)
ELLIPSIS = "…"


def paginate(box: Box, paras: list[Para]) -> tuple[list[list[Para]], list[tuple[int, bool]]]:
    """Split paragraphs into pages that each fit `box`.

    Returns (pages, cut): `cut` lists (index into `paras`, truncated) for every paragraph that was
    too long for one slide and had to be cut (truncated: it was also too long for MAX_PARA_PAGES
    slides and its end was dropped). Always terminates, in time linear in the text: a paragraph is
    first trimmed to what MAX_PARA_PAGES slides could possibly hold, a word longer than a line is
    broken between characters, and every page takes at least one character."""
    cap = box.inner_h_pt * HEIGHT_SLACK
    pages: list[list[Para]] = [[]]
    used = 0.0  # height of pages[-1]
    cut: dict[int, bool] = {}
    limit = _char_cap(box)
    queue: deque[tuple[int, Para, int]] = deque()  # (source index, paragraph, pages it has taken so far)
    for index, para in enumerate(paras):
        if len(para.text) > limit:
            para = _truncate(para, limit)
            cut[index] = True
        queue.append((index, para, 0))
    while queue:
        index, para, parts = queue.popleft()
        h = para_height(box, para)
        if used + h <= cap:
            pages[-1].append(para)
            used += h
            continue
        if h > cap:  # too long for any one slide: cut it
            cut.setdefault(index, False)
            if parts + 1 >= MAX_PARA_PAGES:
                head = _truncate_to_room(box, para, cap - used if pages[-1] else cap)
                if head is None and not pages[-1]:  # the box cannot show even one character
                    cut[index] = True
                    continue
                if head is None:
                    pages.append([])
                    used = 0.0
                    queue.appendleft((index, para, parts))
                    continue
                pages[-1].append(head)
                used += para_height(box, head)
                cut[index] = True
                continue
            head, tail = split_para(box, para, cap - used if pages[-1] else cap)
            if head is None:
                if pages[-1]:  # nothing fits in what is left of this page: start a new one
                    pages.append([])
                    used = 0.0
                    queue.appendleft((index, para, parts))
                    continue
                head, tail = hard_split(box, para, cap)
            pages[-1].append(head)
            pages.append([])
            used = 0.0
            if tail is not None and tail.runs:
                queue.appendleft((index, tail, parts + 1))
            continue
        # keep a bold lead-in line ("### heading") with what follows it
        if len(pages[-1]) > 1 and _is_lead(pages[-1][-1]):
            queue.appendleft((index, para, parts))
            queue.appendleft((-1, pages[-1].pop(), 0))
            pages.append([])
            used = 0.0
            continue
        pages.append([para])
        used = h
    return [p for p in pages if p] or [[]], sorted(i for i in cut.items() if i[0] >= 0)


def _char_cap(box: Box) -> int:
    """More characters than MAX_PARA_PAGES slides of this box can show at the smallest level size."""
    size = min(box.style.sizes) or 1.0
    line = min(box.style.lines) or 1.0
    per_line = max(box.inner_w_pt, 1.0) * 1000 / (size * SAFETY) / min(_REGULAR) + 2
    lines = max(box.inner_h_pt, line) / line + 1
    return int(MAX_PARA_PAGES * lines * per_line) + 1


def _truncate(para: Para, length: int) -> Para:
    """The first `length` characters of `para` and an ellipsis."""
    head = _slice(para, 0, length)
    if head.runs:
        last = head.runs[-1]
        head = replace(head, runs=head.runs[:-1] + (replace(last, text=last.text + ELLIPSIS),))
    return head


def _truncate_to_room(box: Box, para: Para, room: float) -> Para | None:
    """The longest prefix of `para`, ended with an ellipsis, that fits in `room` pt."""
    n = _longest(len(para.text), lambda k: para_height(box, _truncate(para, k)) <= room)
    return _truncate(para, n) if n else None


def _longest(n: int, ok) -> int:
    """Largest k in 1..n with ok(k) (ok is monotone: true up to some k), or 0."""
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo


def hard_split(box: Box, para: Para, room: float) -> tuple[Para, Para | None]:
    """Split `para` between characters (a word or address longer than a slide). The head takes at
    least one character, so a caller that loops always progresses."""
    text = para.text
    n = _longest(len(text), lambda k: para_height(box, _slice(para, 0, k)) <= room) or 1
    head, tail = _slice(para, 0, n), _slice(para, n, len(text))
    if not tail.runs:
        return head, None
    if para.kind in ("bullet", "number"):
        tail = replace(tail, kind="cont")
    return head, tail


def _is_lead(para: Para) -> bool:
    return para.kind == "plain" and bool(para.runs) and all(r.bold for r in para.runs if r.text.strip())


_SENTENCE = re.compile(r"(?<=[.!?:;])\s+")


def split_para(box: Box, para: Para, room: float) -> tuple[Para | None, Para]:
    """The longest head of `para` (at a sentence, else a word boundary) that fits in `room` pt, and
    the rest. Head is None when not even one word fits."""
    text = para.text

    def ok(cut: int) -> bool:
        return _fits_room(box, _slice(para, 0, cut), room)

    cuts = [m.end() for m in _SENTENCE.finditer(text)]
    if not cuts or not ok(cuts[0]):
        cuts = [m.end() for m in re.finditer(r"\s+", text)]
    k = _longest(len(cuts), lambda i: ok(cuts[i - 1]))  # prefixes only grow taller: binary search
    if not k:
        return None, para
    best = cuts[k - 1]
    head = _slice(para, 0, best)
    tail = _slice(para, best, len(text))
    if para.kind in ("bullet", "number"):
        tail = replace(tail, kind="cont")  # the item goes on, indented, without a new bullet
    return head, tail


def _fits_room(box: Box, para: Para, room: float) -> bool:
    return para_height(box, para) <= room


def _slice(para: Para, start: int, end: int) -> Para:
    runs, pos = [], 0
    for run in para.runs:
        a, b = pos, pos + len(run.text)
        lo, hi = max(a, start), min(b, end)
        if lo < hi:
            runs.append(replace(run, text=run.text[lo - a : hi - a]))
        pos = b
    if runs:
        runs[0] = replace(runs[0], text=runs[0].text.lstrip())
        runs[-1] = replace(runs[-1], text=runs[-1].text.rstrip())
    return replace(para, runs=tuple(r for r in runs if r.text))


# ------------------------------------------------------------------ titles


def title_size(box: Box, text: str, min_size: float = 20.0) -> tuple[float, bool]:
    """(size to set or 0 for the layout's own, fits at the layout's size)."""
    runs = (Run(text, bold=box.style.bold),)
    size = box.style.size(0)
    avail = box.inner_h_pt * HEIGHT_SLACK

    def ok(s: float) -> bool:
        return count_lines(runs, s, box.inner_w_pt) * box.style.line(0, s) <= avail

    if ok(size):
        return 0.0, True
    s = size
    while s > min_size and not ok(s):
        s -= 2
    return max(s, min_size), False


# ------------------------------------------------------------------ tables

CELL_LR = 91440 * 2  # default cell margins (EMU)
CELL_TB = 45720 * 2
TABLE_SIZES = (18.0, 16.0, 14.0)


def _natural(cell: tuple[Run, ...], size: float) -> tuple[float, float]:
    """(single-line width, longest word width) in pt."""
    toks = _tokens(tuple(cell))
    total = sum(w + s for w, s, _ in toks) * size * SAFETY / 1000
    longest = max((w for w, _, _ in toks), default=0) * size * SAFETY / 1000
    return total, longest


def table_layout(header, rows, width: int, size: float) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Column widths and row heights (EMU) for a table `width` EMU wide at `size` pt."""
    cols = max([len(header)] + [len(r) for r in rows]) or 1
    grid = [list(header) + [()] * (cols - len(header))] + [list(r) + [()] * (cols - len(r)) for r in rows]
    pad = CELL_LR / EMU_PT
    nat = [max(_natural(row[c], size)[0] for row in grid) + pad for c in range(cols)]
    low = [max(_natural(row[c], size)[1] for row in grid) + pad for c in range(cols)]
    avail = width / EMU_PT
    if sum(nat) <= avail:
        widths = [n * avail / sum(nat) for n in nat]
    elif sum(low) >= avail:
        widths = [w * avail / sum(low) for w in low]
    else:
        spare = avail - sum(low)
        want = [n - m for n, m in zip(nat, low)]
        widths = [m + spare * w / (sum(want) or 1) for m, w in zip(low, want)]
    emus = [int(w * EMU_PT) for w in widths]
    emus[-1] += width - sum(emus)
    line = size * 1.2
    heights = []
    for row in grid:
        lines = max(count_lines(row[c], size, emus[c] / EMU_PT - pad) for c in range(cols))
        heights.append(int((lines * line + CELL_TB / EMU_PT + 2) * EMU_PT))
    return tuple(emus), tuple(heights)


def table_area(box: Box) -> tuple[int, int, int, int]:
    """(x, y, w, h) EMU of a table put in the body placeholder `box`.

    The table takes the placeholder's text area, not the placeholder itself: its left edge lines up
    with the body and title text (both start at their placeholder's left inset), and its top edge
    sits where the first line of body text shows its letters, below the leading of that line. So
    a table leaves the same gap under the title as a text slide does. (The space before the first
    paragraph is not added: PowerPoint and LibreOffice ignore it at the top of a text box.)"""
    left, top, right, bottom = box.insets
    lead = int(round(max(box.style.line(0) - box.style.size(0), 0.0) * EMU_PT))
    x, y = box.x + left, box.y + top + lead
    return x, y, max(box.w - left - right, 0), max(box.y + box.h - bottom - y, 0)


def paginate_table(header, rows, width: int, height: int) -> tuple[float, list[tuple[int, int]], tuple[int, ...], tuple[int, ...]]:
    """(size, [(first row, end row) per page], col widths, row heights incl. header)."""
    for size in TABLE_SIZES:
        widths, heights = table_layout(header, rows, width, size)
        if sum(heights) <= height * HEIGHT_SLACK:
            return size, [(0, len(rows))], widths, heights
    size = TABLE_SIZES[-1]
    widths, heights = table_layout(header, rows, width, size)
    pages, start, used = [], 0, heights[0]
    for i, h in enumerate(heights[1:]):
        if used + h > height * HEIGHT_SLACK and i > start:
            pages.append((start, i))
            start, used = i, heights[0]
        used += h
    pages.append((start, len(rows)))
    return size, pages, widths, heights
