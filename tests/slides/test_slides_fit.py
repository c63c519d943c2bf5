"""Text budgets (fit.py) and the planner on their own, without files."""
from __future__ import annotations

from kummi.targets.slides import fit
from kummi.targets.slides.spec import Para, Run
from kummi.targets.slides.template import PACKAGE_DEFAULT, load_template


def _content_box(tmp_path):
    return load_template(tmp_path).layouts["content"].bodies[0]  # no course master: package default


def test_count_lines():
    one = (Run("lyhyt"),)
    assert fit.count_lines(one, 24, 500) == 1
    words = (Run("sana " * 40),)
    assert fit.count_lines(words, 24, 500) > fit.count_lines(words, 24, 1000) > 1
    long_word = (Run("Konsernipalvelustrategianlinjaukset" * 3),)
    assert fit.count_lines(long_word, 24, 300) >= 3
    assert fit.count_lines((Run("a\nb\nc"),), 24, 500) == 3


def test_paginate_keeps_order_and_fits(tmp_path):
    assert PACKAGE_DEFAULT.exists()
    box = _content_box(tmp_path)
    paras = [Para((Run(f"Kohta {i}: " + "tekstiä " * 12),), 0, "bullet") for i in range(30)]
    pages, oversized = fit.paginate(box, paras)
    assert not oversized and len(pages) > 1
    assert [p for page in pages for p in page] == paras
    assert all(fit.fits(box, page) for page in pages)


def test_long_paragraph_is_cut_at_sentences(tmp_path):
    box = _content_box(tmp_path)
    text = "Tämä on virke, joka toistuu monta kertaa. " * 60
    pages, oversized = fit.paginate(box, [Para((Run(text.strip(), bold=False),))])
    assert oversized and len(pages) > 1
    joined = " ".join(p.text for page in pages for p in page)
    assert joined.split() == text.split()
    assert all(fit.fits(box, page) for page in pages)
    assert all(page[0].text.endswith(".") for page in pages)


def test_lead_in_line_stays_with_its_text(tmp_path):
    box = _content_box(tmp_path)
    filler = [Para((Run("rivi " * 30),)) for _ in range(4)]
    lead = Para((Run("Väliotsikko", bold=True),))
    pages, _ = fit.paginate(box, filler + [lead, Para((Run("teksti " * 30),))])
    for page in pages:
        assert page[-1] is not lead


def test_long_title_shrinks(tmp_path):
    title = load_template(tmp_path).layouts["content"].title
    assert fit.title_size(title, "Lyhyt otsikko") == (0.0, True)
    size, ok = fit.title_size(title, "Hyvin pitkä otsikko " * 8)
    assert not ok and 20 <= size < title.style.size(0)


def test_table_pages_repeat_nothing_and_fit(tmp_path):
    box = _content_box(tmp_path)
    header = ((Run("A"),), (Run("B"),))
    rows = tuple(((Run(f"rivi {i}"),), (Run("solu " * 6),)) for i in range(40))
    x, y, w, h = fit.table_area(box)
    size, pages, widths, heights = fit.paginate_table(header, rows, w, h)
    assert pages[0][0] == 0 and pages[-1][1] == len(rows) and len(pages) > 1
    assert sum(widths) == w
    for start, end in pages:
        assert heights[0] + sum(heights[1 + start : 1 + end]) <= h


def test_table_area_is_the_text_area_of_the_body(tmp_path):
    """A table starts where body text starts: inside the placeholder's insets, below the first
    line's leading; it ends at the text area's right and bottom edges."""
    box = _content_box(tmp_path)
    left, top, right, bottom = box.insets
    x, y, w, h = fit.table_area(box)
    assert x == box.x + left and x + w == box.x + box.w - right
    lead = (box.style.line(0) - box.style.size(0)) * fit.EMU_PT
    assert y == box.y + top + round(lead) and lead > 0
    assert y + h == box.y + box.h - bottom


def _tokens_by_character(runs):
    """fit._tokens as a plain per-character loop: the reference its faster version must equal."""
    out, word, space = [], 0.0, 0.0
    for run in runs:
        widths = None if run.code else (fit.BOLD if run.bold else fit.REGULAR)
        blank = fit.MONO if widths is None else widths[" "]
        for ch in run.text:
            if ch == "\n":
                out.append((word, 0.0, True))
                word, space = 0.0, 0.0
            elif ch in " \t":
                space += blank
            else:
                if space:
                    out.append((word, space, False))
                    word, space = 0.0, 0.0
                word += fit.MONO if widths is None else widths.get(ch, fit.UNKNOWN)
    out.append((word, space, False))
    return tuple(out)


def test_word_widths_equal_a_per_character_sum():
    """Words spanning runs (`**kumm**ien`), code, tabs, line breaks, runs of spaces and characters
    outside the width table: the same widths as summing character by character."""
    import random

    rng = random.Random(7)
    alphabet = list("aAäÖåWiml.,;:–—…“”€ \t\n") + ["\u00a0", "ŋ", "中", "\u00ad"]
    for _ in range(3000):
        runs = tuple(
            Run("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))), rng.random() < 0.3, False, rng.random() < 0.15)
            for _ in range(rng.randint(1, 4))
        )
        assert fit._tokens(runs) == _tokens_by_character(runs), runs


def test_plain_text_needs_no_markdown_parser(repo_root):
    """Text without any character that can start inline Markdown is one plain run without
    parsing; it must be exactly what markdown-it makes of it (random text, and every such
    paragraph of the repository's lessons)."""
    import random

    from kummi.loader import load_course
    from kummi.targets.slides import inline

    def parsed(text):
        return inline._parsed(inline._ATTR_LIST.sub("", text))

    rng = random.Random(3)
    alphabet = list("abcäöåÅÖ \t.,;:-–—\"'()?%#$€+=/{}|~^@") + ["\u00a0", "\u200b", "\u00ad", "\ufeff", "\x0b", "\x0c", "\u2028", "\u0085"]
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(20000)]
    course, _ = load_course(repo_root)
    for module in course.modules:
        for lesson in module.lessons:
            for text in lesson.texts:
                samples.extend(text.markdown.split("\n"))
    # Each character that can start markup, in text that is otherwise plain: markdown-it changes it.
    marked = ["&amp; ja", "a\\*b", "`x` y", "*x* y", "_x_ y", "[x](y)", "![kuva](k.png)", "a <b>x</b>", "a  \nb", "a\nb",
              "x\r\ny", "x\x00y", "[x]", "a!"]
    assert [m for m in marked if inline._MARKUP.search(m)] == marked
    assert len([s for s in samples if not inline._MARKUP.search(s)]) > 15000
    for text in samples + marked:
        assert inline.runs(text) == parsed(text), repr(text)
