"""PDF (and PNG-ready) rendering of decks with LibreOffice headless."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ...i18n import M_, MessageError, Msg, text

SOFFICE_NAMES = ("soffice", "libreoffice")


def find_soffice() -> str | None:
    env = os.environ.get("KUMMI_SOFFICE")
    if env and Path(env).exists():
        return env
    for name in SOFFICE_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


class ConversionError(MessageError):
    """No PDF handouts; the message is a Msg, translated when shown."""


# The decks declare Arial (and Courier New for code). Where they are not installed, make sure
# fontconfig picks their metric-compatible twins (what fit.py measures with) rather than its default
# sans (often the much wider DejaVu Sans). A master that still names Source Sans 3 gets the same.
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same">
    <family>Arial</family>
    <accept><family>Liberation Sans</family><family>Arimo</family></accept>
  </alias>
  <alias binding="same">
    <family>Calibri</family>
    <accept><family>Carlito</family></accept>
  </alias>
  <alias binding="same">
    <family>Source Sans 3</family>
    <accept><family>Liberation Sans</family><family>Arial</family><family>Arimo</family></accept>
  </alias>
  <alias binding="same">
    <family>Courier New</family>
    <accept><family>Liberation Mono</family><family>Cousine</family></accept>
  </alias>
</fontconfig>
"""


def fontconfig_file(folder: Path) -> Path:
    path = folder / "kummi-fonts.conf"
    path.write_text(FONTS_CONF, encoding="utf-8")
    return path


def to_pdf(decks: list[Path], out_dir: Path, timeout: int = 600, env: dict | None = None) -> list[Path]:
    """Convert all `decks` in ONE LibreOffice run (start-up is the slow part). Uses a private,
    throw-away user profile so parallel runs do not fight over a lock."""
    soffice = find_soffice()
    if soffice is None:
        raise ConversionError(M_(
            "LibreOffice is not installed, so no PDF handouts can be made. "
            "Install it (Debian/Ubuntu: apt-get install libreoffice-impress) or build without --pdf."
        ))
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kummi-lo-") as profile:
        env = dict(os.environ if env is None else env)
        env.setdefault("FONTCONFIG_FILE", str(fontconfig_file(Path(profile))))
        cmd = [
            soffice,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--convert-to", "pdf", "--outdir", str(out_dir),
            *[str(d) for d in decks],
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            raise ConversionError(M_("LibreOffice did not finish in {seconds} s", seconds=timeout)) from None
    pdfs = [out_dir / (d.stem + ".pdf") for d in decks]
    missing = [p.name for p in pdfs if not p.is_file()]
    if missing:
        detail = (proc.stderr or proc.stdout).strip()[-500:]
        raise ConversionError(M_("LibreOffice did not write {files}: {detail}", files=", ".join(missing), detail=detail or M_("no message")))
    return pdfs
