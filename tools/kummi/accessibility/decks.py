"""The accessibility checker's rules, run on the decks the slides target wrote (build/slides/*.pptx).

The rules of PowerPoint's accessibility checker that a file can prove: every slide has a title of
its own, first in reading order; pictures have alt text (not a file name); tables have a header
row; every text run carries its language. Read straight from the XML of each slide (zipfile +
lxml), so the result is about the files the learners and trainers get.
"""
from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path

from lxml import etree

from .checks import Check, Finding

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
FILE_NAME = re.compile(r"\.(png|jpe?g|gif|svg|bmp|tiff?|emf|wmf)$", re.I)
TITLE_TYPES = ("title", "ctrTitle")
DECK_CHECKS = ("deck_titles", "deck_alt_text", "deck_tables", "deck_language")


def _slide_parts(zf: zipfile.ZipFile) -> list[str]:
    """The slides' part names in presentation order (from presentation.xml and its relationships)."""
    pres = etree.fromstring(zf.read("ppt/presentation.xml"))
    rels = etree.fromstring(zf.read("ppt/_rels/presentation.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = []
    for sld in pres.iter(f"{P}sldId"):
        target = targets.get(sld.get(f"{R}id"), "")
        out.append(target.lstrip("/") if target.startswith("/") else "ppt/" + target)
    return out


def _shape_title(sp) -> str | None:
    """The shape's text if it is a title placeholder, else None."""
    ph = sp.find(f"{P}nvSpPr/{P}nvPr/{P}ph")
    if ph is None or ph.get("type") not in TITLE_TYPES:
        return None
    return " ".join("".join(t.text or "" for t in sp.iter(f"{A}t")).split())


def check_decks(folder: Path, cache=None) -> tuple[Check, ...]:
    """The four deck rules over every .pptx in `folder` (none there: nothing checked). With a
    `cache` (cache.Cache), a deck's findings are kept by its name and bytes: a build after an
    edit reads only the decks that changed."""
    counts = dict.fromkeys(DECK_CHECKS, 0)
    failed: dict[str, list[Finding]] = {k: [] for k in DECK_CHECKS}
    decks = sorted(Path(folder).glob("*.pptx")) if Path(folder).is_dir() else []
    keys = {deck: _deck_key(deck) for deck in decks}
    known = cache.get_many("deck-a11y", [k for k in keys.values() if k]) if cache is not None else {}
    for deck in decks:
        key = keys[deck]
        found = known.get(key) if key else None
        if found is None:
            found = _check_deck(deck)
            if cache is not None and key:
                cache.put("deck-a11y", key, found)
        deck_counts, deck_failed = found
        for k in DECK_CHECKS:
            counts[k] += deck_counts[k]
            failed[k].extend(deck_failed[k])
    return tuple(Check(k, counts[k], tuple(failed[k])) for k in DECK_CHECKS)


def deck_findings(deck: Path) -> tuple[str, str, tuple]:
    """(cache kind, key, findings) of a deck just written: the slides target checks each deck in
    its own job, so the statement finds every new deck's findings in the cache."""
    return "deck-a11y", _deck_key(deck), _check_deck(deck)


def _deck_key(deck: Path) -> str:
    from ..cache import digest

    try:
        return digest("deck-a11y", deck.name, hashlib.sha256(deck.read_bytes()).hexdigest())
    except OSError:
        return ""


def _check_deck(deck: Path) -> tuple[dict[str, int], dict[str, tuple[Finding, ...]]]:
    """(checked, failures) per rule for one deck."""
    counts = dict.fromkeys(DECK_CHECKS, 0)
    failed: dict[str, list[Finding]] = {k: [] for k in DECK_CHECKS}
    try:
        with zipfile.ZipFile(deck) as zf:
            slides = [(n, etree.fromstring(zf.read(part))) for n, part in enumerate(_slide_parts(zf), 1)]
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        counts["deck_titles"] += 1
        failed["deck_titles"].append(Finding(deck.name, 0, "?"))
        slides = []
    seen: set[str] = set()
    for n, root in slides:
        where = f"{deck.name} #{n}"
        tree = root.find(f"{P}cSld/{P}spTree")
        shapes = [el for el in tree if el.tag in (f"{P}sp", f"{P}pic", f"{P}graphicFrame", f"{P}grpSp", f"{P}cxnSp")] if tree is not None else []
        counts["deck_titles"] += 1
        title = _shape_title(shapes[0]) if shapes and shapes[0].tag == f"{P}sp" else None
        if not title or title.casefold() in seen:
            failed["deck_titles"].append(Finding(where, 0, title or "—"))
        seen.add((title or "").casefold())
        for pic in root.iter(f"{P}pic"):
            counts["deck_alt_text"] += 1
            c_nv_pr = pic.find(f"{P}nvPicPr/{P}cNvPr")
            descr = (c_nv_pr.get("descr", "") if c_nv_pr is not None else "").strip()
            if not descr or FILE_NAME.search(descr):
                failed["deck_alt_text"].append(Finding(where, 0, descr or "—"))
        for tbl in root.iter(f"{A}tbl"):
            counts["deck_tables"] += 1
            pr = tbl.find(f"{A}tblPr")
            if pr is None or pr.get("firstRow") not in ("1", "true"):
                failed["deck_tables"].append(Finding(where, 0, "firstRow"))
        runs = [r for r in root.iter(f"{A}r") if "".join(t.text or "" for t in r.iter(f"{A}t")).strip()]
        counts["deck_language"] += 1
        if any((r.find(f"{A}rPr") is None or not r.find(f"{A}rPr").get("lang")) for r in runs):
            failed["deck_language"].append(Finding(where, 0, "lang"))
    return counts, {k: tuple(v) for k, v in failed.items()}
