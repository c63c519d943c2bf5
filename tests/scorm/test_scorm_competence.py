"""The competence map page in the SCORM package of the module with competence_map: true: an
accessible table (caption, th scope), every mentor once per theme they cover, agency codes only
where they differ from the name; counted in "pages seen", filterable by theme and language in a
real Chromium against the LMS host, laid out at 1280 and 390 px and checked with axe."""
from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import html as lxml_html

from scorm_helpers import FIXTURE_COURSE, HERE, SCORM_AGAIN, build_course
from test_scorm_accessibility import run_axe
from test_scorm_layout import _check, _facts

MAP_TITLE = {"fi": "Kummien osaamiskartta", "sv": "Faddrarnas kompetenskarta", "en": "Mentors' competence map"}


@pytest.fixture(scope="module")
def map_course(tmp_path_factory) -> Path:
    """The fixture course with the map switched on for 'verkostot' (the shared fixture keeps it off:
    the other runtime tests count that module's pages)."""
    dest = tmp_path_factory.mktemp("scorm-map-course") / "course"
    shutil.copytree(FIXTURE_COURSE, dest)
    module = dest / "modules" / "02-verkostot" / "module.yaml"
    module.write_text(module.read_text(encoding="utf-8") + "competence_map: true\n", encoding="utf-8")
    return dest


