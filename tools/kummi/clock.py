"""The build clock: one timestamp for every output, from SOURCE_DATE_EPOCH when set."""
from __future__ import annotations

import os
import subprocess
from datetime import datetime, timezone
from pathlib import Path

DEFAULT_EPOCH = 1704067200  # 2024-01-01T00:00:00Z, used when nothing better is known


def build_epoch(root: str | Path | None = None) -> int:
    """SOURCE_DATE_EPOCH, else the time of the git HEAD commit, else a constant."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    if root is not None:
        try:
            out = subprocess.run(
                ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, timeout=10
            )
            if out.returncode == 0 and out.stdout.strip().isdigit():
                return int(out.stdout.strip())
        except (OSError, subprocess.SubprocessError):
            pass
    return DEFAULT_EPOCH


def zip_date_time(epoch: int) -> tuple[int, int, int, int, int, int]:
    """A ZIP member date (ZIP cannot store dates before 1980)."""
    dt = datetime.fromtimestamp(max(epoch, 315532800), tz=timezone.utc)
    return (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second - dt.second % 2)
