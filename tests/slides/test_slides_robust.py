"""Hostile input: words, addresses and lines longer than any slide, huge titles, odd file names,
zip bombs as slide masters, decompression-bomb images. Everything terminates quickly and ends in a
diagnostic at the source, never a hang or an internal error."""
from __future__ import annotations

import signal
import time
import zipfile
from contextlib import contextmanager

import pytest

from kummi.targets.slides import fit
from kummi.targets.slides.inline import runs
from kummi.targets.slides.spec import Para, Run
from kummi.targets.slides.template import TemplateProblem, load_template
from kummi.i18n import text
from slides_helpers import build, check, copy_course, first_module_dir, in_review, module_ids


@contextmanager
def deadline(seconds: int):
    def boom(*_):
        raise TimeoutError(f"took more than {seconds} s")

    old = signal.signal(signal.SIGALRM, boom)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _box(tmp_path):
    return load_template(tmp_path).layouts["content"].bodies[0]


@pytest.mark.parametrize("text_", ["x" * 1000, "https://example.org/" + "a" * 1500, "*[" * 50_000, "y" * 5_000_000], ids=["word", "url", "stars", "5MB"])
def test_unsplittable_paragraph_terminates_and_fits(tmp_path, text_):
    box = _box(tmp_path)
    with deadline(60):  # generous: the machine may be busy; a hang is what this catches
        para = Para(runs(text_) if len(text_) < 200_000 else (Run(text_),))
        start = time.monotonic()
        pages, cut = fit.paginate(box, [para])
        assert time.monotonic() - start < 20
    assert cut and cut[0][0] == 0
    assert 1 < len(pages) <= fit.MAX_PARA_PAGES
    assert all(fit.fits(box, page) for page in pages)
    if len(text_) > 1_000_000:
        assert cut[0][1]  # truncated
        assert pages[-1][-1].text.endswith(fit.ELLIPSIS)


def test_long_word_is_broken_between_characters_without_loss(tmp_path):
    box = _box(tmp_path)
    word = "Konsernipalvelu" * 70  # 1050 characters, no space
    pages, cut = fit.paginate(box, [Para((Run(word),))])
    assert cut == [(0, False)]
    assert "".join(p.text for page in pages for p in page) == word


def test_hundred_thousand_lines_are_linear(tmp_path):
    box = _box(tmp_path)
    paras = [Para((Run(f"rivi {i}"),), 0, "bullet") for i in range(100_000)]
    with deadline(60):
        start = time.monotonic()
        pages, cut = fit.paginate(box, paras)
        elapsed = time.monotonic() - start
    assert not cut and sum(len(p) for p in pages) == len(paras)
    assert elapsed < 30  # about 2 s on an idle machine


def _lesson(folder, name: str, body: str) -> str:
    path = folder / name
    path.write_text(f"---\ntitle: Vihamielinen\n---\n\n## Pitkä\n\nAlku.\n\n{body}\n", encoding="utf-8")
    in_review(folder)
    return path.relative_to(folder.parents[1]).as_posix()


def test_check_warns_at_the_line_and_terminates(tmp_path):
    root = copy_course(tmp_path / "course")
    folder = first_module_dir(root)
    # (the loader refuses lines over 20 000 characters itself: 9 000 `*[` are 18 000)
    rel = _lesson(folder, "97-pitka.md", "y" * 1000 + "\n\nhttps://example.org/" + "a" * 1500 + "\n\n" + "*[" * 9_000)
    with deadline(300):
        report = check(root)
    km702 = [d for d in report.warnings if d.code == "KM702" and d.location.path == rel]
    lines = {d.location.line for d in km702}
    assert {9, 11, 13} <= lines, [str(d.location) + " " + text(d.message, "en") for d in km702]
    assert any("truncated" in text(d.message, "en") for d in km702 if d.location.line == 13)
    assert not report.has_errors()


def test_long_module_title_and_odd_image_name(tmp_path):
    from PIL import Image
    from pptx import Presentation

    root = copy_course(tmp_path / "course")
    folder = first_module_dir(root)
    yaml = folder / "module.yaml"
    long_title = "Pitkä moduulin nimi " * 20  # 400 characters
    yaml.write_text(yaml.read_text(encoding="utf-8").replace("fi: Mitä Työ 2.0 on?", f"fi: {long_title.strip()}", 1), encoding="utf-8")
    (folder / "media").mkdir(exist_ok=True)
    Image.new("RGB", (200, 100), "#00357A").save(folder / "media" / 'a"b<c>.png')
    in_review(folder)
    (folder / "96-kuva.md").write_text(
        '---\ntitle: Kuva\n---\n\n## Kuva\n\n![Kaavio](<media/a"b<c>.png>)\n', encoding="utf-8")
    report = check(root)
    assert any(d.code == "KM702" and "title" in text(d.message, "en") for d in report.warnings)
    module = module_ids(root)[0]
    paths = build(root, tmp_path / "out", modules=(module,), languages=("fi",))
    deck = next(p for p in paths if p.suffix == ".pptx")
    prs = Presentation(str(deck))  # every part parses
    assert len(prs.core_properties.title) <= 255
    with zipfile.ZipFile(deck) as zf:
        from lxml import etree

        for name in zf.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                etree.fromstring(zf.read(name))
    pics = [s for slide in prs.slides for s in slide.shapes if s.shape_type is not None and "Picture" in s.name]
    assert pics


def _bomb_master(path, size: int) -> None:
    chunk = b"\0" * (1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("ppt/media/bomb.bin", "w") as out:
            for _ in range(size // len(chunk)):
                out.write(chunk)


def test_zip_bomb_master_is_refused_with_a_reason(tmp_path):
    folder = tmp_path / "templates" / "slides"
    folder.mkdir(parents=True)
    _bomb_master(folder / "pommi.pptx", 210 << 20)
    assert (folder / "pommi.pptx").stat().st_size < 5 << 20
    with pytest.raises(TemplateProblem) as info:
        load_template(tmp_path)
    message = text(info.value.problems[0][0], "en")
    assert "zip bomb" in message and "200 MB" in message


def test_broken_master_has_a_reason(tmp_path):
    folder = tmp_path / "templates" / "slides"
    folder.mkdir(parents=True)
    (folder / "rikki.pptx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(TemplateProblem) as info:
        load_template(tmp_path)
    message = text(info.value.problems[0][0], "en")
    assert message.split(":")[-1].strip()


def test_decompression_bomb_png_is_an_error_at_the_image(tmp_path):
    from PIL import Image

    root = copy_course(tmp_path / "course")
    folder = first_module_dir(root)
    (folder / "media").mkdir(exist_ok=True)
    Image.new("1", (15_000, 15_000)).save(folder / "media" / "pommi.png")  # 225 megapixels
    rel = (folder / "95-pommi.md").relative_to(root).as_posix()
    (folder / "95-pommi.md").write_text("---\ntitle: Pommi\n---\n\n## Kuva\n\n![Kaavio](media/pommi.png)\n", encoding="utf-8")
    report = check(root)
    errors = [d for d in report.errors if d.code == "KM703"]
    assert errors and errors[0].location.path == rel and errors[0].location.line == 7, [str(d.location) for d in report.errors]
