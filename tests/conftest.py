"""Shared fixtures: the repository's course, copies of it, a real Chromium, the SCORM XSDs."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = os.environ.get("KUMMI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


def copy_course(src: Path, dest: Path) -> Path:
    """Copy a course (content/, modules/, templates/, mkdocs.yml) without build output."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("content", "modules", "templates"):
        if (src / name).is_dir():
            shutil.copytree(src / name, dest / name)
    for name in ("mkdocs.yml",):
        if (src / name).is_file():
            shutil.copy2(src / name, dest / name)
    return dest


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    """A private copy of the repository's course that a test may edit."""
    return copy_course(REPO, tmp_path / "course")


@pytest.fixture(scope="session")
def browser():
    """A real headless Chromium (Debian's), driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run .ci/run or apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    path = REPO / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        pytest.fail("axe-core is missing: run 'npm ci' (done by .ci/run)")
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def xsd_dir() -> Path:
    value = os.environ.get("KUMMI_SCORM_XSD_DIR") or str(REPO.parent / "shared" / "schemas")
    path = Path(value)
    if not (path / "scorm12").is_dir():
        pytest.fail(f"SCORM XSDs not found in {path}: set KUMMI_SCORM_XSD_DIR (.ci/run sets ../shared/schemas)")
    return path
