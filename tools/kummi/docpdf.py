"""A Markdown guide as a tagged PDF, through LibreOffice Writer, with deterministic bytes.

Markdown -> HTML (markdown-it, raw HTML off) -> LibreOffice Writer (HTML import) -> PDF export with
"UseTaggedPDF" and "PDFUACompliance" (a structure tree, a document title, bookmarks from the
headings) and the document language from the profile's default locale (the PDF's /Lang).

LibreOffice stamps every PDF with the wall-clock time (Info /CreationDate, XMP xmp:CreateDate),
an /ID and a /DocChecksum derived from it. `normalise_pdf` rewrites exactly those, each with a value
of the same length, so the cross-reference offsets stay valid: the time becomes the build clock
(SOURCE_DATE_EPOCH), the /ID and /DocChecksum an MD5 of the normalised file. With the same
LibreOffice and fonts the same guide then gives the same bytes.
"""
from __future__ import annotations

import hashlib
import html
import os
import re
import subprocess
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt

from .i18n import M_, MessageError, Msg, text
from .targets.slides.pdf import find_soffice

LOCALES = {"fi": "fi-FI", "sv": "sv-FI", "en": "en-GB"}
EXPORT_OPTIONS = (
    '{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"PDFUACompliance":{"type":"boolean","value":"true"},'
    '"ExportBookmarks":{"type":"boolean","value":"true"},'
    '"ExportNotes":{"type":"boolean","value":"false"}}'
)
STYLE = """
body { font-family: "Liberation Sans", Arial, sans-serif; font-size: 11pt; color: #212121; }
h1, h2, h3, h4 { font-family: "Liberation Sans", Arial, sans-serif; color: #00357A; }
p.kummi-docinfo { color: #444444; font-size: 10pt; }
table { border-collapse: collapse; }
th, td { border: 1px solid #888888; padding: 2pt 4pt; vertical-align: top; }
th { background: #E8EEF6; }
pre, code { font-family: "Liberation Mono", "Courier New", monospace; font-size: 9pt; }
"""


class PdfError(MessageError):
    """No PDF; the message is a Msg, translated when shown."""


def _github_slug(value: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    value = value.strip().lower()
    value = re.sub(r"[^\w\- ]", "", value)
    return value.replace(" ", "-")


def markdown_to_html(markdown: str, lang: str, info: str = "") -> str:
    """A whole HTML document for LibreOffice. Headings get ids (sec-1, sec-2…) and links to their
    GitHub-style anchors point to them; links to other files of the repository become their text
    (a PDF has nothing to point them to, and LibreOffice would write this machine's paths)."""
    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    tokens = md.parse(markdown)
    anchors: dict[str, str] = {}
    title = ""
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            plain = "".join(c.content for c in (inline.children or []) if c.type in ("text", "code_inline"))
            ident = f"sec-{len(anchors) + 1}"
            anchors.setdefault(_github_slug(plain), ident)
            tok.attrSet("id", ident)
            if tok.tag == "h1" and not title:
                title = plain
    dropped: list[bool] = []

    def link_open(tokens, idx, options, env):
        href = str(tokens[idx].attrs.get("href", ""))
        if href.startswith("#"):
            target = anchors.get(_github_slug(unquote(href[1:])))
            keep = target is not None
            href = f"#{target}" if keep else ""
        else:
            keep = bool(re.match(r"^(https?|mailto):", href, re.I))
        dropped.append(not keep)
        return f'<a href="{html.escape(href, quote=True)}">' if keep else ""

    def link_close(tokens, idx, options, env):
        return "" if (dropped.pop() if dropped else False) else "</a>"

    md.renderer.rules["link_open"] = link_open
    md.renderer.rules["link_close"] = link_close
    # LibreOffice's HTML import ignores CSS borders on cells but reads the old attributes.
    body = md.renderer.render(tokens, md.options, {}).replace("<table>", '<table border="1" cellpadding="4" cellspacing="0">')
    head_info = f'<p class="kummi-docinfo">{html.escape(info)}</p>\n' if info else ""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
        f"{head_info}{body}</body>\n</html>\n"
    )


