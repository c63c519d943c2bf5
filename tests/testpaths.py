"""Paths and helpers shared by test modules (conftest.py modules cannot be imported reliably:
pytest loads each folder's conftest under the same name)."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

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
