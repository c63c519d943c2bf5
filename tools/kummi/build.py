"""`kummi build`: check, then run the chosen targets on the same model; print what was written."""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from rich.markup import escape
from rich.text import Text

from .clock import build_epoch
from .diagnostics import Report
from .i18n import M_, MP_, _, join, text
from .pipeline import load_and_check
from .targets import BuildOptions, TargetError, available_targets, get_target


def run_build(ui, root: Path, target_names, modules, langs, pdf, scorm_versions, offline, out_dir, strict) -> int:
    from .cli import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, print_report

    known = available_targets()
    names = [n.strip() for value in target_names for n in value.split(",") if n.strip()] or known
    unknown = [n for n in names if n not in known]
    if unknown:
        message = MP_("Unknown target: {targets}. Choose from: {known}.", "Unknown targets: {targets}. Choose from: {known}.",
                      len(unknown), targets=join(unknown), known=join(known))
        ui.err.print(text(message), markup=False)
        return EXIT_USAGE
    # The site comes last so that it can offer the decks and packages built before it.
    names.sort(key=lambda n: n == "site")
    targets = [get_target(n) for n in names]
    started = time.monotonic()
    course, report = load_and_check(root, targets)
    if course is not None:
        folders = {m.folder: m.id for m in course.modules}
        modules = tuple(folders.get(mod, mod) for mod in modules)  # a folder name means its module
        selection = _check_selection(course, modules, langs)
        if selection.items:  # the command line names something the course does not have
            print_report(ui, selection, "text")
            return EXIT_USAGE
    if report.has_errors() or (strict and report.warnings) or course is None:
        print_report(ui, report, "text")
        ui.err.print(_("Build stopped: fix the errors above. The previous output in build/ was left as it was."), style="red", markup=False)
        return EXIT_ERRORS
    if report.warnings:
        print_report(ui, report, "text")
    options = BuildOptions(
        out_dir=Path(out_dir).resolve() if out_dir else root / "build",
        epoch=build_epoch(root),
        modules=tuple(modules),
        languages=tuple(langs),
        pdf=pdf,
        scorm_versions=tuple(scorm_versions),
        offline=offline,
    )
    written: list[tuple[str, list[Path]]] = []
    for target in targets:
        if target.name == "site":
            options = replace(options, downloads=_downloads(course, written))
        t0 = time.monotonic()
        spinner = Text(text(M_("Building {target}…", target=target.name)))
        with ui.err.status(spinner, spinner="dots") if ui.verbosity >= 0 and ui.err.is_terminal else _null():
            try:
                artifacts = target.build(course, options)
            except TargetError as exc:
                ui.err.print(f"{target.name}: {text(exc.message)}", style="red", markup=False)
                ui.err.print(_("The previous output in build/ was left as it was."), markup=False)
                return EXIT_ERRORS
        written.append((target.name, artifacts))
        took = round(time.monotonic() - t0, 1)
        ui.debug(escape(text(M_("{target}: {seconds} s", target=target.name, seconds=took))))
    _summary(ui, root, options.out_dir, written, time.monotonic() - started)
    return EXIT_OK


DOWNLOAD_TARGETS = ("slides", "scorm")


def _downloads(course, written) -> dict[str, tuple[Path, ...]]:
    """Decks and packages per "module_id.lang", only those built in this run: a file left by an
    earlier build may be older than the lessons the site shows."""
    files = [a for name, artifacts in written if name in DOWNLOAD_TARGETS for a in artifacts]
    result: dict[str, tuple[Path, ...]] = {}
    for module in course.modules:
        for lang in course.languages:
            key = f"{module.id}.{lang}"
            matches = tuple(sorted(f for f in files if f.name.startswith(key + ".")))
            if matches:
                result[key] = matches
    return result


class _null:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _check_selection(course, modules, langs) -> Report:
    from .diagnostics import Location

    report = Report()
    ids = {m.id for m in course.modules}
    for mod in modules:
        if mod not in ids:
            report.error("KM010", M_("--module {module}: no such module", module=mod), Location("content/course.yaml"),
                         M_("modules: {modules}", modules=", ".join(sorted(ids))))
    for lang in langs:
        if lang not in course.languages:
            report.error("KM010", M_("--lang {lang}: the course is not published in '{lang}'", lang=lang), Location("content/course.yaml"),
                         M_("languages: {languages}", languages=", ".join(course.languages)))
    return report


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _summary(ui, root: Path, out_dir: Path, written, seconds: float) -> None:
    if ui.verbosity < 0:
        return
    ui.err.print(text(M_("Built in {seconds} s:", seconds=round(seconds, 1))), style="green", markup=False)
    for name, artifacts in written:
        n, folder = len(artifacts), _rel(out_dir / name, root) + "/"
        first = _rel(artifacts[0], root) if artifacts else ""
        if n > 1:
            line = MP_("{n} file in {folder} (e.g. {example})", "{n} files in {folder} (e.g. {example})", n, folder=folder, example=first)
        elif n == 1:
            line = MP_("{n} file in {folder} ({example})", "{n} files in {folder} ({example})", n, folder=folder, example=first)
        else:
            line = MP_("{n} file in {folder}", "{n} files in {folder}", n, folder=folder)
        ui.err.print(f"  {name:7} {text(line)}", markup=False)
        if ui.verbosity > 0:
            for a in artifacts:
                ui.err.print(f"          {a}", markup=False)
