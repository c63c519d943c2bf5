"""`kummi translate export` and `kummi translate import`: lessons as XLIFF 2.0 for translators."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from rich.markup import escape

from ..cli import EXIT_ERRORS, cli, find_root, print_report, verbosity_options
from ..diagnostics import Location, Report
from ..i18n import M_, MP_, N_, text

MAX_XLIFF_BYTES = 50 * 1024 * 1024


def _course(ui):
    from ..pipeline import load_and_check

    root = find_root(None)
    course, report = load_and_check(root)
    if course is None:
        print_report(ui, report, "text")
        sys.exit(EXIT_ERRORS)
    return root, course


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)


@cli.group(help=N_("Translate lessons through XLIFF 2.0 files (translation services, CAT tools)."))
def translate() -> None:
    pass


@translate.command("export", help=N_("Write the Finnish lessons as an XLIFF 2.0 file to translate."))
@click.option("--lang", "lang", help=N_("Target language (default: the course's first language after Finnish)."))
@click.option("--module", "modules", multiple=True, help=N_("Only this module (repeatable)."))
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False, path_type=Path),
              help=N_("The file to write (default: build/translation/COURSE.LANG.xlf)."))
@verbosity_options
@click.pass_obj
def export_cmd(ui, lang: str | None, modules: tuple[str, ...], output: Path | None) -> None:
    from ..translation.xliff import export, sources

    root, course = _course(ui)
    targets = [x for x in course.languages if x != "fi"]
    lang = lang or (targets[0] if targets else "")
    report = Report()
    if lang not in targets:
        report.error("KM010", M_("--lang {lang}: the course is not translated into '{lang}'", lang=lang or "?"), Location("content/course.yaml"),
                     M_("languages: {languages}", languages=", ".join(targets) or "-"))
    ids = {m.id for m in course.modules}
    for mod in modules:
        if mod not in ids:
            report.error("KM010", M_("--module {module}: no such module", module=mod), Location("content/course.yaml"),
                         M_("modules: {modules}", modules=", ".join(sorted(ids))))
    if report.has_errors():
        print_report(ui, report, "text")
        sys.exit(EXIT_ERRORS)
    chosen = [m for m in course.modules if not modules or m.id in modules]
    srcs = sources(root, course, chosen)
    out = output or root / "build" / "translation" / f"{course.id}.{lang}.xlf"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(export(srcs, lang))
    os.replace(tmp, out)
    units = sum(len(s.units()) for s in srcs)
    ui.info(escape(text(MP_("wrote {path}: {n} unit in {lessons} lessons", "wrote {path}: {n} units in {lessons} lessons", units,
                            path=_shown(out, root), lessons=len(srcs)))))


@translate.command("import", help=N_("Write the translated lessons (NN-lesson.LANG.md) from a translated XLIFF 2.0 file."))
@click.argument("xliff_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@verbosity_options
@click.pass_obj
def import_cmd(ui, xliff_file: Path) -> None:
    from ..translation.xliff import import_, sources

    root, course = _course(ui)
    shown = _shown(xliff_file, root)
    report = Report()
    if xliff_file.stat().st_size > MAX_XLIFF_BYTES:
        report.error("KM604", M_("the file is larger than {size} MB", size=MAX_XLIFF_BYTES // (1024 * 1024)), Location(shown))
        print_report(ui, report, "text")
        sys.exit(EXIT_ERRORS)
    srcs = {s.path: s for s in sources(root, course, list(course.modules))}
    files = import_(xliff_file.read_bytes(), shown, srcs, course.languages, report)
    if report.has_errors() or not files:
        if not report.items:
            report.error("KM605", M_("the file has no units to import"), Location(shown), M_("export with 'kummi translate export'"))
        print_report(ui, report, "text")
        click.echo(text(M_("No lesson was written: fix the file first.")), err=True)
        sys.exit(EXIT_ERRORS)
    for rel, content in files.items():
        path = root / rel
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(content.encode("utf-8"))
        os.replace(tmp, path)
        ui.info(escape(text(M_("wrote {path}", path=rel))))
