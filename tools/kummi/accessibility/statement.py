"""The draft accessibility statement (saavutettavuusseloste / tillgänglighetsutlåtande), fi and sv.

Written from the checks that actually ran (checks.py) and, when one exists for the current site
build, the axe-core report (axe.py). The contents follow Act 306/2019 and Implementing Decision
(EU) 2018/1523: compliance status, non-accessible content and why, date and method, feedback
channel with the 14-day answer, the supervisory authority. What only the publisher knows is a
marked placeholder ([TÄYDENNÄ: …] / [FYLL I: …]); nothing is claimed that was not checked.
"""
from __future__ import annotations

import json
import shutil
import re
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .. import model as m
from .axe import REPORT, read_report
from .checks import Checks, run_checks
from .decks import check_decks

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATEMENT = "saavutettavuusseloste.{lang}.md"
CHECKS_JSON = "checks.json"
FOLDER = "accessibility"  # build/accessibility/
LANGS = ("fi", "sv")

NAMES = {
    "fi": {
        "alt_text": "Kuvien tekstivastineet", "language": "Sivujen kieli merkitty", "headings": "Otsikkotasot eivät hyppää",
        "tables": "Taulukoissa otsikkorivi", "link_text": "Linkkitekstit kertovat kohteen", "quiz_labels": "Tietovisan kysymysten ja vaihtoehtojen tekstit",
        "slide_titles": "Dioilla oma otsikko",
        "deck_titles": "Diaesitykset: oma otsikko ensimmäisenä lukujärjestyksessä",
        "deck_alt_text": "Diaesitykset: kuvien tekstivastineet",
        "deck_tables": "Diaesitykset: taulukoissa otsikkorivi",
        "deck_language": "Diaesitykset: tekstin kieli merkitty",
    },
    "sv": {
        "alt_text": "Textalternativ för bilder", "language": "Sidornas språk angivet", "headings": "Rubriknivåerna hoppar inte över",
        "tables": "Tabellerna har rubrikrad", "link_text": "Länktexterna beskriver målet", "quiz_labels": "Texterna i kunskapstestens frågor och alternativ",
        "slide_titles": "Varje bild har egen rubrik",
        "deck_titles": "Presentationer: egen rubrik först i läsordningen",
        "deck_alt_text": "Presentationer: textalternativ för bilder",
        "deck_tables": "Presentationer: tabellerna har rubrikrad",
        "deck_language": "Presentationer: textens språk angivet",
    },
}
UNITS = {
    "fi": {"alt_text": "kuvaa", "language": "sivua", "headings": "sivua", "tables": "taulukkoa", "link_text": "linkkiä",
           "quiz_labels": "kysymystä", "slide_titles": "diaa",
           "deck_titles": "diaa", "deck_alt_text": "kuvaa", "deck_tables": "taulukkoa", "deck_language": "diaa"},
    "sv": {"alt_text": "bilder", "language": "sidor", "headings": "sidor", "tables": "tabeller", "link_text": "länkar",
           "quiz_labels": "frågor", "slide_titles": "bilder",
           "deck_titles": "bilder", "deck_alt_text": "bilder", "deck_tables": "tabeller", "deck_language": "bilder"},
}
IMPACTS = {
    "fi": {"critical": "kriittinen", "serious": "vakava", "moderate": "kohtalainen", "minor": "vähäinen"},
    "sv": {"critical": "kritisk", "serious": "allvarlig", "moderate": "måttlig", "minor": "mindre"},
}
LANGUAGE_LIST = {
    "fi": {"fi": "suomeksi", "sv": "ruotsiksi", "en": "englanniksi", "and": "ja"},
    "sv": {"fi": "finska", "sv": "svenska", "en": "engelska", "and": "och"},
}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _md(value) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(value).split()))


def _date(epoch: int) -> str:
    d = datetime.fromtimestamp(epoch, tz=timezone.utc)
    return f"{d.day}.{d.month}.{d.year}"


def _languages(langs, doc_lang: str) -> str:
    words = LANGUAGE_LIST[doc_lang]
    names = [words.get(lang, lang) for lang in langs]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" {words['and']} " + names[-1]


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=False, undefined=StrictUndefined,
                      keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["md"] = _md
    return env


