"""Stable, NCName-safe identifiers and ASCII file names. Never random: Moodle matches items by
identifier on re-upload and deletes the tracks of identifiers that disappeared."""
from __future__ import annotations

import hashlib
import re
import unicodedata

_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9._-]*$")
_ASCII_NAME = re.compile(r"^[a-z0-9._/-]+$")
# Characters a SCORM 1.2 CMIIdentifier / 2004 short identifier keeps safely across LMSs.
_CMI_ID = re.compile(r"^[A-Za-z0-9_.:-]+$")

VERSION_SUFFIX = {"1.2": "scorm12", "2004": "scorm2004"}


def is_ncname(value: str) -> bool:
    return bool(_NCNAME.match(value))


def ncname_part(value: str) -> str | None:
    """`value` as a part of an NCName (letters, digits, '.', '-', '_'), or None when it cannot be one
    without inventing characters (so the caller reports it instead of silently renaming)."""
    if value and re.fullmatch(r"[A-Za-z0-9._-]+", value):
        return value
    return None


def package_ids(course_id: str, module_id: str) -> dict[str, str]:
    """Manifest, organization, item and resource identifiers for one module package. The same for
    every language and SCORM version, so replacing a package keeps the learners' tracks."""
    c, m = ncname_part(course_id), ncname_part(module_id)
    if c is None or m is None:
        raise ValueError(f"cannot derive SCORM identifiers from '{course_id}' / '{module_id}'")
    ids = {
        "manifest": f"kummi.{c}.{m}",
        "organization": f"ORG-{c}",
        "item": f"ITEM-{m}",
        "resource": f"RES-{m}",
    }
    assert all(is_ncname(v) for v in ids.values())
    return ids


def package_name(module_id: str, lang: str, version: str) -> str:
    return f"{module_id}.{lang}.{VERSION_SUFFIX[version]}.zip"


def ascii_slug(text: str, limit: int = 40) -> str:
    """Lower-case ASCII slug: 'Kuvaaja ÄÖ.png' -> 'kuvaaja-ao'."""
    norm = unicodedata.normalize("NFKD", text)
    norm = norm.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", norm).strip("-")
    return slug[:limit].strip("-") or "file"


def asset_name(folder: str, source_path: str, data: bytes) -> str:
    """A deterministic ASCII path inside the package for a copied course file:
    '<folder>/<slug>-<hash8>.<ext>' (the hash keeps same-named files apart)."""
    stem, dot, ext = source_path.rsplit("/", 1)[-1].rpartition(".")
    if not dot:
        stem, ext = ext, ""
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())[:8]
    digest = hashlib.sha256(data).hexdigest()[:8]
    name = f"{folder}/{ascii_slug(stem)}-{digest}" + (f".{ext}" if ext else "")
    assert is_ascii_path(name)
    return name


def is_ascii_path(name: str) -> bool:
    return bool(_ASCII_NAME.match(name)) and not name.startswith("/") and ".." not in name.split("/")


def is_cmi_id(value: str) -> bool:
    return bool(_CMI_ID.match(value))
