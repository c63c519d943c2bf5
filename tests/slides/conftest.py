"""Slides fixtures: the repository course (plus one dense lesson) built once per session."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from slides_helpers import add_dense_lesson, build, copy_course  # noqa: E402


@pytest.fixture(scope="session")
def slides_course(tmp_path_factory) -> Path:
    root = copy_course(tmp_path_factory.mktemp("slides-course") / "course")
    add_dense_lesson(root)
    return root


@pytest.fixture(scope="session")
def decks(slides_course, tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("slides-build")
    paths = build(slides_course, out)
    return sorted(p for p in paths if p.suffix == ".pptx")


@pytest.fixture(scope="session")
def swapped_course(tmp_path_factory) -> Path:
    """The course with its own master: same layout names, different order, colours and geometry."""
    from slides_helpers import make_swapped_master

    root = copy_course(tmp_path_factory.mktemp("slides-swapped") / "course")
    add_dense_lesson(root)
    folder = root / "templates" / "slides"
    if folder.is_dir():
        for old in folder.glob("*.pptx"):
            old.unlink()
    make_swapped_master(folder / "virasto.pptx")
    return root


@pytest.fixture(scope="session")
def swapped_decks(swapped_course, tmp_path_factory) -> list[Path]:
    out = tmp_path_factory.mktemp("slides-swapped-build")
    from slides_helpers import module_ids

    paths = build(swapped_course, out, modules=(module_ids(swapped_course)[0],))
    return sorted(p for p in paths if p.suffix == ".pptx")
