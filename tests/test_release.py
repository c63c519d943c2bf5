"""`kummi release`: the admin's bundle, its checksums, changelog, checklist and PDF; same bytes twice."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from test_check import kummi
from testpaths import FIXTURES, REPO, copy_course

EPOCH = {"SOURCE_DATE_EPOCH": "1704067200"}
NAME = "tyo-2-0-esihenkilot-1.0"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Testi", "GIT_AUTHOR_EMAIL": "testi@example.org", "GIT_COMMITTER_NAME": "Testi",
    "GIT_COMMITTER_EMAIL": "testi@example.org", "GIT_AUTHOR_DATE": "2024-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2024-01-01T00:00:00Z",
}


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


def course_repo(tmp_path: Path) -> Path:
    """The repository's course and the admin guide in a git repository of their own."""
    root = copy_course(REPO, tmp_path / "course")
    (root / "docs").mkdir()
    shutil.copy2(REPO / "docs" / "yllapitajan-opas.md", root / "docs" / "yllapitajan-opas.md")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Kurssi 1.0")
    return root


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.libreoffice
def test_first_release_is_complete_verifiable_and_the_same_twice(tmp_path):
    root = course_repo(tmp_path)
    res = kummi("release", cwd=root, env=EPOCH)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "First release: there is no earlier release tag (release/* or v*)." in res.stderr
    base = root / "build" / "release"
    folder = base / NAME
    from kummi.loader import load_course

    course, _ = load_course(root)
    expected = {f"scorm/{m.id}.{lang}.scorm12.zip" for m in course.modules for lang in course.languages}
    expected |= {f"moodle/{m.id}.{lang}.questions.xml" for m in course.modules if m.quiz for lang in course.languages}
    expected |= {"SHA256SUMS", "release.json", "yllapitajan-opas.pdf", "muutokset.fi.md", "muutokset.sv.md",
                 "tarkistuslista.fi.md", "tarkistuslista.fi.html", "tarkistuslista.sv.md", "tarkistuslista.sv.html"}
    first = files_of(folder)
    assert set(first) == expected
    # sha256sum -c accepts the sums, and they cover every other file.
    check = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert sorted(line.split("  ", 1)[1] for line in first["SHA256SUMS"].decode().splitlines()) == sorted(expected - {"SHA256SUMS"})
    assert subprocess.run(["sha256sum", "-c", f"{NAME}.zip.sha256"], cwd=base, capture_output=True).returncode == 0
    # The zip is the folder.
    with zipfile.ZipFile(base / f"{NAME}.zip") as zf:
        assert {n: zf.read(n) for n in zf.namelist()} == {f"{NAME}/{k}": v for k, v in first.items()}
    # The SCORM packages are those the scorm target builds (same bytes as `kummi build --target scorm`).
    assert kummi("build", "--target", "scorm", "--out", str(tmp_path / "b"), cwd=root, env=EPOCH).returncode == 0
    for rel in (r for r in expected if r.startswith("scorm/")):
        assert first[rel] == (tmp_path / "b" / rel).read_bytes(), rel
    # The checklist names every package, in both languages, and says they are new activities.
    for lang in ("fi", "sv"):
        checklist = first[f"tarkistuslista.{lang}.md"].decode()
        for rel in expected:
            if rel.startswith(("scorm/", "moodle/")):
                assert f"`{rel}`" in checklist, (lang, rel)
    fi = first["tarkistuslista.fi.md"].decode()
    assert fi.count("Luo uusi SCORM-aktiviteetti") == 10 and "Nykyinen ikkuna (*Current window*)" in fi
    assert "hyväksymisraja 70 %" in fi and "Mitä Työ 2.0 on? (suomi)" in fi and "Vad är Arbete 2.0? (svenska)" in fi
    assert '<html lang="fi">' in first["tarkistuslista.fi.html"].decode() and '<html lang="sv">' in first["tarkistuslista.sv.html"].decode()
    changelog = first["muutokset.fi.md"].decode()
    assert "Tämä on kurssin ensimmäinen julkaisu" in changelog and "Kurssi 1.0" in changelog
    meta = json.loads(first["release.json"])
    assert meta["previous_release"] == {"how": "none", "ref": "", "commit": ""}
    assert meta["built"] == "2024-01-01T00:00:00Z" and meta["commit"] == git(root, "rev-parse", "HEAD").strip()
    assert {p["learner_records"] for p in meta["scorm"]} == {"new"}
    # The guide as a tagged PDF, in Finnish, stamped with the build clock.
    pdf = first["yllapitajan-opas.pdf"]
    assert pdf.startswith(b"%PDF-") and b"/Lang(fi-FI)" in pdf and b"/StructTreeRoot" in pdf
    assert b"/CreationDate(D:20240101000000" in pdf
    assert b"file://" not in pdf, "no paths of this machine in the PDF"
    # Twice: the same bytes, folder and zip.
    zip_bytes = (base / f"{NAME}.zip").read_bytes()
    res = kummi("release", cwd=root, env=EPOCH)
    assert res.returncode == 0, res.stderr
    assert files_of(folder) == first
    assert (base / f"{NAME}.zip").read_bytes() == zip_bytes


