"""Content arrives through pull requests. Even when `kummi check` is skipped, hostile text in any
YAML field or lesson must not become script in the site or the SCORM packages, nor break the XML
of the decks and manifests."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import lxml.etree as etree
import lxml.html
import pytest
from pptx import Presentation
from ruamel.yaml import YAML

from kummi.clock import DEFAULT_EPOCH
from kummi.loader import load_course
from kummi.targets import BuildOptions, get_target
from testpaths import FIXTURES, copy_course

MARK = "XSSMARK"
PAYLOADS = [
    f"<script>{MARK}()</script>",
    f'<img src=x onerror="{MARK}()">',
    f'"><svg onload={MARK}()>',
    f"</script><script>{MARK}()</script>",
    f"[klik](javascript:{MARK}())",
    f"{{{{ {MARK} }}}} {{% raw %}}",  # Jinja syntax must stay text
    f"& < > ' \" {MARK}",
]


def _poison_yaml(path: Path, counter: list[int]) -> None:
    yaml = YAML(typ="rt")
    doc = yaml.load(path.read_text(encoding="utf-8"))

    def walk(node, key=None):
        if isinstance(node, dict):
            for k in list(node):
                if k in ("fi", "sv", "en") and isinstance(node[k], str):
                    node[k] = node[k] + " " + PAYLOADS[counter[0] % len(PAYLOADS)]
                    counter[0] += 1
                else:
                    walk(node[k], k)
        elif isinstance(node, list):
            for item in node:
                walk(item, key)

    walk(doc)
    with path.open("w", encoding="utf-8") as fh:
        yaml.dump(doc, fh)


@pytest.fixture(scope="module")
def poisoned_build(tmp_path_factory):
    root = copy_course(FIXTURES / "good", tmp_path_factory.mktemp("poisoned") / "course")
    counter = [0]
    for path in sorted(root.glob("content/*.yaml")) + sorted(root.glob("modules/*/*.yaml")):
        _poison_yaml(path, counter)
    for lesson in sorted(root.glob("modules/*/*.md")):
        text = lesson.read_text(encoding="utf-8")
        text = re.sub(r"^title: (.*)$", lambda m: f"title: '{m.group(1)} {PAYLOADS[0]}'", text, count=1, flags=re.M)
        text += "\n" + "\n\n".join(PAYLOADS) + "\n\n## Otsikko " + PAYLOADS[1] + "\n\n- " + PAYLOADS[2] + "\n"
        lesson.write_text(text, encoding="utf-8")
    course, report = load_course(root)  # no validation on purpose: the renderers must hold alone
    assert course is not None and len(course.modules) == 1
    out = root / "build"
    options = BuildOptions(out_dir=out, epoch=DEFAULT_EPOCH, scorm_versions=("1.2", "2004"))
    for name in ("slides", "scorm", "site"):
        get_target(name).build(course, options)
    return out


def _html_documents(out: Path):
    for path in sorted((out / "site").rglob("*.html")):
        yield str(path), path.read_bytes()
    for package in sorted((out / "scorm").glob("*.zip")):
        with zipfile.ZipFile(package) as zf:
            for name in zf.namelist():
                if name.endswith(".html"):
                    yield f"{package.name}:{name}", zf.read(name)


def _assert_no_script_from_content(where: str, data: bytes) -> None:
    doc = lxml.html.fromstring(data)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        for attr, value in el.attrib.items():
            assert not attr.lower().startswith("on") or MARK not in value, f"{where}: event handler from content on <{el.tag}>"
            if attr.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                assert not value.strip().lower().startswith("javascript:"), f"{where}: javascript: URL in <{el.tag} {attr}>"
        if el.tag == "script":
            body = el.text or ""
            if MARK in body:
                # Data may be embedded as JSON, but never as code and never able to close the tag.
                assert (el.get("type") or "").startswith("application/"), f"{where}: content inside an executable <script>"
        if el.tag in ("svg", "iframe", "object", "embed"):
            assert MARK not in etree.tostring(el, encoding="unicode"), f"{where}: active <{el.tag}> from content"


def test_no_content_script_in_any_page(poisoned_build):
    seen = 0
    for where, data in _html_documents(poisoned_build):
        _assert_no_script_from_content(where, data)
        seen += MARK.encode() in data
    assert seen > 10, "the payloads should reach the pages (as text)"


def test_payload_text_is_shown_as_text(poisoned_build):
    page = next((poisoned_build / "site").rglob("glossary/index.html"))
    text = lxml.html.fromstring(page.read_bytes()).text_content()
    assert f"<script>{MARK}()</script>" in text or f"<img src=x onerror=\"{MARK}()\">" in text


def test_manifests_and_decks_stay_well_formed(poisoned_build):
    for package in sorted((poisoned_build / "scorm").glob("*.zip")):
        with zipfile.ZipFile(package) as zf:
            manifest = etree.fromstring(zf.read("imsmanifest.xml"))  # raises if escaping failed
            assert MARK in etree.tostring(manifest, encoding="unicode")
    for deck in sorted((poisoned_build / "slides").glob("*.pptx")):
        prs = Presentation(io.BytesIO(deck.read_bytes()))
        titles = [s.shapes.title.text for s in prs.slides if s.shapes.title is not None]
        assert any(MARK in t for t in titles)
