"""The site build without a browser: languages, learner pages, downloads, safety, determinism."""
from __future__ import annotations

import filecmp
import re
import subprocess
import sys
from pathlib import Path

import pytest

from site_helpers import EPOCH, build, copy_course


def _html_files(site: Path):
    return sorted(site.rglob("*.html"))


def test_html_lang_per_site(site_build):
    course, site = site_build
    others = [lang for lang in course.languages[1:]]
    assert others, "the sample course should have a second language"
    for path in _html_files(site):
        rel = path.relative_to(site).parts
        expected = rel[0] if rel[0] in others else course.languages[0]
        match = re.search(r'<html lang="([a-z]+)"', path.read_text(encoding="utf-8"))
        assert match and match.group(1) == expected, path


def test_every_page_of_the_model_is_there(site_build):
    course, site = site_build
    for lang in course.languages:
        base = site if lang == course.languages[0] else site / lang
        for name in ("index.html", "mentors/index.html", "glossary/index.html"):
            assert (base / name).is_file(), (lang, name)
        for mod in course.modules:
            assert (base / "modules" / mod.folder / "index.html").is_file()
            for lesson in mod.lessons:
                assert (base / "modules" / mod.folder / lesson.id / "index.html").is_file()
            if mod.quiz:
                assert (base / "modules" / mod.folder / "quiz" / "index.html").is_file()


def test_trainer_notes_are_not_in_learner_pages(site_build):
    from kummi.model import Notes

    course, site = site_build
    checked = 0
    for mod in course.modules:
        for lesson in mod.lessons:
            for text in lesson.texts:
                base = site if text.lang == course.languages[0] else site / text.lang
                html = (base / "modules" / mod.folder / lesson.id / "index.html").read_text(encoding="utf-8")
                for slide in text.slides:
                    for note in (b for b in slide.blocks if isinstance(b, Notes)):
                        line = note.markdown.splitlines()[0].strip()
                        assert line not in html, f"trainer note from {note.loc} leaked into the site"
                        checked += 1
    assert checked, "the sample course should have trainer notes"


def test_trainer_view_shows_notes(site_build):
    """Lesson pages come from the loader's HTML segments: the trainer preview shows notes in a
    trainer box; the learner view has no notes at all."""
    from kummi.targets.site.pages import lesson_page
    from kummi.views import learner_view

    course, _ = site_build
    mod, lesson, text = next((m, le, t) for m in course.modules for le in m.lessons for t in le.texts if "!!! notes" in t.markdown)
    note = next(html for kind, html in text.html if kind == "notes")
    assert 'class="admonition kummi-trainer"' in lesson_page(text, mod, lesson, text.lang, trainer=True).html
    learner = learner_view(course)
    lmod = next(m for m in learner.modules if m.id == mod.id)
    llesson = next(le for le in lmod.lessons if le.id == lesson.id)
    ltext = llesson.text(text.lang)
    page = lesson_page(ltext, lmod, llesson, text.lang, trainer=True).html
    assert "kummi-trainer" not in page and note not in page


def test_glossary_links_point_to_the_glossary_with_definition(site_build):
    course, site = site_build
    text = next(t for m in course.modules for le in m.lessons for t in le.texts if "](glossary:" in t.markdown and t.lang == "fi")
    term_id = re.search(r"\]\(glossary:([a-z0-9-]+)\)", text.markdown).group(1)
    term = course.term(term_id)
    page = site / Path(text.path).parent / Path(text.path).name.split(".")[0] / "index.html"
    html = page.read_text(encoding="utf-8")
    link = re.search(rf'<a href="(\.\./)+glossary/#{term_id}" title="([^"]+)"', html)
    assert link, f"no glossary link to {term_id} in {page}"
    assert term.definition.get("fi")[:30] in link.group(2).replace("&quot;", '"')
    assert f'id="{term_id}"' in (site / "glossary" / "index.html").read_text(encoding="utf-8")


def test_module_page_offers_downloads(site_build):
    course, site = site_build
    mod = course.modules[0]
    html = (site / "modules" / mod.folder / "index.html").read_text(encoding="utf-8")
    assert f'href="../../downloads/{mod.id}-fi.pptx"' in html
    assert (site / "downloads" / f"{mod.id}-fi.pptx").is_file()
    # No downloads were given for the Swedish site: no empty section.
    sv = (site / "sv" / "modules" / mod.folder / "index.html").read_text(encoding="utf-8")
    assert "downloads/" not in sv


