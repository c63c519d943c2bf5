"""Build hook: compile the message catalogues (.po -> .mo) when kummi is installed.

The .mo files are not in git. kummi also compiles a missing or stale catalogue in memory at first
use (i18n.translations), so a checkout whose .po files changed since the install still speaks the
current text.
"""
from __future__ import annotations

from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale = Path(self.root) / "tools" / "kummi" / "locale"
        for po in sorted(locale.glob("*/LC_MESSAGES/kummi.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=po.parent.parent.name, domain="kummi")
            mo = po.with_suffix(".mo")
            with mo.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)
            build_data["force_include"][str(mo)] = mo.relative_to(Path(self.root) / "tools").as_posix()
