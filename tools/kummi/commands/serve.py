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
        with runtime.running(runtime.Run(root=str(root), lang=lang, trainer=trainer, single=True)):
            try:
                mkdocs_serve(
                    config_file=str(config),
                    livereload=True,
                    open_in_browser=open_browser,
                    dev_addr=dev_addr,
                    **overrides,
                )
            except MkDocsException as exc:
                ui.err.print(f"site: {exc}", style="red", markup=False)
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


def _log_to_stderr(ui: Ui) -> None:
    """MkDocs logs build progress and warnings; `mkdocs serve` prints them, so do we."""
    import logging

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "kummi", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler.kummi = True
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if ui.verbosity > 0 else logging.WARNING if ui.verbosity < 0 else logging.INFO)
    logger.propagate = False
