"""`kummi build`: check, then run the chosen targets on the same model; print what was written."""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from .clock import build_epoch
from .diagnostics import Report
from .pipeline import load_and_check
from .targets import BuildOptions, TargetError, available_targets, get_target


def run_build(ui, root: Path, target_names, modules, langs, pdf, scorm_versions, offline, out_dir, strict) -> int:
    from .cli import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, print_report

    known = available_targets()
    names = [n.strip() for value in target_names for n in value.split(",") if n.strip()] or known
    unknown = [n for n in names if n not in known]
    if unknown:
        ui.err.print(f"Unknown target(s): {', '.join(unknown)}. Choose from: {', '.join(known)}.")
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
        ui.err.print("[red]Build stopped: fix the errors above. The previous output in build/ was left as it was.[/red]")
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
        with ui.err.status(f"Building {target.name}…", spinner="dots") if ui.verbosity >= 0 and ui.err.is_terminal else _null():
            try:
                artifacts = target.build(course, options)
            except TargetError as exc:
                ui.err.print(f"[red]{target.name}: {exc}[/red]")
                ui.err.print("The previous output in build/ was left as it was.")
                return EXIT_ERRORS
        written.append((target.name, artifacts))
        ui.debug(f"{target.name}: {time.monotonic() - t0:.1f} s")
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
            report.error("KM010", f"--module {mod}: no such module", Location("content/course.yaml"), "modules: " + ", ".join(sorted(ids)))
    for lang in langs:
        if lang not in course.languages:
            report.error("KM010", f"--lang {lang}: the course is not published in '{lang}'", Location("content/course.yaml"), "languages: " + ", ".join(course.languages))
    return report


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _summary(ui, root: Path, out_dir: Path, written, seconds: float) -> None:
    if ui.verbosity < 0:
        return
    ui.err.print(f"[green]Built in {seconds:.1f} s:[/green]")
    for name, artifacts in written:
        where = _rel(out_dir / name, root)
        first = _rel(artifacts[0], root) if artifacts else ""
        more = f" (e.g. {first})" if len(artifacts) > 1 else (f" ({first})" if first else "")
        ui.err.print(f"  {name:7} {len(artifacts):3} file(s) in {where}/{more}")
        if ui.verbosity > 0:
            for a in artifacts:
                ui.err.print(f"          {a}")
