"""`kummi status` and `kummi codeowners`."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from ..cli import EXIT_ERRORS, cli, find_root, print_report, verbosity_options
from ..diagnostics import Diagnostic, Location, Severity
from ..i18n import M_, MP_, N_, _, join, text

# The `status:` values of module.yaml, as the status table shows them.
STATUS_LABELS = {
    # TRANSLATORS: module status in `kummi status` (module.yaml `status: draft`)
    "draft": N_("draft"),
    # TRANSLATORS: module status in `kummi status` (module.yaml `status: review`)
    "review": N_("review"),
    # TRANSLATORS: module status in `kummi status` (module.yaml `status: published`)
    "published": N_("published"),
}


def _load(ui):
    from ..pipeline import load_and_check

    root = find_root(None)
    course, report = load_and_check(root)
    if course is None:
        print_report(ui, report, "text")
        sys.exit(EXIT_ERRORS)
    return root, course, report


@cli.command(help=N_("Show each module's status, owners and translation coverage."))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--diff", "diff_target", metavar="MODULE|FILE",
              help=N_("For each outdated translation of MODULE or FILE, show what changed in the Finnish text since the translation was made (from git history)."))
@verbosity_options
@click.pass_obj
def status(ui, fmt: str, diff_target: str | None) -> None:
    from ..status import course_status

    _root, course, report = _load(ui)
    if diff_target is not None:
        sys.exit(_show_diff(ui, course, diff_target))
    data = course_status(course)
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    table = Table(title=Text(f"{course.title.get('fi')} ({course.id} {course.version})"))
    headers = [
        # TRANSLATORS: column headers of the `kummi status` table
        _("module"), _("status"), _("ver."), _("lessons"), _("quiz"),
        *[text(M_("{lang} current/total", lang=lang)) for lang in data["translations"]],
        _("owners"),
    ]
    for header in headers:
        table.add_column(Text(header))
    for m in data["modules"]:
        owners = join(f"{o['role']} ({o['agency']})" for o in m["owners"])
        langs = [_coverage(t) for t in m["translations"].values()]
        quiz = text(MP_("{n} q, {pass_mark} %", "{n} q, {pass_mark} %", m["quiz_questions"], pass_mark=m["pass_mark"])) if m["quiz_questions"] else "–"
        label = _(STATUS_LABELS[m["status"]]) if m["status"] in STATUS_LABELS else m["status"]
        cells = (m["folder"], label, m["version"], str(m["lessons"]), quiz, *langs, owners)
        table.add_row(*(Text(str(c)) for c in cells))
    ui.out.print(table)
    for lang, t in data["translations"].items():
        pct = 100 * t["current"] // t["lessons"] if t["lessons"] else 100
        line = MP_("{lang}: {current} of {n} lesson translated and current ({percent} %)",
                   "{lang}: {current} of {n} lessons translated and current ({percent} %)",
                   t["lessons"], lang=lang, current=t["current"], percent=pct)
        ui.out.print(text(line), markup=False)
    e, w = len(report.errors), len(report.warnings)
    summary = M_("kummi check: {errors}, {warnings}", errors=MP_("{n} error", "{n} errors", e), warnings=MP_("{n} warning", "{n} warnings", w))
    ui.out.print(text(summary), markup=False)


def _coverage(t: dict) -> str:
    """'current/total', with the translated lessons whose Finnish source has changed since."""
    stale = t["translated"] - t["current"]
    if not stale:
        return f"{t['current']}/{t['lessons']}"
    return text(MP_("{current}/{total} ({n} stale)", "{current}/{total} ({n} stale)", stale, current=t["current"], total=t["lessons"]))


# What each kind of unit is called in `kummi status --diff`.
UNIT_LABELS = {
    # TRANSLATORS: kinds of text in `kummi status --diff` ("changed paragraph, line 12")
    "heading": N_("heading"),
    "paragraph": N_("paragraph"),
    "item": N_("list item"),
    "cell": N_("table cell"),
    "box-title": N_("box title"),
    "quote": N_("quotation"),
}


def _show_diff(ui, course, target: str) -> int:
    """`kummi status --diff`: exit 0 when every outdated translation's changes are shown."""
    from ..status import select_translations
    from ..translation.history import NotInGit, changes, find_revision

    root = Path(course.root)
    chosen = select_translations(course, target, Path.cwd())
    if chosen is None:
        click.echo(text(M_("error: '{target}' is neither a module nor a lesson file of the course", target=target)), err=True)
        return EXIT_ERRORS
    stale = [(lesson, t) for lesson, t in chosen if t.source_version != lesson.source.version]
    if not stale:
        ui.out.print(text(M_("Every translation of {target} is current.", target=target)), markup=False)
        return 0
    failed = False
    for lesson, t in stale:
        source = lesson.source
        ui.out.print(Text(t.path, style="bold"))
        if not t.source_version:
            ui.out.print("  " + text(M_("the translation has no source_version: nothing to compare with")), markup=False, style="yellow")
            failed = True
            continue
        try:
            rev = find_revision(root, source.path, t.source_version)
        except NotInGit:
            ui.out.print("  " + text(M_("{path} is not in git history, so the Finnish text of version {version} cannot be found",
                                         path=source.path, version=t.source_version)), markup=False, style="yellow")
            failed = True
            continue
        if rev is None:
            ui.out.print("  " + text(M_("no commit of {path} has the Finnish version {version} that the translation follows",
                                         path=source.path, version=t.source_version)), markup=False, style="yellow")
            failed = True
            continue
        found = changes(rev.body, source.markdown)
        ui.out.print("  " + text(M_("follows {path} of {date} ({commit}); the Finnish version is now {version}",
                                     path=source.path, date=rev.date, commit=rev.commit[:8], version=source.version)), markup=False, style="dim")
        if not found:
            ui.out.print("  " + text(M_("no paragraph changed (the Finnish blocks were only split, merged or reordered)")), markup=False)
        for change in found:
            unit = change.new or change.old
            label = _(UNIT_LABELS.get(unit.kind, unit.kind))
            if change.kind == "changed":
                head = M_("changed {kind}, line {line}:", kind=label, line=change.new.line + source.body_line)
            elif change.kind == "added":
                head = M_("new {kind}, line {line}:", kind=label, line=change.new.line + source.body_line)
            else:
                head = M_("removed {kind}:", kind=label)
            ui.out.print("  " + text(head), markup=False)
            if change.old is not None:
                ui.out.print("    - " + change.old.text.replace("\n", "\n      "), markup=False, style="red")
            if change.new is not None:
                ui.out.print("    + " + change.new.text.replace("\n", "\n      "), markup=False, style="green")
    return EXIT_ERRORS if failed else 0


@cli.command(help=N_("Write .github/CODEOWNERS so that a module's authors review its pull requests."))
@click.option("--check", "check_only", is_flag=True, help=N_("Exit 1 if .github/CODEOWNERS is stale."))
@verbosity_options
@click.pass_obj
def codeowners(ui, check_only: bool) -> None:
    from ..codeowners import CODEOWNERS_PATH, blocking_errors, render_codeowners

    root, course, report = _load(ui)
    if blocking_errors(report):
        # A module.yaml that cannot be read would lose its reviewers from the file.
        print_report(ui, report, "text")
        click.echo(_("CODEOWNERS was not changed: fix the errors above first."), err=True)
        sys.exit(EXIT_ERRORS)
    path = Path(root) / CODEOWNERS_PATH
    content = render_codeowners(course)
    if check_only:
        current = path.read_text(encoding="utf-8") if path.is_file() else ""
        if current != content:
            stale = Diagnostic("KM210", Severity.ERROR, M_("CODEOWNERS is out of date"), Location(CODEOWNERS_PATH), M_("run 'kummi codeowners'"))
            click.echo(stale.format_text())
            sys.exit(EXIT_ERRORS)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    ui.info(escape(text(M_("wrote {path}", path=CODEOWNERS_PATH))))
