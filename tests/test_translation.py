"""Translations: the fingerprint follows what a reader sees, `kummi status --diff` shows what changed
in the Finnish since a translation was made (git history), the XLIFF 2 export/import round trip is
byte-identical, and the guide's rules (quiz size, reflection, published translations, box titles)
are checked. Everything runs through the CLI as subprocesses, on copies of the repository course."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from testpaths import REPO, copy_course

LESSON = "modules/01-tyo-2-0/01-johdanto.md"
LESSON_SV = "modules/01-tyo-2-0/01-johdanto.sv.md"
NS = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid", "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}


def kummi(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "kummi", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300)


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env={**os.environ, **GIT_ENV})


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def codes(res: subprocess.CompletedProcess, path: str = "") -> list[str]:
    """'severity CODE' of each diagnostic (of one file, if given)."""
    return [f"{m.group(2)} {m.group(3)}" for m in re.finditer(r"^([^:\n]+):\d+:\d+: (error|warning) (KM\d{3}) ", res.stdout, re.M)
            if not path or m.group(1) == path]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    root = copy_course(REPO, tmp_path / "course")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "course")
    return root


# ------------------------------------------------------------------ fingerprint and status --diff


def test_reformatting_keeps_the_translation_current_a_new_sentence_does_not(course: Path):
    assert kummi("check", cwd=course).returncode == 0
    # Rewrapped lines, indentation, extra and trailing spaces, a link target:
    # the page reads the same, so the Swedish translation stays current.
    edit(course, LESSON, "- Valtion virastojen ja ministeriöiden yhteinen ohjelma, jonka tavoite on tehdä työtä fiksummin.",
         "-   Valtion virastojen ja ministeriöiden yhteinen ohjelma,\n    jonka tavoite on tehdä   työtä fiksummin.   ")
    edit(course, LESSON, "[kuuteen rakenteeseen](02-rakenteet.md)", "[kuuteen rakenteeseen](02-rakenteet.md#työ-20-rakentuu-kuudesta-osasta)")
    res = kummi("check", cwd=course)
    assert res.returncode == 0 and codes(res, LESSON_SV) == [], res.stdout
    git(course, "commit", "-q", "-am", "reformat")

    # One changed sentence: the published module's translation is outdated (an error) ...
    edit(course, LESSON, "Tunnuslause on *Lupa tehdä fiksummin*.", "Tunnuslause on *Lupa tehdä fiksummin*, ja se kuuluu kaikille.")
    res = kummi("check", cwd=course)
    assert res.returncode == 1 and codes(res, LESSON_SV) == ["error KM602"], res.stdout
    # ... and status --diff shows that sentence, found from the commit whose fingerprint matches.
    for target in ("tyo-2-0", LESSON_SV, LESSON):
        diff = kummi("status", "--diff", target, cwd=course)
        assert diff.returncode == 0, diff.stdout + diff.stderr
        assert LESSON_SV in diff.stdout
        assert "changed list item, line 13:" in diff.stdout
        assert "    - Tunnuslause on *Lupa tehdä fiksummin*.\n" in diff.stdout
        assert "    + Tunnuslause on *Lupa tehdä fiksummin*, ja se kuuluu kaikille.\n" in diff.stdout
        # Only that unit: the reformatted list item is not a change.
        assert diff.stdout.count("changed ") == 1 and "new " not in diff.stdout and "removed " not in diff.stdout


def test_changed_alt_text_and_link_text_are_changes(course: Path):
    edit(course, LESSON, "[kuuteen rakenteeseen]", "[kuuteen eri rakenteeseen]")
    res = kummi("check", cwd=course)
    assert codes(res, LESSON_SV) == ["error KM602"]
    rakenteet, sv = "modules/01-tyo-2-0/02-rakenteet.md", "modules/01-tyo-2-0/02-rakenteet.sv.md"
    edit(course, rakenteet, "![Kaavio Työ 2.0:n", "![Kuva Työ 2.0:n")
    res = kummi("check", cwd=course)
    assert codes(res, sv) == ["error KM602"]


def test_status_diff_added_and_removed_paragraphs(course: Path):
    edit(course, LESSON, "## Mikä on Työ 2.0?\n", "## Mikä on Työ 2.0?\n\nUusi kappale ennen listaa.\n")
    edit(course, LESSON, "- Teemoja ovat johtaminen, työtavat, osaaminen, työympäristöt ja uusi teknologia.\n", "")
    res = kummi("status", "--diff", "tyo-2-0", cwd=course)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "new paragraph, line 10:\n    + Uusi kappale ennen listaa." in res.stdout
    assert "removed list item:\n    - Teemoja ovat johtaminen" in res.stdout


def test_status_diff_says_when_nothing_is_stale_or_history_cannot_tell(course: Path, tmp_path: Path):
    res = kummi("status", "--diff", "tyo-2-0", cwd=course)
    assert res.returncode == 0 and "Every translation of tyo-2-0 is current." in res.stdout
    assert kummi("status", "--diff", "ei-tallaista", cwd=course).returncode == 1

    # A source_version that no commit has.
    sv = course / LESSON_SV
    sv.write_text(re.sub(r'source_version: "\w+"', 'source_version: "deadbeef"', sv.read_text(encoding="utf-8")), encoding="utf-8")
    res = kummi("status", "--diff", LESSON_SV, cwd=course)
    assert res.returncode == 1
    assert "no commit of modules/01-tyo-2-0/01-johdanto.md has the Finnish version deadbeef that the translation follows" in res.stdout

    # A course that is not in git at all.
    plain = copy_course(REPO, tmp_path / "plain")
    edit(plain, LESSON, "Tunnuslause on", "Tunnuslauseemme on")
    res = kummi("status", "--diff", "tyo-2-0", cwd=plain)
    assert res.returncode == 1
    assert "modules/01-tyo-2-0/01-johdanto.md is not in git history" in res.stdout


# ------------------------------------------------------------------ XLIFF round trip


def _fill_targets(xlf: Path, root: Path, out: Path) -> int:
    """Targets from the hand-written Swedish lessons, paired by structure: unit uN of a Finnish
    lesson is the N-th unit of its Swedish file (every sample lesson and its translation have the
    same Markdown structure, which is asserted), `title` the Swedish front matter title."""
    from ruamel.yaml import YAML
    from translate.storage.xliff2 import Xliff2File

    from kummi.loader.markdown import split_front_matter
    from kummi.translation.units import skeleton

    store = Xliff2File.parsestring(xlf.read_bytes())
    swedish: dict[str, tuple[str, list[str]]] = {}
    for unit in store.units:
        path = unit.getunitelement().getparent().get("original")
        if path not in swedish:
            fm, body, _ = split_front_matter((root / path).with_suffix(".sv.md").read_text(encoding="utf-8"))
            fi_units = skeleton(split_front_matter((root / path).read_text(encoding="utf-8"))[1]).units
            sv_units = skeleton(body).units
            assert [u.kind for u in sv_units] == [u.kind for u in fi_units], path
            swedish[path] = (YAML(typ="safe").load(fm)["title"], [u.text for u in sv_units])
        title, texts = swedish[path]
        uid = unit.getid()
        unit.target = title if uid == "title" else texts[int(uid[1:]) - 1]
    out.write_bytes(bytes(store))
    return len(swedish)


def test_xliff_round_trip_is_byte_identical(course: Path, tmp_path: Path):
    xlf = tmp_path / "kurssi.sv.xlf"
    res = kummi("translate", "export", "--lang", "sv", "-o", str(xlf), cwd=course)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "wrote " in res.stderr and "in 16 lessons" in res.stderr
    again = tmp_path / "again.xlf"
    assert kummi("translate", "export", "-o", str(again), cwd=course).returncode == 0
    assert again.read_bytes() == xlf.read_bytes()  # same ids and bytes every time

    tree = etree.parse(str(xlf))
    top = tree.getroot()
    assert top.tag == "{urn:oasis:names:tc:xliff:document:2.0}xliff" and top.get("version") == "2.0"
    assert (top.get("srcLang"), top.get("trgLang")) == ("fi", "sv")
    files = top.findall("x:file", NS)
    assert len(files) == 16 and files[0].get("original") == LESSON and files[0].get("id") == "01-tyo-2-0.01-johdanto"
    units = files[0].findall("x:unit", NS)
    assert [u.get("id") for u in units[:3]] == ["title", "u1", "u2"]
    assert units[0].findtext("x:segment/x:source", namespaces=NS) == "Lupa tehdä fiksummin"
    assert units[2].get("name") == "heading" and units[2].findtext("x:segment/x:source", namespaces=NS) == "Mikä on Työ 2.0?"
    assert not tree.findall(".//x:target", NS)
    sources = [s.text or "" for s in tree.findall(".//x:source", NS)]
    assert not any(s.startswith(("## ", "- ", "!!!", "```")) for s in sources)  # Markdown structure stays out

    done = tmp_path / "done.xlf"
    assert _fill_targets(xlf, course, done) == 16
    originals = {p.relative_to(course).as_posix(): p.read_bytes() for p in course.glob("modules/*/*.sv.md")}
    assert len(originals) == 16
    for rel in originals:
        (course / rel).unlink()
    res = kummi("translate", "import", str(done), cwd=course)
    assert res.returncode == 0, res.stdout + res.stderr
    for rel, data in originals.items():
        assert (course / rel).read_bytes() == data, rel
    assert kummi("check", cwd=course).returncode == 0


def test_xliff_import_writes_a_missing_translation_with_front_matter(course: Path, tmp_path: Path):
    xlf = tmp_path / "m.xlf"
    assert kummi("translate", "export", "--module", "tyo-2-0", "-o", str(xlf), cwd=course).returncode == 0
    done = tmp_path / "done.xlf"
    _fill_targets(xlf, course, done)
    text = done.read_text(encoding="utf-8").replace("<target>Lov att arbeta smartare</target>", "<target>Lov: att arbeta smartare</target>")
    done.write_text(text, encoding="utf-8")
    (course / LESSON_SV).unlink()
    res = kummi("translate", "import", str(done), cwd=course)
    assert res.returncode == 0, res.stdout + res.stderr
    written = (course / LESSON_SV).read_text(encoding="utf-8")
    assert written.startswith('---\ntitle: "Lov: att arbeta smartare"\nduration: ')  # quoted where YAML needs it
    assert re.search(r'^source_version: "[0-9a-f]{8}"\n---\n', written, re.M)
    res = kummi("check", cwd=course)
    assert res.returncode == 0 and codes(res, LESSON_SV) == [], res.stdout


def _exported(course: Path, tmp_path: Path) -> Path:
    xlf = tmp_path / "m.xlf"
    assert kummi("translate", "export", "--module", "tyo-2-0", "-o", str(xlf), cwd=course).returncode == 0
    done = tmp_path / "done.xlf"
    _fill_targets(xlf, course, done)
    return done


@pytest.mark.parametrize("name, change, expected", [
    ("not-xml", lambda t: t.replace("</file>", "</fil>", 1), r"done\.xlf:\d+:\d+: error KM604 not a readable XLIFF file"),
    ("xliff-1", lambda t: t.replace('version="2.0"', 'version="1.2"'), r"done\.xlf:2:1: error KM604 not an XLIFF 2 file"),
    ("wrong-language", lambda t: t.replace('trgLang="sv"', 'trgLang="de"'), r"done\.xlf:2:1: error KM604 the file translates 'fi' into 'de'"),
    ("source-changed", lambda t: t.replace("<source>Mikä on Työ 2.0?</source>", "<source>Mikä oli Työ 2.0?</source>"),
     r"done\.xlf:\d+:1: error KM605 unit 'u2': the Finnish text has changed since the export"),
    ("no-target", lambda t: re.sub(r"<target>Vad är Arbete 2\.0\?</target>", "<target></target>", t),
     r"error KM605 modules/01-tyo-2-0/01-johdanto\.md: 1 of 27 units have no translation, the first is 'u2'"),
    ("unit-removed", lambda t: re.sub(r'<unit id="u3" name="item">.*?</unit>', "", t, count=1, flags=re.S),
     r"error KM605 unit 'u3' of modules/01-tyo-2-0/01-johdanto\.md is missing"),
    ("unknown-lesson", lambda t: t.replace('original="modules/01-tyo-2-0/01-johdanto.md"', 'original="modules/01-tyo-2-0/09-ei-ole.md"'),
     r"error KM605 unit for an unknown lesson 'modules/01-tyo-2-0/09-ei-ole\.md'"),
    ("two-line-heading", lambda t: t.replace("<target>Vad är Arbete 2.0?</target>", "<target>Vad är\nArbete 2.0?</target>"),
     r"error KM605 unit 'u2': a heading must stay on one line"),
    ("structure", lambda t: t.replace("<target>Vad är Arbete 2.0?</target>", "<target>Vad är Arbete 2.0?\n\n## Ny rubrik</target>", 1)
     .replace('name="heading">', 'name="paragraph">', 1),
     r"error KM605"),
])
def test_xliff_import_refuses_bad_files_and_writes_nothing(course: Path, tmp_path: Path, name, change, expected):
    done = _exported(course, tmp_path)
    done.write_text(change(done.read_text(encoding="utf-8")), encoding="utf-8")
    before = {p: p.read_bytes() for p in course.glob("modules/*/*.md")}
    res = kummi("translate", "import", str(done), cwd=course)
    assert res.returncode == 1, res.stdout + res.stderr
    assert re.search(expected, res.stdout), res.stdout
    assert "No lesson was written" in res.stderr
    assert {p: p.read_bytes() for p in course.glob("modules/*/*.md")} == before


def test_xliff_paragraph_that_would_become_a_heading_is_refused(course: Path, tmp_path: Path):
    done = _exported(course, tmp_path)
    text = done.read_text(encoding="utf-8")
    target = re.search(r'<unit id="u1" name="paragraph">.*?<target>', text, re.S).end()
    done.write_text(text[:target] + "## " + text[target:], encoding="utf-8")
    res = kummi("translate", "import", str(done), cwd=course)
    assert res.returncode == 1
    assert "error KM605 the translations of modules/01-tyo-2-0/01-johdanto.md change its Markdown structure" in res.stdout


def test_translate_export_refuses_unknown_language_and_module(course: Path):
    res = kummi("translate", "export", "--lang", "de", cwd=course)
    assert res.returncode == 1 and "error KM010 --lang de" in res.stdout
    res = kummi("translate", "export", "--module", "ei-ole", cwd=course)
    assert res.returncode == 1 and "error KM010 --module ei-ole: no such module" in res.stdout


# ------------------------------------------------------------------ the guide's rules


def test_quiz_size_and_reflection_rules(course: Path):
    quiz = course / "modules/01-tyo-2-0/quiz.yaml"
    text = quiz.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"^  - id: ", text, re.M)]
    assert len(starts) == 5
    quiz.write_text(text[:starts[3]], encoding="utf-8")  # 3 questions
    from kummi.loader.markdown import content_version, split_front_matter

    for lesson in sorted((course / "modules/02-kummin-rooli").glob("*.md")):
        lesson.write_text(lesson.read_text(encoding="utf-8").replace("!!! reflection", "!!! question"), encoding="utf-8")
    for sv in (course / "modules/02-kummin-rooli").glob("*.sv.md"):  # the translations follow
        body = split_front_matter(sv.with_name(sv.name.replace(".sv.md", ".md")).read_text(encoding="utf-8"))[1]
        sv.write_text(re.sub(r'source_version: "\w+"', f'source_version: "{content_version(body)}"', sv.read_text(encoding="utf-8")), encoding="utf-8")
    res = kummi("check", cwd=course)
    assert res.returncode == 0, res.stdout
    assert "modules/01-tyo-2-0/quiz.yaml:1:1: warning KM503 the quiz has 3 questions; the guide asks for 4-6" in res.stdout
    assert "modules/02-kummin-rooli/module.yaml:1:1: warning KM212 module 'kummin-rooli' has no reflection question" in res.stdout
    assert kummi("check", "--strict", cwd=course).returncode == 1
    # A draft may still be incomplete.
    for folder in ("01-tyo-2-0", "02-kummin-rooli"):
        edit(course, f"modules/{folder}/module.yaml", "status: published", "status: draft")
    res = kummi("check", cwd=course)
    assert "KM503" not in res.stdout and "KM212" not in res.stdout


def test_missing_translation_is_an_error_when_published_and_a_warning_in_review(course: Path):
    (course / LESSON_SV).unlink()
    (course / "modules/05-monitila-ja-yhteiskehittaminen/02-monipaikkatyo.sv.md").unlink()
    res = kummi("check", cwd=course)
    assert res.returncode == 1
    assert codes(res, LESSON) == ["error KM601"]
    assert codes(res, "modules/05-monitila-ja-yhteiskehittaminen/02-monipaikkatyo.md") == ["warning KM601"]
    edit(course, "modules/01-tyo-2-0/module.yaml", "status: published", "status: draft")
    res = kummi("check", cwd=course)
    assert res.returncode == 0 and codes(res, LESSON) == ["warning KM601"]


def test_box_title_in_the_other_language(course: Path):
    edit(course, "modules/01-tyo-2-0/02-rakenteet.sv.md", '!!! reflection "Fundera"', '!!! reflection "Pohdi"')
    edit(course, "modules/01-tyo-2-0/02-rakenteet.sv.md", '!!! notes "För utbildaren"', '!!! notes "Kouluttajalle"')
    edit(course, "modules/01-tyo-2-0/02-rakenteet.md", '!!! reflection "Pohdi"', '!!! reflection "Fundera"')
    res = kummi("check", cwd=course)
    lines = [line for line in res.stdout.splitlines() if "KM603" in line]
    assert lines == [
        "modules/01-tyo-2-0/02-rakenteet.md:44:1: warning KM603 box title 'Fundera' is the 'sv' title in a 'fi' lesson",
        "modules/01-tyo-2-0/02-rakenteet.sv.md:13:1: warning KM603 box title 'Kouluttajalle' is the 'fi' title in a 'sv' lesson",
        "modules/01-tyo-2-0/02-rakenteet.sv.md:45:1: warning KM603 box title 'Pohdi' is the 'fi' title in a 'sv' lesson",
    ], res.stdout
    assert "hint: write !!! reflection \"Fundera\"" in res.stdout
