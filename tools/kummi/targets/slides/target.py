"""SlidesTarget: check the master and the text budgets; write decks (and PDF handouts)."""
from __future__ import annotations

import pickle
import shutil
from pathlib import Path

from ...diagnostics import Report
from ...i18n import M_, text
from ...model import Course
from ...cache import digest
from ..base import BuildContext, BuildOptions, Job, JobResult, Target, TargetError
from .keys import deck_key
from . import pdf as pdf_mod
from .plan import plan_deck
from .template import Template, TemplateProblem, find_template, load_template
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
        # A deck's warnings and errors come from the cache when its inputs are unchanged (deck_key);
        # a build (the cache is writable then) remembers those it had to plan.
        keys = {(module.id, lang): deck_key(course, module, lang, tpl) for module in course.modules for lang in course.languages}
        known = cache.get_many("deck-check", keys.values()) if cache is not None else {}
        for module in course.modules:
            for lang in course.languages:
                key = keys[(module.id, lang)]
                found = known.get(key)
                if found is None:
                    deck = planned_deck(course, module, lang, tpl)
                    found = (deck.warnings, deck.errors, _slide_titles(deck))
                    if cache is not None:
                        cache.put("deck-check", key, found)
                warnings, errors, _titles[key] = found
                for code, message, loc, hint in warnings:
                    report.warning(code, message, loc, hint)
                for code, message, loc, hint in errors:
                    report.error(code, message, loc, hint)

    def jobs(self, course: Course, options: BuildOptions, ctx: BuildContext) -> list[Job]:
        """One job per deck (module and language), run side by side with the other targets' jobs.
        A deck whose key is unchanged since the last build is linked from the previous output
        (not with PDF handouts: those are always converted again) and weighs almost nothing."""
        tpl = _template(course.root)
        known = ctx.cache.enabled and not options.pdf
        out = []
        for module, lang in options.selection(course):
            key = digest(deck_key(course, module, lang, tpl), options.epoch)
            name = f"{module.id}.{lang}"
            cheap = known and ctx.cache.reusable(self.name, f"{name}.pptx", key, ctx.previous)
            out.append(Job(self.name, name, 0.01 if cheap else DECK_WEIGHT * (1 + len(module.lessons)), (module.id, lang, key)))
        return out

    def run_job(self, course: Course, options: BuildOptions, job: Job, staging: Path, ctx: BuildContext) -> JobResult:
        module_id, lang, key = job.payload
        dest = staging / f"{job.name}.pptx"
        result = JobResult(artifacts=[dest.name], outputs={dest.name: key})
        if not options.pdf and ctx.cache.reuse(self.name, dest.name, key, ctx.previous, staging):
            result.reused = 1
            return result
        tpl = _template(course.root)
        write_deck(planned_deck(course, course.module(module_id), lang, tpl, last_use=True), tpl, dest, options.epoch)
        result.made = 1
        if ctx.cache.enabled:  # the accessibility statement's findings for this deck, while it is at hand
            from ...accessibility.decks import deck_findings

            ctx.remember(result, *deck_findings(dest))
        return result

    def finish(self, course: Course, options: BuildOptions, staging: Path, results: list[JobResult], ctx: BuildContext) -> list[str]:
        """PDF handouts of the decks (one LibreOffice run); a partial build keeps the other decks."""
        written = [staging / a for r in results for a in r.artifacts]
        if options.pdf and written:
            try:
                written += pdf_mod.to_pdf(written, staging)
            except pdf_mod.ConversionError as exc:
                raise TargetError(exc.message) from None
        wanted = {r.artifacts[0][: -len(".pptx")] for r in results if r.artifacts}
        kept = _keep_previous(course, ctx.previous, staging, {p.name for p in written}, wanted)
        return sorted(p.relative_to(staging).as_posix() for p in written + kept)


DECK_WEIGHT = 0.03  # rough seconds per lesson of a deck (the build's scheduling unit)
_templates: dict = {}


def _template(root) -> Template:
    """The slide master, read once per process (and again when the file changes)."""
    try:
        path, _ = find_template(root)
        try:
            st = path.stat()
        except OSError:
            return load_template(root)  # says what is wrong with it
        stamp = (str(path), st.st_size, st.st_mtime_ns)
        if _templates.get("stamp") != stamp:
            _templates.update(stamp=stamp, template=load_template(root))
        return _templates["template"]
    except TemplateProblem as problem:
        raise TargetError(M_("{path}: {problems} (run 'kummi check' for details)", path=problem.location.path,
                             problems="; ".join(text(m) for m, _ in problem.problems))) from None


# Plans made by `check` in this process, reused by `write` (a build checks first): a deck is planned
# once per run. Keyed by the module object itself (kept alive by the entry, so its id is not
# reused), the language and the master file as it was read; only the latest course's plans are kept,
# pickled (a catalogue's hundred plans are tens of MB as objects, ~20 MB pickled, and quick to load).
_plans: dict[tuple, tuple] = {}


def planned_deck(course: Course, module, lang: str, tpl: Template, last_use: bool = False):
    """The deck's plan, made once per run. `last_use`: the deck is being written, and its plan is
    let go (a catalogue's plans held to the end of a build would take tens of MB)."""
    try:
        st = tpl.path.stat()
        stamp = (str(tpl.path), st.st_mtime_ns, st.st_size)
    except OSError:
        return plan_deck(course, module, lang, tpl)
    root = str(course.root)
    if _plans and next(iter(_plans.values()))[0] != root:
        _plans.clear()
    key = (id(module), lang, stamp)
    hit = _plans.pop(key, None) if last_use else _plans.get(key)
    if hit is not None and hit[1] is module and hit[2] == tpl:
        return pickle.loads(hit[3])
    deck = plan_deck(course, module, lang, tpl)
    if not last_use:
        _plans[key] = (root, module, tpl, pickle.dumps(deck, protocol=pickle.HIGHEST_PROTOCOL))
    return deck


# Slide titles (with their locations) of the decks this process checked, by deck key: the
# accessibility statement lists every deck's titles without planning the decks again.
_titles: dict[str, tuple] = {}


def _slide_titles(deck) -> tuple:
    return tuple((s.title, s.loc) for s in deck.slides)


def deck_titles(course: Course, module, lang: str, tpl: Template) -> tuple:
    """((title, location), ...) of every slide of the deck, as `plan_deck` makes them."""
    key = deck_key(course, module, lang, tpl)
    found = _titles.get(key)
    if found is None:
        if len(_titles) > 4096:  # a long `kummi serve`
            _titles.clear()
        found = _titles[key] = _slide_titles(planned_deck(course, module, lang, tpl))
    return found


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