def test_mentor_list_has_a_contact_column_only_if_someone_has_a_contact(site_build):
    from dataclasses import replace

    from kummi.targets.site.pages import MENTORS_PAGE, plan_site

    course, site = site_build
    assert not any(m.contact for m in course.mentors), "the sample course lists no contacts"
    html = (site / "mentors" / "index.html").read_text(encoding="utf-8")
    assert "Yhteys" not in html and "<td></td>" not in html
    assert "Kontakt" not in (site / "sv" / "mentors" / "index.html").read_text(encoding="utf-8")
    # One mentor with a shared mailbox: the list of mentors gets the column, as a link.
    first = course.mentors[0]
    with_contact = replace(course, mentors=(replace(first, contact="kummit@example.fi"), *course.mentors[1:]))
    page = plan_site(with_contact, "fi").html[MENTORS_PAGE].html
    assert '<th scope="col">Yhteys</th>' in page
    assert 'href="mailto:kummit@example.fi"' in page


def test_no_external_resources(site):
    for path in list(site.rglob("*.html")) + list(site.rglob("*.css")):
        text = path.read_text(encoding="utf-8", errors="replace")
        assert "fonts.googleapis" not in text and "unpkg.com" not in text and "cdn.jsdelivr" not in text, path
        assert not re.search(r'<(script|link|img)\b[^>]*(src|href)="(https?:)?//', text), path
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
    fonts = list((site / "assets" / "kummi" / "fonts").glob("*.woff2"))
    assert len(fonts) == 6 and (site / "assets" / "kummi" / "fonts" / "OFL.txt").is_file()


