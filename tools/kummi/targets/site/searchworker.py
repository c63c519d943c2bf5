"""Stemmed search queries for Material's search worker.

Material appends `*` to every query term, and lunr skips the stemmer for wildcard terms, so an
inflected Finnish query (`kummeille`) never meets the stemmed index (`kum`). kummi ships a copy of
the worker in which every plain term is searched both as a prefix and as a stemmed word
(`kummeille* kummeille^1`). If Material's code changes so that the patch no longer applies, the
original worker stays in use (and the site test for inflected search fails).
"""
from __future__ import annotations

import re

ORIGINAL = re.compile(r"^assets/javascripts/workers/search\.[0-9a-f]+\.min\.js$")
PATCHED = "assets/javascripts/workers/search.kummi.min.js"
_FROM = ".map(r=>/(^[+-]|[~^]\\d+$)/.test(r)?r:`${r}*`)"
_TO = ".map(r=>/(^[+-]|[~^]\\d+$)/.test(r)?r:`${r}* ${r}^1`)"


def patch(source: str) -> str | None:
    return source.replace(_FROM, _TO, 1) if _FROM in source else None
