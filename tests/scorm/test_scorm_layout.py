"""The player's layout in Chromium at common laptop and desktop widths and on a phone: a screenshot
of each (pytest's tmp dir, for a person to look at) and layout facts from getBoundingClientRect."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (1280, 1366, 1920, 390)
GAP = 24  # px: more than this between the contents list and the page reads as a hole

FACTS = """() => {
  const box = sel => { const r = document.querySelector(sel).getBoundingClientRect();
                       return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width}; };
  return {
    viewport: document.documentElement.clientWidth,
    scrollWidth: document.documentElement.scrollWidth,
    bodyScrollWidth: document.body.scrollWidth,
    toc: box("#toc"), main: box("#main"), header: box("header.top"), page: box("section.page.current"),
    tocBackground: getComputedStyle(document.querySelector("#toc")).backgroundColor,
  };
}"""


def _facts(page) -> dict:
    return page.evaluate(FACTS)


def _check(facts: dict, width: int, where: str) -> None:
    vw = facts["viewport"]
    toc, main = facts["toc"], facts["main"]
    assert facts["scrollWidth"] <= vw and facts["bodyScrollWidth"] <= vw, (where, "horizontal overflow", facts)
    assert facts["header"]["left"] == 0 and abs(facts["header"]["right"] - vw) <= 1, (where, facts)
    if width >= 768:
        # side by side: the contents list starts at the left edge (no white strip before it) and the
        # page follows it directly
        assert toc["left"] <= 1, (where, "gap left of the sidebar", toc)
        assert abs(toc["top"] - main["top"]) <= 1, (where, toc, main)
        assert 0 <= main["left"] - toc["right"] <= GAP, (where, "gap between sidebar and content", toc, main)
        assert 180 <= toc["width"] <= 300, (where, toc)
        assert main["width"] >= 480 and main["right"] <= vw + 1, (where, main)
        # the text column stays readable on a wide screen
        assert facts["page"]["width"] <= 900, (where, facts["page"])
    else:
        # stacked: the contents list above the page, both the full width
        assert toc["left"] <= 1 and abs(toc["right"] - vw) <= 1, (where, toc)
        assert 0 <= main["top"] - toc["bottom"] <= GAP, (where, toc, main)
        assert main["left"] <= 1 and abs(main["right"] - vw) <= 1, (where, main)


@pytest.mark.parametrize("width", WIDTHS)
def test_layout_at_common_widths(browser, lms_server, tmp_path, width):
    base, _ = lms_server
    context = browser.new_context(viewport={"width": width, "height": 900 if width > 500 else 844})
    try:
        page = context.new_page()
        page.goto(f"{base}/pkg/perusteet.fi.scorm12/index.html")
        page.wait_for_function("kummiScorm.player && kummiScorm.player.current")
        page.screenshot(path=str(tmp_path / f"lesson-{width}.png"), full_page=True)
        _check(_facts(page), width, "lesson")
        page.click("#next")
        page.click("#next")
        for qid, option in (("ydin", "a"), ("monivalinta", "a"), ("kummit-tf", "false")):
            page.check(f"#q-{qid}-{option}")
            page.click(f"#q-{qid} button.check")
        assert page.is_visible("#end-summary")
        page.screenshot(path=str(tmp_path / f"quiz-{width}.png"), full_page=True)
        _check(_facts(page), width, "quiz")
        # the end summary fits its column
        summary = page.evaluate("(() => { const r = document.querySelector('#end-summary').getBoundingClientRect();"
                                " return [r.left, r.right]; })()")
        main = _facts(page)["main"]
        assert main["left"] <= summary[0] and summary[1] <= main["right"] + 1
    finally:
        context.close()
