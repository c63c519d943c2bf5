"""`kummi schemas`: regenerate the JSON Schemas for editors (or --check that they are current)."""
from __future__ import annotations

import sys

import click
from rich.markup import escape

from ..cli import cli, find_root, verbosity_options
from ..diagnostics import Diagnostic, Location, Severity
from ..i18n import M_, N_, text


@cli.command(help=N_("Write schemas/*.schema.json and .vscode/settings.json from kummi's file formats."))
@click.option("--check", "check_only", is_flag=True, help=N_("Only report stale schema files; exit 1 if any."))
@verbosity_options
@click.pass_obj
def schemas(ui, check_only: bool) -> None:
    from ..jsonschemas import stale_files, write_schemas

    root = find_root(None)
    if check_only:
        stale = stale_files(root)
        for rel in stale:
            stale_file = Diagnostic("KM020", Severity.ERROR, M_("schema file is out of date"), Location(rel), M_("run 'kummi schemas'"))
            click.echo(stale_file.format_text())
        sys.exit(1 if stale else 0)
    for path in write_schemas(root):
        ui.info(escape(text(M_("wrote {path}", path=str(path.relative_to(root))))))
