"""`kummi new module ID`."""
from __future__ import annotations

import sys

import click

from ..cli import EXIT_ERRORS, cli, find_root, verbosity_options


@cli.group()
def new() -> None:
    """Create new course content from a template."""


@new.command("module")
@click.argument("module_id")
@click.option("--author", help="Mentor id from content/mentors.yaml (default: the first mentor).")
@verbosity_options
@click.pass_obj
def new_module_cmd(ui, module_id: str, author: str | None) -> None:
    """Create modules/NN-MODULE_ID with a module.yaml, a first lesson per language and a quiz."""
    from ..scaffold import ScaffoldError, new_module

    root = find_root(None)
    try:
        path = new_module(root, module_id, author)
    except ScaffoldError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(EXIT_ERRORS)
    ui.info(f"Created {path.relative_to(root)}/ and added it to content/course.yaml.")
    ui.info("Next: edit module.yaml and the lessons, then run 'kummi check'.")
