"""`kummi schemas`: regenerate the JSON Schemas for editors (or --check that they are current)."""
from __future__ import annotations

import sys

import click

from ..cli import cli, find_root, verbosity_options


@cli.command()
@click.option("--check", "check_only", is_flag=True, help="Only report stale schema files; exit 1 if any.")
@verbosity_options
@click.pass_obj
def schemas(ui, check_only: bool) -> None:
    """Write schemas/*.schema.json and .vscode/settings.json from kummi's file formats."""
    from ..jsonschemas import stale_files, write_schemas

    root = find_root(None)
    if check_only:
        stale = stale_files(root)
        for rel in stale:
            click.echo(f"{rel}:1:1: error KM020 schema file is out of date\n    hint: run 'kummi schemas'")
        sys.exit(1 if stale else 0)
    for path in write_schemas(root):
        ui.info(f"wrote {path.relative_to(root)}")
