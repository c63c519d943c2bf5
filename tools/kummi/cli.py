"""The `kummi` command line. Commands are thin: they call the pipeline and print diagnostics."""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click
from rich.console import Console

from . import __version__
from .diagnostics import Report, Severity

EXIT_OK, EXIT_ERRORS, EXIT_USAGE, EXIT_BUG = 0, 1, 2, 3


class Ui:
    """Output helpers: colour only on a TTY and without NO_COLOR; -q and -v."""

    def __init__(self, verbosity: int = 0):
        no_color = bool(os.environ.get("NO_COLOR")) or not sys.stdout.isatty()
        # Outside a terminal (CI logs, job summaries) don't squeeze tables to 80 columns.
        width = None if sys.stdout.isatty() else 160
        self.out = Console(no_color=no_color, highlight=False, soft_wrap=True, width=width)
        self.err = Console(stderr=True, no_color=no_color or not sys.stderr.isatty(), highlight=False, soft_wrap=True)
        self.verbosity = verbosity

    def info(self, text: str) -> None:
        if self.verbosity >= 0:
            self.err.print(text)

    def debug(self, text: str) -> None:
        if self.verbosity > 0:
            self.err.print(f"[dim]{text}[/dim]")


def find_root(path: str | None) -> Path:
    """The course root: PATH if given, else the nearest folder upwards with content/course.yaml."""
    if path:
        return Path(path).resolve()
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / "content" / "course.yaml").is_file():
            return folder
    return here


def print_report(ui: Ui, report: Report, fmt: str) -> None:
    items = report.sorted()
    if fmt == "json":
        click.echo(report.to_json())
        return
    for d in items:
        if fmt == "github":
            click.echo(d.format_github())
        elif ui.verbosity >= 0 or d.severity is Severity.ERROR:
            style = "bold red" if d.severity is Severity.ERROR else "yellow"
            ui.out.print(f"{d.location}: ", end="", markup=False)
            ui.out.print(f"[{style}]{d.severity.value}[/{style}] ", end="")
            ui.out.print(f"{d.code} {d.message}", markup=False)
            if d.hint:
                ui.out.print("    hint: " + d.hint.replace("\n", "\n    "), markup=False, style="dim")
    if fmt == "text" and ui.verbosity >= 0:
        e, w = len(report.errors), len(report.warnings)
        if e or w:
            ui.err.print(f"{e} error(s), {w} warning(s)")
        else:
            ui.err.print("[green]No problems found.[/green]")


def run_guarded(fn):
    """The only place exceptions become exit codes. A bug writes build/.kummi/crash.log."""
    try:
        return fn()
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException:
        raise
    except Exception:  # a bug in kummi, not in the content
        log = Path("build/.kummi/crash.log")
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(
                f"kummi {__version__} on Python {sys.version.split()[0]}\n\n{traceback.format_exc()}", encoding="utf-8"
            )
            where = f"Details are in {log}."
        except OSError:
            where = traceback.format_exc(limit=3)
        click.echo(f"kummi stopped because of an internal error. {where}\nPlease report it with that file.", err=True)
        return EXIT_BUG


class SuggestingGroup(click.Group):
    """`kummi chek` → "did you mean 'check'?"."""

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            if close:
                ctx.fail(f"No such command '{name}'. Did you mean '{close[0]}'?")
        return super().resolve_command(ctx, args)


@click.group(cls=SuggestingGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="kummi")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print more detail.")
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> None:
    """kummi: write a course once in Markdown and YAML; check it; build a site, slide decks and
    SCORM packages for eOppiva."""
    ctx.obj = Ui(-1 if quiet else (1 if verbose else 0))


FORMATS = click.Choice(["text", "github", "json"])


def verbosity_options(fn):
    """-q/-v on every command too (`kummi check -q` as well as `kummi -q check`)."""

    def set_quiet(ctx, _param, value):
        if value:
            ctx.find_object(Ui).verbosity = -1

    def set_verbose(ctx, _param, value):
        if value:
            ctx.find_object(Ui).verbosity = 1

    fn = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=set_quiet, help="Print only errors.")(fn)
    return click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=set_verbose, help="Print more detail.")(fn)


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="github prints GitHub Actions annotations.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@verbosity_options
@click.pass_obj
def check(ui: Ui, path: str | None, fmt: str, strict: bool) -> None:
    """Check the course at PATH (default: this repository) and report every problem."""

    def run() -> int:
        from .pipeline import load_and_check
        from .targets import available_targets, get_target

        root = find_root(path)
        targets = [get_target(n) for n in available_targets()]
        _, report = load_and_check(root, targets)
        print_report(ui, report, fmt)
        if strict and report.warnings and not report.has_errors() and fmt == "text":
            ui.err.print("--strict: warnings count as errors.")
        failed = report.has_errors() or (strict and report.warnings)
        return EXIT_ERRORS if failed else EXIT_OK

    sys.exit(run_guarded(run))


@cli.command()
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--target", "-t", "target_names", multiple=True, help="site, slides or scorm (repeatable, or comma-separated). Default: all.")
@click.option("--module", "-m", "modules", multiple=True, help="Only this module: its id or folder name (repeatable).")
@click.option("--lang", "-l", "langs", multiple=True, help="Only this language (repeatable).")
@click.option("--pdf", is_flag=True, help="Slides: also write PDF handouts with LibreOffice.")
@click.option("--scorm-version", "scorm_versions", multiple=True, type=click.Choice(["1.2", "2004"]), help="SCORM version(s). Default: the course setting (1.2).")
@click.option("--offline", is_flag=True, help="Site: build the offline variant that works from file://.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, help="Output folder (default: build/).")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@verbosity_options
@click.pass_obj
def build(ui: Ui, path, target_names, modules, langs, pdf, scorm_versions, offline, out_dir, strict) -> None:
    """Check the course, then build the site, slide decks and SCORM packages into build/."""

    def run() -> int:
        from .build import run_build

        return run_build(ui, find_root(path), target_names, modules, langs, pdf, scorm_versions, offline, out_dir, strict)

    sys.exit(run_guarded(run))


def main() -> None:
    cli(prog_name="kummi")


# Commands defined in other modules register themselves on import.
from . import commands  # noqa: E402,F401
