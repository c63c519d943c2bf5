#!/usr/bin/env python3
"""Install kummi into a virtual environment, .venv at the repository root, with nothing but python3.

    python3 tools/bootstrap.py           kummi and its dependencies, then: .venv/bin/kummi build
    python3 tools/bootstrap.py --test    the same plus the `test` extra (pytest, Playwright, ...)

Debian 12 and Ubuntu 24.04 refuse `pip install` into the system Python (PEP 668, "externally
managed environment"), and a minimal install has neither pip nor ensurepip (python3-venv). This
script uses the standard library only: it creates .venv with ensurepip where that exists, and
otherwise creates it without pip and installs pip from its wheel on PyPI, checked against the
SHA-256 pinned below. Then it runs `pip install -c constraints.txt -e .` inside .venv, so every
package comes at the version CI tested.

Run it again at any time: it keeps a working .venv and brings it in line with constraints.txt.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)

# Used only where the system Python has no ensurepip. Dependabot does not see this pin: update the
# three lines together (the file's URL and SHA-256 are on https://pypi.org/project/pip/#files).
PIP_VERSION = "26.3"
PIP_WHEEL_URL = (
    "https://files.pythonhosted.org/packages/07/25/"
    "ee8c38ae72d66b844ce8eb9711ba905dba21ca1a8a0c960057c41cd23337/pip-26.3-py3-none-any.whl"
)
PIP_WHEEL_SHA256 = "f3b60b20ffaadd4415ed7957212a38ac63fa4c5fa375bd0f4a797777940fad13"


def say(message: str) -> None:
    print(f"bootstrap: {message}", flush=True)


def fail(message: str) -> None:
    print(f"bootstrap: error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def venv_bin(name: str) -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / (f"{name}.exe" if name in ("python", "kummi") else name)
    return VENV / "bin" / name


def runs(cmd: list[str]) -> bool:
    try:
        return subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0
    except OSError:
        return False


def usable_venv() -> bool:
    """A .venv whose interpreter starts and is new enough (a system upgrade can break an old one)."""
    python = venv_bin("python")
    check = f"import sys; sys.exit(sys.version_info < {MIN_PYTHON!r})"
    return python.exists() and runs([str(python), "-c", check])


def create_venv() -> None:
    clear = VENV.exists()
    if clear:
        say(f"{VENV.name} does not work with this Python: recreating it")
    try:
        import ensurepip  # noqa: F401  (Debian and Ubuntu ship it only in python3-venv)

        has_ensurepip = True
    except ImportError:
        has_ensurepip = False
    if has_ensurepip:
        say(f"creating {VENV.name} with {sys.executable} {sys.version.split()[0]}")
        try:
            venv.EnvBuilder(with_pip=True, clear=clear).create(VENV)
            return
        except (subprocess.CalledProcessError, OSError) as exc:  # a stub ensurepip without wheels
            say(f"ensurepip did not work ({exc}); creating {VENV.name} without pip")
            clear = True
    else:
        say(f"no ensurepip in {sys.executable}: creating {VENV.name} without pip")
    venv.EnvBuilder(with_pip=False, clear=clear).create(VENV)


def download(url: str, dest: Path) -> None:
    """Fetch url to dest. The caller checks a pinned SHA-256, so a machine without a CA bundle
    (Debian's minimal python3 does not pull in ca-certificates) may fall back to unverified TLS."""
    try:
        with urllib.request.urlopen(url, timeout=120) as resp, open(dest, "wb") as out:
            shutil.copyfileobj(resp, out)
        return
    except urllib.error.URLError as exc:
        if not isinstance(exc.reason, ssl.SSLCertVerificationError):
            fail(f"cannot download {url}: {exc.reason}")
        say("no trusted CA certificates for TLS; relying on the pinned SHA-256 instead")
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(url, timeout=120, context=context) as resp, open(dest, "wb") as out:
            shutil.copyfileobj(resp, out)
    except urllib.error.URLError as exc:
        fail(f"cannot download {url}: {exc.reason}")


def install_pip() -> None:
    python = venv_bin("python")
    with tempfile.TemporaryDirectory() as tmp:
        wheel = Path(tmp) / PIP_WHEEL_URL.rsplit("/", 1)[1]
        say(f"downloading pip {PIP_VERSION} from PyPI")
        download(PIP_WHEEL_URL, wheel)
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        if digest != PIP_WHEEL_SHA256:
            fail(f"{wheel.name} has SHA-256 {digest}, expected {PIP_WHEEL_SHA256}: not installing it")
        # pip's wheel runs from the zip itself (python pip.whl/pip ...) and installs itself.
        cmd = [str(python), f"{wheel}/pip", "install", "--quiet", "--no-index", "--no-deps",
               "--disable-pip-version-check", str(wheel)]
        if subprocess.run(cmd).returncode != 0:
            fail("installing pip into the virtual environment failed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--test", action="store_true", help="also install the test extra")
    parser.add_argument("-q", "--quiet", action="store_true", help="less output from pip")
    args = parser.parse_args(argv)

    if sys.version_info < MIN_PYTHON:
        fail(f"kummi needs Python {'.'.join(map(str, MIN_PYTHON))} or newer; this is {sys.version.split()[0]}")
    if not usable_venv():
        create_venv()
    python = str(venv_bin("python"))
    if not runs([python, "-m", "pip", "--version"]):
        install_pip()

    target = ".[test]" if args.test else "."
    say(f"installing kummi{'[test]' if args.test else ''} with constraints.txt into {VENV.name}")
    cmd = [python, "-m", "pip", "install", "--disable-pip-version-check", "-c", "constraints.txt", "-e", target]
    if args.quiet:
        cmd.insert(4, "--quiet")
    env = {**os.environ, "PIP_REQUIRE_VIRTUALENV": "1"}
    env.pop("PYTHONPATH", None)
    if subprocess.run(cmd, cwd=ROOT, env=env).returncode != 0:
        fail("pip install failed (see above)")
    activate = r".venv\Scripts\activate" if os.name == "nt" else "source .venv/bin/activate"
    say(f"done: run {venv_bin('kummi').relative_to(ROOT)} (or '{activate}', then kummi)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
