"""JSON Schemas for editors, generated from specs.py and kept in the repository's schemas/ folder."""
from __future__ import annotations

import json
from pathlib import Path

from .schema import json_schema_for
from .specs import FILE_KINDS, FRONT_MATTER

SCHEMA_DIR = "schemas"
BASE_ID = "https://kummi.invalid/schemas/"  # an id, not a place to fetch from


def render_schemas() -> dict[str, str]:
    """File name -> JSON text for every YAML file kind (and lesson front matter)."""
    out = {}
    kinds = {**{k: (spec, fname) for k, (spec, fname, _) in FILE_KINDS.items()}, "front-matter": (FRONT_MATTER, "front-matter.schema.json")}
    for _, (spec, fname) in sorted(kinds.items()):
        schema = json_schema_for(spec, BASE_ID + fname, spec.title)
        out[fname] = json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    return out


def editor_settings() -> str:
    """VS Code settings that map YAML files to their schemas (yaml-language-server)."""
    mapping = {f"./{SCHEMA_DIR}/{fname}": glob for _, fname, glob in FILE_KINDS.values()}
    return json.dumps({"yaml.schemas": mapping, "files.encoding": "utf8"}, indent=2) + "\n"


def stale_files(root: Path) -> list[str]:
    """Schema files that differ from what specs.py generates."""
    wanted = {f"{SCHEMA_DIR}/{name}": text for name, text in render_schemas().items()}
    wanted[".vscode/settings.json"] = editor_settings()
    return [rel for rel, text in sorted(wanted.items()) if not (root / rel).is_file() or (root / rel).read_text(encoding="utf-8") != text]


def write_schemas(root: Path) -> list[Path]:
    written = []
    for name, text in render_schemas().items():
        path = root / SCHEMA_DIR / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    settings = root / ".vscode" / "settings.json"
    settings.parent.mkdir(exist_ok=True)
    settings.write_text(editor_settings(), encoding="utf-8")
    written.append(settings)
    return written
