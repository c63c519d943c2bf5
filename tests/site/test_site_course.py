"""The site reads as a course: module cards on the front page, a module page with objectives and a
way forward, the glossary's A–Ö index, the competence map (a real table with a keyboard-usable
filter). Screenshots at desktop and phone size in a real Chromium, axe on every one of them."""
from __future__ import annotations

from dataclasses import replace

import pytest

pytestmark = pytest.mark.browser

DESKTOP, PHONE = {"width": 1280, "height": 800}, {"width": 390, "height": 844}


def _pages(course) -> dict[str, str]:
    mod = course.modules[0]
    return {"front": "", "module": f"modules/{mod.folder}/", "glossary": "glossary/", "map": "mentors/", "sv-map": "sv/mentors/"}


def _axe(page, axe_source) -> list[str]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}) {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_screenshots_are_accessible_and_fit_the_screen(page, site_url, site_build, axe_source, tmp_path_factory, size):
    course, _ = site_build
    shots = tmp_path_factory.mktemp("screenshots")
    page.set_viewport_size(size)
    problems = []
    for name, path in _pages(course).items():
        page.goto(site_url + path)
        page.wait_for_load_state("load")
        shot = shots / f"{name}-{size['width']}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 20_000, shot  # a rendered page, not a blank one
        # Nothing sticks out sideways: only the map's own region may scroll (a phone gets cards).
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the {size['width']}px screen"
        problems += [f"{path} @{size['width']}: {p}" for p in _axe(page, axe_source)]
    print(f"screenshots: {shots}")
    assert not problems, "\n".join(problems)
    assert not page.outside, page.outside[:5]


def test_front_page_has_a_card_per_module(page, site_url, site_build):
    course, _ = site_build
    page.goto(site_url)
    cards = page.locator("ul.kummi-cards > li.kummi-card")
    assert cards.count() == len(course.modules)
    for card, mod in zip(cards.all(), course.modules):
        link = card.locator("h3 a")
        assert link.inner_text().split(None, 1)[1] == mod.title.get("fi")
        assert link.get_attribute("href") == f"modules/{mod.folder}/"
        facts = card.locator(".kummi-card__facts").inner_text()
        assert f"{mod.duration} minuuttia" in facts and f"{len(mod.lessons)} oppitunti" in facts and "Suomi" in facts
        assert card.locator(".kummi-card__objectives li").count() == len(mod.objectives)
        assert mod.summary.get("fi") in card.inner_text()
    # Headings go down one level at a time: h1 course, h2 Moduulit, h3 per card, h2 for the rest.
    levels = page.eval_on_selector_all("article :is(h1,h2,h3,h4)", "els => els.map(e => +e.tagName[1])")
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:])), levels
    assert levels.count(3) == len(course.modules)


def test_module_page_has_objectives_and_leads_on(page, site_url, site_build):
    course, site = site_build
    mod = next(m for m in course.modules if m.quiz and m.quiz.questions)
    page.goto(site_url + f"modules/{mod.folder}/")
    objectives = page.locator("h2:has-text('Osaamistavoitteet') + ul > li")
    assert objectives.all_inner_texts() == [o.get("fi") for o in mod.objectives]
    start = page.locator("a.kummi-start")
    assert start.get_attribute("href") == f"{mod.lessons[0].id}/"
    # Each lesson ends with a link to what follows: the next lesson, then the quiz.
    for lesson, after in zip(mod.lessons, [*mod.lessons[1:], None]):
        html = (site / "modules" / mod.folder / lesson.id / "index.html").read_text(encoding="utf-8")
        href = f"../{after.id}/" if after else "../quiz/"
        assert f'class="md-button md-button--primary" href="{href}" rel="next"' in html, lesson.id


def test_last_lesson_of_a_module_without_quiz_leads_to_the_next_module(site_build):
    from kummi.targets.site.pages import plan_site

    course, _ = site_build
    first, second = course.modules[0], course.modules[1]
    no_quiz = replace(course, modules=(replace(first, quiz=None), *course.modules[1:]))
    last = f"modules/{first.folder}/{first.lessons[-1].id}.md"
    html = plan_site(no_quiz, "fi").html[last].html
    assert f'href="../{second.folder}/index.md" rel="next"' in html
    assert f"Seuraava moduuli:</span> {second.number}. {second.title.get('fi')}" in html


@pytest.mark.parametrize("lang", ["fi", "sv"])
def test_competence_map_shows_every_mentor_once_per_theme(page, site_url, site_build, lang):
    course, _ = site_build
    page.goto(site_url + ("sv/" if lang == "sv" else "") + "mentors/")
    table = page.locator("table.kummi-map__table")
    cols = table.locator("thead th[scope=col]")
    assert cols.count() == len(course.themes) + 1
    texts = [x.replace("\u00ad", "") for x in cols.all_inner_texts()[1:]]
    assert texts == [th.name.get(lang) for th in course.themes]
    cells = page.evaluate(
        """() => Array.from(document.querySelectorAll('.kummi-map__table tbody td li[data-mentor]'))
             .map(li => [li.dataset.mentor, li.closest('td').dataset.theme])"""
    )
    expected = sorted((m.id, theme) for m in course.mentors for theme in m.themes)
    assert sorted(map(tuple, cells)) == expected, "each mentor exactly once in each of their themes, nowhere else"
    # Agencies: one row each (a row header), the name once, the code only where it differs.
    rows = table.locator("tbody th[scope=row]")
    agencies = {m.agency for m in course.mentors}
    assert rows.count() == len(agencies)
    headers = [x.replace("\u00ad", "") for x in rows.all_inner_texts()]
    for code in agencies:
        name = course.agency(code).name.get(lang)
        header = next(h for h in headers if h.startswith(name))
        assert header.count(name) == 1
        # The code only where it is not the shown name: "Maanmittauslaitos MML", "Poliisi" (fi).
        shown = code.casefold() != name.casefold() and not name.casefold().startswith(code.casefold())
        assert (code in header.replace(name, "", 1)) == shown, header
    if lang == "fi":
        assert "Poliisi" in headers and "Maanmittauslaitos MML" in [" ".join(h.split()) for h in headers]
    # Every mentor's role links to their row in the list of mentors below.
    for mentor_id, _ in cells:
        assert page.locator(f"tr#mentor-{mentor_id}").count() == 1


