"""`kummi new module ID`."""
from __future__ import annotations

import sys

import click
from rich.markup import escape

from ..cli import EXIT_ERRORS, cli, find_root, verbosity_options
from ..i18n import M_, N_, _, text


@cli.group(help=N_("Create new course content from a template."))
def new() -> None:
    pass


@new.command("module", help=N_("Create modules/NN-MODULE_ID with a module.yaml, a first lesson per language and a quiz."))
@click.argument("module_id")
@click.option("--author", help=N_("Mentor id from content/mentors.yaml (default: the first mentor)."))
@verbosity_options
@click.pass_obj
def new_module_cmd(ui, module_id: str, author: str | None) -> None:
    from ..scaffold import ScaffoldError, new_module

    root = find_root(None)
    try:
        path = new_module(root, module_id, author)
    except ScaffoldError as exc:
        click.echo(text(M_("error: {message}", message=exc.message)), err=True)
        sys.exit(EXIT_ERRORS)
    folder = path.relative_to(root).as_posix() + "/"
    ui.info(escape(text(M_("Created {folder} and added it to content/course.yaml.", folder=folder))))
    _refresh_codeowners(ui, root)
    ui.info(escape(_("Next: edit module.yaml and the lessons, then run 'kummi check'.")))


def _refresh_codeowners(ui, root) -> None:
    """A generated CODEOWNERS must list the new module too, or check fails with KM210."""
    from ..codeowners import CODEOWNERS_PATH, blocking_errors, render_codeowners
    from ..pipeline import load_and_check

    path = root / CODEOWNERS_PATH
    if not path.is_file():
        return
    course, report = load_and_check(root)
    if course is not None and not blocking_errors(report):
        path.write_text(render_codeowners(course), encoding="utf-8")
        ui.info(escape(text(M_("Updated {path}.", path=CODEOWNERS_PATH))))
