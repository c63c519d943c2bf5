"""`kummi a11y`: axe-core on the built site, then the draft accessibility statement with its results."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli import EXIT_ERRORS, EXIT_OK, cli, find_root, print_report, run_guarded, verbosity_options
from ..i18n import M_, MP_, N_, _, text


# axe-core's impact levels, as the summary shows them.
IMPACTS = {
    # TRANSLATORS: axe-core impact level of an accessibility problem
    "critical": M_("critical"),
    # TRANSLATORS: axe-core impact level of an accessibility problem
    "serious": M_("serious"),
    # TRANSLATORS: axe-core impact level of an accessibility problem
    "moderate": M_("moderate"),
    # TRANSLATORS: axe-core impact level of an accessibility problem
    "minor": M_("minor"),
}


@cli.command(help=N_(
    "Run axe-core (WCAG 2.1 A/AA) on every page of the built site in Chromium, write build/accessibility/axe.json "
    "and the draft accessibility statement (saavutettavuusseloste.fi.md, .sv.md) with its results."
))
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, help=N_("Output folder (default: build/)."))
@click.option("--strict", is_flag=True, help=N_("Exit with an error when axe-core finds a serious or critical problem."))
@verbosity_options
@click.pass_obj
def a11y(ui, path, out_dir, strict) -> None:
    root = find_root(path)

    def run() -> int:
        from ..accessibility import collect, write_statement
        from ..accessibility.axe import REPORT, AxeError, find_axe, run_axe, write_report
        from ..clock import build_epoch
        from ..pipeline import load_and_check
        from ..views import published_view

        course, report = load_and_check(root)
        if course is None or report.has_errors():
            print_report(ui, report, "text")
            ui.err.print(_("Stopped: fix the errors above first."), style="red", markup=False)
            return EXIT_ERRORS
        out = Path(out_dir).resolve() if out_dir else root / "build"
        site = out / "site"
        if not (site / "index.html").is_file():
            ui.err.print(text(M_("There is no built site in {folder}: run kummi build --target site first.", folder=str(site))), style="red", markup=False)
            return EXIT_ERRORS
        axe_js = find_axe(root)
        if axe_js is None:
            ui.err.print(_("axe-core was not found: run npm ci in the repository, or set KUMMI_AXE to axe.min.js."), style="red", markup=False)
            return EXIT_ERRORS
        epoch = build_epoch(root)
        try:
            result, data = run_axe(site, axe_js, epoch)
        except AxeError as exc:
            ui.err.print(text(exc.message), style="red", markup=False)
            return EXIT_ERRORS
        write_report(data, out / "accessibility" / REPORT)
        published, _left_out = published_view(course, drafts=False)
        written = write_statement(published, out / "accessibility", epoch, collect(published, out, epoch))
        serious = [v for v in result.violations if v.impact in ("serious", "critical")]
        if ui.verbosity >= 0:
            ui.err.print(text(MP_("axe-core {version}: {n} page checked, {rules} rules broken ({serious} serious or critical).",
                                  "axe-core {version}: {n} pages checked, {rules} rules broken ({serious} serious or critical).",
                                  result.pages, version=result.version, rules=len(result.violations), serious=len(serious))), markup=False)
            for v in result.violations:
                # axe-core's own rule descriptions are English: the rule id (its name in axe's
                # documentation) and our words for the impact and the page count instead.
                impact = text(IMPACTS[v.impact]) if v.impact in IMPACTS else str(v.impact)
                line = MP_("{impact}: {rule} on {n} page", "{impact}: {rule} on {n} pages", len(v.pages), impact=impact, rule=v.rule)
                ui.err.print("  " + text(line), markup=False)
            ui.err.print(text(M_("Wrote {report} and {statement}", report=str(out / "accessibility" / REPORT), statement=str(written[0]))), markup=False)
        return EXIT_ERRORS if strict and serious else EXIT_OK

    sys.exit(run_guarded(run))
