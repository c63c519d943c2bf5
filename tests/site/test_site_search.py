"""Site search finds inflected Finnish and Swedish words, in a real Chromium.

Each form below is an inflected form of a word of the sample course (most of them from the course's
own text, a few that it does not contain). Searching for it must find a page that has the base
word, and where possible a page that has only the base word, not the form itself: lunr's stemmers
alone miss most of these (`kummeja` -> `kummej`, `kummi` -> `kum`), the base forms from Voikko and
Hunspell in the index and its table of forms find them.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest


FINNISH = {
    "kummeja": "kummi", "kummeille": "kummi", "kummiksi": "kummi", "kummien": "kummi",
    "esihenkilöille": "esihenkilö", "esihenkilöitä": "esihenkilö", "virastoissa": "virasto", "virastoihinsa": "virasto",
    "tehtäviä": "tehtävä", "verkostoissa": "verkosto", "asiakkaalle": "asiakas", "asioita": "asia", "avoimia": "avoin",
    "hankkeeseesi": "hanke", "ideoita": "idea", "ilmiölähtöisen": "ilmiölähtöinen", "johdolle": "johto",
    "kehittämisen": "kehittää", "kokeilemalla": "kokeilla", "kokonaisuuden": "kokonaisuus", "kysymyksiin": "kysymys",
    "luottamukseen": "luottamus", "lähtökohtana": "lähtökohta", "maanmittauslaitoksen": "maanmittauslaitos",
    "muutoksessa": "muutos", "oppitunnit": "oppitunti", "paikoissa": "paikka", "rooliin": "rooli", "tiimissä": "tiimi",
    "tuloksista": "tulos", "työtavoista": "työtapa", "valmennuksia": "valmennus", "verohallinnon": "verohallinto",
    "yhteyksiä": "yhteys", "tarpeesta": "tarve", "tekstivastinetta": "tekstivastine",
}
SWEDISH = {
    "myndigheterna": "myndighet", "faddrarna": "fadder", "chefer": "chef", "frågorna": "fråga", "kurserna": "kurs",
    "nätverken": "nätverk", "försöken": "försök", "roller": "roll", "kompetensen": "kompetens",
    "organisationer": "organisation", "resultaten": "resultat", "lokalerna": "lokal",
}
OFFLINE = ("kummeja", "esihenkilöille", "tiimissä", "virastoissa")


def _pages_with_words(site: Path, lang: str) -> dict[str, set[str]]:
    """word -> site paths of the pages whose indexed text has it (from Material's own index entries)."""
    index = site / ("" if lang == "fi" else f"{lang}/") / "search/search_index.json"
    prefix = "" if lang == "fi" else f"{lang}/"
    out: dict[str, set[str]] = {}
    for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]:
        text = re.sub(r"<[^>]*>", " ", f"{doc['title']} {doc['text']}").lower()
        for word in re.findall(r"[^\W\d_]+", text):
            out.setdefault(word, set()).add(prefix + doc["location"].split("#")[0])
    return out


def _search(page, query: str) -> int:
    """Type a query and count the results. Playwright types letters outside US ASCII (ä, ö, å) as
    inserted text, without the key events Material listens to: a key press after the word sends it."""
    for _ in range(8):
        page.click(".md-search__input")
        page.fill(".md-search__input", "")
        page.type(".md-search__input", query, delay=20)
        page.press(".md-search__input", "End")
        page.wait_for_timeout(400)  # the last word's results replace those of its first letters
        try:
            page.wait_for_function(
                "q => document.querySelector('.md-search__input').value === q && document.querySelector('.md-search-result__item')",
                arg=query, timeout=1500,
            )
            return page.locator(".md-search-result__item").count()
        except Exception:  # noqa: BLE001 - not ready yet, or really no results
            continue
    return 0


def _result_pages(page, site_root: str) -> set[str]:
    """Site paths of the pages in the result list (scrolled to the end: Material adds results as you scroll)."""
    meta = re.search(r"\d+", page.inner_text(".md-search-result__meta"))
    total = int(meta.group()) if meta else 0
    for _ in range(40):
        if page.locator(".md-search-result__item").count() >= total:
            break
        page.hover(".md-search-result__item >> nth=-1")
        page.mouse.wheel(0, -4000)  # Material renders the next results on reaching the bottom again
        page.wait_for_timeout(100)
        page.mouse.wheel(0, 4000)
        page.wait_for_timeout(150)
    hrefs = page.eval_on_selector_all(".md-search-result__item > .md-search-result__link", "els => els.map(e => e.href)")
    out = set()
    for href in hrefs:
        path = urlparse(urljoin(page.url, href)).path
        root = urlparse(site_root).path
        out.add(path[len(root):] if path.startswith(root) else path)
    return {p[: -len("index.html")] if p.endswith("index.html") else p for p in out}


