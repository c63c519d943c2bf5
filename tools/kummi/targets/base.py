"""What every output target implements. A target renders only from the Course model.

A build (build.py) asks every target for its jobs, runs all jobs of all targets side by side on
the machine's cores, and swaps the staging folders of all targets in at once when every job
succeeded. A target implements:

- `check(course, report)`: target-specific checks (must not write anything);
- `jobs(course, options, ctx)`: independent units of work (one deck, one package, one language
  of the site) with a rough cost for scheduling;
- `run_job(course, options, job, staging, ctx)`: do one job in a worker process, writing only into
  `staging` (the target's own staging folder); files whose inputs did not change are linked from
  the previous output with `ctx.cache.reuse`;
- `finish(...)`: after all jobs, in the main process (e.g. keep a partial build's other files);
- `summary(results, folder)`: optionally, its line in the build summary.

A simple target may implement only `write(course, options, staging, previous)`: it is then one job.
`learner = True` targets get the learner view of the model (views.learner_view): no trainer
notes, no quiz answers. `early = True` targets' jobs may start while the course is still being
checked: they must not use anything `check` computes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Report
from ..i18n import MessageError, Msg
from ..model import Course


class TargetError(MessageError):
    """A target could not finish; the message (a Msg) says what and where, for the user. It is
    translated when shown, so an error raised in a worker process prints in the reader's language."""


@dataclass(frozen=True)
class BuildOptions:
    """What the user asked `kummi build` for."""

    out_dir: Path  # build/ (each target writes build/<target.name>/)
    epoch: int  # build clock (SOURCE_DATE_EPOCH)
    modules: tuple[str, ...] = ()  # module ids; empty = all
    languages: tuple[str, ...] = ()  # empty = all declared
    pdf: bool = False  # slides: also write PDF handouts via LibreOffice
    scorm_versions: tuple[str, ...] = ()  # empty = course setting
    offline: bool = False  # site: offline variant that works from file://
    drafts: bool = False  # publish modules with status: draft too
    downloads: dict = field(default_factory=dict)  # site: learner files to offer, keyed "module_id.lang"

    def selection(self, course: Course) -> list[tuple]:
        """(module, language) of every module and language this build makes: all of the course,
        or those --module and --lang chose."""
        return [
            (module, lang)
            for module in course.modules if not self.modules or module.id in self.modules
            for lang in course.languages if not self.languages or lang in self.languages
        ]


@dataclass(frozen=True)
class Job:
    target: str
    name: str  # unique within the target, e.g. "fi" or "kummin-rooli.sv"
    weight: float = 1.0  # rough cost; heavy jobs start first
    payload: tuple = ()


@dataclass
class JobResult:
    artifacts: list[str] = field(default_factory=list)  # paths relative to the target's staging folder
    outputs: dict[str, str] = field(default_factory=dict)  # rel path -> cache key (reusable next time)
    cache: list[tuple[str, str, object]] = field(default_factory=list)  # (kind, key, value) to keep
    entries: str = ""  # a file of more such entries (cache.write_entries), from a worker process
    made: int = 0  # files made in this run
    reused: int = 0  # files linked from the previous output
    pages: int = 0  # site: pages of the language built


@dataclass
class BuildContext:
    """What a job may use besides the model: the cache (read-only in workers; new entries go back
    in JobResult.cache) and the previous output folder of the target."""

    cache: object  # cache.Cache
    previous: Path

    def remember(self, result: JobResult, kind: str, key: str, value) -> None:
        result.cache.append((kind, key, value))


class Target:
    name: str = ""
    description: str = ""
    learner: bool = True  # rendered from the learner view of the model
    early: bool = False  # its jobs use nothing the checks compute: a build may start them while checking

    def check(self, course: Course, report: Report, cache=None) -> None:
        """Target-specific checks (e.g. a missing slide layout). Must not write anything; may read
        and fill `cache` (cache.Cache or None) with work the build reuses."""

    def jobs(self, course: Course, options: BuildOptions, ctx: BuildContext) -> list[Job]:
        return [Job(self.name, "all")]

    def run_job(self, course: Course, options: BuildOptions, job: Job, staging: Path, ctx: BuildContext) -> JobResult:
        written = self.write(course, options, staging, ctx.previous)
        return JobResult(artifacts=[p.relative_to(staging).as_posix() for p in written], made=len(written))

    def finish(self, course: Course, options: BuildOptions, staging: Path, results: list[JobResult], ctx: BuildContext) -> list[str]:
        """After every job: the target's artifacts (relative to staging), in a stable order."""
        return sorted(a for r in results for a in r.artifacts)

    def summary(self, results: list[JobResult], folder: str) -> Msg | None:
        """The build summary's line for this target (None: count its artifacts)."""
        return None

    def write(self, course: Course, options: BuildOptions, staging: Path, previous: Path) -> list[Path]:
        """Render into `staging` (empty). `previous` is the current output (may not exist): a partial
        build (one module) copies what it does not rebuild from there. Returns written artifacts."""
        raise NotImplementedError

    def build(self, course: Course, options: BuildOptions) -> list[Path]:
        """One target alone, in this process (tests, tools): staging, then swap."""
        from ..build import build_targets

        return build_targets([self], course, course, options)[self.name]