def test_second_release_keeps_or_resets_records_and_lists_changes(tmp_path):
    root = course_repo(tmp_path)
    git(root, "tag", "v1.0")
    (root / "content/course.yaml").write_text((root / "content/course.yaml").read_text(encoding="utf-8").replace('version: "1.0"', 'version: "1.1"'), encoding="utf-8")
    module = root / "modules/01-tyo-2-0/module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace('version: "1.1"', 'version: "1.2"'), encoding="utf-8")
    quiz = root / "modules/01-tyo-2-0/quiz.yaml"
    quiz.write_text(quiz.read_text(encoding="utf-8").replace("id: lisaarvo", "id: lisaarvo-uusi"), encoding="utf-8")
    renamed = root / "modules/02-kummin-rooli/module.yaml"
    renamed.write_text(renamed.read_text(encoding="utf-8").replace("id: kummin-rooli", "id: kummin-rooli-2"), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Moduuli 1: uusi kysymys | moduuli 2: uusi id")
    git(root, "tag", "v1.1")  # tagged before the release is made: still compares with v1.0
    res = kummi("release", "--no-pdf", cwd=root, env=EPOCH)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Compared with v1.0" in res.stderr
    assert "Learners' records would be RESET in 1 module (its SCORM identifiers changed): kummin-rooli-2" in res.stderr
    folder = root / "build/release/tyo-2-0-esihenkilot-1.1"
    meta = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    records = {(p["module"], p["lang"]): p["learner_records"] for p in meta["scorm"]}
    assert records[("tyo-2-0", "fi")] == records[("kokeilukulttuuri", "sv")] == "kept"
    assert records[("kummin-rooli-2", "fi")] == records[("kummin-rooli-2", "sv")] == "reset"
    checklist = (folder / "tarkistuslista.fi.md").read_text(encoding="utf-8")
    assert checklist.count("Oppijoiden suoritukset **säilyvät**") == 8
    assert checklist.count("Oppijoiden suoritukset **nollautuvat**") == 2
    assert "`ITEM-kummin-rooli` → `ITEM-kummin-rooli-2`" in checklist
    assert "kysymykset lisaarvo poistuivat tai nimettiin uudelleen" in checklist
    changelog = (folder / "muutokset.fi.md").read_text(encoding="utf-8")
    assert "- Versio 1.1 → 1.2." in changelog
    assert "Moduuli 1: uusi kysymys \\| moduuli 2: uusi id" in changelog  # author text cannot break the Markdown
    assert "- Uudet kysymykset: lisaarvo-uusi." in changelog
    section = changelog.split("## Kokeilukulttuuri ja luottamus")[1].split("##")[0]
    assert "Ei muutoksia versionhallinnassa." in section
    sums = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True)
    assert sums.returncode == 0, sums.stdout
    # --since names the comparison point explicitly.
    res = kummi("release", "--no-pdf", "--since", "v1.1", cwd=root, env=EPOCH)
    assert res.returncode == 0, res.stderr
    assert "Compared with v1.1" in res.stderr
    assert "versiosta `v1.1`" in (folder / "muutokset.fi.md").read_text(encoding="utf-8")


def test_release_stops_with_a_clear_message(tmp_path):
    # Errors in the course: the report, and nothing written.
    broken = shutil.copytree(FIXTURES / "broken", tmp_path / "broken")
    res = kummi("release", "--no-pdf", cwd=broken)
    assert res.returncode == 1
    assert "error KM" in res.stdout and "Release stopped: fix the errors above. Nothing was written." in res.stderr
    assert not (broken / "build").exists()
    # Not in a git repository.
    plain = shutil.copytree(FIXTURES / "good", tmp_path / "plain")
    res = kummi("release", "--no-pdf", cwd=plain, env={"GIT_CEILING_DIRECTORIES": str(tmp_path)})
    assert res.returncode == 1
    assert "is not in a git repository" in res.stderr and "Traceback" not in res.stderr
    # No git at all.
    res = kummi("release", "--no-pdf", cwd=plain, env={"PATH": str(tmp_path / "empty")})
    assert res.returncode == 1
    assert "git is not installed: kummi release needs it" in res.stderr
    # A --since that names nothing.
    root = course_repo(tmp_path)
    res = kummi("release", "--no-pdf", "--since", "v9.9", cwd=root)
    assert res.returncode == 1
    assert "--since v9.9: no such commit, tag or branch in this repository" in res.stderr
    assert not (root / "build/release").exists() or not any((root / "build/release").iterdir())
