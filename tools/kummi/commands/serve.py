"""`kummi serve`: live preview of the course site; edited lessons show in the browser at once."""
from __future__ import annotations

import errno
import os
import sys

import click

from ..cli import EXIT_ERRORS, Ui, cli, find_root, run_guarded, verbosity_options
from ..i18n import M_, N_, _, text


@cli.command(help=N_("Preview the site at http://127.0.0.1:8000/ and rebuild when content/, modules/ or templates/ change."))
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--dev-addr", "-a", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT", help=N_("Address to serve on."))
@click.option("--lang", "-l", "lang", default="", help=N_("Language to preview (default: Finnish). Only this language is built, so rebuilds stay fast."))
@click.option("--trainer", is_flag=True, help=N_("Show trainer notes (!!! notes) on the pages. Never publish this view."))
@click.option("--open", "open_browser", is_flag=True, help=N_("Open the site in the default browser."))
@verbosity_options
@click.pass_obj
def serve(ui: Ui, path: str | None, dev_addr: str, lang: str, trainer: bool, open_browser: bool) -> None:

    def run() -> int:
        from mkdocs.commands.serve import serve as mkdocs_serve
        from mkdocs.exceptions import MkDocsException

        from ..targets.site import runtime
        from ..targets.site.target import config_file

        root = find_root(path)
        if not (root / "content" / "course.yaml").is_file():
            ui.err.print(text(M_("No course in {folder}: content/course.yaml is missing.", folder=str(root))), markup=False)
            return EXIT_ERRORS
        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        _log_to_stderr(ui)
        config, overrides = config_file(root)
        if trainer and ui.verbosity >= 0:
            ui.err.print(_("Trainer view: notes are shown. Do not publish this site."), style="yellow", markup=False)
        with runtime.running(runtime.Run(root=str(root), lang=lang, trainer=trainer, single=True)), _incremental(root):
            try:
                mkdocs_serve(
                    config_file=str(config),
                    livereload=True,
                    open_in_browser=open_browser,
                    dev_addr=dev_addr,
                    **overrides,
                )
            except MkDocsException as exc:
                ui.err.print(text(M_("site: {error}", error=str(exc))), style="red", markup=False)
                return EXIT_ERRORS
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
                host, _sep, port = dev_addr.rpartition(":")
                other = f"{host or '127.0.0.1'}:{int(port) + 1 if port.isdigit() else 8001}"
                ui.err.print(text(M_("The address {address} is already in use (another preview running?).", address=dev_addr)),
                             style="red", markup=False, end=" ")
                command = "kummi serve -a " + other
                ui.err.print(text(M_("Try: {command}", command=command)), markup=False)
                return EXIT_ERRORS
        return 0

    sys.exit(run_guarded(run))


class _incremental:
    """While serving, each rebuild goes through the site driver (targets/site/driver.py): a page
    whose key is unchanged since the last rebuild stays as it is in the preview folder, so saving
    a lesson renders that lesson's page (and the pages that show its title), not the whole site.
    The first build reads search terms from the last `kummi build`'s cache."""

    def __init__(self, root):
        self.root = root

    def __enter__(self):
        import mkdocs.commands.serve as mkdocs_serve_module

        from ..cache import FILE, MemoryCache
        from ..targets.site.driver import PageRecord
        from ..targets.site.target import _driver_build

        record, cache = PageRecord(), MemoryCache(fallback=self.root / "build" / FILE)

        def build(config, serve_url=None, dirty=False):
            import logging
            import time

            start = time.monotonic()
            result = _driver_build(config, cache, None, "", record=record)
            for kind, key, value in result.cache:
                cache.put(kind, key, value)
            # MkDocs' own line (translated by _log_to_stderr like the others): the author sees the save took effect.
            logging.getLogger("mkdocs.commands.build").info("Documentation built in %.2f seconds", time.monotonic() - start)

        self.module, self.original = mkdocs_serve_module, mkdocs_serve_module.build
        mkdocs_serve_module.build = build
        return self

    def __exit__(self, *exc):
        self.module.build = self.original
        return False


def _log_to_stderr(ui: Ui) -> None:
    """MkDocs logs build progress and warnings; `mkdocs serve` prints them, so do we."""
    import logging

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "kummi", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_MkDocsFormatter())
        handler.kummi = True
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if ui.verbosity > 0 else logging.WARNING if ui.verbosity < 0 else logging.INFO)
    logger.propagate = False


# MkDocs' own progress lines (the serve banner), in the user's language. MkDocs' livereload puts a
# "[12:34:56] " time in front of some; a line not listed here is shown as MkDocs wrote it.
_MKDOCS_LINES = (
    (r"Building documentation\.\.\.", lambda m: M_("Building the site…")),
    (r"Cleaning site directory", lambda m: M_("Emptying the site folder")),
    (r"Documentation built in ([\d.]+) seconds", lambda m: M_("Site built in {seconds} s", seconds=float(m[1]))),
    (r"Watching paths for changes: (.*)", lambda m: M_("Watching for changes: {paths}", paths=m[1])),
    (r"Serving on (\S+) and opening it in a browser", lambda m: M_("Preview at {url} (opened in the browser)", url=m[1])),
    (r"Serving on (\S+)", lambda m: M_("Preview at {url} (stop with Ctrl+C)", url=m[1])),
    (r"Detected file changes", lambda m: M_("Files changed")),
    (r"Reloading browsers", lambda m: M_("Reloading the page in the browser")),
    (r"Browser connected: (.*)", lambda m: M_("Browser connected: {url}", url=m[1])),
    (r"Shutting down\.\.\.", lambda m: M_("Stopping…")),
    (r"Doc file '(.+)' contains a link '(.+)', but the target is not found among documentation files\.",
     lambda m: M_("{page}: the link '{target}' points to no page or file of the site", page=m[1], target=m[2])),
)
# TRANSLATORS: log levels at the start of a preview line; keep them short.
_LEVELS = {"DEBUG": N_("DEBUG"), "INFO": N_("INFO"), "WARNING": N_("WARNING"), "ERROR": N_("ERROR"), "CRITICAL": N_("ERROR")}


class _MkDocsFormatter:
    """'INFO    -  [12:34:56] Serving on …' as MkDocs prints it, in the user's language."""

    def __init__(self):
        import re

        self.lines = [(re.compile(pattern), make) for pattern, make in _MKDOCS_LINES]
        self.time = re.compile(r"(\[\d\d:\d\d:\d\d\] )?(.*)", re.S)

    def format(self, record) -> str:
        stamp, message = self.time.fullmatch(record.getMessage()).groups()
        for pattern, make in self.lines:
            found = pattern.fullmatch(message)
            if found:
                message = text(make(found))
                break
        level = _(_LEVELS.get(record.levelname, record.levelname))
        width = max(len(_(name)) for name in _LEVELS.values())
        line = f"{level:<{width}} -  {stamp or ''}{message}"
        if record.exc_info:
            import logging

            line += "\n" + logging.Formatter().formatException(record.exc_info)
        return line
