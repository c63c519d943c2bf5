"""`kummi release`: the bundle an eOppiva admin imports (logic in kummi/release.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..cli import EXIT_ERRORS, EXIT_OK, cli, find_root, print_report, run_guarded, verbosity_options
from ..i18n import M_, MP_, N_, _, join, text


@cli.command(help=N_(
    "Make the release for eOppiva admins in build/release/<course-id>-<version>/ and a zip of it: every SCORM "
    "package, the quizzes as Moodle XML, a changelog since the previous release, an import checklist, the admin "
    "guide as PDF and SHA256SUMS."
))
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--since", "since", metavar="REF", default=None,
              help=N_("Compare with this git commit, tag or branch. Default: the nearest earlier tag release/* or v*."))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, help=N_("Output folder (default: build/)."))
@click.option("--no-pdf", "no_pdf", is_flag=True, help=N_("Leave out the admin guide PDF (it needs LibreOffice Writer)."))
@click.option("--strict", is_flag=True, help=N_("Treat warnings as errors."))
@verbosity_options
@click.pass_obj
def release(ui, path, since, out_dir, no_pdf, strict) -> None:
    root = find_root(path)

    def run() -> int:
        from ..clock import build_epoch
        from ..pipeline import load_and_check
        from ..release import ReleaseError, make_release
        from ..targets import get_target

        targets = [get_target(name) for name in ("scorm", "moodle")]
        course, report = load_and_check(root, targets)
        if course is None or report.has_errors() or (strict and report.warnings):
            print_report(ui, report, "text")
            ui.err.print(_("Release stopped: fix the errors above. Nothing was written."), style="red", markup=False)
            return EXIT_ERRORS
        if report.warnings:
            print_report(ui, report, "text")
        out = Path(out_dir).resolve() if out_dir else root / "build"
        try:
            result = make_release(root, course, out, build_epoch(root), since=since, pdf=not no_pdf)
        except ReleaseError as exc:
            ui.err.print(text(exc.message), style="red", markup=False)
            ui.err.print(_("Release stopped. A previous release in build/release/ was left as it was."), markup=False)
            return EXIT_ERRORS
        _summary(ui, root, result)
        return EXIT_OK

    sys.exit(run_guarded(run))


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _summary(ui, root: Path, result) -> None:
    if result.dirty:
        ui.err.print(text(MP_(
            "warning: {n} course file has uncommitted changes (e.g. {example}); the release does not match a commit.",
            "warning: {n} course files have uncommitted changes (e.g. {example}); the release does not match a commit.",
            len(result.dirty), example=result.dirty[0],
        )), style="yellow", markup=False)
    if result.version_unchanged:
        ui.err.print(text(M_(
            "warning: the course version {version} is the same as in {ref}; raise 'version' in content/course.yaml for a new release.",
            version=result.previous.course.version, ref=result.previous.ref,
        )), style="yellow", markup=False)
    if ui.verbosity < 0:
        return
    ui.err.print(text(MP_("Release in {folder} ({n} file) and {zip}", "Release in {folder} ({n} files) and {zip}",
                          len(result.files), folder=_rel(result.folder, root) + "/", zip=_rel(result.zip, root))),
                 style="green", markup=False)
    previous = result.previous
    if previous.how == "none":
        ui.err.print(_("First release: there is no earlier release tag (release/* or v*)."), markup=False)
    else:
        ui.err.print(text(M_("Compared with {ref} (commit {commit}).", ref=previous.ref, commit=previous.commit[:12])), markup=False)
    kept = [c.id for c in result.changes if c.records == "kept"]
    reset = [c.id for c in result.changes if c.records == "reset"]
    new = [c.id for c in result.changes if c.records == "new"]
    if kept:
        ui.err.print(text(MP_("Learners' records are kept in {n} module: {modules}", "Learners' records are kept in {n} modules: {modules}",
                              len(kept), modules=join(kept))), markup=False)
    if reset:
        ui.err.print(text(MP_("Learners' records would be RESET in {n} module (its SCORM identifiers changed): {modules}",
                              "Learners' records would be RESET in {n} modules (their SCORM identifiers changed): {modules}",
                              len(reset), modules=join(reset))), style="yellow", markup=False)
    if new:
        ui.err.print(text(MP_("New activity in Moodle for {n} module: {modules}", "New activities in Moodle for {n} modules: {modules}",
                              len(new), modules=join(new))), markup=False)
    ui.err.print(text(M_("Check the files with: cd {folder} && sha256sum -c SHA256SUMS", folder=_rel(result.folder, root))), markup=False)