def _profile(folder: Path, lang: str) -> None:
    """A throw-away LibreOffice profile whose default document language is `lang` (the PDF's /Lang)."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    locale = LOCALES.get(lang, lang)
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" oor:op="fuse">'
        f"<value>{locale}</value></prop></item>\n"
        "</oor:items>\n",
        encoding="utf-8",
    )


def html_to_pdf(document: str, dest: Path, lang: str, epoch: int, timeout: int = 300) -> Path:
    soffice = find_soffice()
    if soffice is None:
        raise PdfError(M_(
            "LibreOffice is not installed, so the admin guide cannot be made into a PDF. "
            "Install it (Debian/Ubuntu: apt-get install libreoffice-writer) or use --no-pdf."
        ))
    with tempfile.TemporaryDirectory(prefix="kummi-docpdf-") as tmp:
        work = Path(tmp)
        _profile(work / "profile", lang)
        source = work / (dest.stem + ".html")
        source.write_text(document, encoding="utf-8")
        out = work / "out"
        env = dict(os.environ, TZ="UTC")
        cmd = [
            soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
            "--infilter=HTML (StarWriter)", "--convert-to", f"pdf:writer_pdf_Export:{EXPORT_OPTIONS}",
            "--outdir", str(out), str(source),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
        except subprocess.TimeoutExpired:
            raise PdfError(M_("LibreOffice did not finish in {seconds} s", seconds=timeout)) from None
        pdf = out / (source.stem + ".pdf")
        if not pdf.is_file():
            detail = (proc.stderr or proc.stdout).strip()[-500:]
            if "could not be loaded" in detail:
                raise PdfError(M_(
                    "LibreOffice could not open the guide: LibreOffice Writer is probably missing. "
                    "Install it (Debian/Ubuntu: apt-get install libreoffice-writer) or use --no-pdf."
                ))
            raise PdfError(M_("LibreOffice did not write {files}: {detail}", files=pdf.name, detail=detail or M_("no message")))
        data = normalise_pdf(pdf.read_bytes(), epoch)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    return dest


_INFO_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\(D:(\d{14})")
_XMP_DATE = re.compile(rb"<xmp:(CreateDate|ModifyDate|MetadataDate)>(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)")
_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
_CHECKSUM = re.compile(rb"/DocChecksum\s*/([0-9A-Fa-f]{32})")


def normalise_pdf(data: bytes, epoch: int) -> bytes:
    """The same PDF with its time stamps set to the build clock and its /ID and /DocChecksum derived
    from its content. Every replacement has the length of what it replaces."""
    when = datetime.fromtimestamp(epoch, tz=timezone.utc)
    info = when.strftime("%Y%m%d%H%M%S").encode("ascii")
    xmp = when.strftime("%Y-%m-%dT%H:%M:%S").encode("ascii")
    data = _INFO_DATE.sub(lambda mt: mt.group(0)[: mt.start(2) - mt.start(0)] + info, data)
    data = _XMP_DATE.sub(lambda mt: mt.group(0)[: mt.start(2) - mt.start(0)] + xmp, data)

    def zero_id(mt):
        return mt.group(0).replace(mt.group(1), b"0" * len(mt.group(1))).replace(mt.group(2), b"0" * len(mt.group(2)))

    data = _ID.sub(zero_id, data)
    data = _CHECKSUM.sub(lambda mt: mt.group(0).replace(mt.group(1), b"0" * 32), data)
    digest = hashlib.md5(data).hexdigest().upper().encode("ascii")  # noqa: S324 - an identifier, not security

    def set_id(mt):
        a, b = mt.group(1), mt.group(2)
        return mt.group(0).replace(a, digest[: len(a)].ljust(len(a), b"0")).replace(b, digest[: len(b)].ljust(len(b), b"0"))

    data = _ID.sub(set_id, data)
    return _CHECKSUM.sub(lambda mt: mt.group(0).replace(mt.group(1), digest), data)


def markdown_file_to_pdf(source: Path, dest: Path, lang: str, epoch: int, info: str = "") -> Path:
    return html_to_pdf(markdown_to_html(source.read_text(encoding="utf-8"), lang, info), dest, lang, epoch)
