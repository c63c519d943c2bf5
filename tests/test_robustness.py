"""However broken the input, `kummi check` reports diagnostics and never raises."""
from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from testpaths import FIXTURES
from kummi.diagnostics import Report
from kummi.i18n import PSEUDO, Msg
from kummi.pipeline import load_and_check

GOOD = FIXTURES / "good"
YAML_FILES = ["content/course.yaml", "content/agencies.yaml", "content/mentors.yaml", "content/glossary.yaml",
              "modules/01-perusteet/module.yaml", "modules/01-perusteet/quiz.yaml"]
LESSONS = ["modules/01-perusteet/01-alku.md", "modules/01-perusteet/02-loppu.sv.md"]

GARBAGE = [
    b"", b"null\n", b"42\n", b"- a\n- b\n", b"{\n", b"[[[", b"\xff\xfe\x00\x01", b"a: [1, 2\n", b"key: value: other\n",
    b"\t- tab\n", b"&a [*a]\n", b"!!python/object:os.system 'ls'\n", b"a: !!binary AAAA\n", b"? [complex]\n: key\n",
    b"---\n---\n---\n", b"title:\n  - fi: x\n", b"questions: {}\n", b"questions:\n  - null\n  - 3\n  - {type: single}\n",
    b"questions:\n  - {id: x, type: truefalse, question: q, options: [1]}\n", b"mentors: [{id: A B}]\nthemes: 1\n",
    b"modules: [../../etc]\nid: x\ntitle: t\nlanguages: [sv]\npublisher: p\nlicence: l\nversion: 1\n",
    b"modules: ['01-perusteet', '01-perusteet']\nid: x\ntitle: t\nlanguages: [fi, xx]\npublisher: p\nlicence: l\nversion: '1'\n",
]
LESSON_GARBAGE = [
    b"", b"---\n", b"---\n- list\n---\n", b"---\ntitle: [\n---\n", b"---\ntitle: x\n---\n# H1\n## \n### x\n",
    b"---\ntitle: x\n---\n!!! notes\n!!! reflection\n    !!! notes\n        deep\n",
    b"---\ntitle: x\n---\n![](/etc/passwd)\n![x](../../../../etc/passwd)\n[a]()\n[b](#)\n[c](#nope)\n",
    b"---\ntitle: x\n---\n| a |\n|---|\n| 1 | 2 | 3 |\n\n- a\n    - b\n        - c\n",
    b"---\ntitle: x\n---\n<img src=x onerror=alert(1)><a href='javascript:x'>y</a><iframe></iframe>\n",
    b"---\ntitle: x\n---\n[x](glossary:)\n[y](glossary:nope)\n[z](data:text/html,hi)\n![w](http://example.com/a.png)\n",
    b"---\ntitle: x\nsource_version: 123\nextra: 1\n---\n" + "ä".encode() * 5000,
    b"\xef\xbb\xbf---\r\ntitle: bom\r\n---\r\n## a\r\n",
]


def _check_no_exception(root: Path) -> Report:
    course, report = load_and_check(root)
    for d in report.items:
        assert d.location.line >= 1 and d.location.col >= 1, d
        assert not d.location.path.startswith("/"), d
        # Every message and hint comes through the catalogue and renders in every UI language.
        assert isinstance(d.message, Msg), d
        assert isinstance(d.hint, Msg) or d.hint == "", d
        for lang in ("en", "fi", "sv", PSEUDO):
            assert d.message.render(lang) and (not d.hint or d.hint.render(lang)), d
    return report


@pytest.mark.parametrize("rel", YAML_FILES)
@pytest.mark.parametrize("garbage", GARBAGE, ids=range(len(GARBAGE)))
def test_yaml_garbage_gives_diagnostics(tmp_path, rel, garbage):
    root = shutil.copytree(GOOD, tmp_path / "c")
    (root / rel).write_bytes(garbage)
    _check_no_exception(root)


@pytest.mark.parametrize("rel", LESSONS)
@pytest.mark.parametrize("garbage", LESSON_GARBAGE, ids=range(len(LESSON_GARBAGE)))
def test_lesson_garbage_gives_diagnostics(tmp_path, rel, garbage):
    root = shutil.copytree(GOOD, tmp_path / "c")
    (root / rel).write_bytes(garbage)
    _check_no_exception(root)


def test_random_truncations_and_byte_flips(tmp_path):
    rng = random.Random(20261127)
    files = YAML_FILES + LESSONS
    for i in range(60):
        root = shutil.copytree(GOOD, tmp_path / f"c{i}")
        rel = rng.choice(files)
        data = bytearray((root / rel).read_bytes())
        if rng.random() < 0.5:
            data = data[: rng.randrange(len(data) + 1)]
        else:
            for _ in range(rng.randint(1, 5)):
                if data:
                    data[rng.randrange(len(data))] = rng.randrange(256)
        (root / rel).write_bytes(bytes(data))
        _check_no_exception(root)


def test_missing_files_and_folders(tmp_path):
    for rel in ["content/agencies.yaml", "content/mentors.yaml", "content/glossary.yaml", "modules/01-perusteet/module.yaml", "modules"]:
        root = shutil.copytree(GOOD, tmp_path / rel.replace("/", "_"))
        target = root / rel
        shutil.rmtree(target) if target.is_dir() else target.unlink()
        report = _check_no_exception(root)
        if rel.endswith("module.yaml") or rel == "modules":
            assert any(d.code == "KM205" for d in report.items)


def test_symlink_escaping_the_repository(tmp_path):
    root = shutil.copytree(GOOD, tmp_path / "c")
    media = root / "modules/01-perusteet/media"
    (media / "kuva.png").unlink()
    os.symlink("/etc/hostname", media / "kuva.png")
    report = _check_no_exception(root)
    assert {d.code for d in report.errors} == {"KM305"}  # once per language version


def test_module_folder_escaping_the_repository(tmp_path):
    root = shutil.copytree(GOOD, tmp_path / "c")
    course = root / "content/course.yaml"
    course.write_text(course.read_text().replace("modules: [01-perusteet]", "modules: [01-perusteet, ../../x]"))
    report = _check_no_exception(root)
    codes = [d.code for d in report.errors]
    assert "KM104" in codes  # the folder name pattern rejects it before any path is opened
