"""The course's own master: same layout names just work; a missing layout is a KM701 from check."""
from __future__ import annotations

import subprocess
import sys

from pptx import Presentation

from kummi.targets.slides.template import LAYOUTS, PACKAGE_DEFAULT, load_template
from slides_helpers import A, LAYOUT_NAMES, check, copy_course, make_swapped_master


def test_package_default_and_course_master_have_all_layouts(repo_root):
    for path in [PACKAGE_DEFAULT, *sorted((repo_root / "templates" / "slides").glob("*.pptx"))]:
        names = {layout.name for layout in Presentation(str(path)).slide_layouts}
        assert set(LAYOUTS.values()) <= names, path
    tpl = load_template(repo_root)
    assert tpl.rel.startswith("templates/slides/")


def test_default_master_look(repo_root):
    prs = Presentation(str(PACKAGE_DEFAULT))
    assert (prs.slide_width, prs.slide_height) == (12192000, 6858000)  # 16:9
    theme = prs.slide_master.part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme"
    ).blob.decode()
    assert 'typeface="Source Sans 3"' in theme and "00357A" in theme
    assert not list(prs.slides)


def test_swapped_master_is_used(swapped_decks):
    assert swapped_decks
    for path in swapped_decks:
        prs = Presentation(str(path))
        titles = [s.shapes.title.text for s in prs.slides]
        assert "Esimerkkidia" not in titles  # the master's example slide is dropped
        colours = {c.get("val") for c in prs.slide_master._element.iter(f"{A}srgbClr")}
        assert "4B2A73" in colours and "00357A" not in colours
        for slide in prs.slides:
            assert slide.slide_layout.name in LAYOUT_NAMES
        # text was measured against the narrower content placeholder (8 in wide)
        content = [s for s in prs.slides if s.slide_layout.name == "Title and Content" and 1 in {p.placeholder_format.idx for p in s.placeholders}]
        assert content
        assert all(s.placeholders[1].width == int(8.0 * 914400) for s in content)


def test_missing_layout_is_km701(tmp_path):
    root = copy_course(tmp_path / "course")
    for old in (root / "templates" / "slides").glob("*.pptx"):
        old.unlink()
    make_swapped_master(root / "templates" / "slides" / "virasto.pptx", rename=("Quote", "Lainaus"), drop="Closing")
    report = check(root)
    errors = [d for d in report.errors if d.code == "KM701"]
    assert len(errors) == 2
    assert all(d.location.path == "templates/slides/virasto.pptx" for d in errors)
    assert any("'Quote'" in d.message for d in errors) and any("'Closing'" in d.message for d in errors)
    assert all(d.hint for d in errors)
    # the CLI reports it, no traceback; the build stops cleanly too
    for args in (["check"], ["build", "--target", "slides", "--out", str(tmp_path / "out")]):
        proc = subprocess.run([sys.executable, "-m", "kummi", *args, str(root)], capture_output=True, text=True, timeout=300)
        out = proc.stdout + proc.stderr
        assert proc.returncode == 1, out
        assert "KM701" in out and "Traceback" not in out
    assert not (tmp_path / "out" / "slides").exists()


def test_unreadable_master_is_km701(tmp_path):
    root = copy_course(tmp_path / "course")
    folder = root / "templates" / "slides"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.pptx"):
        old.unlink()
    (folder / "rikki.pptx").write_bytes(b"not a zip file")
    errors = [d for d in check(root).errors if d.code == "KM701"]
    assert errors and errors[0].location.path == "templates/slides/rikki.pptx"


def test_without_course_master_the_package_default_is_used(tmp_path):
    root = copy_course(tmp_path / "course")
    for old in (root / "templates" / "slides").glob("*.pptx"):
        old.unlink()
    assert load_template(root).path == PACKAGE_DEFAULT
    assert not [d for d in check(root).errors if d.code == "KM701"]
