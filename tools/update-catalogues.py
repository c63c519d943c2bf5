#!/usr/bin/env python3
"""Refresh kummi's message catalogues after code changes (Babel).

    python3 tools/update-catalogues.py          # extract, then update fi and sv .po files
    python3 tools/update-catalogues.py --check  # exit 1 if the .po files miss or keep stale msgids

New messages appear in the .po files with an empty msgstr: translate them (Finnish: selkeä
virkakieli; Swedish: klarspråk), keep every {placeholder}. tests/test_i18n.py fails until every
message has both translations. Compiled .mo files are made at install time (hatch_build.py).
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tools" / "kummi"
LOCALE = PACKAGE / "locale"
LANGS = ("fi", "sv")
KEYWORDS = {"_": None, "N_": None, "M_": None, "NP_": (1, 2), "MP_": (1, 2), "ngettext": (1, 2)}


def extract() -> Catalog:
    catalog = Catalog(project="kummi", domain="kummi", charset="utf-8")
    method_map = [("**.py", "python")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), strip_comment_tags=True
    ):
        path = (PACKAGE / filename).relative_to(ROOT).as_posix()
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def updated(template: Catalog, lang: str) -> tuple[Catalog, bytes]:
    po = LOCALE / lang / "LC_MESSAGES" / "kummi.po"
    if po.is_file():
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang, domain="kummi")
    else:
        catalog = Catalog(locale=lang, domain="kummi", project="kummi", charset="utf-8")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()  # removed messages leave the file; git keeps their history
    catalog.fuzzy = False
    catalog.project, catalog.version = "kummi", ""
    catalog.copyright_holder = "kummi contributors"
    catalog.msgid_bugs_address = ""
    catalog.last_translator = "kummi contributors"
    catalog.language_team = {"fi": "Finnish", "sv": "Swedish"}[lang]
    out = io.BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=False, include_previous=False, include_lineno=False)
    return catalog, _stable(out.getvalue())


def _stable(data: bytes) -> bytes:
    """Drop header lines that change on every run (dates), so the files only change with content."""
    lines = [
        line for line in data.split(b"\n")
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:', b'"Generated-By:'))
    ]
    return b"\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only report; exit 1 when a .po file is out of date")
    args = parser.parse_args()
    template = extract()
    stale = []
    for lang in LANGS:
        po = LOCALE / lang / "LC_MESSAGES" / "kummi.po"
        _, data = updated(template, lang)
        if args.check:
            if not po.is_file() or po.read_bytes() != data:
                stale.append(po.relative_to(ROOT).as_posix())
            continue
        po.parent.mkdir(parents=True, exist_ok=True)
        po.write_bytes(data)
        print(f"updated {po.relative_to(ROOT)} ({len(template)} messages)")
    for path in stale:
        print(f"{path}: out of date; run python3 tools/update-catalogues.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
