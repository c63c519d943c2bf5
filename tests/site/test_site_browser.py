"""The site in a real Chromium: quizzes, language switch, Finnish search, offline use, axe."""
from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def _quiz_url(course) -> str:
    mod = next(m for m in course.modules if m.quiz and m.quiz.questions)
    return f"modules/{mod.folder}/quiz/", mod


def test_quiz_gives_feedback_and_score(page, site_url, site_build):
    course, _ = site_build
    url, mod = _quiz_url(course)
    page.goto(site_url + url)
    # All right: every correct option ticked.
    for q in mod.quiz.questions:
        for o in q.options:
            if o.correct:
                page.check(f'input[name="q-{q.id}"][value="{o.id}"]')
    page.click(".kummi-check")
    result = page.locator(".kummi-result")
    n = len(mod.quiz.questions)
    assert f"{n} / {n}" in result.inner_text() and "Hyväksytty" in result.inner_text()
    assert page.locator(".kummi-feedback:visible").count() >= n
    _assert_verdicts(page, "Oikein!", "rgb(10, 107, 82)")
    # Try again, all wrong: feedback says so and the score is below the pass mark.
    page.click(".kummi-retry")
    assert result.inner_text() == ""
    for q in mod.quiz.questions:
        wrong = next(o for o in q.options if not o.correct)
        page.check(f'input[name="q-{q.id}"][value="{wrong.id}"]')
    page.click(".kummi-check")
    assert f"0 / {n}" in result.inner_text() and "Ei vielä hyväksytty" in result.inner_text()
    assert page.locator(".kummi-option.is-wrong").count() >= n
    _assert_verdicts(page, "Ei aivan.", "rgb(174, 51, 45)")
    assert not page.outside


def _assert_verdicts(page, label: str, colour: str) -> None:
    """Every shown feedback starts with the same bold, coloured label, then the author's text
    without a verdict of its own ("Oikein! Oikein." / "Ei aivan. Ei." would say it twice)."""
    shown = page.locator(".kummi-feedback:visible")
    assert shown.count()
    for i in range(shown.count()):
        verdict = shown.nth(i).locator(".kummi-verdict")
        assert verdict.inner_text() == label
        style = verdict.evaluate("e => [getComputedStyle(e).fontWeight, getComputedStyle(e).color]")
        assert int(style[0]) >= 700 and style[1] == colour, style
        rest = shown.nth(i).inner_text()[len(label):].strip()
        assert not re.match(r"(Oikein|Väärin|Ei)\b[.!]", rest), rest


def test_language_switch_keeps_the_page(page, site_url, site_build):
    course, _ = site_build
    mod = course.modules[0]
    path = f"modules/{mod.folder}/{mod.lessons[0].id}/"
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(site_url + path)
    assert page.get_attribute("html", "lang") == "fi"
    page.hover(".md-header__option .md-select")
    page.click('.md-select__link[hreflang="sv"]')
    page.wait_for_url(site_url + "sv/" + path)
    assert page.get_attribute("html", "lang") == "sv"
    page.hover(".md-header__option .md-select")
    page.click('.md-select__link[hreflang="fi"]')
    page.wait_for_url(site_url + path)
    assert page.get_attribute("html", "lang") == "fi"
    # The plugin links each page to its counterpart: Material needs no sitemap.xml for that.
    assert not [u for u in requests if "sitemap" in u]


def _search(page, query: str) -> int:
    """Type a query and count the results; retype while the search index is still loading."""
    for _ in range(8):
        page.click(".md-search__input")
        page.fill(".md-search__input", "")
        page.type(".md-search__input", query, delay=20)
        try:
            page.wait_for_selector(".md-search-result__item", timeout=1500)
            return page.locator(".md-search-result__item").count()
        except Exception:  # noqa: BLE001 - not ready yet, or really no results
            continue
    return 0


def test_finnish_search_finds_inflected_words(page, site_url, site_build):
    course, _ = site_build
    page.goto(site_url)
    assert _search(page, "kummeille") > 0
    titles = page.locator(".md-search-result__item").all_inner_texts()
    assert any(re.search(r"kummi", t, re.I) for t in titles)
    # Quiz answers never show in the results (the quiz page is found by its questions).
    results = " ".join(titles)
    for mod in (m for m in course.modules if m.quiz):
        for q in mod.quiz.questions:
            for o in q.options:
                assert not o.feedback or o.feedback.get("fi")[:40] not in results, (q.id, o.id)
    assert not page.outside


def test_every_page_is_accessible_and_local(page, site_url, site_pages, axe_source):
    problems = []
    for path in site_pages:
        response = page.goto(site_url + path)
        assert response and response.ok, path
        lang = page.get_attribute("html", "lang")
        assert lang == ("sv" if path.startswith("sv/") else "en" if path.startswith("en/") else "fi"), path
        page.add_script_tag(content=axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        for v in result["violations"]:
            if v["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in v["nodes"]][:3]
                problems.append(f"{path}: {v['id']} ({v['impact']}) {targets}")
    assert not problems, "\n".join(problems)
    assert not page.outside, page.outside[:5]


def test_offline_site_works_from_file_urls(browser, offline_site):
    context = browser.new_context()
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto((offline_site / "index.html").as_uri())
    first_module = page.locator(".md-content a[href$='index.html']").first
    with page.expect_navigation():
        first_module.click()
    page.wait_for_load_state()
    assert page.url.startswith("file://") and page.url.endswith("/index.html")
    assert page.locator("h1").count() == 1
    assert _search(page, "kummeille") > 0
    context.close()
    outside = [u for u in requests if not u.startswith(("file://", "data:", "blob:", "about:"))]
    assert not outside, outside[:5]


def test_offline_pages_log_no_console_errors(browser, offline_site, site_build):
    """From file:// nothing may be fetched (Material fetched sitemap.xml for the language switch:
    a CORS error on every page); the switch still keeps the reader on the same page."""
    course, _ = site_build
    mod = course.modules[0]
    quiz_mod = next(m for m in course.modules if m.quiz and m.quiz.questions)
    lesson = f"modules/{mod.folder}/{mod.lessons[0].id}.html"
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: m.type in ("error", "warning") and errors.append(f"{page.url}: {m.text}"))
    page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
    page.on("requestfailed", lambda r: errors.append(f"{page.url}: failed {r.url}"))
    for path in ("index.html", f"modules/{mod.folder}/index.html", lesson, f"modules/{quiz_mod.folder}/quiz.html",
                 "mentors.html", "glossary.html", "sv/index.html", "sv/" + lesson):
        page.goto((offline_site / path).as_uri())
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # let Material's scripts start (they fetched sitemap.xml after load)
    page.goto((offline_site / lesson).as_uri())
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click('.md-select__link[hreflang="sv"]')
    assert page.url == (offline_site / "sv" / lesson).as_uri()
    assert page.get_attribute("html", "lang") == "sv"
    page.wait_for_timeout(300)
    page.hover(".md-header__option .md-select")
    with page.expect_navigation():
        page.click('.md-select__link[hreflang="fi"]')
    assert page.url == (offline_site / lesson).as_uri()
    page.wait_for_timeout(300)
    context.close()
    assert not errors, "\n".join(errors[:10])