def _misses(page, site_url: str, site: Path, lang: str, forms: dict[str, str]) -> list[str]:
    pages = _pages_with_words(site, lang)
    misses = []
    for form, base in forms.items():
        with_base = pages.get(base, set())
        assert with_base, f"the course has no page with {base!r}: the test list needs updating"
        only_base = with_base - pages.get(form, set())
        if not _search(page, form):
            misses.append(f"{form}: no results")
            continue
        found = _result_pages(page, site_url)
        if not found & (only_base or with_base):
            misses.append(f"{form}: no page with {base!r} among {sorted(found)}")
    return misses


def test_finnish_search_finds_the_base_word_of_inflected_forms(page, site_url, site):
    assert len(FINNISH) >= 30
    page.goto(site_url)
    misses = _misses(page, site_url, site, "fi", FINNISH)
    assert not misses, "\n".join(misses)
    assert not page.outside


def test_swedish_search_finds_the_base_word_of_inflected_forms(page, site_url, site):
    page.goto(site_url + "sv/")
    misses = _misses(page, site_url, site, "sv", SWEDISH)
    assert not misses, "\n".join(misses)


def test_index_carries_base_forms_but_pages_do_not_show_them(site):
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    assert "lemmas" in index["config"]["fields"] and index["config"]["kummi_forms"]["kummeja"] == "kummi"
    assert any("kummi" in doc.get("lemmas", "").split() for doc in index["docs"])
    worker = next((site / "assets/javascripts/workers").glob("search.kummi.min.js"))
    assert "__kummiForms" in worker.read_text(encoding="utf-8")
    for html in site.rglob("*.html"):
        assert "kummi_forms" not in html.read_text(encoding="utf-8")


@pytest.mark.parametrize("form", OFFLINE)
def test_offline_site_search_finds_inflected_forms(browser, offline_site, form):
    context = browser.new_context()
    page = context.new_page()
    page.goto((offline_site / "index.html").as_uri())
    assert _search(page, form) > 0
    found = _result_pages(page, offline_site.as_uri() + "/")
    with_base = _pages_with_words(offline_site, "fi")[FINNISH[form]]
    assert found & with_base, (form, found)
    context.close()


def test_base_forms_from_the_build_cache_equal_fresh_ones(monkeypatch):
    """A page's terms (its own document and its sections') are kept in the build cache by their
    texts: an index made from the cache equals one made afresh, document by document."""
    import copy

    from kummi.cache import MemoryCache
    from kummi.targets.site import searchworker

    docs = [
        {"location": "modules/kummi/", "title": "Kummin rooli", "text": "<p>Kummit tukevat esihenkilöitä virastoissa.</p>"},
        {"location": "modules/kummi/#tehtavat", "title": "Tehtävät", "text": "<p>Kummeille kuuluu tehtäviä.</p>"},
        {"location": "modules/tiimi/", "title": "Tiimi", "text": "<p>Tiimissä opitaan kokeilemalla.</p>"},
        {"location": "modules/tiimi/#x", "title": "Ja", "text": "<p>ja</p>"},
    ]
    fresh = searchworker.add_base_forms({"docs": copy.deepcopy(docs)}, "fi")
    assert "kummi" in fresh["docs"][1]["lemmas"].split() and "lemmas" not in fresh["docs"][3]
    assert fresh["config"]["kummi_forms"]["kummeille"] == "kummi"
    store = MemoryCache()
    assert searchworker.add_base_forms({"docs": copy.deepcopy(docs)}, "fi", store) == fresh
    assert len(store.get_many(searchworker.TERMS, [k for (kind, k) in store._memory if kind == searchworker.TERMS])) == 2  # one per page

    def no_speller(*args):
        raise AssertionError("terms were computed again instead of read from the cache")

    monkeypatch.setattr(searchworker, "_page_terms", no_speller)
    assert searchworker.add_base_forms({"docs": copy.deepcopy(docs)}, "fi", store) == fresh
