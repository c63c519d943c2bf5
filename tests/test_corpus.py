"""A corpus of bad inputs, each run through the real command line: `kummi check`, `kummi check
--format json` and `kummi build --target site,scorm`, as subprocesses with a timeout.

Each case is a small copy of tests/fixtures/good (with a build/ made from the good course) and one
mutation. Whatever the input, kummi must:

- exit 0 or 1 (never 3, an internal error, never hang), print no traceback;
- print every diagnostic as `path:line:col: error|warning KMnnn message`;
- agree with itself: `check` clean means `build` succeeds, `check` failing means `build` refuses;
- leave an earlier build/ byte-identical when the build fails, with no staging folder or crash log;
- never write a file during `kummi check`;
- print valid UTF-8 JSON with `--format json`, whatever the file names.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from testpaths import FIXTURES, REPO

GOOD = FIXTURES / "good"
TIMEOUT = 60
DIAGNOSTIC = re.compile(r"^[^:\n]+:\d+:\d+: (error|warning) KM\d{3} ")
ERROR_LINE = re.compile(r"^[^:\n]+:\d+:\d+: error KM\d{3} ")
SLIDES = "slides helper"

MODULE = "modules/01-perusteet"
LESSON = f"{MODULE}/01-alku.md"
LESSON_SV = f"{MODULE}/01-alku.sv.md"
YAML_FILES = {
    "course": "content/course.yaml", "agencies": "content/agencies.yaml", "mentors": "content/mentors.yaml",
    "glossary": "content/glossary.yaml", "module": f"{MODULE}/module.yaml", "quiz": f"{MODULE}/quiz.yaml",
}


# ----------------------------------------------------------------------------- mutations


def write(rel: str, data: bytes | str):
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return apply


def append(rel: str, text: str):
    def apply(root: Path) -> None:
        path = root / rel
        path.write_bytes(path.read_bytes() + text.encode("utf-8"))
    return apply


def replace(rel: str, old: str, new: str):
    def apply(root: Path) -> None:
        path = root / rel
        data = path.read_text(encoding="utf-8")
        assert old in data, (rel, old)
        path.write_text(data.replace(old, new, 1), encoding="utf-8")
    return apply


def transform(rel: str, fn: Callable[[bytes], bytes]):
    def apply(root: Path) -> None:
        path = root / rel
        path.write_bytes(fn(path.read_bytes()))
    return apply


def symlink(rel: str, target: str):
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            path.unlink()
        os.symlink(target, path)
    return apply


def fifo(rel: str):
    def apply(root: Path) -> None:
        path = root / rel
        if path.exists():
            path.unlink()
        os.mkfifo(path)
    return apply


def raw_name(folder: str, name: bytes, data: bytes = b"x"):
    def apply(root: Path) -> None:
        path = os.path.join(os.fsencode(root / folder), name)
        with open(path, "wb") as fh:
            fh.write(data)
    return apply


def both(*fns):
    def apply(root: Path) -> None:
        for fn in fns:
            fn(root)
    return apply


def lesson_body(text: str):
    """Append Markdown to the Finnish lesson (after a blank line)."""
    return append(LESSON, "\n" + text + "\n")


@dataclass
class Case:
    id: str
    mutate: Callable[[Path], None]
    expect: str | None = None  # a code that `kummi check` must report as an error
    at: str | None = None  # ...at this "path:line" (or "path:line:col")
    clean: bool = False  # check and build must succeed
    xfail: str | None = None
    limits: bool = False  # check must take < 10 s and < 500 MB
    marks: list = field(default_factory=list)


CASES: list[Case] = []


def case(*args, **kwargs) -> None:
    CASES.append(Case(*args, **kwargs))


# --- every YAML file: empty, null, markers, comments, depth, encodings, tags, sizes -----------

NEST_FLOW = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
NEST_MAP = "".join("  " * i + f"k{i}:\n" for i in range(1000)) + "  " * 1000 + "v\n"
NEST_LIST = "".join("  " * i + "-\n" for i in range(1000)) + "  " * 1000 + "x\n"
NEST_FLOW_MAP = "{a: " * 10_000 + "1" + "}" * 10_000 + "\n"

YAML_GARBAGE = {
    "empty": b"",
    "null": b"null\n",
    "tilde": b"~\n",
    "marker": b"---\n",
    "markers": b"---\n---\n...\n",
    "comment": b"# only a comment\n# and another\n",
    "number": b"42\n",
    "list": b"- a\n- b\n",
    "flow-10000": NEST_FLOW.encode(),
    "flowmap-10000": NEST_FLOW_MAP.encode(),
    "map-1000": NEST_MAP.encode(),
    "list-1000": NEST_LIST.encode(),
    "nul": b"id: a\x00b\n",
    "latin1": "title: Esihenkilö\n".encode("latin-1"),
    "line-5mb": b"x: " + b"a" * 5_000_000 + b"\n",
    "python-object": b"id: !!python/object/apply:os.system ['touch pwned']\n",
    "anchor-bomb": b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n",
}
for kind, rel in YAML_FILES.items():
    for name, data in YAML_GARBAGE.items():
        case(f"{kind}-{name}", write(rel, data), expect=None, limits=name in ("line-5mb", "flow-10000", "anchor-bomb"))
    case(f"{kind}-bom", transform(rel, lambda b: b"\xef\xbb\xbf" + b), clean=True)
    case(f"{kind}-crlf", transform(rel, lambda b: b.replace(b"\n", b"\r\n")), clean=True)
    case(f"{kind}-tabs", transform(rel, lambda b: b.replace(b"\n  ", b"\n\t")))
    case(f"{kind}-unknown-key", append(rel, "zzz_tuntematon: 1\n"), expect="KM101")
    case(f"{kind}-duplicate-key", transform(rel, lambda b: b + b.split(b"\n", 1)[0] + b"\n"), expect="KM105")

# A comment-only glossary while lessons link to glossary terms: an error at the link.
case("glossary-comment-with-links", write("content/glossary.yaml", "# termit tulevat myöhemmin\n"), expect="KM203", at=f"{LESSON}:5")
case("glossary-null-with-links", write("content/glossary.yaml", "terms:\n"), expect="KM203", at=f"{LESSON}:5")

# --- course-level values ------------------------------------------------------------------------

case("module-title-300", replace(YAML_FILES["module"], "fi: Perusteet", "fi: " + "Perusteet " * 30), clean=True)
case("module-title-300-word", replace(YAML_FILES["module"], "fi: Perusteet", "fi: " + "P" * 300), clean=True)
case("lesson-title-300", replace(LESSON, "title: Alku", "title: " + "Alku " * 60), clean=True)
case("glossary-parens-quotes", replace(YAML_FILES["glossary"], "fi: Muutoksen tukija.", "fi: \"Työtapa (ks. 'kokeilu') ja muuta.\""), clean=True)
case("glossary-term-quotes", replace(YAML_FILES["glossary"], "fi: kummi,", "fi: \"kummi \\\"(k)\\\" 'x'\","), clean=True)
case("glossary-10mb", write(YAML_FILES["glossary"], "terms:\n  - id: kummi\n    term: kummi\n    definition: \"" + "sana " * 2_000_000 + "\"\n"),
     expect="KM004", limits=True)
case("glossary-900kb-lines", write(YAML_FILES["glossary"], "terms:\n  - id: kummi\n    term: kummi\n    definition: |\n" + ("      sana sana sana sana sana sana sana.\n" * 24_000)),
     limits=True)
case("glossary-duplicate-id", append(YAML_FILES["glossary"], "  - id: kummi\n    term: toinen\n    definition: Toinen.\n"), expect="KM105")
case("module-duration-text", replace(YAML_FILES["module"], "duration: 30", "duration: kolmekymmentä"), expect="KM103")
case("module-duration-huge", replace(YAML_FILES["module"], "duration: 30", "duration: 99999999999999999999999"), expect="KM104")
case("module-authors-map", replace(YAML_FILES["module"], "authors: [vm-kummi]", "authors: {a: b}"), expect="KM103")
case("module-version-float", replace(YAML_FILES["module"], 'version: "1.0"', "version: 1.10"), expect="KM103")
case("module-status-bad", replace(YAML_FILES["module"], "status: review", "status: julkaistu"), expect="KM104")
case("module-id-duplicate-folder", both(
    lambda root: shutil.copytree(root / MODULE, root / "modules/02-perusteet"),
    replace("content/course.yaml", "modules: [01-perusteet]", "modules: [01-perusteet, 02-perusteet]")), expect="KM105")
case("course-languages-int", replace("content/course.yaml", "languages: [fi, sv]", "languages: 5"), expect="KM103")
case("course-language-unknown", replace("content/course.yaml", "languages: [fi, sv]", "languages: [fi, xx]"), expect="KM104")
case("course-module-missing", replace("content/course.yaml", "modules: [01-perusteet]", "modules: [01-perusteet, 02-puuttuu]"), expect="KM205")
case("course-module-escape", replace("content/course.yaml", "modules: [01-perusteet]", "modules: [../../etc]"), expect="KM104")
case("quiz-duplicate-question", append(YAML_FILES["quiz"], "  - id: q1\n    type: truefalse\n    question: Totta?\n    answer: true\n"), expect="KM105")
case("quiz-options-scalar", replace(YAML_FILES["quiz"], "type: single", "type: multiple"), clean=True)
case("quiz-question-list", replace(YAML_FILES["quiz"], "question: {fi: Kumpi?, sv: Vilken?}", "question: [a, b]"), expect="KM103")
case("mentor-unknown-agency", replace(YAML_FILES["mentors"], "agency: VM", "agency: XYZ"), expect="KM202")

# --- script injection in rendered YAML text ---------------------------------------------------

IMG = '"><img src=x onerror=alert(1)>'
SVG = "<svg/onload=alert(1)>"
case("site-url-markup", append("content/course.yaml", f"site_url: '{IMG}'\n"), expect="KM104", at="content/course.yaml:8")
case("site-url-quote", append("content/course.yaml", "site_url: 'https://example.fi/\" onmouseover=\"x'\n"), expect="KM104")
case("site-url-javascript", append("content/course.yaml", "site_url: 'javascript:alert(1)'\n"), expect="KM104")
case("site-url-space", append("content/course.yaml", "site_url: 'https://example.fi/ a'\n"), expect="KM104")
case("site-url-good", append("content/course.yaml", "site_url: 'https://kurssi.example.fi/tyo-2-0/'\n"), clean=True)
for name, rel, old in (
    ("course-title", "content/course.yaml", "fi: Testikurssi"),
    ("course-publisher", "content/course.yaml", "fi: Testaajat"),
    ("module-title", YAML_FILES["module"], "fi: Perusteet"),
    ("module-summary", YAML_FILES["module"], "fi: Lyhyesti."),
    ("module-objective", YAML_FILES["module"], "fi: Tiedät perusteet."),
    ("module-audience", YAML_FILES["module"], "fi: Esihenkilöt"),
    ("glossary-term", YAML_FILES["glossary"], "fi: kummi,"),
    ("glossary-definition", YAML_FILES["glossary"], "fi: Muutoksen tukija."),
    ("mentor-role", YAML_FILES["mentors"], "fi: Kummi"),
    ("theme-name", YAML_FILES["mentors"], "fi: Verkostot"),
    ("agency-name", YAML_FILES["agencies"], "fi: Valtiovarainministeriö"),
    ("quiz-question", YAML_FILES["quiz"], "fi: Kumpi?"),
    ("quiz-option", YAML_FILES["quiz"], "fi: Tämä"),
    ("quiz-feedback", YAML_FILES["quiz"], "fi: Oikein."),
):
    payload = SVG if "quiz" in name else IMG
    new = old.replace("fi: ", "fi: '" ) + " " + payload.replace("'", "''") + "'"
    if old.endswith(","):
        new = old[:-1].replace("fi: ", "fi: '") + " " + payload + "',"
    case(f"html-in-{name}", replace(rel, old, new), expect="KM408")
case("html-in-lesson-title", replace(LESSON, "title: Alku", f"title: 'Alku {SVG}'"), expect="KM408", at=f"{LESSON}:2")
case("html-comment-in-summary", replace(YAML_FILES["module"], "fi: Lyhyesti.", "fi: 'Lyhyesti <!-- x -->'"), expect="KM408")
case("less-than-in-summary", replace(YAML_FILES["module"], "fi: Lyhyesti.", "fi: 'alle < 5 ja yli > 2'"), clean=True)
# Control characters: XML (decks, SCORM manifests) cannot hold them; a YAML escape or a pasted one.
case("control-escape-in-module-title", replace(YAML_FILES["module"], "fi: Lyhyesti.", 'fi: "Lyhyesti\\a"'), expect="KM409")
case("control-escape-in-lesson-title", replace(LESSON, "title: Alku", 'title: "Alku\\x07"'), expect="KM409", at=f"{LESSON}:2")
case("control-in-alt-text", replace(LESSON, "![Sininen neliö]", "![Sininen\x0bneliö]"), expect="KM409", at=f"{LESSON}:12:10")
case("control-in-lesson-text", lesson_body("Sivu\x0cvaihto"), expect="KM409")
case("tab-in-lesson-text", lesson_body("Sarake\tsarake"), clean=True)

# --- script injection in lessons ----------------------------------------------------------------

for name, text, code in (
    ("svg-onload", "<svg/onload=alert(1)>", "KM402"),
    ("img-onerror", '"><img src=x onerror=alert(1)>', "KM402"),
    ("a-entity-javascript", '<a href="javascript&#58;alert(1)">x</a>', "KM403"),
    ("a-entity-tab-javascript", '<a href="jav&#x09;ascript:alert(1)">x</a>', "KM403"),
    ("a-vbscript", "<a href='vbscript:msgbox(1)'>x</a>", "KM403"),
    ("refdef-javascript", "[x]\n\n[x]: javascript:alert(1)", "KM403"),
    ("refdef-javascript-angle", "[x][y]\n\n[y]: <javascript:alert(1)>", "KM403"),
    ("autolink-javascript", "<javascript:alert(1)>", "KM403"),
    ("link-data", "[x](data:text/html;base64,PHNjcmlwdD4=)", "KM403"),
    ("link-vbscript", "[x](vbscript:msgbox)", "KM403"),
    ("link-file", "[x](file:///etc/passwd)", "KM403"),
    ("link-entity-javascript", "[x](javascript&#58;alert(1))", "KM403"),
    ("image-data", "![kuva](data:image/png;base64,AAAA)", "KM403"),
    ("image-file", "![kuva](file:///etc/passwd)", "KM403"),
    ("script", "<script>alert(1)</script>", "KM401"),
    ("iframe", '<iframe src="https://example.com"></iframe>', "KM401"),
    ("math-xlink", '<math><a xlink:href="javascript:alert(1)">x</a></math>', "KM403"),
    ("object-data", '<object data="javascript:alert(1)"></object>', "KM401"),
):
    case(f"lesson-{name}", lesson_body(text), expect=code, at=None if "\n" in text else f"{LESSON}:19")

# --- lesson structure and encodings ------------------------------------------------------------

case("lesson-empty", write(LESSON, b""), expect="KM102")
case("lesson-front-only", write(LESSON, "---\ntitle: Alku\n---\n"))
case("lesson-front-unclosed", write(LESSON, "---\ntitle: Alku\n\n## Dia\n"), expect="KM003")
case("lesson-front-list", write(LESSON, "---\n- a\n---\n"), expect="KM103")
case("lesson-bom", transform(LESSON, lambda b: b"\xef\xbb\xbf" + b), clean=True)
case("lesson-crlf", transform(LESSON, lambda b: b.replace(b"\n", b"\r\n")), clean=True)
case("lesson-cr", transform(LESSON, lambda b: b.replace(b"\n", b"\r")), clean=True)
case("lesson-tabs", transform(LESSON, lambda b: b.replace(b"- ", b"-\t")), clean=True)
case("lesson-nul", lesson_body("teksti\x00 nolla"))
case("lesson-latin1", transform(LESSON, lambda b: b + "Hyvä\n".encode("latin-1")), expect="KM001")
case("lesson-line-5mb", lesson_body("a" * 5_000_000), expect="KM004", limits=True)
case("lesson-line-900kb", lesson_body("a" * 900_000), expect="KM005", limits=True)
case("lesson-many-lines", lesson_body(("sana " * 30 + "\n") * 5000), limits=True)
case("lesson-nested-lists-1000", lesson_body("".join("  " * i + "- x\n" for i in range(1000))), limits=True)
case("lesson-nested-quotes-10000", lesson_body(">" * 10_000 + " x"), limits=True)
case("lesson-nested-brackets", lesson_body("[" * 10_000 + "x" + "](y)" * 10_000), limits=True)
case("lesson-nested-emphasis", lesson_body("*" * 5000 + "x" + "*" * 5000), limits=True)
case("lesson-h1", lesson_body("# Otsikko"), clean=True)
case("lesson-empty-heading", lesson_body("## "), clean=True)
case("lesson-heading-only", write(LESSON, "---\ntitle: Alku\n---\n## A\n## A\n## A\n"))
case("lesson-link-module-yaml", lesson_body("[moduuli](module.yaml)"), expect="KM301", at=f"{LESSON}:19")
case("lesson-link-quiz-yaml", lesson_body("[visa](quiz.yaml)"), expect="KM301")
case("lesson-link-course-yaml", lesson_body("[kurssi](../../content/course.yaml)"), expect="KM301")
case("lesson-link-escape", lesson_body("[ulos](../../../etc/passwd)"), expect="KM305")
case("lesson-link-absolute", lesson_body("[abs](/etc/passwd)"), expect="KM305")
case("lesson-link-dotdot", lesson_body("[x](..)"), expect="KM301")
case("lesson-link-folder", lesson_body("[x](media)"), expect="KM301")
case("lesson-link-glossary-unknown", lesson_body("[x](glossary:eiole)"), expect="KM203")
case("lesson-link-glossary-empty", lesson_body("[x](glossary:)"), expect="KM203")
case("lesson-link-anchor-missing", lesson_body("[x](#eiole)"), expect="KM302")
case("lesson-link-empty", lesson_body("[x]()"), expect="KM301")
case("image-dotdot-png", both(write(f"{MODULE}/media/..png", b"\x89PNG"), lesson_body("![Kuva](media/..png)")), expect="KM303")
case("image-dotpng-name", both(write(f"{MODULE}/media/.png", b"\x89PNG"), lesson_body("![Kuva](media/.png)")), expect="KM303")
case("image-missing", lesson_body("![Kuva](media/eiole.png)"), expect="KM303")
case("image-no-alt", lesson_body("![](media/kuva.png)"), expect="KM304")
case("image-remote", lesson_body("![Kuva](https://example.com/a.png)"), expect="KM303")
case("image-yaml", lesson_body("![Kuva](module.yaml)"), expect="KM303")
case("image-folder", lesson_body("![Kuva](media)"), expect="KM303")
case("image-space-name", both(lambda r: shutil.copy(r / MODULE / "media/kuva.png", r / MODULE / "media/kuva 2.png"),
                              lesson_body("![Kuva](<media/kuva 2.png>)")))
case("image-quote-name", both(lambda r: shutil.copy(r / MODULE / "media/kuva.png", r / MODULE / "media/ku'va\".png"),
                              lesson_body("![Kuva](<media/ku'va\".png>)")))
case("image-markup-name", both(lambda r: shutil.copy(r / MODULE / "media/kuva.png", r / MODULE / "media/<b>x.png"),
                               lesson_body("![Kuva](<media/<b>x.png>)")))
case("image-corrupt-png", write(f"{MODULE}/media/kuva.png", b"\x89PNG\r\n\x1a\nnot really"))
case("image-empty-png", write(f"{MODULE}/media/kuva.png", b""))
case("notes-empty", lesson_body("!!! notes\n\nTeksti"), expect="KM404")
case("notes-near-miss", lesson_body("!! notes\n    x"), expect="KM405")
case("box-unknown", lesson_body("!!! kouluttajalle\n    x"), expect="KM405")
case("lesson-name-uppercase", write(f"{MODULE}/03-Iso.md", "---\ntitle: x\n---\n"))
case("lesson-translation-only", write(f"{MODULE}/05-vain.sv.md", "---\ntitle: x\n---\n"), expect="KM209")
case("lesson-duplicate-number", write(f"{MODULE}/01-toinen.md", "---\ntitle: x\n---\n"), expect="KM105")

# --- media and special files ---------------------------------------------------------------------

MEDIA = f"{MODULE}/media"
case("media-link-passwd", symlink(f"{MEDIA}/kuva.png", "/etc/passwd"), expect="KM305")
case("media-link-passwd-extra", symlink(f"{MEDIA}/salasanat.txt", "/etc/passwd"), expect="KM305")
case("media-link-dev-zero", symlink(f"{MEDIA}/kuva.png", "/dev/zero"), expect="KM305")
case("media-mknod-fifo", lambda r: os.mknod(r / MEDIA / "zero", 0o600 | stat.S_IFIFO), expect="KM306")
case("media-fifo", fifo(f"{MEDIA}/kuva.png"), expect="KM306")
case("media-fifo-extra", fifo(f"{MEDIA}/putki"), expect="KM306")
case("media-link-loop", both(symlink(f"{MEDIA}/a.png", "b.png"), symlink(f"{MEDIA}/b.png", "a.png")), expect="KM306")
case("media-link-self", symlink(f"{MEDIA}/kuva.png", "kuva.png"), expect="KM306")
case("media-link-dangling", symlink(f"{MEDIA}/kuva.png", "eiole.png"), expect="KM306")
case("media-link-folder-escape", symlink(f"{MEDIA}/etc", "/etc"), expect="KM305")
case("media-link-inside", symlink(f"{MEDIA}/toinen.png", "kuva.png"))
case("media-non-utf8-name", raw_name(MEDIA, b"kuv\xe4.png"), expect="KM009")
case("media-non-utf8-lesson-name", raw_name(MODULE, b"03-\xe4.md", b"---\ntitle: x\n---\n"))
case("module-non-utf8-folder", lambda r: shutil.copytree(r / MODULE, os.fsdecode(os.path.join(os.fsencode(r / "modules"), b"02-\xe4"))))
case("module-non-utf8-listed", both(
    lambda r: shutil.copytree(r / MODULE, os.fsdecode(os.path.join(os.fsencode(r / "modules"), b"02-perusteet\xe4"))),
    replace("content/course.yaml", "modules: [01-perusteet]", "modules: [01-perusteet, 02-perusteet\u00e4]")), expect="KM104")
case("content-media-link-passwd", symlink("content/media/x.png", "/etc/passwd"), expect="KM305")
case("templates-link-passwd", symlink("templates/x.html", "/etc/passwd"), expect="KM305")
case("module-yaml-link-passwd", symlink(f"{MODULE}/module.yaml", "/etc/passwd"), expect="KM305")
case("lesson-link-dev-zero", symlink(LESSON, "/dev/zero"), expect="KM305")
case("lesson-fifo", fifo(LESSON), expect="KM306")
case("glossary-fifo", fifo("content/glossary.yaml"), expect="KM306")
case("glossary-link-loop", symlink("content/glossary.yaml", "glossary.yaml"), expect="KM306")
case("course-yaml-folder", lambda r: ((r / "content/agencies.yaml").unlink(), (r / "content/agencies.yaml").mkdir()))
case("media-big-sparse", lambda r: os.truncate(_touch(r / MEDIA / "iso.png"), 60_000_000), expect="KM004")


def _touch(path: Path) -> Path:
    path.write_bytes(b"")
    return path


# --- mkdocs.yml ----------------------------------------------------------------------------------

MKDOCS_GOOD = "site_name: Kurssi\ndocs_dir: content\ntheme:\n  name: material\nplugins:\n  - kummi\n  - search\n"
case("mkdocs-good", write("mkdocs.yml", MKDOCS_GOOD), clean=True)
case("mkdocs-repo-config", lambda r: shutil.copy(REPO / "mkdocs.yml", r / "mkdocs.yml"), clean=True)
case("mkdocs-broken-yaml", write("mkdocs.yml", MKDOCS_GOOD + "theme: [\n"), expect="KM002")
case("mkdocs-broken-indent", write("mkdocs.yml", "site_name: x\n  plugins:\n - kummi\n"), expect="KM002")
case("mkdocs-empty", write("mkdocs.yml", ""))
case("mkdocs-comment", write("mkdocs.yml", "# nothing\n"))
case("mkdocs-list", write("mkdocs.yml", "- kummi\n"))
case("mkdocs-unknown-theme", write("mkdocs.yml", MKDOCS_GOOD.replace("name: material", "name: eiole")), expect="KM413", at="mkdocs.yml:4")
case("mkdocs-unknown-plugin", write("mkdocs.yml", MKDOCS_GOOD + "  - eioleplugin\n"), expect="KM413")
case("mkdocs-unknown-extension", write("mkdocs.yml", MKDOCS_GOOD + "markdown_extensions:\n  - eiole.laajennus\n"), expect="KM413")
case("mkdocs-no-kummi", write("mkdocs.yml", MKDOCS_GOOD.replace("  - kummi\n", "")), expect="KM410")
case("mkdocs-python-name", write("mkdocs.yml", MKDOCS_GOOD + "extra:\n  x: !!python/name:os.system\n"), expect="KM412", at="mkdocs.yml:9")
case("mkdocs-python-apply", write("mkdocs.yml", MKDOCS_GOOD + "extra:\n  x: !!python/object/apply:os.system ['touch pwned-by-mkdocs']\n"),
     expect="KM412", at="mkdocs.yml:9")
case("mkdocs-python-object", write("mkdocs.yml", MKDOCS_GOOD + "extra:\n  x: !!python/object:subprocess.Popen {args: ['touch', 'pwned']}\n"),
     expect="KM412", at="mkdocs.yml:9")
case("mkdocs-python-module", write("mkdocs.yml", MKDOCS_GOOD + "extra:\n  x: !!python/module:os\n"), expect="KM412")
case("mkdocs-deep", write("mkdocs.yml", MKDOCS_GOOD + NEST_FLOW))
case("mkdocs-nul", write("mkdocs.yml", MKDOCS_GOOD + "extra: {a: \"\x00\"}\n"))
case("mkdocs-latin1", write("mkdocs.yml", (MKDOCS_GOOD + "site_name: Kurssi ä\n").encode("latin-1")), expect="KM001")
case("mkdocs-link-passwd", symlink("mkdocs.yml", "/etc/passwd"), expect="KM305")
case("mkdocs-fifo", fifo("mkdocs.yml"), expect="KM306")
case("mkdocs-site-dir-escape", write("mkdocs.yml", MKDOCS_GOOD + "site_dir: /tmp/kummi-elsewhere\n"))
case("mkdocs-docs-dir-missing", write("mkdocs.yml", MKDOCS_GOOD.replace("docs_dir: content", "docs_dir: eiole")))


# ----------------------------------------------------------------------------- running


@dataclass
class Run:
    code: int
    out: bytes
    err: bytes
    seconds: float
    max_rss_mb: float

    @property
    def text(self) -> str:
        return (self.out + self.err).decode("utf-8", "replace")


def run_kummi(args: list[str], cwd: Path, tmp: Path) -> Run:
    env = {**os.environ, "NO_COLOR": "1", "KUMMI_UI_LANG": "en", "TMPDIR": str(tmp), "COLUMNS": "200"}
    start = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "kummi", *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    chunks: dict[str, bytes] = {}
    readers = [threading.Thread(target=lambda n=n, s=s: chunks.__setitem__(n, s.read())) for n, s in (("out", proc.stdout), ("err", proc.stderr))]
    for t in readers:
        t.start()
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - start > TIMEOUT:
            os.killpg(proc.pid, 9)
            os.wait4(proc.pid, 0)
            pytest.fail(f"kummi {' '.join(args)} did not finish in {TIMEOUT} s")
        time.sleep(0.02)
    proc.returncode = os.waitstatus_to_exitcode(status)
    for t in readers:
        t.join(10)
    return Run(proc.returncode, chunks.get("out", b""), chunks.get("err", b""), time.monotonic() - start, usage.ru_maxrss / 1024)


def snapshot(root: Path, under: str = "") -> dict[str, tuple]:
    """Every entry under root: kind and, for ordinary files, a digest (FIFOs and links not opened)."""
    out = {}
    base = os.fsencode(root / under) if under else os.fsencode(root)
    if not os.path.lexists(base):
        return out
    for folder, dirs, files in os.walk(base):
        for name in dirs + files:
            path = os.path.join(folder, name)
            st = os.lstat(path)
            rel = os.path.relpath(path, os.fsencode(root))
            if stat.S_ISREG(st.st_mode):
                with open(path, "rb") as fh:
                    out[rel] = ("f", hashlib.sha256(fh.read()).hexdigest())
            elif stat.S_ISLNK(st.st_mode):
                out[rel] = ("l", os.readlink(path))
            else:
                out[rel] = ("d" if stat.S_ISDIR(st.st_mode) else "other",)
    return out


@pytest.fixture(scope="session")
def good_build(tmp_path_factory) -> Path:
    """The good course with a finished build/ (copied into every case)."""
    root = tmp_path_factory.mktemp("good") / "c"
    shutil.copytree(GOOD, root)
    tmp = tmp_path_factory.mktemp("tmp")
    res = run_kummi(["build", "--target", "site,scorm", str(root)], root, tmp)
    assert res.code == 0, res.text
    return root


def _params():
    for c in CASES:
        marks = list(c.marks)
        if c.xfail:
            marks.append(pytest.mark.xfail(reason=c.xfail, strict=False))
        yield pytest.param(c, id=c.id, marks=marks)


def test_corpus_is_large_enough():
    assert len(CASES) >= 150
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("c", list(_params()))
def test_bad_input(c: Case, good_build: Path, tmp_path: Path):
    root = tmp_path / "c"
    shutil.copytree(good_build, root, symlinks=True)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    c.mutate(root)
    before = snapshot(root)

    # check, as text
    res = run_kummi(["check", str(root)], root, tmp)
    assert res.code in (0, 1), f"exit {res.code}\n{res.text}"
    assert "Traceback" not in res.text, res.text
    out = res.out.decode("utf-8")  # output is UTF-8, whatever the file names
    for line in out.splitlines():
        if line and not line.startswith(" "):
            assert DIAGNOSTIC.match(line), f"not a diagnostic line: {line!r}"
    errors = [line for line in out.splitlines() if ERROR_LINE.match(line)]
    assert (res.code == 1) == bool(errors), res.text
    if c.limits:
        assert res.seconds < 10, f"check took {res.seconds:.1f} s"
        assert res.max_rss_mb < 500, f"check used {res.max_rss_mb:.0f} MB"
    if c.expect:
        assert res.code == 1 and any(f" error {c.expect} " in line for line in errors), f"expected {c.expect}:\n{res.text}"
        if c.at:
            assert any(line.startswith(c.at + ":") and f" error {c.expect} " in line for line in errors), f"expected {c.expect} at {c.at}:\n{res.text}"
    if c.clean:
        assert res.code == 0, res.text
    assert snapshot(root) == before, "kummi check wrote or removed files"

    # check, as JSON
    res_json = run_kummi(["check", "--format", "json", str(root)], root, tmp)
    assert res_json.code == res.code, res_json.text
    items = json.loads(res_json.out.decode("utf-8"))  # strict UTF-8, then JSON
    assert sum(d["severity"] == "error" for d in items) == len(errors)
    assert snapshot(root) == before, "kummi check --format json wrote or removed files"

    # build: agrees with check; on failure the previous output stays as it was
    build_before = snapshot(root, "build")
    res_build = run_kummi(["build", "--target", "site,scorm", str(root)], root, tmp)
    assert res_build.code in (0, 1), f"exit {res_build.code}\n{res_build.text}"
    assert "Traceback" not in res_build.text, res_build.text
    if res.code == 0:
        assert res_build.code == 0, f"check passed but build failed:\n{res_build.text}"
    else:
        assert res_build.code == 1, f"check failed but build succeeded:\n{res.text}"
    if res_build.code != 0:
        assert snapshot(root, "build") == build_before, "a failed build changed build/"
    assert not (root / "build" / ".staging").exists()
    assert not list((root / "build").glob(".*.old"))
    assert not (root / "build" / ".kummi").exists(), "crash log"
    assert not list(tmp.glob("kummi-crash-*")), "crash log"
    assert not list(root.rglob("pwned*")) and not Path("pwned").exists()
