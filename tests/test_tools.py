"""Schemas, scaffolding, status and CODEOWNERS: the authoring tools around the checker."""
from __future__ import annotations

import json
import shutil

import jsonschema
import pytest
from ruamel.yaml import YAML

from testpaths import FIXTURES, REPO
from kummi.codeowners import render_codeowners
from kummi.jsonschemas import render_schemas, stale_files
from kummi.pipeline import load_and_check
from kummi.scaffold import ScaffoldError, new_module
from kummi.status import course_status
from test_check import kummi


def test_committed_json_schemas_are_current():
    assert stale_files(REPO) == [], "run 'kummi schemas' and commit the result"


@pytest.mark.parametrize("pattern,kind", [
    ("content/course.yaml", "course"), ("content/agencies.yaml", "agencies"), ("content/mentors.yaml", "mentors"),
    ("content/glossary.yaml", "glossary"), ("modules/*/module.yaml", "module"), ("modules/*/quiz.yaml", "quiz"),
])
def test_repository_yaml_matches_its_json_schema(pattern, kind):
    schema = json.loads(render_schemas()[f"{kind}.schema.json"])
    files = sorted(REPO.glob(pattern))
    assert files
    for path in files:
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)  # editors and kummi agree on the sample course


def test_json_schema_rejects_unknown_key():
    schema = json.loads(render_schemas()["module.schema.json"])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "x", "durration": 3}, schema)


def test_every_yaml_file_names_its_schema():
    for path in [*REPO.glob("content/*.yaml"), *REPO.glob("modules/*/*.yaml")]:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path


def test_new_module_passes_check_at_once(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    path = new_module(root, "kokeilut")
    assert path.name == "02-kokeilut"
    course, report = load_and_check(root)
    assert report.sorted() == []
    assert [m.id for m in course.modules] == ["perusteet", "kokeilut"]
    assert course.modules[1].lessons[0].has("sv")
    with pytest.raises(ScaffoldError, match="already exists"):
        new_module(root, "kokeilut")
    with pytest.raises(ScaffoldError, match="not a valid module id"):
        new_module(root, "Iso Kirjain")


def test_new_module_cli(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    res = kummi("new", "module", "verkostot", cwd=root)
    assert res.returncode == 0, res.stderr
    assert "Created modules/02-verkostot/" in res.stderr
    assert kummi("check", "--strict", cwd=root).returncode == 0


def test_status_reports_translation_coverage(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    sv = root / "modules/01-perusteet/02-loppu.sv.md"
    sv.write_text(sv.read_text(encoding="utf-8").replace("Vad lärde du dig?", "Vad lärde du dig nu?"), encoding="utf-8")
    fi = root / "modules/01-perusteet/01-alku.md"
    fi.write_text(fi.read_text(encoding="utf-8") + "\nLisäys.\n", encoding="utf-8")
    course, _ = load_and_check(root)
    data = course_status(course)
    module = data["modules"][0]
    assert module["translations"]["sv"] == {"lessons": 2, "translated": 2, "current": 1}
    assert module["owners"] == [{"id": "vm-kummi", "role": "Kummi", "agency": "VM", "github": ""}]
    assert module["status"] == "review" and module["quiz_questions"] == 1 and module["pass_mark"] == 50
    res = kummi("status", "--format", "json", cwd=root)
    assert json.loads(res.stdout)["translations"]["sv"]["current"] == 1
    text = kummi("status", cwd=root)
    assert "sv: 1 of 2 lessons translated and current (50 %)" in text.stdout


def test_codeowners_generated_from_authors_and_checked(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    mentors = root / "content/mentors.yaml"
    mentors.write_text(mentors.read_text(encoding="utf-8").replace("    languages: [fi, sv]", "    languages: [fi, sv]\n    github: vm-kummi-gh"), encoding="utf-8")
    res = kummi("codeowners", cwd=root)
    assert res.returncode == 0, res.stderr
    text = (root / ".github/CODEOWNERS").read_text(encoding="utf-8")
    assert "/modules/01-perusteet/ @vm-kummi-gh" in text.splitlines()
    assert kummi("check", cwd=root).returncode == 0
    mentors.write_text(mentors.read_text(encoding="utf-8").replace("vm-kummi-gh", "toinen-gh"), encoding="utf-8")
    res = kummi("check", cwd=root)
    assert res.returncode == 1
    assert ".github/CODEOWNERS:1:1: error KM210 CODEOWNERS is out of date with the module authors" in res.stdout
    assert kummi("codeowners", cwd=root).returncode == 0  # a stale file does not block its own fix
    assert "/modules/01-perusteet/ @toinen-gh" in (root / ".github/CODEOWNERS").read_text(encoding="utf-8")


def test_codeowners_is_not_judged_or_rewritten_from_a_broken_module(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    mentors = root / "content/mentors.yaml"
    mentors.write_text(mentors.read_text(encoding="utf-8").replace("    languages: [fi, sv]", "    languages: [fi, sv]\n    github: vm-kummi-gh"), encoding="utf-8")
    assert kummi("codeowners", cwd=root).returncode == 0
    before = (root / ".github/CODEOWNERS").read_text(encoding="utf-8")
    module = root / "modules/01-perusteet/module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace("duration: 30", "duration:30"), encoding="utf-8")
    res = kummi("check", cwd=root)
    assert res.stdout.splitlines()[0] == "modules/01-perusteet/module.yaml:6:9: error KM002 YAML syntax error: missing space after 'duration:'"
    assert "KM210" not in res.stdout
    res = kummi("codeowners", cwd=root)
    assert res.returncode == 1 and "CODEOWNERS was not changed" in res.stderr
    assert (root / ".github/CODEOWNERS").read_text(encoding="utf-8") == before


def test_new_module_refuses_unknown_author_and_numbered_id(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    with pytest.raises(ScaffoldError, match="did you mean 'vm-kummi'"):
        new_module(root, "etatyo", author="vm-kumi")
    with pytest.raises(ScaffoldError, match="without the number"):
        new_module(root, "02-etatyo")
    assert not (root / "modules/02-etatyo").exists()


def test_new_module_keeps_codeowners_current(tmp_path):
    root = shutil.copytree(FIXTURES / "good", tmp_path / "c")
    assert kummi("codeowners", cwd=root).returncode == 0
    assert kummi("new", "module", "etatyo", cwd=root).returncode == 0
    assert kummi("check", cwd=root).returncode == 0


def test_repository_codeowners_is_current():
    course, _ = load_and_check(REPO)
    assert (REPO / ".github/CODEOWNERS").read_text(encoding="utf-8") == render_codeowners(course)
