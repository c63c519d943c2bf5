"""`kummi build`: check, then render every chosen target from the same model; print what was written.

All jobs of all targets (one language of the site, one deck, one SCORM package…) run side by side
on the machine's cores. Every target writes into its own folder under build/.staging/; only when
every job of every target has succeeded are the folders swapped in, together. A failed build
leaves the previous output as it was.
"""
from __future__ import annotations

import gc
import os
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path

from rich.markup import escape
from rich.text import Text

from .cache import Cache
from .clock import build_epoch
from .diagnostics import Report
from .i18n import M_, MP_, _, join, text
from .pipeline import load_and_check
from .targets import BuildContext, BuildOptions, JobResult, TargetError, available_targets, get_target
from .views import learner_view, published_view

STAGING = ".staging"


def run_build(ui, root: Path, target_names, modules, langs, pdf, scorm_versions, offline, out_dir, strict,
              drafts: bool = False, use_cache: bool = True) -> int:
    from .cli import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, print_report

    known = available_targets()
    names = [n.strip() for value in target_names for n in value.split(",") if n.strip()] or known
    unknown = [n for n in names if n not in known]
    if unknown:
        message = MP_("Unknown target: {targets}. Choose from: {known}.", "Unknown targets: {targets}. Choose from: {known}.",
                      len(unknown), targets=join(unknown), known=join(known))
        ui.err.print(text(message), markup=False)
        return EXIT_USAGE
    targets = [get_target(n) for n in dict.fromkeys(names)]
    started = time.monotonic()
    out = Path(out_dir).resolve() if out_dir else root / "build"
    cache = Cache.open(out, enabled=use_cache)
    try:
        course, report = load_and_check(root, targets, cache=cache)
        for note in cache.notes:
            ui.info(escape(text(note)))
        if course is not None:
            folders = {m.folder: m.id for m in course.modules}
            modules = tuple(folders.get(mod, mod) for mod in modules)  # a folder name means its module
            selection = _check_selection(course, modules, langs)
            if selection.items:  # the command line names something the course does not have
                print_report(ui, selection, "text")
                return EXIT_USAGE
        if report.has_errors() or (strict and report.warnings) or course is None:
            print_report(ui, report, "text")
            ui.err.print(_("Build stopped: fix the errors above. The previous output in build/ was left as it was."), style="red", markup=False)
            return EXIT_ERRORS
        if report.warnings:
            print_report(ui, report, "text")
        options = BuildOptions(
            out_dir=out, epoch=build_epoch(root), modules=tuple(modules), languages=tuple(langs), pdf=pdf,
            scorm_versions=tuple(scorm_versions), offline=offline, drafts=drafts,
        )
        published, left_out = published_view(course, drafts)
        spinner = Text(text(M_("Building {targets}…", targets=join(t.name for t in targets))))
        with ui.err.status(spinner, spinner="dots") if ui.verbosity >= 0 and ui.err.is_terminal else _null():
            try:
                summaries: dict = {}
                written = build_targets(targets, course, published, options, cache, statement=True, summaries=summaries)
            except TargetError as exc:
                ui.err.print(text(exc.message), style="red", markup=False)
                ui.err.print(_("The previous output in build/ was left as it was."), markup=False)
                return EXIT_ERRORS
        cache.save()
        _summary(ui, root, out, written, time.monotonic() - started, left_out, summaries)
        return EXIT_OK
    finally:
        cache.close()


# ---------------------------------------------------------------------------- running targets

_WORKER: dict = {}


def _init_worker(out_dir: str, use_cache: bool) -> None:
    """In a fresh worker (forked: the models are already in memory): its own read-only cache."""
    _WORKER["cache"] = Cache.open(Path(out_dir), enabled=use_cache, readonly=True)


def _run(target_name: str, job, learner: bool) -> JobResult:
    target = _WORKER["targets"][target_name]
    course = _WORKER["learner" if learner else "full"]
    options = _WORKER["options"]
    staging = _WORKER["staging"] / target_name
    ctx = BuildContext(_WORKER.get("cache") or Cache(None), options.out_dir / target_name)
    return target.run_job(course, options, job, staging, ctx)


