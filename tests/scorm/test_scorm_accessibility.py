"""axe-core on the package pages (standalone launch): no serious or critical WCAG 2.1 A/AA issues."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def run_axe(page, axe_source: str) -> list[dict]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_package_pages_have_no_serious_axe_violations(browser, lms_server, axe_source, lang):
    base, _ = lms_server
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{base}/pkg/perusteet.{lang}.scorm12/index.html")
        page.wait_for_function("kummiScorm.player && kummiScorm.player.current")
        found = {}
        found["lesson-1"] = run_axe(page, axe_source)
        page.click("#next")
        found["lesson-2"] = run_axe(page, axe_source)
        page.click("#next")
        found["quiz"] = run_axe(page, axe_source)
        page.check("#q-ydin-b")
        page.click("#q-ydin button.check")
        page.check("#q-monivalinta-a")
        page.check("#q-monivalinta-b")
        page.click("#q-monivalinta button.check")
        page.check("#q-kummit-tf-true")
        page.click("#q-kummit-tf button.check")
        found["quiz-answered"] = run_axe(page, axe_source)
        page.click("#toc-list a[data-page='glossary']")
        found["glossary"] = run_axe(page, axe_source)
        page.click("#toc-list a[data-page='01-johdanto']")
        page.click("#page-01-johdanto a.term")
        assert page.is_visible("#back")
        found["glossary-term-highlighted"] = run_axe(page, axe_source)
        page.set_viewport_size({"width": 380, "height": 800})
        page.click("#toc-toggle")
        found["narrow-toc-open"] = run_axe(page, axe_source)
        assert {k: v for k, v in found.items() if v} == {}
    finally:
        context.close()