def render_statement(course: m.Course, checks: Checks, lang: str) -> str:
    axe_violations = tuple(checks.axe.violations) if checks.axe is not None and checks.axe_status == "current" else ()
    return _environment().get_template(f"statement.{lang}.md.j2").render(
        course=course, checks=checks, date=_date(checks.epoch), names=NAMES[lang], units=UNITS[lang], impacts=IMPACTS[lang],
        languages=_languages(checks.languages, lang), problems=checks.failures, axe_violations=axe_violations,
        axe_date=_date(checks.axe.epoch) if checks.axe is not None else "",
    )


def checks_json(checks: Checks) -> str:
    data = {
        "tool": checks.tool, "version": checks.version, "epoch": checks.epoch, "languages": list(checks.languages),
        "pages": checks.pages, "fallback_pages": checks.fallback_pages, "decks": checks.decks,
        "checks": {c.key: {"checked": c.checked, "failed": [{"path": f.path, "line": f.line, "detail": f.detail} for f in c.failed],
                           "wcag": list(c.wcag)} for c in checks.items},
        "media": [{"path": f.path, "line": f.line, "href": f.detail} for f in checks.media],
        "documents": [{"path": f.path, "line": f.line, "href": f.detail} for f in checks.documents],
        "axe": {"status": checks.axe_status, "version": checks.axe.version if checks.axe else "",
                "pages": checks.axe.pages if checks.axe else 0,
                "violations": len(checks.axe.violations) if checks.axe and checks.axe_status == "current" else 0},
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _write(path: Path, body: str) -> Path:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(path)
    return path


def write_statement(course: m.Course, out_dir: Path, epoch: int, checks: Checks) -> list[Path]:
    """Write saavutettavuusseloste.fi.md, saavutettavuusseloste.sv.md and checks.json into `out_dir`
    (build/accessibility/). Other files there (axe.json) are left alone."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if checks.epoch != epoch:
        checks = replace(checks, epoch=epoch)
    written = [_write(out_dir / STATEMENT.format(lang=lang), render_statement(course, checks, lang)) for lang in LANGS]
    written.append(_write(out_dir / CHECKS_JSON, checks_json(checks)))
    return written


def collect(course: m.Course, out_dir: Path, epoch: int) -> Checks:
    """The checks for what build/ (`out_dir`) holds now: `kummi a11y` after its axe run."""
    out_dir = Path(out_dir)
    return run_checks_for(course, epoch, out_dir / FOLDER / REPORT, out_dir / "site", out_dir / "slides")


def stage_statement(course: m.Course, options, stage: Path, built, cache=None) -> list[str]:
    """The build hook: after every target of `kummi build` has finished in `stage` (build/.staging/),
    write stage/accessibility/ for the same swap: the statements, checks.json and the axe report
    kept from build/accessibility/ (the statement says whether it tested this site). `built` names
    the targets of this build: their staged folders are what build/ will hold; `cache` keeps
    each deck's findings. Returns the statements' and checks.json's names."""
    out_dir = Path(options.out_dir)
    folder = Path(stage) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    old = out_dir / FOLDER / REPORT
    if old.is_file():
        shutil.copy2(old, folder / REPORT)
    site = Path(stage) / "site" if "site" in built else out_dir / "site"
    slides = Path(stage) / "slides" if "slides" in built else out_dir / "slides"
    checks = run_checks_for(course, options.epoch, folder / REPORT, site, slides, cache)
    return [p.name for p in write_statement(course, folder, options.epoch, checks)]


def run_checks_for(course: m.Course, epoch: int, report_path: Path, site: Path, slides: Path, cache=None) -> Checks:
    """The model's checks, the deck rules on the decks in `slides`, and the axe report at
    `report_path` with its status for the site in `site`."""
    checks = run_checks(course, epoch)
    decks = sorted(slides.glob("*.pptx")) if slides.is_dir() else []
    if decks:
        checks = replace(checks, items=checks.items + check_decks(slides, cache), decks=len(decks))
    report, status = read_report(report_path, site)
    return replace(checks, axe=report, axe_status=status)
