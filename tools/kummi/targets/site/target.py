"""`SiteTarget`: builds build/site/ in-process with MkDocs, using the course's mkdocs.yml."""
from __future__ import annotations

import logging
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from ...diagnostics import Report
from ...i18n import M_, MP_
from ...model import Course
from ..base import BuildOptions, Target, TargetError
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


def build_site(course: Course, site_dir: Path, run: runtime.Run, epoch: int | None = None) -> None:
    """Build every language of the site into `site_dir`; MkDocs warnings become a TargetError."""
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
                build(config)
            finally:
                config.plugins.on_shutdown()
    except MkDocsException as exc:
        raise TargetError(M_("MkDocs stopped: {error}", error=str(exc))) from exc
    finally:
        mkdocs_log.removeHandler(collector)
    if collector.messages:
        lines = "\n  ".join(dict.fromkeys(collector.messages))
        raise TargetError(MP_("the site has {n} problem:\n  {problems}", "the site has {n} problems:\n  {problems}", len(collector.messages), problems=lines))


class SiteTarget(Target):
    name = "site"
    description = "course web site (MkDocs + Material), one site per language"

    def check(self, course: Course, report: Report, cache=None) -> None:
        from .checks import check_site

        check_site(course, report)

    def write(self, course: Course, options: BuildOptions, staging: Path, previous: Path) -> list[Path]:
        run = runtime.Run(
            course=course,
            downloads=tuple(sorted((k, tuple(v)) for k, v in (options.downloads or {}).items())),
            offline=options.offline,
        )
        primary = course.languages[0]
        # Each language is its own MkDocs build; on more than one core they run side by side, each
        # into a folder of its own (MkDocs empties its site_dir first), then move into place.
        jobs = [(lang, staging / f".lang-{lang}") for lang in course.languages]
        workers = min(len(jobs), os.cpu_count() or 1)
        if workers > 1:
            with ProcessPoolExecutor(workers) as pool:
                futures = [pool.submit(_build_language, course, run, lang, out, options.epoch) for lang, out in jobs]
                for future in futures:
                    future.result()  # re-raises a TargetError from the worker
        else:
            for lang, out in jobs:
                _build_language(course, run, lang, out, options.epoch)
        for lang, out in jobs:
            dest = staging if lang == primary else staging / lang
            dest.mkdir(exist_ok=True)
            for item in sorted(out.iterdir()):
                item.rename(dest / item.name)
            out.rmdir()
        return [staging / ("" if lang == primary else lang) / "index.html" for lang in course.languages]


def _build_language(course: Course, run: runtime.Run, lang: str, site_dir: Path, epoch: int) -> None:
    """One language's site (run in a worker process when there are several cores)."""
    build_site(course, site_dir, run.nested(course, lang), epoch)
