"""Site fixtures: one build of a private copy of the course per session, served on 127.0.0.1."""
from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from site_helpers import EPOCH, build, copy_course  # noqa: F401


@pytest.fixture(scope="session")
def site_course(repo_root, tmp_path_factory) -> Path:
    """The repository's course as it was when the session started."""
    return copy_course(repo_root, tmp_path_factory.mktemp("site") / "course")


@pytest.fixture(scope="session")
def site_build(site_course, tmp_path_factory):
    """(course, build/site) with a fake slide deck offered on the first module's Finnish page."""
    from kummi.loader import load_course

    course, _ = load_course(site_course)
    deck = tmp_path_factory.mktemp("downloads") / f"{course.modules[0].id}-fi.pptx"
    deck.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    return build(site_course, tmp_path_factory.mktemp("out"), downloads={f"{course.modules[0].id}.fi": (deck,)})


@pytest.fixture(scope="session")
def site(site_build) -> Path:
    return site_build[1]


@pytest.fixture(scope="session")
def offline_site(site_course, tmp_path_factory) -> Path:
    """build/site of `kummi build --offline`, for opening from file:// URLs."""
    return build(site_course, tmp_path_factory.mktemp("offline"), offline=True)[1]


@pytest.fixture(scope="session")
def site_url(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def site_pages(site) -> list[str]:
    """Every HTML page of every language, as URL paths."""
    out = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        out.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return out


@pytest.fixture
def page(browser, site_url):
    """A page whose every request must stay on the local server; `page.outside` lists the rest."""
    context = browser.new_context()
    outside: list[str] = []
    local = urlparse(site_url).netloc

    def guard(route):
        url = route.request.url
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob", "file") or parsed.netloc == local:
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    context.route("**/*", guard)
    p = context.new_page()
    p.outside = outside
    yield p
    context.close()
