"""`kummi build` as a whole: order of targets, downloads, failure keeps the previous output."""
from __future__ import annotations

import shutil

from test_check import kummi
from testpaths import FIXTURES


def _module_page(root, lang=""):
    prefix = f"{lang}/" if lang else ""
    return (root / f"build/site/{prefix}modules/01-perusteet/index.html").read_text(encoding="utf-8")


def test_learner_site_offers_no_trainer_material(tmp_path):
    """Decks hold speaker notes and quiz answers: a trainer artifact, never on the learner site.
    Nor do SCORM packages (the quiz is graded inside them) belong there."""
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    res = kummi("build", cwd=root, env={"SOURCE_DATE_EPOCH": "1704067200"})
    assert res.returncode == 0, res.stderr
    assert "slides" in res.stderr and "scorm" in res.stderr and "site" in res.stderr
    assert (root / "build/slides/perusteet.fi.pptx").is_file()
    site = root / "build/site"
    assert not list(site.rglob("*.pptx")) and not list(site.rglob("*.zip"))
    for page in site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert ".pptx" not in html and "scorm12.zip" not in html, page


def test_failed_build_keeps_previous_output(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    assert kummi("build", "--target", "scorm", cwd=root).returncode == 0
    before = (root / "build/scorm/perusteet.fi.scorm12.zip").read_bytes()
    lesson = root / "modules/01-perusteet/01-alku.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n[rikki](99-ei-ole.md)\n", encoding="utf-8")
    res = kummi("build", "--target", "scorm", cwd=root)
    assert res.returncode == 1
    assert "error KM301 broken link: '99-ei-ole.md' is not a lesson" in res.stdout
    assert "The previous output in build/ was left as it was." in res.stderr
    assert (root / "build/scorm/perusteet.fi.scorm12.zip").read_bytes() == before


def test_build_rejects_unknown_module_and_language(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    res = kummi("build", "--target", "slides", "--module", "ei-ole", "--lang", "de", cwd=root)
    assert res.returncode == 2
    assert res.stdout.splitlines() == [
        "content/course.yaml:1:1: error KM010 --lang de: the course is not published in 'de'",
        "    hint: languages: fi, sv",
        "content/course.yaml:1:1: error KM010 --module ei-ole: no such module",
        "    hint: modules: perusteet",
    ]
    assert not (root / "build").exists()


def test_comma_separated_targets_and_module_folder_name(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    res = kummi("build", "--target", "slides,scorm", "--module", "01-perusteet", "--lang", "sv", cwd=root)
    assert res.returncode == 0, res.stdout + res.stderr
    assert sorted(p.name for p in (root / "build/slides").iterdir()) == ["perusteet.sv.pptx"]
    assert sorted(p.name for p in (root / "build/scorm").iterdir()) == ["perusteet.sv.scorm12.zip"]
    assert not (root / "build/site").exists()
