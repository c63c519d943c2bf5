"""`kummi build` as a whole: order of targets, downloads, failure keeps the previous output."""
from __future__ import annotations

import shutil

from test_check import kummi
from testpaths import FIXTURES, REPO


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


def _catalogue(dest, modules: int, lessons: int):
    """The benchmark's realistic catalogue (benchmarks/catalogue.py), big enough for worker pools."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from catalogue import make_catalogue
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    return make_catalogue(dest, modules, lessons)


def test_site_started_before_the_checks_is_stopped_when_they_fail(tmp_path):
    """A large course's site starts building while the course is still being checked (both
    cores work). When the checks then fail, its workers are stopped, build/.staging/ is
    removed and the previous output stays as it was."""
    import os
    import time

    from kummi.build import StagedBuild
    from kummi.cache import Cache
    from kummi.clock import build_epoch
    from kummi.pipeline import load_and_check
    from kummi.targets import BuildOptions, get_target
    from kummi.views import published_view

    root = _catalogue(tmp_path / "c", 4, 20)
    site = get_target("site")
    started: list = []

    def start(course, report):
        staged = StagedBuild([site], published_view(course, False)[0], BuildOptions(out_dir=root / "build", epoch=build_epoch(root)),
                             Cache(None), statement=True)
        staged.start_early([site])
        started.append(staged)

    course, report = load_and_check(root, [site], loaded=start)
    assert course is not None and not report.has_errors()
    (staged,) = started
    assert staged.pool is not None, "80 lessons in two languages are worth a pool: the site must start early"
    workers = list(staged.pool._processes.values())
    assert len(workers) == min(2, os.cpu_count() or 1)
    time.sleep(1)  # the workers are rendering pages into build/.staging/site/
    staged.abort()
    assert not any(p.is_alive() for p in workers)
    assert not (root / "build/.staging").exists()


def test_failed_check_of_a_large_course_keeps_previous_site(tmp_path):
    """End to end: the build whose site started early but whose lesson has a broken link stops
    with the error, leaves no staging folder and keeps the previous site; once fixed, it builds."""
    root = _catalogue(tmp_path / "c", 4, 20)
    env = {"SOURCE_DATE_EPOCH": "1704067200"}
    res = kummi("build", "--target", "site", cwd=root, env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    page = root / "build/site/modules/02-moduuli-2/05-oppitunti/index.html"
    before = page.read_bytes()
    lesson = root / "modules/02-moduuli-2/05-oppitunti.md"
    good = lesson.read_text(encoding="utf-8")
    lesson.write_text(good + "\n[rikki](99-ei-ole.md)\n", encoding="utf-8")
    res = kummi("build", "--target", "site", cwd=root, env=env)
    assert res.returncode == 1
    assert "error KM301 broken link: '99-ei-ole.md' is not a lesson" in res.stdout
    assert "The previous output in build/ was left as it was." in res.stderr
    assert page.read_bytes() == before
    assert not (root / "build/.staging").exists()
    lesson.write_text(good.rstrip("\n") + "\n\nLisätty kappale.\n", encoding="utf-8")
    res = kummi("build", "--target", "site", cwd=root, env=env)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Lisätty kappale." in page.read_text(encoding="utf-8")


def test_a_failing_early_start_falls_back_to_the_usual_build(tmp_path, monkeypatch):
    """Starting the site early is an optimisation on a course not yet checked: if it fails, the
    build goes on as before (checks, then every job) instead of stopping."""
    from click.testing import CliRunner

    from kummi import build
    from kummi.cli import cli

    root = _catalogue(tmp_path / "c", 4, 20)
    calls = []

    def broken(self, targets):
        calls.append(len(targets))
        raise RuntimeError("early start failed")

    monkeypatch.setattr(build.StagedBuild, "start_early", broken)
    monkeypatch.chdir(root)
    res = CliRunner().invoke(cli, ["build", "--target", "site"], env={"SOURCE_DATE_EPOCH": "1704067200", "NO_COLOR": "1"})
    assert res.exit_code == 0, res.output
    assert calls == [1]
    assert (root / "build/site/modules/02-moduuli-2/05-oppitunti/index.html").is_file()
    assert not (root / "build/.staging").exists()
