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
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import replace
from functools import partial
from pathlib import Path

from rich.markup import escape
from rich.text import Text

from .cache import Cache, write_entries
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
    epoch = build_epoch(root)

    def options_for(module_ids) -> BuildOptions:
        return BuildOptions(out_dir=out, epoch=epoch, modules=tuple(module_ids), languages=tuple(langs), pdf=pdf,
                            scorm_versions=tuple(scorm_versions), offline=offline, drafts=drafts)

    early: list[StagedBuild] = []  # the build started before the checks

    def start_early(course, load_report) -> None:
        """The course is loaded: start the jobs that do not wait for the checks (the site)."""
        if load_report.has_errors() or not any(t.early for t in targets):
            return
        module_ids = _module_ids(course, modules)
        if _check_selection(course, module_ids, langs).items:
            return
        try:
            staged = StagedBuild(targets, published_view(course, drafts)[0], options_for(module_ids), cache, statement=True)
            early.append(staged)
            staged.start_early([t for t in targets if t.early])
        except Exception:  # the course is not checked yet: the checks say what is wrong, or the build retries
            for staged in early:
                staged.abort()
            early.clear()

    try:
        course, report = load_and_check(root, targets, cache=cache, loaded=start_early)
        for note in cache.notes:
            ui.info(escape(text(note)))
        if course is not None:
            modules = _module_ids(course, modules)
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
        published, left_out = published_view(course, drafts)
        spinner = Text(text(M_("Building {targets}…", targets=join(t.name for t in targets))))
        with ui.err.status(spinner, spinner="dots") if ui.verbosity >= 0 and ui.err.is_terminal else _null():
            try:
                summaries: dict = {}
                staged = early.pop() if early else StagedBuild(targets, published, options_for(modules), cache, statement=True)
                written = staged.run(summaries)
            except TargetError as exc:
                ui.err.print(text(exc.message), style="red", markup=False)
                ui.err.print(_("The previous output in build/ was left as it was."), markup=False)
                return EXIT_ERRORS
        cache.save()
        _summary(ui, root, out, written, time.monotonic() - started, left_out, summaries)
        return EXIT_OK
    finally:
        for staged in early:  # started, but the checks stopped the build
            staged.abort()
        cache.close()


def _module_ids(course, modules) -> tuple[str, ...]:
    """--module values as module ids (a folder name means its module)."""
    folders = {m.folder: m.id for m in course.modules}
    return tuple(folders.get(mod, mod) for mod in modules)


# ---------------------------------------------------------------------------- running targets

_WORKER: dict = {}


def _init_worker(out_dir: str, use_cache: bool, nice: int = 0, pending: str | None = None) -> None:
    """In a fresh worker (forked: the models are already in memory): its own read-only cache."""
    if nice:
        try:
            os.nice(nice)
        except OSError:
            pass
    _WORKER["cache"] = Cache.open(Path(out_dir), enabled=use_cache, readonly=True)
    _WORKER["pending"] = Path(pending) if pending else None  # the main process's Cache.pending_dir


def _run(target_name: str, job, learner: bool) -> JobResult:
    target = _WORKER["targets"][target_name]
    course = _WORKER["learner" if learner else "full"]
    options = _WORKER["options"]
    staging = _WORKER["staging"] / target_name
    ctx = BuildContext(_WORKER.get("cache") or Cache(None), options.out_dir / target_name)
    result = target.run_job(course, options, job, staging, ctx)
    pending = _WORKER.get("pending")
    if pending is not None and result.cache:
        # To the main process as a file its cache adopts: a language's search entries would
        # otherwise be pickled whole here, and held unpickled there until the cache is saved.
        try:
            result.entries, result.cache = str(write_entries(pending, result.cache)), []
        except OSError:
            pass
    return result


def build_targets(targets, course, published, options: BuildOptions, cache: Cache | None = None,
                  statement: bool = False, summaries: dict | None = None) -> dict[str, list[Path]]:
    """Run every job of `targets`, then swap all their folders in (see StagedBuild). Returns final
    artifact paths per target."""
    return StagedBuild(targets, published, options, cache, statement).run(summaries)


