"""`kummi check`: exact diagnostics on fixture courses, output formats and exit codes."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path


from testpaths import FIXTURES, REPO

BROKEN_EXPECTED = """\
modules/01-perusteet/01-alku.md:12:18: error KM303 image 'media/kuvaa.png' not found
    hint: did you mean 'kuva.png'?
modules/01-perusteet/01-alku.md:17:18: error KM301 broken link: '03-puuttuu.md' is not a lesson
    hint: link to a lesson file, e.g. 02-seuraava.md
modules/01-perusteet/01-alku.md:19:1: error KM401 raw <script> is not allowed in lessons
    hint: remove it; interactive parts (quizzes, reflections) come from quiz.yaml and '!!! reflection'
modules/01-perusteet/01-alku.md:21:4: error KM402 inline event handler 'onclick' is not allowed
    hint: remove the attribute; lessons cannot run scripts
modules/01-perusteet/01-alku.md:23:15: error KM403 link uses a forbidden scheme: 'javascript:'
    hint: links may point to web pages (https://…), lessons or files in the course
modules/01-perusteet/01-alku.sv.md:1:1: error KM602 translation is older than its Finnish source (source_version bd0566d0, Finnish is now d5911c98)
    hint: update the translation, then set 'source_version: "d5911c98"'
modules/01-perusteet/02-loppu.md:7:4: error KM001 file is not UTF-8 (byte 0xe4)
    hint: save it as UTF-8; in VS Code first 'Reopen with Encoding' > Western (Windows 1252) so ä/ö show right, then 'Save with Encoding' > UTF-8
modules/01-perusteet/module.yaml:6:1: error KM101 unknown key 'durration'
    hint: did you mean 'duration'?
modules/01-perusteet/quiz.yaml:4:15: error KM002 YAML syntax error: '{' opened here is not closed (expected ',' or '}', but got ':' at line 5)
    hint: close it on the same line, e.g. {fi: Teksti, sv: Text} or "teksti"
"""


def kummi(*args: str, cwd: Path = REPO, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    return subprocess.run([sys.executable, "-m", "kummi", *args], cwd=cwd, capture_output=True, text=True, env=full_env, timeout=300)


def test_good_fixture_is_clean():
    res = kummi("check", str(FIXTURES / "good"))
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout == ""
    assert "No problems found." in res.stderr


def test_broken_fixture_reports_each_problem_at_its_line():
    res = kummi("check", str(FIXTURES / "broken"))
    assert res.returncode == 1
    assert res.stdout == BROKEN_EXPECTED
    assert "Traceback" not in res.stderr
    assert "9 errors, 0 warnings" in res.stderr


def test_github_format_annotates_lines():
    res = kummi("check", "--format", "github", str(FIXTURES / "broken"))
    assert res.returncode == 1
    lines = res.stdout.splitlines()
    assert "::error file=modules/01-perusteet/module.yaml,line=6,col=1,title=KM101::unknown key 'durration'%0Ahint: did you mean 'duration'?" in lines
    assert all(line.startswith(("::error ", "::warning ")) for line in lines)


def test_json_format():
    res = kummi("check", "--format", "json", str(FIXTURES / "broken"))
    data = json.loads(res.stdout)
    assert {d["code"] for d in data} == {"KM001", "KM002", "KM101", "KM301", "KM303", "KM401", "KM402", "KM403", "KM602"}
    first = data[0]
    assert first == {
        "path": "modules/01-perusteet/01-alku.md", "line": 12, "col": 18, "severity": "error",
        "code": "KM303", "message": "image 'media/kuvaa.png' not found", "hint": "did you mean 'kuva.png'?",
    }


def test_strict_turns_warnings_into_failure(tmp_path):
    course = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    (course / "modules/01-perusteet/01-alku.sv.md").unlink()
    assert kummi("check", str(course)).returncode == 0
    res = kummi("check", "--strict", str(course))
    assert res.returncode == 1
    assert "warning KM601 lesson '01-alku' has no 'sv' translation; the Finnish text is shown instead" in res.stdout


def test_usage_errors_exit_2():
    assert kummi("check", "--format", "xml").returncode == 2
    assert kummi("no-such-command").returncode == 2


def test_help_and_version():
    assert kummi("--version").stdout.startswith("kummi, version ")
    for cmd in ("check", "build", "new", "status", "schemas", "codeowners"):
        res = kummi(cmd, "--help")
        assert res.returncode == 0 and "Usage:" in res.stdout, cmd


def test_quiet_prints_only_errors(tmp_path):
    course = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    (course / "modules/01-perusteet/01-alku.sv.md").unlink()
    res = kummi("check", "-q", str(course))
    assert res.returncode == 0 and res.stdout == "" and res.stderr == ""


def test_repository_course_passes_check():
    res = kummi("check")
    assert res.returncode == 0, res.stdout
    assert "Traceback" not in res.stdout + res.stderr


def test_no_colour_without_tty():
    res = kummi("check", str(FIXTURES / "broken"), env={"NO_COLOR": ""})
    assert "\x1b[" not in res.stdout + res.stderr


def test_missing_course_file(tmp_path):
    res = kummi("check", str(tmp_path))
    assert res.returncode == 1
    assert res.stdout.startswith("content/course.yaml:1:1: error KM102 course file is missing")


def test_unknown_references_point_at_their_key(tmp_path):
    course = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    module = course / "modules/01-perusteet/module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("authors: [vm-kummi]", "authors: [vm-kumi]"), encoding="utf-8")
    mentors = course / "content/mentors.yaml"
    mentors.write_text(mentors.read_text(encoding="utf-8").replace("agency: VM", "agency: WM"), encoding="utf-8")
    res = kummi("check", str(course))
    assert res.stdout.splitlines() == [
        "content/mentors.yaml:7:5: error KM202 mentor 'vm-kummi': unknown agency 'WM'",
        "    hint: did you mean 'VM'?",
        "modules/01-perusteet/module.yaml:8:1: error KM201 module 'perusteet': unknown mentor 'vm-kumi'",
        "    hint: did you mean 'vm-kummi'?",
    ]


def _lines(res):
    return [line for line in res.stdout.splitlines()]


def test_mentor_mistakes_found_in_qa(tmp_path):
    course = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    m = course / "modules/01-perusteet"
    (m / "02-loppu.md").write_text(
        "---\ntitle: Loppu\n---\n\n## Toinen dia\n\n!!! notes \"Kouluttajalle\"\n  Vain kahdella välilyönnillä.\n\n"
        "!!! muistiinpanot\n    x\n\n!! notes\n    y\n", encoding="utf-8")
    (m / "02-loppu.sv.md").rename(m / "02-loppu-sv.md")
    (m / "quiz.yml").write_text("", encoding="utf-8")
    res = kummi("check", str(course))
    assert _lines(res) == [
        "modules/01-perusteet/01-alku.sv.md:18:12: error KM302 broken anchor '#andra-bilden' in link to '02-loppu.md'",
        "    hint: check the headings in modules/01-perusteet/02-loppu.md",
        "modules/01-perusteet/02-loppu-sv.md:1:1: warning KM208 '02-loppu-sv.md' is not read as a lesson",
        "    hint: rename it to 02-loppu.sv.md",
        "modules/01-perusteet/02-loppu.md:1:1: warning KM601 lesson '02-loppu' has no 'sv' translation; the Finnish text is shown instead",
        "    hint: create modules/01-perusteet/02-loppu.sv.md with 'source_version: \"9997bd41\"' in its front matter",
        "modules/01-perusteet/02-loppu.md:7:1: error KM404 '!!! notes' box has no text inside it",
        "    hint: indent every line of the box's text by 4 spaces",
        "modules/01-perusteet/02-loppu.md:10:1: error KM405 unknown box type 'muistiinpanot'",
        "    hint: did you mean 'notes'?",
        "modules/01-perusteet/02-loppu.md:13:1: error KM405 this line looks like a box ('!!! notes') but is not one",
        "    hint: write three exclamation marks and a space: !!! notes",
        "modules/01-perusteet/quiz.yml:1:1: warning KM208 'quiz.yml' is not read",
        "    hint: rename it to quiz.yaml",
    ]


def test_front_matter_not_closed_and_finnish_key(tmp_path):
    course = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    lesson = course / "modules/01-perusteet/02-loppu.md"
    lesson.write_text("---\notsikko: Loppu\n\n## Toinen dia\n\nTeksti.\n", encoding="utf-8")
    res = kummi("check", str(course))
    assert _lines(res)[:4] == [  # no separate "missing title": 'otsikko' is the title
        "modules/01-perusteet/02-loppu.md:1:1: error KM003 front matter is not closed",
        "    hint: add a line with three hyphens (---) after line 2",
        "modules/01-perusteet/02-loppu.md:2:1: error KM101 unknown key 'otsikko'",
        "    hint: keys are written in English: use 'title'",
    ]


def test_one_broken_shared_file_gives_one_error(tmp_path):
    course = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    mentors = course / "content/mentors.yaml"
    mentors.write_text(mentors.read_text(encoding="utf-8") + "mentors: []\n", encoding="utf-8")
    res = kummi("check", str(course))
    assert _lines(res) == [
        "content/mentors.yaml:10:1: error KM105 YAML syntax error: duplicate key 'mentors'",
        "    hint: each key may appear only once in a mapping",
    ]


def test_module_listed_twice_and_deleted_module(tmp_path):
    course = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    cfile = course / "content/course.yaml"
    cfile.write_text(cfile.read_text(encoding="utf-8").replace("modules: [01-perusteet]", "modules: [01-perusteet, 01-perusteet, 02-poistettu]"), encoding="utf-8")
    res = kummi("check", str(course))
    assert _lines(res) == [
        "content/course.yaml:4:25: error KM105 module '01-perusteet' is listed twice",
        "    hint: first listed at line 4; remove this line",
        "content/course.yaml:4:39: error KM205 module folder 'modules/02-poistettu' has no module.yaml",
        "    hint: remove this line if the module was deleted; new modules are made with: kummi new module ID",
    ]


def test_mistyped_command_gets_a_suggestion():
    res = kummi("chek")
    assert res.returncode == 2
    assert "No such command 'chek'. Did you mean 'check'?" in res.stderr


def test_numbers_written_wrong(tmp_path):
    course = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    module = course / "modules/01-perusteet/module.yaml"
    text = module.read_text(encoding="utf-8").replace("pass_mark: 50", "pass_mark: 0.7").replace('version: "1.0"', "version: 1.10")
    module.write_text(text, encoding="utf-8")
    res = kummi("check", str(course))
    assert _lines(res) == [
        "modules/01-perusteet/module.yaml:10:12: error KM103 pass_mark: expected a whole number, got a decimal number (0.7)",
        "    hint: write a whole number without units, e.g. 30",
        "modules/01-perusteet/module.yaml:11:10: error KM103 version: expected text, got a decimal number (1.1)",
        '    hint: write it in quotes, e.g. "1.10": without quotes it is read as a number',
    ]


def test_module_id_differing_from_folder(tmp_path):
    course = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    module = course / "modules/01-perusteet/module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("id: perusteet", "id: alkeet"), encoding="utf-8")
    res = kummi("check", str(course))
    assert _lines(res) == [
        "modules/01-perusteet/module.yaml:1:1: warning KM211 module id 'alkeet' differs from its folder name '01-perusteet'",
        "    hint: keep them the same (the id names the decks and SCORM packages; changing it loses learners' progress in Moodle)",
    ]
