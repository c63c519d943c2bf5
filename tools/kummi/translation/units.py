"""A lesson body as a skeleton and translatable units.

A unit is the inline Markdown of one block as written: a heading, paragraph, list item, table cell
or box title (code, HTML and Markdown syntax are skeleton). Rendering the skeleton with other texts
gives a file with the same Markdown structure, line prefixes (list markers, box indentation, `> `)
included; rendering it with its own texts gives the body back byte for byte.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..loader.markdown import _visible_inline, parser

_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Unit:
    kind: str  # heading | paragraph | item | cell | box-title | quote
    text: str  # inline Markdown; continuation lines joined with "\n", without their prefixes
    visible: str  # what a reader sees of it, whitespace-normalized (for diffs)
    line: int  # 0-based line of the body where it starts


@dataclass(frozen=True, slots=True)
class _Slot:
    unit: int
    start: int  # column where the unit starts on its first line
    end: int  # column where it ends on its last line
    last: int  # 0-based last line
    cont: str  # prefix of continuation lines (list indentation, '> ', box indentation)


@dataclass(frozen=True, slots=True)
class Skeleton:
    lines: tuple[str, ...]
    slots: tuple[_Slot, ...]  # in document order
    units: tuple[Unit, ...]

    def render(self, texts: list[str]) -> str:
        """The body with unit i's text replaced by texts[i]."""
        out: list[str] = []
        by_line: dict[int, list[_Slot]] = {}
        for s in self.slots:
            by_line.setdefault(self.units[s.unit].line, []).append(s)
        i = 0
        while i < len(self.lines):
            slots = by_line.get(i)
            if not slots:
                out.append(self.lines[i])
                i += 1
                continue
            line, col, rest_line = self.lines[i], 0, i
            parts = []
            for s in slots:
                parts.append(line[col:s.start] if rest_line == i else "")
                new = texts[s.unit].split("\n")
                parts.append(new[0] + "".join("\n" + s.cont + more for more in new[1:]))
                col, rest_line = s.end, s.last
                if s.last != i:
                    line = self.lines[s.last]
            parts.append(line[col:])
            out.append("".join(parts))
            i = rest_line + 1
        return "\n".join(out)


def _kind(stack: list[str]) -> str:
    for t in reversed(stack):
        if t == "heading_open":
            return "heading"
        if t in ("th_open", "td_open"):
            return "cell"
        if t == "admonition_title_open":
            return "box-title"
        if t == "list_item_open":
            return "item"
        if t == "blockquote_open":
            return "quote"
    return "paragraph"


def skeleton(body: str) -> Skeleton:
    lines = body.split("\n")
    cursor: dict[int, int] = {}
    slots: list[_Slot] = []
    units: list[Unit] = []
    stack: list[str] = []
    last_map = None
    for tok in parser().parse(body):
        if tok.nesting == 1:
            stack.append(tok.type)
            last_map = tok.map or last_map
        elif tok.nesting == -1 and stack:
            stack.pop()
        if tok.type != "inline" or not tok.content.strip():
            continue
        where = tok.map or last_map
        if not where:
            continue
        parts = tok.content.split("\n")
        first = where[0]
        if first + len(parts) > len(lines):
            continue
        col = lines[first].find(parts[0], cursor.get(first, 0))
        if col < 0:
            continue  # e.g. a box's default title: not in the file
        cols = [col]
        for j, part in enumerate(parts[1:], 1):
            c = lines[first + j].find(part)
            if c < 0:
                break
            cols.append(c)
        if len(cols) != len(parts):
            continue
        last = first + len(parts) - 1
        end = cols[-1] + len(parts[-1])
        cont = lines[first + 1][:cols[1]] if len(parts) > 1 else re.sub(r"[^\s>]", " ", lines[first][:col])
        if any(lines[first + j][:cols[j]] != cont for j in range(1, len(parts))):
            continue  # continuation lines indented differently: keep the block as it is
        cursor[first] = col + len(parts[0]) if len(parts) == 1 else len(lines[first])
        visible = _WS.sub(" ", _visible_inline(tok.children or [])).strip()
        slots.append(_Slot(len(units), col, end, last, cont))
        units.append(Unit(_kind(stack), tok.content, visible, first))
    return Skeleton(tuple(lines), tuple(slots), tuple(units))
