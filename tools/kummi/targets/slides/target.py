"""SlidesTarget: check the master and the text budgets; write decks (and PDF handouts)."""
from __future__ import annotations

import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ...diagnostics import Report
from ...i18n import M_, text
from ...model import Course
from ..base import BuildOptions, Target, TargetError
from . import pdf as pdf_mod
from .plan import plan_deck
from .template import Template, TemplateProblem, load_template
from .writer import write_deck

KM_TEMPLATE = "KM701"


class SlidesTarget(Target):
    name = "slides"
    learner = False  # trainers' decks: speaker notes from the full model (never offered to learners)
    description = "PowerPoint decks per module and language (optional PDF handouts)"

    def check(self, course: Course, report: Report, cache=None) -> None:
        try:
            tpl = load_template(course.root)
        except TemplateProblem as problem:
            for message, hint in problem.problems:
                report.error(KM_TEMPLATE, message, problem.location, hint)
            return
        for module in course.modules:
            for lang in course.languages:
                deck = planned_deck(course, module, lang, tpl)
                for code, message, loc, hint in deck.warnings:
                    report.warning(code, message, loc, hint)
                for code, message, loc, hint in deck.errors:
                    report.error(code, message, loc, hint)

    def write(self, course: Course, options: BuildOptions, staging: Path, previous: Path) -> list[Path]:
        try:
            tpl: Template = load_template(course.root)
        except TemplateProblem as problem:
            raise TargetError(M_("{path}: {problems} (run 'kummi check' for details)", path=problem.location.path,
                                 problems="; ".join(text(m) for m, _ in problem.problems))) from None
        wanted = [
            (module, lang)
            for module in course.modules
            if not options.modules or module.id in options.modules
            for lang in course.languages
            if not options.languages or lang in options.languages
        ]
        jobs = [(module.id, lang, staging / f"{module.id}.{lang}.pptx", options.epoch) for module, lang in wanted]
        workers = min(os.cpu_count() or 1, 4)
        if len(jobs) >= PARALLEL_DECKS and workers > 1:
            # Decks are independent: one per process, the course handed over once per worker.
            with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(course,)) as pool:
                written = list(pool.map(_write_job, jobs))
        else:
            _init_worker(course, tpl)
            written = [_write_job(job) for job in jobs]
        if options.pdf and written:
            try:
                written += pdf_mod.to_pdf(written, staging)
            except pdf_mod.ConversionError as exc:
                raise TargetError(exc.message) from None
        kept = _keep_previous(course, previous, staging, {p.name for p in written}, {f"{m.id}.{lang}" for m, lang in wanted})
        return sorted(written + kept)


PARALLEL_DECKS = 6  # below this, starting processes costs more than it saves
_worker: dict = {}


def _init_worker(course: Course, tpl: Template | None = None) -> None:
    _worker["course"] = course
    _worker["tpl"] = tpl or load_template(course.root)


def _write_job(job) -> Path:
    module_id, lang, dest, epoch = job
    course, tpl = _worker["course"], _worker["tpl"]
    deck = planned_deck(course, course.module(module_id), lang, tpl)
    return write_deck(deck, tpl, dest, epoch)


# Plans made by `check` in this process, reused by `write` (a build checks first): a deck is planned
# once per run. Keyed by the module object itself (kept alive by the entry, so its id is not
# reused), the language and the master file as it was read; only the latest course's plans are kept.
_plans: dict[tuple, tuple] = {}


def planned_deck(course: Course, module, lang: str, tpl: Template):
    try:
        st = tpl.path.stat()
        stamp = (str(tpl.path), st.st_mtime_ns, st.st_size)
    except OSError:
        return plan_deck(course, module, lang, tpl)
    root = str(course.root)
    if _plans and next(iter(_plans.values()))[0] != root:
        _plans.clear()
    key = (id(module), lang, stamp)
    hit = _plans.get(key)
    if hit is not None and hit[1] is module and hit[2] == tpl:
        return hit[3]
    deck = plan_deck(course, module, lang, tpl)
    _plans[key] = (root, module, tpl, deck)
    return deck


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