@pytest.fixture(scope="module")
def map_built(map_course, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scorm-map-build")
    build_course(map_course, out, scorm_versions=("1.2", "2004"))
    return out / "scorm"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


@pytest.fixture(scope="module")
def map_server(map_built, tmp_path_factory):
    """The LMS host (scorm-again) serving the map course's packages under /pkg/<name>/."""
    if not (SCORM_AGAIN / "scorm12.min.js").exists():
        pytest.fail("scorm-again is missing: run 'npm ci' (done by .ci/run)")
    root = tmp_path_factory.mktemp("map-lms")
    shutil.copy2(HERE / "host.html", root / "host.html")
    (root / "scorm-again").mkdir()
    for name in ("scorm12.min.js", "scorm2004.min.js"):
        shutil.copy2(SCORM_AGAIN / name, root / "scorm-again" / name)
    for zpath in sorted(map_built.glob("*.zip")):
        with zipfile.ZipFile(zpath) as zf:
            zf.extractall(root / "pkg" / zpath.name[: -len(".zip")])
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _index(built: Path, name: str) -> str:
    with zipfile.ZipFile(built / f"{name}.zip") as zf:
        return zf.read("index.html").decode("utf-8")


def _expected(course, lang: str) -> Counter:
    themes = {t.id: t.name.get(lang) for t in course.themes}
    out = Counter()
    for x in course.mentors:
        for theme in x.themes:
            out[(themes[theme], x.agency, x.id)] += 1
    return out


# ------------------------------------------------------------------ the page in the package


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_map_page_is_an_accessible_table_with_each_mentor_once_per_theme(map_course, map_built, lang):
    from kummi.pipeline import load_and_check

    course, _ = load_and_check(map_course, [])
    doc = lxml_html.fromstring(_index(map_built, f"verkostot.{lang}.scorm12"))
    sections = [s.get("data-page") for s in doc.xpath("//section[contains(@class, 'page ')]")]
    assert sections.index("competence-map") == len([m for m in course.modules if m.id == "verkostot"][0].lessons)
    page = doc.get_element_by_id("page-competence-map")
    assert page.xpath("string(h2)") == MAP_TITLE[lang]
    table = page.get_element_by_id("competence-map")
    assert table.xpath("string(caption)").strip()
    region = table.getparent()
    assert region.get("role") == "region" and region.get("aria-labelledby") == "map-caption" and region.get("tabindex") == "0"
    heads = table.xpath("thead/tr/th")
    assert all(th.get("scope") == "col" for th in heads)
    themes = [th.text_content() for th in heads[1:]]
    assert themes == [t.name.get(lang) for t in course.themes]
    found = Counter()
    labels = {}
    for tr in table.xpath("tbody/tr"):
        th = tr.xpath("th")
        assert len(th) == 1 and th[0].get("scope") == "row"
        labels[tr.get("data-agency")] = th[0].text_content()
        cells = tr.xpath("td")
        assert len(cells) == len(themes)
        for theme, td in zip(themes, cells):
            for li in td.xpath(".//li[@data-mentor]"):
                found[(theme, tr.get("data-agency"), li.get("data-mentor"))] += 1
    assert found == _expected(course, lang)  # each mentor once per theme, none where they do not belong
    # a code shown only where it differs from the name; an agency without mentors has no row
    names = {a.code: a.name.get(lang) for a in course.agencies}
    assert labels["Poliisi"] == names["Poliisi"] if lang == "fi" else labels["Poliisi"] == f"{names['Poliisi']} (Poliisi)"
    assert labels["MML"] == f"{names['MML']} (MML)" and "Tulli" not in labels
    assert list(labels.values()) == sorted(labels.values(), key=str.casefold)
    # the role and the languages of service in words
    mml = table.xpath(".//li[@data-mentor='mml-kehitys']")[0]
    assert mml.get("data-langs") == "fi en"
    assert {"fi": "(suomi, englanti)", "sv": "(finska, engelska)", "en": "(Finnish, English)"}[lang] in mml.text_content()
    # counted like a lesson: in the flow with its own bit of the seen-bitmap
    data = json.loads(doc.get_element_by_id("kummi-data").text)
    assert {"id": "competence-map", "bit": 101, "kind": "map"} in data["pages"]
    # the filter is there for the script to show
    form = doc.get_element_by_id("map-filters")
    assert form.get("hidden") is not None
    assert [o.get("value") for o in form.xpath(".//select[@id='map-theme']/option")] == [""] + [t.id for t in course.themes]
    assert [o.get("value") for o in form.xpath(".//select[@id='map-lang']/option")] == ["", "fi", "sv", "en"]
    for select in form.xpath(".//select"):
        assert form.xpath(f".//label[@for='{select.get('id')}']")


def test_only_the_module_with_the_flag_has_the_map(map_built):
    assert "competence-map" not in _index(map_built, "perusteet.fi.scorm12")
    assert 'id="competence-map"' in _index(map_built, "verkostot.fi.scorm2004")


# ------------------------------------------------------------------ in the browser


def _visible_mentors(frame) -> list[tuple[str, str]]:
    return [tuple(x) for x in frame.evaluate("""() => [...document.querySelectorAll('#competence-map li[data-mentor]')]
        .filter(li => li.offsetParent !== null)
        .map(li => [li.closest('td').dataset.theme, li.dataset.mentor])""")]


@pytest.mark.browser
@pytest.mark.parametrize("version,pkg", [("1.2", "verkostot.fi.scorm12"), ("2004", "verkostot.fi.scorm2004")])
def test_map_page_counts_as_seen_and_filters(browser, map_server, version, pkg):
    context = browser.new_context()
    problems = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: problems.append(str(exc)))
        page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
        page.goto(f"{map_server}/host.html?v={version}&pkg={pkg}")
        frame = page.wait_for_selector("iframe").content_frame()
        frame.wait_for_function("window.kummiScorm && kummiScorm.player && kummiScorm.player.current")
        assert frame.inner_text("#progress-text") == "1/3 sivua katsottu"
        frame.click("#next")
        frame.click("#next")
        assert frame.evaluate("kummiScorm.player.current") == "competence-map"
        assert frame.inner_text("#progress-text") == "3/3 sivua katsottu"
        cmi = page.evaluate("hostCMI()")
        if version == "1.2":
            assert cmi["core"]["lesson_status"] == "completed" and cmi["core"]["lesson_location"] == "competence-map"
        else:
            assert cmi["completion_status"] == "completed" and cmi["location"] == "competence-map"
        assert frame.inner_text("#end-pages") == "3/3"
        assert frame.is_visible("#map-filters")
        everything = _visible_mentors(frame)
        assert sorted(everything) == sorted([("verkostot", "vm-kummi"), ("johtaminen", "vm-johto"), ("kokeilut", "vm-johto"),
                                             ("johtaminen", "poliisi-hr"), ("verkostot", "mml-kehitys"), ("kokeilut", "mml-kehitys")])
        frame.select_option("#map-theme", "johtaminen")
        assert sorted(_visible_mentors(frame)) == [("johtaminen", "poliisi-hr"), ("johtaminen", "vm-johto")]
        assert frame.evaluate("[...document.querySelectorAll('#competence-map thead th')].filter(t => t.offsetParent).length") == 2
        assert frame.is_hidden("#competence-map tr[data-agency='MML']")  # no mentor left in that row
        assert frame.inner_text("#map-status") == "Näkyvissä 2/4 kummia."
        frame.select_option("#map-lang", "sv")
        assert _visible_mentors(frame) == [("johtaminen", "poliisi-hr")]
        frame.select_option("#map-theme", "kokeilut")
        assert _visible_mentors(frame) == []
        assert frame.inner_text("#map-status") == "Valinnoilla ei löydy kummeja."
        frame.select_option("#map-theme", "")
        frame.select_option("#map-lang", "en")
        assert sorted(_visible_mentors(frame)) == [("kokeilut", "mml-kehitys"), ("verkostot", "mml-kehitys")]
        frame.select_option("#map-lang", "")
        assert sorted(_visible_mentors(frame)) == sorted(everything)
        assert problems == [] and frame.evaluate("kummiScorm.errors") == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", [1280, 390])
