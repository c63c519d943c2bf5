"""Search that finds inflected words: base forms in the index, and a patched Material search worker.

Material appends `*` to every query term, and lunr skips the stemmer for wildcard terms, so an
inflected Finnish query (`kummeille`) never meets the stemmed index (`kum`). kummi ships a copy of
the worker in which every plain term is searched both as a prefix and as a stemmed word
(`kummeille* kummeille^1`).

lunr's Snowball stemmers do not know Finnish consonant gradation or plural stems (`kummeja` ->
`kummej`, `töitä` -> `töitä`), so at build time the real morphology adds what they miss
(`add_base_forms`, Voikko for Finnish, Hunspell for Swedish, see spelling/engines.py):

- every search document gets a `lemmas` field: the base forms of its words that differ from the
  words themselves (indexed and stemmed like the text, never shown);
- the index's config carries `kummi_forms`: every inflected word of the course -> its base forms.
  The patched worker adds those base forms to a query term it finds there (`kummeja` ->
  `kummeja* kummeja^1 kummi`), so a learner's inflected word meets the page of the base word.

If Material's code changes so that a patch no longer applies, the original worker stays in use
(and the site search tests fail).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ...cache import digest

ORIGINAL = re.compile(r"^assets/javascripts/workers/search\.[0-9a-f]+\.min\.js$")
PATCHED = "assets/javascripts/workers/search.kummi.min.js"
FIELD = "lemmas"  # the documents' hidden field of base forms
FORMS = "kummi_forms"  # the config's table of inflected word -> base forms
TERMS = "search-terms"  # build-cache kind of a page's words with base forms and its documents' base forms
_PATCHES = (
    # every plain query term: as a prefix, stemmed, and by its base forms from the course's table
    (".map(r=>/(^[+-]|[~^]\\d+$)/.test(r)?r:`${r}*`)",
     ".map(r=>/(^[+-]|[~^]\\d+$)/.test(r)?r:`${r}* ${r}^1${(self.__kummiForms||{})[r.toLowerCase()]||\"\"}`)"),
    # the table arrives with the index's config
    ("constructor({config:e,docs:r,options:n}){",
     "constructor({config:e,docs:r,options:n}){self.__kummiForms=Object.fromEntries(Object.entries(e." + FORMS
     + "||{}).map(([k,v])=>[k,v.split(\" \").map(x=>\" \"+x).join(\"\")]));"),
)
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"[^\W\d_]+(?:[-:'’][^\W\d_]+)*")  # letters; kept whole across a hyphen, colon or apostrophe
_LETTERS = re.compile(r"[^\W\d_]+")


def patch(source: str) -> str | None:
    for old, new in _PATCHES:
        if old not in source:
            return None
        source = source.replace(old, new, 1)
    return source


def _words(text: str) -> list[str]:
    """The distinct words of a document's text (HTML), lower case, as lunr will split them: at
    spaces and hyphens (the index's separator); a word with a colon (`EU:n`) stays whole."""
    out = []
    for word in _WORD.findall(_TAG.sub(" ", text).lower()):
        out.extend(part for part in word.split("-") if part)
    return list(dict.fromkeys(out))


def _lemmas(speller, word: str) -> list[str]:
    """Base forms of `word` that differ from it, each as a term lunr keeps whole."""
    out = []
    for lemma in speller.lemmas(word):
        for part in _LETTERS.findall(lemma.lower()):  # 'esihenkilö-työ' or 'EU' splits as lunr splits
            if part != word and part not in out:
                out.append(part)
    return out


def add_base_forms(data: dict, lang: str, store=None) -> dict:
    """Add the `lemmas` field to every document of Material's search index (`data`, parsed
    search_index.json) and the table of inflected forms to its config. Without a speller for
    `lang` (Voikko / Hunspell not installed), the index is left as it is. `store` (a cache, e.g.
    cache.CollectingCache) keeps each page's terms between builds: one entry for the page and its
    sections' documents, packed as two strings (quick to read back)."""
    from ...spelling.engines import speller

    if speller(lang) is None:
        return data
    docs = data.get("docs", [])
    pages: dict[str, list[int]] = {}  # Material's documents: a page's, then one per section ("page/#anchor")
    for i, doc in enumerate(docs):
        pages.setdefault(str(doc.get("location", "")).split("#")[0], []).append(i)
    groups = list(pages.values())

    def texts(group) -> list[str]:  # made per page, not held for the whole index
        return [f"{docs[i].get('title', '')} {docs[i].get('text', '')}" for i in group]

    keys = [digest(TERMS, lang, tuple(texts(group))) for group in groups] if store is not None else []
    known = store.get_many(TERMS, keys) if store is not None else {}
    table: dict[str, str] = {}
    for n, group in enumerate(groups):
        packed = known.get(keys[n]) if store is not None else None
        if packed is None:
            packed = _page_terms(lang, texts(group))
            if store is not None:
                store.put(TERMS, keys[n], packed)
        forms, bases = packed
        if forms:  # the page's "word\tbase forms" lines (a word is letters: no tab or newline in it)
            cells = forms.replace("\n", "\t").split("\t")
            table.update(zip(cells[0::2], cells[1::2]))
        for i, base in zip(group, bases.split("\n")):
            if base:
                docs[i][FIELD] = base
    config = data.setdefault("config", {})
    config.setdefault("fields", {})[FIELD] = {"boost": 1.0}
    config[FORMS] = dict(sorted(table.items()))
    return data


def _page_terms(lang: str, texts: list[str]) -> tuple[str, str]:
    """A page's documents' terms, packed: ("word\tbase forms" lines of its words that have base
    forms; each document's base forms, one line per document)."""
    forms: dict[str, str] = {}
    bases = []
    for text in texts:
        words, base = _document_terms(lang, text)
        forms.update(words)
        bases.append(base)
    return "\n".join(f"{word}\t{lemmas}" for word, lemmas in forms.items()), "\n".join(bases)


# Not remembered by text: the store keeps each page's terms between builds and saves, and a build's
# worker would hold every document's words until its end (tens of MB at 1000 lessons). Voikko is
# slow per word: the words' base forms are remembered (`_word_lemmas`).
def _document_terms(lang: str, text: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """(the document's words that have base forms, with them; its base forms that are not among
    its words, space-separated)."""
    words = _words(text)
    present = set(words)
    forms: list[tuple[str, str]] = []
    base: list[str] = []
    for word in words:
        lemmas = _word_lemmas(lang, word)
        if lemmas:
            forms.append((word, lemmas))
            base.extend(lemma for lemma in lemmas.split() if lemma not in base and lemma not in present)
    return tuple(forms), " ".join(base)


@lru_cache(maxsize=1 << 18)
def _word_lemmas(lang: str, word: str) -> str:
    from ...spelling.engines import speller

    return " ".join(_lemmas(speller(lang), word))
