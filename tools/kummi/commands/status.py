"""`kummi status` and `kummi codeowners`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.table import Table

from ..cli import EXIT_ERRORS, cli, find_root, print_report, verbosity_options


def _load(ui):
    from ..pipeline import load_and_check

    root = find_root(None)
    course, report = load_and_check(root)
    if course is None:
        print_report(ui, report, "text")
        sys.exit(EXIT_ERRORS)
    return root, course, report


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@verbosity_options
@click.pass_obj
def status(ui, fmt: str) -> None:
    """Show each module's status, owners and translation coverage."""
    from ..status import course_status

    _, course, report = _load(ui)
    data = course_status(course)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{course.title.get('fi')} ({course.id} {course.version})")
    for col in ("module", "status", "ver.", "lessons", "quiz", *[f"{lang} current/total" for lang in data["translations"]], "owners"):
        table.add_column(col)
    for m in data["modules"]:
        owners = ", ".join(f"{o['role']} ({o['agency']})" for o in m["owners"])
        langs = [f"{t['current']}/{t['lessons']}" + ("" if t["translated"] == t["current"] else f" ({t['translated'] - t['current']} stale)") for t in m["translations"].values()]
        quiz = f"{m['quiz_questions']} q, {m['pass_mark']} %" if m["quiz_questions"] else "–"
        table.add_row(m["folder"], m["status"], m["version"], str(m["lessons"]), quiz, *langs, owners)
    ui.out.print(table)
    for lang, t in data["translations"].items():
        pct = 100 * t["current"] // t["lessons"] if t["lessons"] else 100
        ui.out.print(f"{lang}: {t['current']} of {t['lessons']} lessons translated and current ({pct} %)")
    e, w = len(report.errors), len(report.warnings)
    ui.out.print(f"kummi check: {e} error(s), {w} warning(s)")


@cli.command()
@click.option("--check", "check_only", is_flag=True, help="Exit 1 if .github/CODEOWNERS is stale.")
@verbosity_options
@click.pass_obj
def codeowners(ui, check_only: bool) -> None:
    """Write .github/CODEOWNERS so that a module's authors review its pull requests."""
    from ..codeowners import CODEOWNERS_PATH, render_codeowners

    from ..codeowners import blocking_errors

    root, course, report = _load(ui)
    if blocking_errors(report):
        # A module.yaml that cannot be read would lose its reviewers from the file.
        print_report(ui, report, "text")
        click.echo("CODEOWNERS was not changed: fix the errors above first.", err=True)
        sys.exit(EXIT_ERRORS)
    path = Path(root) / CODEOWNERS_PATH
    text = render_codeowners(course)
    if check_only:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != text:
            click.echo(f"{CODEOWNERS_PATH}:1:1: error KM210 CODEOWNERS is out of date\n    hint: run 'kummi codeowners'")
            sys.exit(EXIT_ERRORS)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    ui.info(f"wrote {CODEOWNERS_PATH}")
