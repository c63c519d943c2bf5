"""The draft accessibility statement: written by `kummi build` from the checks it ran, with axe-core's
results after `kummi a11y` (real Chromium, axe-core from node_modules)."""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation

from kummi.accessibility.axe import site_digest
from kummi.accessibility.decks import check_decks
from kummi.loader import load_course
from kummi.views import learner_view, published_view
from test_check import kummi
from testpaths import CHROMIUM, REPO, copy_course

EPOCH = 1718000000  # 10.6.2024 in UTC
DATE = "10.6.2024"
ENV = {"SOURCE_DATE_EPOCH": str(EPOCH), "KUMMI_AXE": str(REPO / "node_modules/axe-core/axe.min.js"), "KUMMI_CHROMIUM": CHROMIUM}
FILES = ("saavutettavuusseloste.fi.md", "saavutettavuusseloste.sv.md", "checks.json")


def _build(root: Path) -> None:
    res = kummi("build", "--target", "site,slides", cwd=root, env=ENV)
    assert res.returncode == 0, res.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample course, built once (site and decks)."""
    root = copy_course(REPO, tmp_path_factory.mktemp("a11y") / "course")
    _build(root)
    return root


def _statement(root: Path, lang: str = "fi") -> str:
    return (root / f"build/accessibility/saavutettavuusseloste.{lang}.md").read_text(encoding="utf-8")


def _row(statement: str, name: str) -> list[str]:
    line = next(line for line in statement.splitlines() if line.startswith(f"| {name} |"))
    return [cell.strip() for cell in line.strip("|").split("|")]


def test_build_writes_both_statements_from_the_checks_it_ran(built):
    fi, sv = _statement(built, "fi"), _statement(built, "sv")
    for text in (fi, sv):
        assert DATE in text  # the date is the build clock's, not the machine's
        assert "14" in text and "saavutettavuusvaatimukset.fi" in text
    assert fi.startswith("# Saavutettavuusseloste:") and "[TÄYDENNÄ:" in fi and "Vastaamme 14 päivän kuluessa" in fi
    assert sv.startswith("# Tillgänglighetsutlåtande:") and "[FYLL I:" in sv and "Vi svarar inom 14 dagar" in sv
    # axe-core was not run: the statement says so and how to run it; it claims no axe results
    assert "axe-core** -tarkistusta ei ole ajettu" in fi and "`kummi a11y`" in fi
    assert "har inte körts" in sv and "`kummi a11y`" in sv
    assert not re.search(r"axe-core \d", fi + sv)

    # the counts are the course's own: images and pages of the learner view, slides of the decks
    course, _ = load_course(built)
    published, _ = published_view(course, drafts=False)
    learner = learner_view(published)
    texts = [lesson.text(lang) for m in learner.modules for lesson in m.lessons for lang in learner.languages]
    images = sum(len(t.images) for t in texts)
    decks = sorted((built / "build/slides").glob("*.pptx"))
    slides = sum(len(Presentation(str(p)).slides) for p in decks)
    assert images and slides and decks
    assert _row(fi, "Kuvien tekstivastineet")[2:] == [f"{images} kuvaa", "0"]
    assert _row(fi, "Sivujen kieli merkitty")[2:] == [f"{len(texts)} sivua", "0"]
    assert _row(fi, "Diaesitykset: oma otsikko ensimmäisenä lukujärjestyksessä")[2:] == [f"{slides} diaa", "0"]
    assert _row(sv, "Presentationer: textens språk angivet")[2:] == [f"{slides} bilder", "0"]
    assert f"{len(decks)} valmiille .pptx-tiedostolle" in fi

    data = json.loads((built / "build/accessibility/checks.json").read_text(encoding="utf-8"))
    assert data["epoch"] == EPOCH and data["decks"] == len(decks) and data["axe"]["status"] == "missing"
    assert data["checks"]["alt_text"]["checked"] == images and data["checks"]["deck_titles"]["checked"] == slides
    assert set(data["checks"]) >= {"alt_text", "headings", "link_text", "quiz_labels", "deck_alt_text", "deck_tables", "deck_language"}


def test_second_build_writes_the_same_bytes(built, tmp_path):
    before = {name: (built / "build/accessibility" / name).read_bytes() for name in FILES}
    _build(built)
    assert sorted(p.name for p in (built / "build/accessibility").iterdir()) == sorted(FILES)
    assert {name: (built / "build/accessibility" / name).read_bytes() for name in FILES} == before
    assert not (built / "build/.staging").exists()


def test_deck_rules_find_a_picture_without_alt_text_and_a_missing_title(built, tmp_path):
    deck = next(p for p in sorted((built / "build/slides").glob("*.pptx")) if b'descr="' in _slides_xml(p))
    broken = tmp_path / "decks" / deck.name
    broken.parent.mkdir()
    with zipfile.ZipFile(deck) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.startswith("ppt/slides/slide") and info.filename.endswith(".xml"):
                data = re.sub(rb'descr="[^"]*"', b'descr=""', data)
                if info.filename == "ppt/slides/slide1.xml":
                    data = data.replace(b'type="ctrTitle"', b'type="body"').replace(b'type="title"', b'type="body"')
            dst.writestr(info, data)
    checks = {c.key: c for c in check_decks(broken.parent)}
    assert checks["deck_alt_text"].checked >= 1 and len(checks["deck_alt_text"].failed) == checks["deck_alt_text"].checked
    assert [f.path for f in checks["deck_titles"].failed] == [f"{deck.name} #1"]
    assert not checks["deck_tables"].failed and not checks["deck_language"].failed


def _slides_xml(deck: Path) -> bytes:
    with zipfile.ZipFile(deck) as zf:
        return b"".join(zf.read(n) for n in zf.namelist() if n.startswith("ppt/slides/slide"))


@pytest.fixture(scope="module")
def axe_version(axe_source) -> str:
    return re.match(r"/\*! axe v([\d.]+)", axe_source).group(1)


def test_a11y_runs_axe_and_a_page_it_fails_is_a_known_gap(built, tmp_path, axe_version):
    """One real axe-core run over the whole site, one page of which has an image without alt text."""
    root = shutil.copytree(built, tmp_path / "course", symlinks=True)
    page = next(p for p in sorted((root / "build/site").rglob("index.html")) if "/modules/" in p.as_posix())
    rel = page.relative_to(root / "build/site").parent.as_posix() + "/"
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace("<article", '<img src="kuvaton.png"><article', 1), encoding="utf-8")
    res = kummi("a11y", "--strict", cwd=root, env=ENV)
    assert res.returncode == 1, res.stderr  # --strict: image-alt is critical
    assert "image-alt" in res.stderr

    report = json.loads((root / "build/accessibility/axe.json").read_text(encoding="utf-8"))
    pages = [p for p in (root / "build/site").rglob("*.html") if p.name != "404.html"]
    assert report["axe_version"] == axe_version and report["pages"] == len(pages) > 10
    assert [v["pages"] for v in report["violations"] if v["rule"] == "image-alt"] == [[rel]]
    fi, sv = _statement(root, "fi"), _statement(root, "sv")
    assert f"**axe-core** {axe_version} ajettiin tämän rakennuksen verkkosivustolle ({len(pages)} sivua" in fi
    assert f"axe-core {axe_version}" in sv and f"{len(pages)} sidor" in sv
    assert "ei ole ajettu" not in fi
    gaps = fi.split("### Automaattisten tarkistusten löytämät puutteet")[1].split("### Mitä ei ole tarkistettu")[0]
    assert "`image-alt` (kriittinen, WCAG 1.1.1)" in gaps and f"`{rel}`" in gaps
    assert "`image-alt` (kritisk, WCAG 1.1.1)" in sv
    checks = json.loads((root / "build/accessibility/checks.json").read_text(encoding="utf-8"))
    assert checks["axe"] == {"status": "current", "version": axe_version, "pages": len(pages), "violations": len(report["violations"])}

    # rebuilt, the site is not the one axe tested: its results are not used any more (but kept)
    _build(root)
    fi = _statement(root, "fi")
    assert "image-alt" not in fi and "koskee aiempaa versiota" in fi and "`kummi a11y`" in fi
    assert (root / "build/accessibility/axe.json").is_file()


def test_an_axe_report_about_the_same_site_survives_a_rebuild(built, tmp_path):
    """A deterministic rebuild makes the same site: the report still describes it."""
    root = shutil.copytree(built, tmp_path / "course", symlinks=True)
    report = {"tool": "axe-core", "axe_version": "9.9.9", "epoch": EPOCH, "site_digest": site_digest(root / "build/site"),
              "tags": [], "pages": 3, "incomplete": 0,
              "violations": [{"rule": "color-contrast", "impact": "serious", "help": "Elements must meet contrast", "wcag": ["1.4.3"],
                              "pages": ["modules/"], "nodes": 2}]}
    (root / "build/accessibility/axe.json").write_text(json.dumps(report), encoding="utf-8")
    _build(root)
    fi = _statement(root, "fi")
    assert "**axe-core** 9.9.9 ajettiin" in fi and "`color-contrast` (vakava, WCAG 1.4.3)" in fi
    assert json.loads((root / "build/accessibility/checks.json").read_text(encoding="utf-8"))["axe"]["status"] == "current"
