"""The `kummi` command line. Commands are thin: they call the pipeline and print diagnostics."""
from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import click
from rich.console import Console
from rich.markup import escape

from . import __version__
from .diagnostics import Report, Severity
from .i18n import M_, MP_, N_, _, patch_click, set_ui_lang, text

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
            ui.out.print(d.severity_label() + " ", end="", markup=False, style=style)
            ui.out.print(f"{d.code} {d.text}", markup=False)
            if d.hint:
                hint = text(M_("hint: {hint}", hint=d.hint_text)).replace("\n", "\n    ")
                ui.out.print("    " + hint, markup=False, style="dim")
    if fmt == "text" and ui.verbosity >= 0:
        e, w = len(report.errors), len(report.warnings)
        if e or w:
            ui.err.print(text(MP_("{n} error", "{n} errors", e)) + ", " + text(MP_("{n} warning", "{n} warnings", w)), markup=False)
        else:
            ui.err.print(_("No problems found."), style="green", markup=False)


def run_guarded(fn, crash_dir: Path | None = None):
    """The only place exceptions become exit codes. A bug in kummi writes a crash log: into
    `crash_dir` (build/.kummi of the course, for commands that write there anyway), else into the
    system's temporary folder, so that `kummi check` never writes into the repository."""
    try:
        return fn()
    except KeyboardInterrupt:
        click.echo(_("Interrupted."), err=True)
        return 130
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException:
        raise
    except Exception:  # a bug in kummi, not in the content
        import tempfile

        details = f"kummi {__version__} on Python {sys.version.split()[0]}\n\n{traceback.format_exc()}"
        log = (crash_dir or Path(tempfile.gettempdir())) / ("crash.log" if crash_dir else f"kummi-crash-{os.getpid()}.log")
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            log.write_text(details, encoding="utf-8")
            message = M_("kummi stopped because of an internal error. Details are in {log}. Please report it with that file.", log=str(log))
        except OSError:
            message = M_("kummi stopped because of an internal error. Please report it with these details:\n{details}", details=details)
        click.echo(text(message), err=True)
        return EXIT_BUG


class I18nCommand(click.Command):
    """Help texts are catalogue msgids (marked with N_), translated when help is shown."""

    def get_short_help_str(self, limit: int = 45) -> str:
        with _translated(self, "help", "short_help"):
            return super().get_short_help_str(limit)

    def format_help_text(self, ctx, formatter) -> None:
        with _translated(self, "help", "epilog"):
            super().format_help_text(ctx, formatter)

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for param in params:
            param.__class__ = _param_class(param)
            if isinstance(param.type, click.Path):  # click names it ("directory") when the module is imported
                kind = "path" if param.type.file_okay == param.type.dir_okay else "file" if param.type.file_okay else "directory"
                param.type.name = _(kind)
        return params

    def collect_usage_pieces(self, ctx) -> list[str]:
        with _translated(self, "options_metavar", "subcommand_metavar"):  # [OPTIONS], COMMAND [ARGS]...
            return super().collect_usage_pieces(ctx)


class I18nGroup(I18nCommand, click.Group):
    """`kummi chek` → "did you mean 'check'?"; subcommands and subgroups translate too."""

    command_class = I18nCommand
    group_class = type  # subgroups are I18nGroup as well

    def resolve_command(self, ctx, args):
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            import difflib

            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1)
            if close:
                ctx.fail(text(M_("No such command '{name}'. Did you mean '{close}'?", name=name, close=close[0])))
        return super().resolve_command(ctx, args)


class _translated:
    """Temporarily replaces the named string attributes of `obj` with their translations."""

    def __init__(self, obj, *names: str):
        self.obj, self.names, self.saved = obj, names, {}

    def __enter__(self):
        for name in self.names:
            if not hasattr(self.obj, name):  # e.g. subcommand_metavar of a plain command
                continue
            value = getattr(self.obj, name)
            self.saved[name] = value
            if isinstance(value, str) and value:
                setattr(self.obj, name, _(value))
        return self.obj

    def __exit__(self, *exc):
        for name, value in self.saved.items():
            setattr(self.obj, name, value)
        return False


