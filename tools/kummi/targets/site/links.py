"""Link targets in kummi-rendered page HTML, as the author wrote them, turned into page URLs.

`02-seuraava.md#kohta` → the URL of that lesson's page relative to this page (in the
configuration's URL style: `../02-seuraava/#kohta` or `02-seuraava.html#kohta`), a Swedish file
`02-seuraava.sv.md` → the same page (every language site has the same paths), `glossary:kummi` →
the glossary entry with the definition as its title (a tooltip), `media/kuva.png` → the copied
file. External links and in-page anchors stay as they are.
"""
from __future__ import annotations

import html
import posixpath
import re

from ...loader.html import rewrite_targets
from .pages import GLOSSARY_PAGE

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_TRANSLATED = re.compile(r"^(?P<stem>.*\d\d-[a-z0-9-]+)\.[a-z]{2}\.md$")


def resolve_links(content: str, page_file, files, glossary: dict[str, str], missing: list | None = None) -> str:
    """`glossary`: term id -> definition in the page language. Targets that name no file of
    the site are kept as written and appended to `missing`."""
    base = posixpath.dirname(page_file.src_uri)

    def url_of(path: str) -> str | None:
        file = files.get_file_from_path(path)
        return file.url_relative_to(page_file) if file is not None else None

    def rewrite(target: str) -> tuple[str, str]:
        if target.startswith("glossary:"):
            term = target[len("glossary:"):]
            url = url_of(GLOSSARY_PAGE)
            if url is None:
                if missing is not None:
                    missing.append(target)
                return target, ""
            definition = " ".join(glossary.get(term, "").split())
            extra = f' title="{html.escape(definition)}"' if definition else ""
            return f"{url}#{term}", extra
        if not target or target.startswith("#") or target.startswith("//") or _SCHEME.match(target):
            return target, ""
        path, sep, anchor = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(base, path))
        match = _TRANSLATED.match(resolved)
        if match:
            resolved = match.group("stem") + ".md"
        url = url_of(resolved)
        if url is None:
            if missing is not None:
                missing.append(target)
            return target, ""
        return url + (sep + anchor if anchor else ""), ""

    return rewrite_targets(content, rewrite)