def build_targets(targets, course, published, options: BuildOptions, cache: Cache | None = None,
                  statement: bool = False, summaries: dict | None = None) -> dict[str, list[Path]]:
    """Run every job of `targets`, then swap all their folders in. Returns final artifact paths
    per target. `course` is the full (checked) model, `published` the part to publish. With
    `statement` (`kummi build`), build/accessibility/ (the draft accessibility statement) is
    staged from the finished targets and swapped in with them. `summaries` receives each
    target's own summary line (Target.summary), if it has one.

    Jobs of all targets share one pool of worker processes (one per core), heaviest first: the
    workers are forked with the models in memory, so a job is sent as its target's name and the
    Job itself. Small builds (total weight under PARALLEL_WEIGHT) run in this process."""
    cache = cache or Cache(None)
    learner = learner_view(published) if any(t.learner for t in targets) else published
    out_dir = options.out_dir
    stage = out_dir / STAGING
    if stage.exists():
        shutil.rmtree(stage)
    for target in targets:
        (stage / target.name).mkdir(parents=True)
    contexts = {t.name: BuildContext(cache, out_dir / t.name) for t in targets}
    work = []
    for target in targets:
        model = learner if target.learner else published
        for job in target.jobs(model, options, contexts[target.name]):
            work.append((target, job))
    work.sort(key=lambda tj: -tj[1].weight)
    _WORKER.update(targets={t.name: t for t in targets}, full=published, learner=learner, options=options, staging=stage)
    results: dict[str, list[JobResult]] = {t.name: [] for t in targets}
    try:
        workers = min(os.cpu_count() or 1, len(work))
        if workers > 1 and sum(job.weight for _, job in work) > PARALLEL_WEIGHT:
            cache.suspend()  # an open SQLite connection must not cross a fork
            gc.collect()
            gc.freeze()  # the workers share the models' memory: the collector must not touch (copy) them
            try:
                with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(str(out_dir), cache.enabled)) as pool:
                    futures = [(t.name, pool.submit(_run, t.name, job, t.learner)) for t, job in work]
                    for name, future in futures:
                        results[name].append(future.result())
            finally:
                gc.unfreeze()
                cache.resume()
        else:
            _WORKER["cache"] = cache
            for target, job in work:
                results[target.name].append(_run(target.name, job, target.learner))
        for target in targets:  # what the jobs learnt (the statement below reads deck findings back)
            for result in results[target.name]:
                for kind, key, value in result.cache:
                    cache.put(kind, key, value)
        artifacts = {}
        for target in targets:
            model = learner if target.learner else published
            artifacts[target.name] = target.finish(model, options, stage / target.name, results[target.name], contexts[target.name])
        if statement:
            from .accessibility import stage_statement

            artifacts["accessibility"] = stage_statement(published, options, stage, [t.name for t in targets], cache)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    finally:
        _WORKER.pop("cache", None)
    _swap(out_dir, stage, [t.name for t in targets] + (["accessibility"] if statement else []))
    if summaries is not None:
        summaries.update((target.name, partial(target.summary, results[target.name])) for target in targets)
    for target in targets:
        cache.forget_target(target.name)
        for result in results[target.name]:
            for rel, key in result.outputs.items():
                cache.record(target.name, rel, key, out_dir / target.name)
    return {name: [out_dir / name / a for a in files] for name, files in artifacts.items()}


PARALLEL_WEIGHT = 1.5  # rough seconds of work (Job.weight) below which starting processes costs more than it saves


def _swap(out_dir: Path, stage: Path, names: list[str]) -> None:
    """Move every staged target folder into place, all or nothing."""
    moved: list[str] = []
    try:
        for name in names:
            final, old = out_dir / name, out_dir / f".{name}.old"
            if old.exists():
                shutil.rmtree(old)
            if final.exists():
                final.rename(old)
            (stage / name).rename(final)
            moved.append(name)
    except OSError:
        for name in moved:  # put the previous output back
            final, old = out_dir / name, out_dir / f".{name}.old"
            shutil.rmtree(final, ignore_errors=True)
            if old.exists():
                old.rename(final)
        raise
    for name in names:
        shutil.rmtree(out_dir / f".{name}.old", ignore_errors=True)
    shutil.rmtree(stage, ignore_errors=True)


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _check_selection(course, modules, langs) -> Report:
    from .diagnostics import Location

    report = Report()
    ids = {m.id for m in course.modules}
    for mod in modules:
        if mod not in ids:
            report.error("KM010", M_("--module {module}: no such module", module=mod), Location("content/course.yaml"),
                         M_("modules: {modules}", modules=", ".join(sorted(ids))))
    for lang in langs:
        if lang not in course.languages:
            report.error("KM010", M_("--lang {lang}: the course is not published in '{lang}'", lang=lang), Location("content/course.yaml"),
                         M_("languages: {languages}", languages=", ".join(course.languages)))
    return report


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _files_line(n: int, folder: str, first: str):
    if n > 1:
        return MP_("{n} file in {folder} (e.g. {example})", "{n} files in {folder} (e.g. {example})", n, folder=folder, example=first)
    if n == 1:
        return MP_("{n} file in {folder} ({example})", "{n} files in {folder} ({example})", n, folder=folder, example=first)
    return MP_("{n} file in {folder}", "{n} files in {folder}", n, folder=folder)


def _summary(ui, root: Path, out_dir: Path, written, seconds: float, left_out=(), summaries=None) -> None:
    if ui.verbosity < 0:
        return
    ui.err.print(text(M_("Built in {seconds} s:", seconds=round(seconds, 1))), style="green", markup=False)
    width = max(map(len, written), default=0)
    for name, artifacts in written.items():
        n, folder = len(artifacts), _rel(out_dir / name, root) + "/"
        first = _rel(artifacts[0], root) if artifacts else ""
        line = summaries[name](folder) if summaries and name in summaries else None
        if line is None:
            line = _files_line(n, folder, first)
        ui.err.print(f"  {name:{width}} {text(line)}", markup=False)
        if ui.verbosity > 0:
            for a in artifacts:
                ui.err.print(f"          {a}", markup=False)
    if left_out:
        ui.err.print(text(MP_(
            "{n} draft module was not published: {modules} (publish drafts with --drafts).",
            "{n} draft modules were not published: {modules} (publish drafts with --drafts).",
            len(left_out), modules=join(m.folder for m in left_out),
        )), style="yellow", markup=False)
