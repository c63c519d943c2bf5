"""Determinism, partial builds, PDF handouts and density warnings."""
from __future__ import annotations

import zipfile

import pytest

from kummi.clock import zip_date_time
from kummi.targets.base import TargetError
from kummi.targets.slides import pdf as pdf_mod
from slides_helpers import EPOCH, add_dense_lesson, build, check, copy_course, module_ids


def _bytes(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_identical_input_gives_identical_bytes(slides_course, decks, tmp_path):
    again = build(slides_course, tmp_path / "again")
    first = {p.name: p.read_bytes() for p in decks}
    second = {p.name: p.read_bytes() for p in again if p.suffix == ".pptx"}
    assert first == second
    with zipfile.ZipFile(decks[0]) as zf:
        assert {i.date_time for i in zf.infolist()} == {zip_date_time(EPOCH)}
        core = zf.read("docProps/core.xml").decode()
    assert "<cp:revision>1</cp:revision>" in core
    assert "2024-06-10T06:13:20Z" in core  # EPOCH


def test_partial_build_keeps_other_decks(tmp_path):
    root = copy_course(tmp_path / "course")
    out = tmp_path / "build"
    build(root, out)
    before = _bytes(out / "slides")
    target = module_ids(root)[0]
    written = build(root, out, modules=(target,), languages=("sv",), epoch=EPOCH + 86400)
    after = _bytes(out / "slides")
    assert set(after) == set(before)
    changed = {name for name in after if after[name] != before[name]}
    assert changed == {f"{target}.sv.pptx"}
    assert {p.name for p in written} == set(after)


def test_pdf_without_libreoffice_is_a_clear_error(tmp_path, monkeypatch):
    root = copy_course(tmp_path / "course")
    monkeypatch.setattr(pdf_mod, "find_soffice", lambda: None)
    with pytest.raises(TargetError, match="LibreOffice is not installed"):
        build(root, tmp_path / "out", modules=(module_ids(root)[0],), languages=("fi",), pdf=True)
    assert not (tmp_path / "out" / "slides").exists()


@pytest.mark.libreoffice
def test_pdf_handout(tmp_path):
    root = copy_course(tmp_path / "course")
    target = module_ids(root)[0]
    written = build(root, tmp_path / "out", modules=(target,), languages=("sv",), pdf=True)
    names = {p.name for p in written}
    assert {f"{target}.sv.pptx", f"{target}.sv.pdf"} <= names
    pdf = tmp_path / "out" / "slides" / f"{target}.sv.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")


def test_dense_slides_are_reported_with_file_and_line(tmp_path):
    root = copy_course(tmp_path / "course")
    lesson = add_dense_lesson(root)
    rel = lesson.relative_to(root).as_posix()
    warnings = [d for d in check(root).warnings if d.code == "KM702"]
    assert warnings
    assert all(d.location.path == rel and d.location.line > 1 for d in warnings)
    messages = " ".join(d.text for d in warnings)
    assert "Pitkä luettelo" in messages and "too dense" in messages
    assert "too long for one slide" in messages
    # the repository's own course has none
    assert not [d for d in check(copy_course(tmp_path / "plain")).warnings if d.code == "KM702"]


def test_a_deck_is_planned_once_per_run(tmp_path, monkeypatch):
    """`kummi build` checks, then writes: the write reuses the plans the check made."""
    from kummi.pipeline import load_and_check
    from kummi.targets.base import BuildOptions
    from kummi.targets.slides import SlidesTarget
    from kummi.targets.slides import target as target_mod

    calls = []
    real = target_mod.plan_deck

    def counting(course, module, lang, tpl):
        calls.append((module.id, lang))
        return real(course, module, lang, tpl)

    monkeypatch.setattr(target_mod, "plan_deck", counting)
    root = copy_course(tmp_path / "course")
    course, report = load_and_check(root, [SlidesTarget()])
    assert not report.has_errors()
    checked = len(calls)
    assert checked == len(course.modules) * len(course.languages)
    module = course.modules[0].id
    SlidesTarget().build(course, BuildOptions(out_dir=tmp_path / "out", epoch=EPOCH, modules=(module,), languages=("fi",)))
    assert len(calls) == checked, calls[checked:]