class StagedBuild:
    """The jobs of some targets, run side by side, then all their folders swapped in together.

    `published` is the (checked) model to publish; learner targets get its learner view. With
    `statement` (`kummi build`), build/accessibility/ (the draft accessibility statement) is
    staged from the finished targets and swapped in with them.

    Jobs run in a pool of worker processes (one per core), heaviest first: the workers are forked
    with the models in memory, so a job is sent as its target's name and the Job itself. Small
    builds (total weight under PARALLEL_WEIGHT) run in this process. `start_early` starts the jobs
    of targets that do not need the check's results (the site) while this process is still
    checking; `abort` stops them when the check fails."""

    def __init__(self, targets, published, options: BuildOptions, cache: Cache | None = None, statement: bool = False):
        self.targets, self.published, self.options, self.statement = list(targets), published, options, statement
        self.cache = cache or Cache(None)
        self.learner = learner_view(published) if any(t.learner for t in targets) else published
        self.stage = options.out_dir / STAGING
        if self.stage.exists():
            shutil.rmtree(self.stage)
        for target in self.targets:
            (self.stage / target.name).mkdir(parents=True)
        self.contexts = {t.name: BuildContext(self.cache, options.out_dir / t.name) for t in self.targets}
        self.results: dict[str, list] = {t.name: [] for t in self.targets}  # JobResult, or a future of one
        self.pool: ProcessPoolExecutor | None = None  # at most one: beside it, the rest runs in this process
        self.started: set[str] = set()
        _WORKER.update(targets={t.name: t for t in self.targets}, full=published, learner=self.learner,
                       options=options, staging=self.stage)

    def _work(self, targets) -> list:
        work = []
        for target in targets:
            model = self.learner if target.learner else self.published
            for job in target.jobs(model, self.options, self.contexts[target.name]):
                work.append((target, job))
        work.sort(key=lambda tj: -tj[1].weight)
        return work

    @staticmethod
    def _parallel(work) -> bool:
        return min(os.cpu_count() or 1, len(work)) > 1 and sum(job.weight for _, job in work) > PARALLEL_WEIGHT

    def _submit(self, work, nice: int = 0) -> None:
        """Fork a pool for `work` (the models as they are now) and hand it every job."""
        self.cache.suspend()  # an open SQLite connection must not cross a fork
        # The workers share the models' memory: their collector must not touch (copy) it. No full
        # collection first: at 1000 lessons it took 0.2 s before every fork and found ~200 objects.
        gc.freeze()
        try:
            pool = ProcessPoolExecutor(min(os.cpu_count() or 1, len(work)), initializer=_init_worker,
                                       initargs=(str(self.options.out_dir), self.cache.enabled, nice,
                                                 str(self.cache.pending_dir) if self.cache.pending_dir else None))
            self.pool = pool
            for target, job in work:  # the first submit forks every worker
                self.results[target.name].append(pool.submit(_run, target.name, job, target.learner))
        finally:
            gc.unfreeze()
            self.cache.resume()

    def start_early(self, targets) -> None:
        """Start the jobs of `targets` now, in worker processes at a lower priority, so that they use
        the core the checks leave idle. Only when the work is worth a pool; otherwise they run with
        the others in `run`."""
        targets = [t for t in self.targets if t in targets]
        work = self._work(targets)
        if work and self._parallel(work):
            self._submit(work, nice=EARLY_NICE)
            self.started.update(t.name for t in targets)

    def abort(self) -> None:
        """Stop every job (the check failed) and remove the staging folder."""
        if self.pool is not None:
            for process in list((getattr(self.pool, "_processes", None) or {}).values()):
                process.terminate()
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        shutil.rmtree(self.stage, ignore_errors=True)

    def run(self, summaries: dict | None = None) -> dict[str, list[Path]]:
        """Run the remaining jobs, wait for all, finish every target and swap the folders in."""
        cache, options, stage = self.cache, self.options, self.stage
        try:
            work = self._work([t for t in self.targets if t.name not in self.started])
            # Beside early jobs (a worker per core already), the rest runs in this process, which
            # would otherwise only wait: another pool would add its workers' memory, not speed.
            if work and self.pool is None and self._parallel(work):
                self._submit(work)
            else:
                _WORKER["cache"] = cache
                for target, job in work:
                    self.results[target.name].append(_run(target.name, job, target.learner))
            results = {name: [r.result() if isinstance(r, Future) else r for r in items] for name, items in self.results.items()}
            if self.pool is not None:  # every job is done: free the workers' memory before the statement and swap
                self.pool.shutdown()
                self.pool = None
            for target in self.targets:  # what the jobs learnt (the statement below reads deck findings back)
                for result in results[target.name]:
                    if result.entries:
                        cache.adopt(Path(result.entries))
                    for kind, key, value in result.cache:
                        cache.put(kind, key, value)
            artifacts = {}
            for target in self.targets:
                model = self.learner if target.learner else self.published
                artifacts[target.name] = target.finish(model, options, stage / target.name, results[target.name], self.contexts[target.name])
            if self.statement:
                from .accessibility import stage_statement

                artifacts["accessibility"] = stage_statement(self.published, options, stage, [t.name for t in self.targets], cache)
        except BaseException:
            self.abort()
            raise
        finally:
            _WORKER.pop("cache", None)
        out_dir = options.out_dir
        _swap(out_dir, stage, [t.name for t in self.targets] + (["accessibility"] if self.statement else []))
        if summaries is not None:
            summaries.update((target.name, partial(target.summary, results[target.name])) for target in self.targets)
        for target in self.targets:
            cache.forget_target(target.name)
            for result in results[target.name]:
                for rel, key in result.outputs.items():
                    cache.record(target.name, rel, key, out_dir / target.name)
        return {name: [out_dir / name / a for a in files] for name, files in artifacts.items()}


PARALLEL_WEIGHT = 1.5  # rough seconds of work (Job.weight) below which starting processes costs more than it saves
EARLY_NICE = 5  # jobs started while the course is being checked yield the CPU to the check


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
