"""What every output target implements. A target renders only from the Course model."""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Report
from ..i18n import Msg, text
from ..model import Course


class TargetError(Exception):
    """A target could not finish; the message (a Msg) says what and where, for the user. It is
    translated when shown, so an error raised in a worker process prints in the reader's language."""

    def __init__(self, message: Msg | str):
        super().__init__(message)

    @property
    def message(self) -> Msg | str:
        return self.args[0]

    def __str__(self) -> str:
        return text(self.message)


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
    # site: files to offer for download on module pages, keyed "module_id.lang"; filled by the build
    # orchestration with the slide decks and SCORM packages built in this run (or found from earlier).
    downloads: dict = field(default_factory=dict)


class Target:
    """Subclasses set `name` and `description` and implement `write`.

    `build` is final: it writes into a fresh staging folder and swaps it in only on success, so a
    failed build leaves the previous output intact.
    """

    name: str = ""
    description: str = ""

    def check(self, course: Course, report: Report) -> None:
        """Target-specific checks (e.g. a missing slide layout). Must not write anything."""

    def write(self, course: Course, options: BuildOptions, staging: Path, previous: Path) -> list[Path]:
        """Render into `staging` (empty). `previous` is the current output (may not exist): a partial
        build (one module) copies what it does not rebuild from there. Returns written artifacts."""
        raise NotImplementedError

    def build(self, course: Course, options: BuildOptions) -> list[Path]:
        final = options.out_dir / self.name
        staging = options.out_dir / f".{self.name}.staging"
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir(parents=True)
        try:
            artifacts = self.write(course, options, staging, final)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        old = options.out_dir / f".{self.name}.old"
        if old.exists():
            shutil.rmtree(old)
        if final.exists():
            final.rename(old)
        staging.rename(final)
        shutil.rmtree(old, ignore_errors=True)
        return [final / p.relative_to(staging) for p in artifacts]