def test_map_page_layout(browser, map_server, tmp_path, width):
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844})
    try:
        page = context.new_page()
        page.goto(f"{map_server}/pkg/verkostot.fi.scorm12/index.html")
        page.wait_for_function("kummiScorm.player && kummiScorm.player.current")
        page.click("#toc-list a[data-page='competence-map']") if width > 500 else page.evaluate("kummiScorm.player.show('competence-map')")
        page.screenshot(path=str(tmp_path / f"map-{width}.png"), full_page=True)
        facts = _facts(page)
        _check(facts, width, "map")
        box = page.evaluate("""() => { const w = document.querySelector('.map-wrap').getBoundingClientRect();
            const t = document.querySelector('#competence-map').getBoundingClientRect();
            const s = document.querySelector('#map-filters').getBoundingClientRect();
            return {wrap: [w.left, w.right], table: t.width, filters: [s.left, s.right]}; }""")
        main = facts["main"]
        assert main["left"] <= box["wrap"][0] and box["wrap"][1] <= main["right"] + 1  # the table scrolls inside its box
        assert main["left"] <= box["filters"][0] and box["filters"][1] <= main["right"] + 1
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#competence-map td')).fontSize)")
        assert size >= 14
        page.select_option("#map-theme", "kokeilut")
        page.screenshot(path=str(tmp_path / f"map-{width}-filtered.png"), full_page=True)
        _check(_facts(page), width, "map filtered")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_map_page_has_no_serious_axe_violations(browser, map_server, axe_source, lang):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{map_server}/pkg/verkostot.{lang}.scorm12/index.html")
        page.wait_for_function("kummiScorm.player && kummiScorm.player.current")
        page.click("#toc-list a[data-page='competence-map']")
        found = {"map": run_axe(page, axe_source)}
        page.select_option("#map-theme", "johtaminen")
        page.select_option("#map-lang", "sv")
        found["map-filtered"] = run_axe(page, axe_source)
        page.set_viewport_size({"width": 380, "height": 800})
        found["map-narrow"] = run_axe(page, axe_source)
        assert {k: v for k, v in found.items() if v} == {}
        # keyboard: the scrolling table can be reached and the filters have names
        assert re.search(r"\S", page.evaluate("document.querySelector('#map-theme').labels[0].textContent"))
    finally:
        context.close()
