"""Deterministic ZIP files: sorted members, fixed times and permissions, no ZIP64."""
from __future__ import annotations

import zipfile
from pathlib import Path

from .clock import zip_date_time


def write_zip(dest: Path, members: dict[str, bytes], epoch: int, first: tuple[str, ...] = (), stored: tuple[str, ...] = ()) -> None:
    """Write `members` (archive name -> bytes) to `dest`. Names in `first` come first, in order;
    the rest follow sorted. Names in `stored` are not compressed (e.g. 'mimetype')."""
    leading = set(first)
    order = [n for n in first if n in members] + sorted(n for n in members if n not in leading)
    date_time = zip_date_time(epoch)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(dest, "w", allowZip64=False) as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = (0o100644 & 0xFFFF) << 16
            info.create_system = 3  # Unix, so the permissions above are read
            zf.writestr(info, members[name], compresslevel=9 if name not in stored else None)


def rewrite_zip(path: Path, epoch: int, first: tuple[str, ...] = ()) -> None:
    """Rewrite an existing zip (e.g. a PPTX from python-pptx) deterministically, keeping member order
    unless `first` says otherwise."""
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        members = {n: zf.read(n) for n in names}
    date_time = zip_date_time(epoch)
    order = [n for n in first if n in members] + [n for n in names if n not in first]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", allowZip64=False) as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (0o100644 & 0xFFFF) << 16
            info.create_system = 3
            zf.writestr(info, members[name], compresslevel=9)
    tmp.replace(path)
