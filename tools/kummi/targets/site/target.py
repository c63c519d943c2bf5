"""`SiteTarget`: builds build/site/ in-process with MkDocs, using the course's mkdocs.yml."""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from pathlib import Path

from ...diagnostics import Report
from ...i18n import M_, MP_
from ...model import Course
from ..base import BuildContext, BuildOptions, Job, JobResult, Target, TargetError
from . import runtime

PACKAGE = Path(__file__).parent
DEFAULT_CONFIG = PACKAGE / "default-mkdocs.yml"


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _env(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def config_file(root: Path) -> tuple[Path, dict]:
    """The course's mkdocs.yml, or kummi's default with docs_dir pointing at the course."""
    own = root / "mkdocs.yml"
    if own.is_file():
        return own, {}
    return DEFAULT_CONFIG, {"docs_dir": str(root / "content")}


def build_site(course: Course, site_dir: Path, run: runtime.Run, epoch: int | None = None, cache=None,
               previous: Path | None = None, prefix: str = "", others: tuple = ()):
    """Build the site into `site_dir`; MkDocs warnings become a TargetError. Without a `cache`, an
    ordinary MkDocs build (every language of the course); with one (cache.Cache), the one language
    of `run` through driver.py, linking unchanged pages from `previous` (the last build/site/,
    whose `prefix` folder holds this language). Returns driver.LanguageResult, or None."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    root = Path(course.root)
    path, overrides = config_file(root)
    env = {"NO_MKDOCS_2_WARNING": "1"}
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    collector = _Collect()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(collector)
    try:
        with _env(**env), runtime.running(run):
            config = load_config(config_file=str(path), site_dir=str(site_dir), **overrides)
            config.plugins.on_startup(command="build", dirty=False)
            try:
                if cache is None:
                    build(config)
                    result = None
                else:
                    result = _driver_build(config, cache, previous, prefix, others=others)
            finally:
                config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise TargetError(M_("MkDocs stopped: {error}", error=str(exc))) from exc
    finally:
        mkdocs_log.removeHandler(collector)
    if collector.messages:
        lines = "\n  ".join(dict.fromkeys(collector.messages))
        raise TargetError(MP_("the site has {n} problem:\n  {problems}", "the site has {n} problems:\n  {problems}", len(collector.messages), problems=lines))
    return result


def _driver_build(config, cache, previous: Path | None, prefix: str, record=None, others: tuple = ()):
    """driver.build with MkDocs' error event; the kummi plugin's language switch (and, while
    serving, its error banner) is part of every page's key, and the plugin's plan of the whole
    language keys the language (`others`: other languages' folders inside this one's)."""
    from ...cache import CollectingCache
    from . import driver

    kummi = next((p for name, p in config.plugins.items() if name.split("/")[-1] == "kummi"), None)
    if kummi is not None:
        kummi.terms = CollectingCache(cache)
        kummi.bytecode_folder = cache.path.parent / "jinja" if cache.path is not None else None
    try:
        result = driver.build(config, cache, previous, prefix, record=record,
                              page_extra=lambda page: (repr(getattr(kummi, "languages", None)), repr(getattr(kummi, "problems", None))),
                              content_key=kummi.content_key if kummi is not None else (lambda page, files: None),
                              inputs=kummi.language_inputs if kummi is not None else (lambda config: None),
                              skipped=kummi.language_reused if kummi is not None else (lambda: None), others=others)
        if kummi is not None:
            result.cache.extend(kummi.terms.entries)
        return result
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        raise


class SiteTarget(Target):
    name = "site"
    description = "course web site (MkDocs + Material), one site per language"
    early = True  # the longest jobs of a build: they start while the course is checked

    def check(self, course: Course, report: Report, cache=None) -> None:
        from .checks import check_site

        check_site(course, report)

    def jobs(self, course: Course, options: BuildOptions, ctx: BuildContext) -> list[Job]:
        """One job per language (the Finnish site at the root, the others in <lang>/)."""
        _before_fork(course)
        primary = course.languages[0]
        pages = 3 + len(course.glossary) // 20 + sum(1 + len(m.lessons) for m in course.modules)
        return [Job(self.name, lang, PAGE_WEIGHT * pages, ("" if lang == primary else f"{lang}/",)) for lang in course.languages]

    def run_job(self, course: Course, options: BuildOptions, job: Job, staging: Path, ctx: BuildContext) -> JobResult:
        """One language through driver.py; a page whose key is unchanged since the last build is
        linked from the previous build/site/."""
        (prefix,) = job.payload
        run = runtime.Run(
            course=course,
            downloads=tuple(sorted((k, tuple(v)) for k, v in (options.downloads or {}).items())),
            offline=options.offline,
        )
        site_dir = staging / prefix if prefix else staging
        site_dir.mkdir(parents=True, exist_ok=True)
        others = tuple(lang for lang in course.languages if lang != job.name) if not prefix else ()  # their folders are inside this one
        built = build_site(course, site_dir, run.nested(course, job.name), options.epoch, ctx.cache, ctx.previous, prefix, others)
        return JobResult(artifacts=[prefix + "index.html"], outputs=built.outputs, cache=built.cache,
                         made=built.rendered, reused=built.reused, pages=built.pages)

    def summary(self, results: list[JobResult], folder: str):
        """The build summary's line: pages per language, not the entry points."""
        pages = max((r.pages for r in results), default=0)
        return MP_("{n} page per language in {folder}", "{n} pages per language in {folder}", pages, folder=folder)


def _before_fork(course: Course) -> None:
    """What every language's worker would otherwise import and read on its own: done once here,
    in the process that forks them (the build's main process needs most of it anyway)."""
    import mkdocs.commands.build  # noqa: F401
    import mkdocs.config.defaults  # noqa: F401

    from ...learnertext import table
    from . import driver, plugin  # noqa: F401

    for lang in course.languages:
        table(lang)


PAGE_WEIGHT = 0.02  # rough seconds per page of one language (the build's scheduling unit)
