"""The Finnish text a translation was made from: the revision in git history whose fingerprint is
the translation's `source_version`, and what has changed since, unit by unit."""
from __future__ import annotations

import difflib
import subprocess
from dataclasses import dataclass
from pathlib import Path

from ..loader.markdown import content_version, split_front_matter
from .units import Unit, skeleton

MAX_REVISIONS = 500  # history walked per file


@dataclass(frozen=True)
class Revision:
    commit: str
    date: str  # YYYY-MM-DD
    body: str


class NotInGit(Exception):
    pass


def _git(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=root, capture_output=True, timeout=60)


def find_revision(root: Path, rel: str, version: str) -> Revision | None:
    """The newest commit of `rel` whose lesson body has fingerprint `version`; None when no commit
    has it. Raises NotInGit when the file has no git history at all."""
    try:
        log = _git(root, "log", f"-{MAX_REVISIONS}", "--format=%H %cs", "--", rel)
    except (OSError, subprocess.SubprocessError) as exc:
        raise NotInGit(str(exc)) from exc
    lines = log.stdout.decode("utf-8", "replace").split("\n") if log.returncode == 0 else []
    commits = [line.split(" ", 1) for line in lines if line.strip()]
    if not commits:
        raise NotInGit(rel)
    for commit, date in commits:
        shown = _git(root, "show", f"{commit}:./{rel}")
        if shown.returncode != 0:
            continue
        try:
            text = shown.stdout.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        except UnicodeDecodeError:
            continue
        body = split_front_matter(text)[1]
        if content_version(body) == version:
            return Revision(commit, date, body)
    return None


@dataclass(frozen=True)
class Change:
    kind: str  # changed | added | removed
    old: Unit | None
    new: Unit | None


def changes(old_body: str, new_body: str) -> list[Change]:
    """Units (headings, paragraphs, list items, cells, box titles) that differ in what a reader sees."""
    old, new = skeleton(old_body).units, skeleton(new_body).units
    matcher = difflib.SequenceMatcher(None, [u.visible for u in old], [u.visible for u in new], autojunk=False)
    out: list[Change] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        out += [Change("changed", old[i1 + k], new[j1 + k]) for k in range(pairs)]
        out += [Change("removed", u, None) for u in old[i1 + pairs:i2]]
        out += [Change("added", None, u) for u in new[j1 + pairs:j2]]
    return out
