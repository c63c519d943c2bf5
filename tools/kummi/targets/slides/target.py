"""SlidesTarget: check the master and the text budgets; write decks (and PDF handouts)."""
from __future__ import annotations

import shutil
from pathlib import Path

from ...diagnostics import Report
from ...model import Course
from ..base import BuildOptions, Target, TargetError
from . import pdf as pdf_mod
from .plan import plan_deck
from .template import Template, TemplateProblem, load_template
from .writer import write_deck

KM_TEMPLATE = "KM701"


class SlidesTarget(Target):
    name = "slides"
    description = "PowerPoint decks per module and language (optional PDF handouts)"

    def check(self, course: Course, report: Report) -> None:
        try:
            tpl = load_template(course.root)
        except TemplateProblem as problem:
            for message, hint in problem.problems:
                report.error(KM_TEMPLATE, message, problem.location, hint)
            return
        for module in course.modules:
            for lang in course.languages:
                deck = plan_deck(course, module, lang, tpl)
                for code, message, loc, hint in deck.warnings:
                    report.warning(code, message, loc, hint)

    def write(self, course: Course, options: BuildOptions, staging: Path, previous: Path) -> list[Path]:
        try:
            tpl: Template = load_template(course.root)
        except TemplateProblem as problem:
            raise TargetError(f"{problem.location.path}: {problem} (run 'kummi check' for details)") from None
        wanted = [
            (module, lang)
            for module in course.modules
            if not options.modules or module.id in options.modules
            for lang in course.languages
            if not options.languages or lang in options.languages
        ]
        written: list[Path] = []
        for module, lang in wanted:
            deck = plan_deck(course, module, lang, tpl)
            written.append(write_deck(deck, tpl, staging / f"{module.id}.{lang}.pptx", options.epoch))
        if options.pdf and written:
            try:
                written += pdf_mod.to_pdf(written, staging)
            except pdf_mod.ConversionError as exc:
                raise TargetError(str(exc)) from None
        kept = _keep_previous(course, previous, staging, {p.name for p in written}, {f"{m.id}.{lang}" for m, lang in wanted})
        return sorted(written + kept)


def _keep_previous(course: Course, previous: Path, staging: Path, written: set[str], rebuilt: set[str]) -> list[Path]:
    """A partial build keeps the other decks (and their PDFs) of modules and languages that exist."""
    if not previous.is_dir():
        return []
    valid = {f"{m.id}.{lang}" for m in course.modules for lang in course.languages}
    kept = []
    for path in sorted(previous.iterdir()):
        stem, suffix = path.stem, path.suffix
        if suffix not in (".pptx", ".pdf") or stem not in valid or path.name in written or stem in rebuilt:
            continue
        dest = staging / path.name
        shutil.copy2(path, dest)
        kept.append(dest)
    return kept