def test_theme_language_and_search_language_per_site(site_build):
    import json

    course, site = site_build
    for lang in course.languages:
        base = site if lang == course.languages[0] else site / lang
        index = json.loads((base / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert index["config"]["lang"] == [lang]
        assert "stemmer" in index["config"]["pipeline"]


def _language_links(html: str) -> dict[str, str]:
    return dict((lang, href) for href, lang in re.findall(r'<a href="([^"]*)" hreflang="([a-z]+)"[^>]*class="md-select__link"', html))


@pytest.mark.parametrize("variant", ["online", "offline"])
def test_language_switch_links_every_page_to_its_counterpart(variant, request, site_build):
    """Per-page links, computed by the plugin; no <link rel="alternate"> in <head>, for which
    Material's JavaScript would fetch sitemap.xml (impossible from file://)."""
    course, _ = site_build
    site = request.getfixturevalue("site" if variant == "online" else "offline_site")
    pages = [p for p in _html_files(site) if p.name != "404.html"]
    assert pages
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert not re.search(r'<link rel="alternate"(?![^>]*application/rss)', html), path
        links = _language_links(html)
        assert sorted(links) == sorted(course.languages), path
        rel = path.relative_to(site)
        here = rel.parts[1:] if rel.parts[0] in course.languages[1:] else rel.parts
        for lang, href in links.items():
            target = (path.parent / href).resolve()
            if target.is_dir():
                target = target / "index.html"
            expected = site.joinpath(*(() if lang == course.languages[0] else (lang,)), *here)
            assert target == expected.resolve(), (path, lang, href)


def test_offline_site_has_no_404_page(offline_site, site):
    """A site opened from file:// has no server to show a 404 page (and its /assets/ paths fail)."""
    assert not list(offline_site.rglob("404.html"))
    assert (site / "404.html").is_file()
    links = _language_links((site / "404.html").read_text(encoding="utf-8"))
    assert links == {"fi": "/", "sv": "/sv/"}


def test_search_indexes_quiz_questions_but_not_answers(site_build):
    """Options and their feedback in a search result would give the answers away."""
    import json

    course, site = site_build
    checked = 0
    for lang in course.languages:
        base = site if lang == course.languages[0] else site / lang
        docs = json.loads((base / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        for mod in (m for m in course.modules if m.quiz and m.quiz.questions):
            text = " ".join(d["title"] + " " + d["text"] for d in docs if d["location"].startswith(f"modules/{mod.folder}/quiz/"))
            for q in mod.quiz.questions:
                assert q.prompt.get(lang).split("\n")[0][:40] in text, (lang, q.id)
                for o in q.options:
                    if o.feedback:
                        assert o.feedback.get(lang)[:40] not in text, (lang, q.id, o.id)
                    if len(o.text.get(lang)) > 15:
                        assert o.text.get(lang) not in text, (lang, q.id, o.id)
                        checked += 1
    assert checked


QUIZ_NAMES = {"fi": "Tietovisa", "sv": "Kunskapstest", "en": "Quiz"}  # as in the slides


def test_the_quiz_has_one_name(site_build):
    from kummi.targets.site.i18n import t

    course, site = site_build
    mod = next(m for m in course.modules if m.quiz and m.quiz.questions)
    for lang, name in QUIZ_NAMES.items():
        assert t(lang, "quiz") == name and name.lower() in t(lang, "quiz.link").lower(), lang
    for lang in course.languages:
        base = site if lang == course.languages[0] else site / lang
        name = QUIZ_NAMES[lang]
        quiz = (base / "modules" / mod.folder / "quiz" / "index.html").read_text(encoding="utf-8")
        assert re.search(rf"<h1 id=\"kummi-title\">{name}: ", quiz), lang
        assert re.search(rf'<a href="\./" class="md-nav__link md-nav__link--active">\s*<span class="md-ellipsis">\s*{name}\s*</span>', quiz), lang
        module = (base / "modules" / mod.folder / "index.html").read_text(encoding="utf-8")
        assert re.search(rf'<a class="md-button" href="quiz/">[^<]*{name.lower()}', module, re.I), lang
        lesson = (base / "modules" / mod.folder / mod.lessons[0].id / "index.html").read_text(encoding="utf-8")
        assert f'<a href="../quiz/">{name}</a>' in lesson, lang
        if lang != "en":
            visible = re.sub(r"<[^>]+>", " ", quiz + module + lesson)
            assert not re.search(r"\bquiz", visible, re.I), lang


@pytest.mark.parametrize("lang, correct, feedback, shown", [
    ("fi", True, "Oikein. Kummit ovat yksi rakenteista.", "Kummit ovat yksi rakenteista."),
    ("fi", True, "Oikein!", ""),
    ("fi", False, "Ei. Työ 2.0 ei ole säästöohjelma.", "Työ 2.0 ei ole säästöohjelma."),
    ("fi", False, "Väärin. Katso oppitunti 2.", "Katso oppitunti 2."),
    ("fi", False, "Ei pidä paikkaansa. Kummeja on yli 20.", "Ei pidä paikkaansa. Kummeja on yli 20."),
    ("fi", False, "Oikein. (author's mistake: kept)", "Oikein. (author's mistake: kept)"),
    ("fi", True, "Oikeinkirjoitus ratkaisee.", "Oikeinkirjoitus ratkaisee."),
    ("sv", True, "Rätt. Mottot betonar det.", "Mottot betonar det."),
    ("sv", False, "Nej. Arbete 2.0 är inget sparprogram.", "Arbete 2.0 är inget sparprogram."),
    ("en", False, "Not quite. Read lesson 2.", "Read lesson 2."),
])
def test_quiz_feedback_does_not_repeat_the_label(lang, correct, feedback, shown):
    from types import SimpleNamespace

    from kummi.model import LocalText
    from kummi.targets.site.pages import quiz_feedback

    option = SimpleNamespace(correct=correct, feedback=LocalText.of({"fi": feedback, lang: feedback}))
    assert quiz_feedback(option, lang) == shown


def _unseal(salt: str, qid: str, oid: str, sealed: str) -> str:
    """views.seal backwards (the same as answerkey.js kummiUnseal)."""
    import base64
    import hashlib

    data = base64.b64decode(sealed)
    stream = b"".join(hashlib.sha256(f"{salt}|{qid}|{oid}|{i}".encode()).digest() for i in range((len(data) + 31) // 32))
    return bytes(a ^ b for a, b in zip(data, stream)).decode("utf-8")


def test_quiz_page_holds_no_answers(site_build):
    """Learners' quiz pages carry a digest of each right answer and sealed verdicts and feedback,
    never which option is correct: no data-correct, no verdict label, no feedback text in the
    HTML. Opened as the browser opens them, the seals give the model's answers."""
    from kummi.targets.site.pages import quiz_feedback
    from kummi.views import answer_key, answer_salt

    course, site = site_build
    mod = next(m for m in course.modules if m.quiz and m.quiz.questions)
    salt = answer_salt(course, mod)
    for lang in ("fi", "sv"):
        base = site if lang == course.languages[0] else site / lang
        html = (base / "modules" / mod.folder / "quiz" / "index.html").read_text(encoding="utf-8")
        assert "data-correct" not in html
        assert not re.search(r'class="kummi-verdict">[^<]', html)
        for q in mod.quiz.questions:
            assert f'data-key="{answer_key(salt, q.id, q.correct_ids)}"' in html
            for o in q.options:
                shown = quiz_feedback(o, lang)
                if len(shown) > 12:
                    assert shown[:40] not in html.replace("&#39;", "'").replace("&quot;", '"')
                verdict = re.search(rf'name="q-{q.id}" value="{o.id}" data-verdict="([^"]+)"', html).group(1)
                assert _unseal(salt, q.id, o.id, verdict) == ("1" if o.correct else "0")


def test_two_builds_are_identical(site_course, tmp_path):
    _, first = build(site_course, tmp_path / "a")
    _, second = build(site_course, tmp_path / "b")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    _, mismatch, errors = filecmp.cmpfiles(first, second, [str(f) for f in files], shallow=False)
    assert not mismatch and not errors, mismatch[:5]


def _first_lesson(root: Path) -> Path:
    from kummi.loader import load_course

    course, _ = load_course(root)
    return Path(root) / course.modules[0].lessons[0].source.path


def test_broken_link_fails_the_build_naming_the_lesson(tmp_path, repo_root):
    from kummi.targets import TargetError

    root = copy_course(repo_root, tmp_path / "course")
    lesson = _first_lesson(root)
    lesson.write_text(lesson.read_text(encoding="utf-8") + "\n\nKatso [puuttuva](ei-ole-olemassa.md).\n", encoding="utf-8")
    with pytest.raises(TargetError) as info:
        build(root, tmp_path / "out")  # `kummi check` skipped on purpose
    assert lesson.relative_to(root).as_posix() in str(info.value)
    assert "ei-ole-olemassa.md" in str(info.value)
    assert not (tmp_path / "out" / "site").exists(), "a failed build must not leave a site behind"


def test_scripts_in_lessons_never_reach_the_site(tmp_path, repo_root):
    root = copy_course(repo_root, tmp_path / "course")
    lesson = _first_lesson(root)
    evil = (
        '\n\n<div onclick="alert(1)">klikkaa</div>\n\n<script>alert("xss")</script>\n\n'
        '<img src="media/x.png" onerror="alert(2)" alt="kuva">\n\n<a href="javascript:alert(3)">linkki</a>\n\n'
        '<iframe src="https://example.org"></iframe>\n'
    )
    lesson.write_text(lesson.read_text(encoding="utf-8") + evil, encoding="utf-8")
    from kummi.loader import load_course
    from kummi.targets.site.target import build_site
    from kummi.targets.site import runtime

    course, _ = load_course(root)
    out = tmp_path / "site"
    try:
        build_site(course, out, runtime.Run(course=course), EPOCH)
    except Exception:
        pass  # a warning about the missing image may stop the build; the pages are written first
    page = out / Path(course.modules[0].lessons[0].source.path).parent / course.modules[0].lessons[0].id / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "klikkaa" in html  # the text stays, the handler goes
    for bad in ("onclick", 'alert("xss")', "onerror", "javascript:", "<iframe"):
        assert bad not in html, bad


def test_site_check_requires_the_plugin(tmp_path, repo_root):
    from kummi.pipeline import load_and_check
    from kummi.targets.site import SiteTarget

    root = copy_course(repo_root, tmp_path / "course")
    cfg = root / "mkdocs.yml"
    cfg.write_text(cfg.read_text(encoding="utf-8").replace("  - kummi\n", ""), encoding="utf-8")
    _, report = load_and_check(root, [SiteTarget()])
    assert any(d.code == "KM410" for d in report.errors)


def test_plain_mkdocs_build_works(site_course, tmp_path):
    out = tmp_path / "mk"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(out)],
        cwd=site_course, capture_output=True, text=True, env={**__import__("os").environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert '<html lang="fi"' in (out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sv"' in (out / "sv" / "index.html").read_text(encoding="utf-8")