def _visible(page, selector: str) -> int:
    return page.locator(selector).evaluate_all("els => els.filter(e => e.offsetParent !== null).length")


def test_competence_map_filter_works_from_the_keyboard(page, site_url, site_build):
    course, _ = site_build
    page.goto(site_url + "mentors/")
    rows, mentors = ".kummi-map__table tbody tr", ".kummi-map__table li[data-mentor]"
    assert page.locator(".kummi-map__filter").is_visible()
    assert _visible(page, rows) == len({m.agency for m in course.mentors})
    status = page.locator(".kummi-map__status")
    assert f"{len(course.mentors)}/{len(course.mentors)}" in status.inner_text()

    # Clear every theme (a button, Enter), then tick one theme (a checkbox, Space).
    page.locator(".kummi-map__none").focus()
    page.keyboard.press("Enter")
    assert _visible(page, rows) == 0 and page.locator(".kummi-map__empty").is_visible()
    theme = course.themes[1]
    page.locator(f'input[name=theme][value="{theme.id}"]').focus()
    page.keyboard.press("Space")
    in_theme = [m for m in course.mentors if theme.id in m.themes]
    assert _visible(page, rows) == len({m.agency for m in in_theme}) < len({m.agency for m in course.mentors})
    assert _visible(page, ".kummi-map__table thead th[data-theme]") == 1
    assert _visible(page, mentors) == len(in_theme)
    assert f"{len(in_theme)}/{len(course.mentors)}" in status.inner_text()

    # Language of service: radio buttons, moved with the arrow keys.
    page.locator(".kummi-map__all").focus()
    page.keyboard.press("Enter")
    page.locator('input[name=language][value=""]').focus()
    page.keyboard.press("ArrowRight")  # the first language after "all"
    first_lang = page.locator("input[name=language]:checked").get_attribute("value")
    assert first_lang == course.languages[0]
    page.keyboard.press("ArrowRight")
    lang = page.locator("input[name=language]:checked").get_attribute("value")
    speaking = [m for m in course.mentors if lang in m.languages]
    assert 0 < len(speaking) < len(course.mentors)
    visible_ids = page.locator(mentors).evaluate_all("els => els.filter(e => e.offsetParent !== null).map(e => e.dataset.mentor)")
    assert set(visible_ids) == {m.id for m in speaking}
    assert _visible(page, rows) == len({m.agency for m in speaking})


def test_competence_map_without_javascript_is_the_whole_table(browser, site_url, site_build):
    course, _ = site_build
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "mentors/")
    assert not page.locator(".kummi-map__filter").is_visible()
    assert _visible(page, ".kummi-map__table tbody tr") == len({m.agency for m in course.mentors})
    assert _visible(page, ".kummi-map__table li[data-mentor]") == sum(len(m.themes) for m in course.mentors)
    context.close()


def test_glossary_index_in_alphabetical_order(page, site_url, site_build):
    course, _ = site_build
    page.goto(site_url + "glossary/")
    index = page.locator("nav.kummi-az li")
    letters = index.all_inner_texts()
    assert "".join(letters) == "ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ"
    linked = page.locator("nav.kummi-az a")
    for a in linked.all():
        section = page.locator(a.get_attribute("href"))
        assert section.inner_text() == a.inner_text()
    # Every term keeps its anchor (lessons link to glossary/#<id>) under its initial's heading.
    for term in course.glossary:
        dt = page.locator(f"dt#{term.id}")
        assert dt.count() == 1
        heading = dt.evaluate("e => e.closest('section').querySelector('h2').textContent")
        assert term.term.get("fi").lstrip()[0].upper() == heading


def test_glossary_sorts_a_ring_a_umlaut_o_umlaut_last():
    from kummi.model import LocalText, Term
    from kummi.targets.site.pages import glossary_index

    def term(word: str) -> Term:
        return Term(id=word, term=LocalText.of({"fi": word, "sv": word}), definition=LocalText.of({"fi": "x", "sv": "x"}), loc=None)

    words = ["öljy", "zeta", "Åland", "auto", "émigré", "äiti", "Über", "yö", "2030-luku", "vaaka"]

    class Course:
        glossary = tuple(term(w) for w in words)

    for lang in ("fi", "sv"):
        groups = [(g["char"], [t.id for t in g["terms"]]) for g in glossary_index(Course, lang) if g["terms"]]
        assert groups == [
            ("A", ["auto"]), ("E", ["émigré"]), ("V", ["vaaka"]), ("Y", ["Über", "yö"]), ("Z", ["zeta"]),
            ("Å", ["Åland"]), ("Ä", ["äiti"]), ("Ö", ["öljy"]), ("#", ["2030-luku"]),
        ], lang
    anchors = [g["anchor"] for g in glossary_index(Course, "fi")]
    assert len(set(anchors)) == len(anchors) and all(a.isascii() for a in anchors)
