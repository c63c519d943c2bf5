"""XLIFF 2.0 export and import of lesson translations, for the state's translation services.

Export: one `<file>` per Finnish lesson (`id` = module folder + lesson, `original` = its path), one
`<unit>` per translatable unit (units.py) plus `title` for the front matter's title; unit ids are
`title`, `u1`, `u2`… in document order, so the same Finnish text gives the same ids. A unit's text
is inline Markdown (links, emphasis and image paths are the translator's to keep or adapt).
Import: every unit of every file must match the current Finnish lesson (same ids, same source
text) and have a target; then each `NN-lesson.LANG.md` is written from the Finnish skeleton, its
front matter with the title translated and `source_version` set to the Finnish version.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .. import model as m
from ..diagnostics import Location, Report
from ..i18n import M_
from ..loader.markdown import content_version, split_front_matter
from .units import Skeleton, skeleton

NS = "urn:oasis:names:tc:xliff:document:2.0"
_TITLE = re.compile(r"^title:[ \t]*(.*?)[ \t]*$")


@dataclass(frozen=True)
class Source:
    """A Finnish lesson ready to translate."""

    path: str  # root-relative
    file_id: str
    front: tuple[str, ...]  # front matter lines (without the --- lines)
    title: str
    skeleton: Skeleton
    version: str

    def units(self) -> list[tuple[str, str, str]]:
        """(id, kind, source text), the title first."""
        return [("title", "title", self.title)] + [(f"u{i}", u.kind, u.text) for i, u in enumerate(self.skeleton.units, 1)]


def read_source(root: Path, module: m.Module, lesson: m.Lesson) -> Source | None:
    """The Finnish lesson as its file is now; None when it cannot be read or has no front matter."""
    try:
        text = (root / lesson.source.path).read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    text = text.removeprefix("\ufeff")
    fm, body, _line = split_front_matter(text)
    if fm is None:
        return None
    front = tuple(line for line in fm.split("\n") if not line.startswith("source_version:"))
    title = lesson.source.title
    return Source(lesson.source.path, f"{module.folder}.{lesson.id}", front, title, skeleton(body), content_version(body))


def sources(root: Path, course: m.Course, modules: list[m.Module]) -> list[Source]:
    out = []
    for module in modules:
        for lesson in module.lessons:
            src = read_source(root, module, lesson)
            if src is not None:
                out.append(src)
    return out


def export(srcs: list[Source], lang: str) -> bytes:
    """The XLIFF 2.0 document (translate-toolkit writes it; targets empty)."""
    from translate.storage.xliff2 import Xliff2File

    store = Xliff2File(sourcelanguage="fi", targetlanguage=lang)
    top = store.document.getroot()
    for src in srcs:
        node = store.createfilenode(src.file_id)
        node.set("original", src.path)
        top.append(node)
        store.body = node  # where addsourceunit puts the units
        for uid, kind, source in src.units():
            unit = store.addsourceunit(source)
            unit.setid(uid)
            unit.getunitelement().set("name", kind)
    for empty in [f for f in store.document.getroot().iterchildren(f"{{{NS}}}file") if not len(f)]:
        empty.getparent().remove(empty)
    return bytes(store)


def _scalar(value: str, quoted: bool) -> str:
    """A YAML scalar for the title: as plain as the Finnish one when that reads back the same."""
    from ruamel.yaml import YAML

    if not quoted and value and value == value.strip():
        try:
            if YAML(typ="safe", pure=True).load(f"title: {value}\n") == {"title": value}:
                return value
        except Exception:  # noqa: BLE001 - anything unreadable gets quotes
            pass
    return json.dumps(value, ensure_ascii=False)


def render(src: Source, title: str, texts: list[str]) -> str:
    """The translated lesson file: Finnish front matter with the title translated and
    `source_version`, the Finnish Markdown structure with the translated units."""
    front = []
    for line in src.front:
        found = _TITLE.match(line)
        if found:
            line = "title: " + _scalar(title, found.group(1)[:1] in "\"'")
        front.append(line)
    front.append(f'source_version: "{src.version}"')
    return "\n".join(["---", *front, "---"]) + "\n" + src.skeleton.render(texts)


def _structure(sk: Skeleton) -> str:
    return sk.render([f"\0{i}\0" for i in range(len(sk.units))])


def parse(data: bytes, rel: str, report: Report):
    """The translate-toolkit store, or None (KM604 reported)."""
    from translate.storage.xliff2 import Xliff2File

    loc = Location(rel)
    try:
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except etree.XMLSyntaxError as exc:
        line, col = exc.position if exc.position else (1, 1)
        report.error("KM604", M_("not a readable XLIFF file: {reason}", reason=exc.msg), loc.at(max(line, 1), max(col, 1)),
                     M_("give the file that the translation service returned, unchanged except for the <target> texts"))
        return None
    if root.tag != f"{{{NS}}}xliff" or not str(root.get("version", "")).startswith("2."):
        report.error("KM604", M_("not an XLIFF 2 file"), loc.at(root.sourceline or 1, 1),
                     M_("export with 'kummi translate export' and ask for XLIFF 2.0 back"))
        return None
    try:
        return Xliff2File.parsestring(data)
    except Exception as exc:  # noqa: BLE001 - translate-toolkit's own refusals
        report.error("KM604", M_("not a readable XLIFF file: {reason}", reason=str(exc)), loc.at(1, 1))
        return None


def import_(data: bytes, rel: str, srcs: dict[str, Source], languages: tuple[str, ...], report: Report) -> dict[str, str]:
    """{root-relative path of the translation: its text}; nothing when anything is wrong."""
    store = parse(data, rel, report)
    if store is None:
        return {}
    loc = Location(rel)
    top = store.document.getroot()
    src_lang, lang = top.get("srcLang", ""), top.get("trgLang", "")
    if src_lang != "fi" or lang not in languages or lang == "fi":
        report.error("KM604", M_("the file translates '{source}' into '{target}'; the course translates 'fi' into {languages}",
                                 source=src_lang, target=lang or "?", languages=", ".join(x for x in languages if x != "fi")),
                     loc.at(top.sourceline or 1, 1), M_("export with 'kummi translate export --lang LANG'"))
        return {}
    by_file: dict[str, dict[str, object]] = {}
    file_line: dict[str, int] = {}
    for unit in store.units:
        element = unit.getunitelement()
        node = element.getparent()
        original = node.get("original", "") if node is not None else ""
        uloc = loc.at(element.sourceline or 1, 1)
        if original not in srcs:
            report.error("KM605", M_("unit for an unknown lesson '{path}'", path=original), uloc,
                         M_("the <file> element's original attribute names the Finnish lesson; export again"))
            continue
        file_line.setdefault(original, node.sourceline or 1)
        units = by_file.setdefault(original, {})
        uid = unit.getid() or ""
        if uid in units:
            report.error("KM605", M_("unit '{id}' appears twice", id=uid), uloc)
            continue
        units[uid] = unit
    out: dict[str, str] = {}
    for path, units in by_file.items():
        src = srcs[path]
        expected = src.units()
        texts: dict[str, str] = {}
        untranslated: list[tuple[str, Location]] = []
        for uid, kind, source in expected:
            unit = units.get(uid)
            if unit is None:
                report.error("KM605", M_("unit '{id}' of {path} is missing", id=uid, path=path), loc.at(file_line[path], 1),
                             M_("keep every unit of the exported file, or export again"))
                continue
            uloc = loc.at(unit.getunitelement().sourceline or 1, 1)
            if str(unit.source).split() != source.split():  # a tool may drop xml:space and rewrap
                report.error("KM605", M_("unit '{id}': the Finnish text has changed since the export", id=uid), uloc,
                             M_("export {path} again and have the changed units translated", path=path))
                continue
            target = str(unit.target or "")
            if not target.strip():
                untranslated.append((uid, uloc))
                continue
            if kind in ("title", "heading", "cell", "box-title") and "\n" in target:
                report.error("KM605", M_("unit '{id}': a {kind} must stay on one line", id=uid, kind=kind), uloc)
                continue
            texts[uid] = target
        if untranslated:
            report.error("KM605", M_("{path}: {n} of {total} units have no translation, the first is '{id}'", path=path, n=len(untranslated),
                                     total=len(expected), id=untranslated[0][0]), untranslated[0][1], M_("fill in every <target>"))
        for uid in sorted(set(units) - {u for u, _k, _s in expected}):
            report.error("KM605", M_("unit '{id}' is not in {path}", id=uid, path=path),
                         loc.at(units[uid].getunitelement().sourceline or 1, 1), M_("export again: the lesson has changed"))
        if len(texts) != len(expected):
            continue
        body_texts = [texts[f"u{i}"] for i in range(1, len(src.skeleton.units) + 1)]
        content = render(src, texts["title"], body_texts)
        body = split_front_matter(content)[1]
        if _structure(skeleton(body)) != _structure(src.skeleton):
            report.error("KM605", M_("the translations of {path} change its Markdown structure", path=path), loc.at(file_line[path], 1),
                         M_("a unit's text must not start a list, heading, box or code block, nor end one"))
            continue
        out[re.sub(r"\.md$", f".{lang}.md", path)] = content
    return {} if report.has_errors() else out