_PARAM_CLASSES: dict[type, type] = {}


def _param_class(param) -> type:
    """A subclass of the parameter's class whose help record and metavar (PATH, TEXT…) are translated."""
    cls = type(param)
    if getattr(cls, "_kummi_i18n", False):
        return cls
    if cls not in _PARAM_CLASSES:

        def get_help_record(self, ctx, _base=cls):
            with _translated(self, "help"):
                return _base.get_help_record(self, ctx)

        def make_metavar(self, ctx, _base=cls):
            shown = _base.make_metavar(self, ctx)
            if self.metavar is not None:
                word = self.metavar
            elif self.type.get_metavar(param=self, ctx=ctx):  # [fi|sv|en]: values, not words
                return shown
            else:
                word = (self.type.name if isinstance(self, click.Option) else self.name or "").upper()
            return shown.replace(word, _(word), 1) if word else shown

        _PARAM_CLASSES[cls] = type(cls.__name__, (cls,), {
            "get_help_record": get_help_record, "make_metavar": make_metavar, "_kummi_i18n": True})
    return _PARAM_CLASSES[cls]


def _set_ui_lang(ctx, _param, value):
    if value:
        set_ui_lang(value)


def _show_version(ctx, _param, value):
    """click.version_option's message is translated when the module is imported; this one when shown."""
    if value and not ctx.resilient_parsing:
        click.echo(_("%(prog)s, version %(version)s") % {"prog": "kummi", "version": __version__})
        ctx.exit()


UI_LANG = click.Choice(["fi", "sv", "en"])


@click.group(cls=I18nGroup, context_settings={"help_option_names": ["-h", "--help"]},
             help=N_("kummi: write a course once in Markdown and YAML; check it; build a site, slide decks and SCORM packages for eOppiva."))
@click.option("--version", is_flag=True, is_eager=True, expose_value=False, callback=_show_version,
              help=N_("Show the version and exit."))
@click.option("--ui-lang", type=UI_LANG, is_eager=True, expose_value=False, callback=_set_ui_lang,
              help=N_("Language of kummi's messages (default: from the locale, or KUMMI_UI_LANG)."))
@click.option("-q", "--quiet", is_flag=True, help=N_("Print only errors."))
@click.option("-v", "--verbose", is_flag=True, help=N_("Print more detail."))
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool) -> None:
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

    fn = click.option("--ui-lang", type=UI_LANG, is_eager=True, expose_value=False, callback=_set_ui_lang,
                      help=N_("Language of kummi's messages (default: from the locale, or KUMMI_UI_LANG)."))(fn)
    fn = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=set_quiet, help=N_("Print only errors."))(fn)
    return click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=set_verbose, help=N_("Print more detail."))(fn)


