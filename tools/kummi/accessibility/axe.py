"""axe-core on the built site (`kummi a11y`), and reading its report back for the statement.

The report (build/accessibility/axe.json) names the site build it tested by a digest of every file
under build/site/. The statement uses it only while that digest is the current site's: a report
about an older site says nothing about this one.

Needs Playwright (the test extra) with a Chromium (Debian's /usr/bin/chromium, KUMMI_CHROMIUM, or
Playwright's own) and axe-core (node_modules/axe-core/axe.min.js from `npm ci`, or KUMMI_AXE).
"""
from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from ..i18n import M_, MessageError

REPORT = "axe.json"
TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")  # WCAG 2.1 A and AA: what EN 301 549 requires
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-sync"]


class AxeError(MessageError):
    """An axe-core run that could not be made; the message says why."""


@dataclass(frozen=True)
class Violation:
    rule: str
    impact: str
    help: str
    wcag: tuple[str, ...]  # e.g. ("1.4.3",)
    pages: tuple[str, ...]  # site paths where it was found
    nodes: int  # elements affected, over all pages


@dataclass(frozen=True)
class AxeReport:
    version: str  # axe-core version
    epoch: int  # the build clock of the run
    site_digest: str
    pages: int
    incomplete: int  # checks axe could not decide ("needs review")
    violations: tuple[Violation, ...]


def site_digest(site: Path) -> str:
    """One SHA-256 over every file of the built site (paths and contents)."""
    h = hashlib.sha256()
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        h.update(path.relative_to(site).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _wcag(tags) -> tuple[str, ...]:
    """axe tags like 'wcag143' -> '1.4.3'."""
    out = []
    for tag in tags:
        digits = tag[4:] if tag.startswith("wcag") else ""
        if digits.isdigit() and len(digits) >= 3:
            out.append(f"{digits[0]}.{digits[1]}.{digits[2:]}")
    return tuple(sorted(set(out)))


def read_report(path: Path, site: Path) -> tuple[AxeReport | None, str]:
    """(report, status): status 'current' when the report tested this site build, 'stale' when it
    tested another one, 'missing' without a (readable) report or without a site."""
    if not path.is_file():
        return None, "missing"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        report = AxeReport(
            version=str(data["axe_version"]), epoch=int(data["epoch"]), site_digest=str(data["site_digest"]),
            pages=int(data["pages"]), incomplete=int(data["incomplete"]),
            violations=tuple(Violation(v["rule"], v["impact"], v["help"], tuple(v["wcag"]), tuple(v["pages"]), int(v["nodes"]))
                             for v in data["violations"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None, "missing"
    if not site.is_dir() or site_digest(site) != report.site_digest:
        return report, "stale"
    return report, "current"


def find_axe(root: Path) -> Path | None:
    env = os.environ.get("KUMMI_AXE")
    for candidate in ([Path(env)] if env else []) + [root / "node_modules" / "axe-core" / "axe.min.js"]:
        if candidate.is_file():
            return candidate
    return None


def _pages(site: Path) -> list[str]:
    out = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if path.name == "404.html":  # the server's error page (one per language), not course content
            continue
        out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


def run_axe(site: Path, axe_js: Path, epoch: int) -> tuple[AxeReport, dict]:
    """Open every page of `site` in Chromium from a local server (nothing else may load) and run
    axe-core with the WCAG 2.1 A/AA rules. Returns the report and its JSON form."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise AxeError(M_("Playwright is not installed: install kummi's test extra (pip install -e '.[test]') to run axe-core.")) from None
    digest = site_digest(site)
    pages = _pages(site)
    if not pages:
        raise AxeError(M_("{folder} has no pages: build the site first (kummi build --target site).", folder=str(site)))

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    found: dict[str, dict] = {}
    incomplete = 0
    version = ""
    source = axe_js.read_text(encoding="utf-8")
    try:
        with sync_playwright() as pw:
            chromium = os.environ.get("KUMMI_CHROMIUM", "/usr/bin/chromium")
            try:
                browser = pw.chromium.launch(executable_path=chromium if Path(chromium).exists() else None, args=CHROMIUM_ARGS, headless=True)
            except PlaywrightError as exc:
                raise AxeError(M_("Chromium could not start: {detail}", detail=str(exc).splitlines()[0])) from None
            try:
                context = browser.new_context()
                local = urlparse(base).netloc
                context.route("**/*", lambda route: route.continue_() if urlparse(route.request.url).netloc in (local, "")
                              or urlparse(route.request.url).scheme in ("data", "blob") else route.abort())
                page = context.new_page()
                for path in pages:
                    page.goto(base + path)
                    page.add_script_tag(content=source)
                    result = page.evaluate(
                        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']})",
                        list(TAGS),
                    )
                    version = result.get("testEngine", {}).get("version", version)
                    incomplete += len(result.get("incomplete", []))
                    for v in result["violations"]:
                        entry = found.setdefault(v["id"], {"rule": v["id"], "impact": v.get("impact") or "", "help": v.get("help", ""),
                                                           "wcag": list(_wcag(v.get("tags", []))), "pages": [], "nodes": 0})
                        entry["pages"].append(path)
                        entry["nodes"] += len(v.get("nodes", []))
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    violations = sorted(found.values(), key=lambda v: (order.get(v["impact"], 4), v["rule"]))
    data = {
        "tool": "axe-core", "axe_version": version, "epoch": epoch, "site_digest": digest, "tags": list(TAGS),
        "pages": len(pages), "incomplete": incomplete, "violations": violations,
    }
    report = AxeReport(version, epoch, digest, len(pages), incomplete,
                       tuple(Violation(v["rule"], v["impact"], v["help"], tuple(v["wcag"]), tuple(v["pages"]), v["nodes"]) for v in violations))
    return report, data


def write_report(data: dict, dest: Path) -> Path:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(dest)
    return dest