@cli.command(help=N_("Check the course at PATH (default: this repository) and report every problem."))
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help=N_("github prints GitHub Actions annotations, json a machine-readable list."))
@click.option("--strict", is_flag=True, help=N_("Treat warnings as errors."))
@click.option("--add-word", "add_word", multiple=True, metavar="WORD", help=N_("Add WORD to the course's word list (content/sanasto.<lang>.txt) so that the spelling check accepts it; then check."))
@click.option("--lang", "word_lang", type=click.Choice(["fi", "sv"]), default="fi", show_default=True, help=N_("Language of the words given with --add-word."))
@click.option("--no-cache", "no_cache", is_flag=True, help=N_("Do not read the build cache in build/.cache/ (everything is checked from the files)."))
@verbosity_options
@click.pass_obj
def check(ui: Ui, path: str | None, fmt: str, strict: bool, add_word: tuple[str, ...], word_lang: str, no_cache: bool) -> None:

    def run() -> int:
        from .pipeline import load_and_check
        from .spelling.command import add_words
        from .targets import available_targets, get_target

        root = find_root(path)
        if add_word and not add_words(ui, root, add_word, word_lang):
            return EXIT_USAGE
        from .cache import Cache

        targets = [get_target(n) for n in available_targets()]
        # The cache a build left is only read: a check never writes anywhere.
        cache = Cache.open(root / "build", enabled=not no_cache, readonly=True)
        try:
            _course, report = load_and_check(root, targets, cache=cache)
        finally:
            cache.close()
        print_report(ui, report, fmt)
        if strict and report.warnings and not report.has_errors() and fmt == "text":
            ui.err.print(_("--strict: warnings count as errors."), markup=False)
        failed = report.has_errors() or (strict and report.warnings)
        return EXIT_ERRORS if failed else EXIT_OK

    sys.exit(run_guarded(run))


@cli.command(help=N_("Check the course, then build the site, slide decks and SCORM packages into build/."))
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@click.option("--target", "-t", "target_names", multiple=True, help=N_("site, slides or scorm (repeatable, or comma-separated). Default: all."))
@click.option("--module", "-m", "modules", multiple=True, help=N_("Only this module: its id or folder name (repeatable)."))
@click.option("--lang", "-l", "langs", multiple=True, help=N_("Only this language (repeatable)."))
@click.option("--pdf", is_flag=True, help=N_("Slides: also write PDF handouts with LibreOffice."))
@click.option("--scorm-version", "scorm_versions", multiple=True, type=click.Choice(["1.2", "2004"]), help=N_("SCORM version(s). Default: the course setting (1.2)."))
@click.option("--offline", is_flag=True, help=N_("Site: build the offline variant that works from file://."))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None, help=N_("Output folder (default: build/)."))
@click.option("--strict", is_flag=True, help=N_("Treat warnings as errors."))
@click.option("--drafts", is_flag=True, help=N_("Publish modules with status: draft too (they are left out by default)."))
@click.option("--no-cache", "no_cache", is_flag=True, help=N_("Do not use or fill the build cache in build/.cache/ (everything is made again)."))
@verbosity_options
@click.pass_obj
def build(ui: Ui, path, target_names, modules, langs, pdf, scorm_versions, offline, out_dir, strict, drafts, no_cache) -> None:

    def run() -> int:
        from .build import run_build

        return run_build(ui, root, target_names, modules, langs, pdf, scorm_versions, offline, out_dir, strict,
                         drafts=drafts, use_cache=not no_cache)

    root = find_root(path)
    sys.exit(run_guarded(run, crash_dir=(Path(out_dir).resolve() if out_dir else root / "build") / ".kummi"))


@cli.command(help=N_("Delete the build cache (build/.cache/); the next build makes everything again."))
@click.argument("path", required=False, type=click.Path(exists=True, file_okay=False))
@verbosity_options
@click.pass_obj
def clean(ui: Ui, path: str | None) -> None:
    def run() -> int:
        from .cache import clean as clean_cache

        root = find_root(path)
        if clean_cache(root / "build"):
            ui.info(escape(_("The build cache was deleted.")))
        else:
            ui.info(escape(_("There was no build cache.")))
        return EXIT_OK

    sys.exit(run_guarded(run))


def main() -> None:
    set_ui_lang(_ui_lang_from_argv(sys.argv[1:]))
    patch_click()
    cli(prog_name="kummi")


def _ui_lang_from_argv(args: list[str]) -> str | None:
    """--ui-lang before click parses anything, so that usage errors are translated too."""
    for i, arg in enumerate(args):
        if arg == "--ui-lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--ui-lang="):
            return arg.split("=", 1)[1]
    return None


# Commands defined in other modules register themselves on import.
from . import commands  # noqa: E402,F401
