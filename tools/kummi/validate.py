"""Checks across the loaded model: references, links, images, quizzes, translations.

Each check is a function `check_*(course, report)`; target-specific checks live with their target.
"""
from __future__ import annotations

import difflib
import os
import posixpath
import re
from collections import Counter
from pathlib import Path

from . import model as m
from .diagnostics import Location, Report, rel_posix
from .loader.files import MAX_MEDIA_BYTES, file_problem, shown_name
from .i18n import M_, Msg

GLOSSARY_SCHEME = "glossary:"


def validate_course(course: m.Course, report: Report, cache=None, skip=()) -> Report:
    """Every check in CHECKS but those in `skip`; those in CACHED_CHECKS also get `cache`
    (cache.Cache or None)."""
    for check in CHECKS:
        if check in skip:
            continue
        if check in CACHED_CHECKS:
            check(course, report, cache=cache)
        else:
            check(course, report)
    return report


def _suggest(name: str, choices) -> Msg | None:
    """A "did you mean" hint; case-insensitive, lenient for short codes such as agency codes."""
    by_lower = {c.lower(): c for c in choices}
    cutoff = 0.5 if len(name) <= 4 else 0.6
    close = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=cutoff)
    return M_("did you mean '{name}'?", name=by_lower[close[0]]) if close else None


def check_duplicates(course: m.Course, report: Report) -> None:
    def dupes(items, key, message):
        """`message(id)` is the whole sentence for a duplicate id."""
        seen: dict[str, Location] = {}
        for item in items:
            k = key(item)
            if k in seen:
                report.error("KM105", message(k), item.loc, M_("first defined at {location}", location=str(seen[k])))
            else:
                seen[k] = item.loc

    dupes(course.agencies, lambda a: a.code, lambda k: M_("duplicate agency code '{id}'", id=k))
    dupes(course.themes, lambda t: t.id, lambda k: M_("duplicate theme id '{id}'", id=k))
    dupes(course.mentors, lambda x: x.id, lambda k: M_("duplicate mentor id '{id}'", id=k))
    dupes(course.glossary, lambda t: t.id, lambda k: M_("duplicate glossary term id '{id}'", id=k))
    dupes(course.modules, lambda x: x.id, lambda k: M_("duplicate module id '{id}'", id=k))
    for module in course.modules:
        if module.folder[3:] != module.id:
            report.warning(
                "KM211", M_("module id '{module}' differs from its folder name '{folder}'", module=module.id, folder=module.folder),
                module.loc_of("id"),
                M_("keep them the same (the id names the decks and SCORM packages; changing it loses learners' progress in Moodle)"),
            )
        if module.quiz:
            dupes(module.quiz.questions, lambda q: q.id, lambda k: M_("duplicate question id '{id}'", id=k))
        numbers = Counter(lesson.number for lesson in module.lessons)
        for lesson in module.lessons:
            if numbers[lesson.number] > 1:
                report.error(
                    "KM105", M_("two lessons share the number {number}", number=format(lesson.number, "02d")), lesson.source.loc,
                    M_("give each lesson its own NN- prefix"),
                )


def check_references(course: m.Course, report: Report) -> None:
    agencies = {a.code for a in course.agencies}
    themes = {t.id for t in course.themes}
    mentors = {x.id for x in course.mentors}
    # A file that could not be parsed already has its error; don't call everything in it unknown.
    agencies_known = "content/agencies.yaml" not in course.unreadable
    mentors_known = "content/mentors.yaml" not in course.unreadable
    for mentor in course.mentors:
        if agencies_known and mentor.agency and mentor.agency not in agencies:
            hint = _suggest(mentor.agency, agencies) or M_("add the agency to content/agencies.yaml")
            report.error("KM202", M_("mentor '{mentor}': unknown agency '{agency}'", mentor=mentor.id, agency=mentor.agency), mentor.loc_of("agency"), hint)
        for theme in mentor.themes:
            if theme not in themes:
                hint = _suggest(theme, themes) or M_("add the theme under 'themes:' in content/mentors.yaml")
                report.error("KM204", M_("mentor '{mentor}': unknown theme '{theme}'", mentor=mentor.id, theme=theme), mentor.loc_of("themes"), hint)
    for module in course.modules:
        for author in module.authors if mentors_known else ():
            if author not in mentors:
                hint = _suggest(author, mentors) or M_("authors are mentor ids from content/mentors.yaml")
                report.error("KM201", M_("module '{module}': unknown mentor '{mentor}'", module=module.id, mentor=author), module.loc_of("authors"), hint)


def _lesson_index(course: m.Course) -> dict[str, tuple[m.Lesson, str]]:
    """Root-relative lesson file path -> (lesson, lang)."""
    index = {}
    for module in course.modules:
        for lesson in module.lessons:
            for text in lesson.texts:
                index[text.path] = (lesson, text.lang)
    return index


def check_links(course: m.Course, report: Report) -> None:
    index = _lesson_index(course)
    # None: the glossary could not be parsed, so glossary links are not judged.
    terms = None if "content/glossary.yaml" in course.unreadable else {t.id for t in course.glossary}
    root = Path(course.root)
    for module in course.modules:
        for lesson in module.lessons:
            for text in lesson.texts:
                for link in text.links:
                    _check_link(link, text, lesson, index, terms, root, report)


def _check_link(link: m.Link, text: m.LessonText, lesson: m.Lesson, index, terms, root: Path, report: Report) -> None:
    href = link.href
    if href.startswith(GLOSSARY_SCHEME):
        term = href[len(GLOSSARY_SCHEME):]
        if terms is not None and term not in terms:
            hint = _suggest(term, terms) or M_("add the term to content/glossary.yaml")
            report.error("KM203", M_("unknown glossary term '{term}'", term=term), link.loc, hint)
        return
    if re.match(r"^[a-z][a-z0-9+.-]*:", href, re.I) or href.startswith("//"):
        return  # external (http, https, mailto, tel): not checked offline
    if not href:
        report.error("KM301", M_("empty link target"), link.loc, M_("write [text](target.md)"))
        return
    path_part, _, anchor = href.partition("#")
    if not path_part:
        if anchor and anchor not in text.anchors:
            report.error(
                "KM302", M_("no heading '#{anchor}' in this lesson", anchor=anchor), link.loc,
                _suggest(anchor, text.anchors) or M_("anchors are headings in lower case with hyphens, e.g. #mikä-on-työ-20"),
            )
        return
    if posixpath.isabs(path_part):
        report.error("KM305", M_("link '{href}' uses an absolute path", href=href), link.loc, M_("use a path relative to this lesson, e.g. ../02-kummi/01-rooli.md"))
        return
    target = posixpath.normpath(posixpath.join(posixpath.dirname(text.path), path_part))
    if target.startswith("../") or target == "..":
        report.error("KM305", M_("link '{href}' escapes the course repository", href=href), link.loc)
        return
    if target in index:
        target_lesson, _ = index[target]
        if anchor:
            # The page shown is the target in this file's language (or its Finnish fallback).
            shown = target_lesson.text(text.lang)
            if anchor not in shown.anchors:
                hint = _suggest(anchor, shown.anchors) or M_("check the headings in {path}", path=shown.path)
                report.error("KM302", M_("broken anchor '#{anchor}' in link to '{path}'", anchor=anchor, path=path_part), link.loc, hint)
        return
    if "\\" in path_part:
        report.error(
            "KM301", M_("broken link: '{path}' uses backslashes", path=path_part), link.loc,
            M_("use forward slashes: {path}", path=path_part.replace("\\", "/")),
        )
        return
    if not target.endswith(".md") and posixpath.normpath(target + ".md") in index:
        report.error("KM301", M_("broken link: '{path}' is not a file", path=path_part), link.loc, M_("add .md: {path}.md", path=path_part))
        return
    if target.endswith(".md"):
        candidates = [posixpath.relpath(p, posixpath.dirname(text.path)) for p in index]
        hint = _suggest(path_part, candidates) or M_("link to a lesson file, e.g. 02-seuraava.md")
        report.error("KM301", M_("broken link: '{path}' is not a lesson", path=path_part), link.loc, hint)
        return
    if not (root / target).exists() and not (root / target).is_symlink():
        report.error("KM301", M_("broken link: file '{path}' does not exist", path=path_part), link.loc)
        return
    if (root / target).is_dir() and not (root / target).is_symlink():
        report.error("KM301", M_("broken link: '{path}' is a folder", path=path_part), link.loc,
                     M_("link to a lesson (.md) or to a file in a media/ folder"))
        return
    problem = file_problem(root / target, root, MAX_MEDIA_BYTES)
    if problem:
        report.error(problem[0], problem[1], link.loc, problem[2])
    elif not published_file(target):
        report.error("KM301", M_("'{path}' is a source file of the course, which is not published", path=path_part), link.loc,
                     M_("link to a lesson (.md) or to a file in a media/ folder"))


def check_images(course: m.Course, report: Report) -> None:
    root = Path(course.root)
    problems: dict[str, tuple | None] = {}  # a picture that many lessons show is looked at once
    for module in course.modules:
        for lesson in module.lessons:
            for text in lesson.texts:
                for image in text.images:
                    if image.path and image.path not in problems:
                        problems[image.path] = file_problem(root / image.path, root, MAX_MEDIA_BYTES)
                    problem = problems[image.path] if image.path else None
                    if image.path and problem is None and published_file(image.path):
                        pass  # the usual case: a picture file inside the course (not a folder), no more to look at
                    elif image.path and (root / image.path).is_dir() and not (root / image.path).is_symlink():
                        report.error("KM303", M_("image '{src}' is a folder, not a picture file", src=image.src), image.loc,
                                     M_("use a .png, .jpg, .gif or .svg file"))
                    elif problem and problem[0] != "KM001" and ((root / image.path).exists() or (root / image.path).is_symlink()):
                        report.error(problem[0], problem[1], image.loc, problem[2])
                    elif image.path and not published_file(image.path):
                        report.error("KM303", M_("image '{src}' is not a picture file", src=image.src), image.loc, M_("use a .png, .jpg, .gif or .svg file"))
                    elif image.path and not (root / image.path).is_file():
                        folder = posixpath.dirname(image.path)
                        siblings = [shown_name(p.name) for p in (root / folder).glob("*")] if (root / folder).is_dir() else []
                        hint = _suggest(posixpath.basename(image.path), siblings) or (
                            M_("add the file to {folder}/", folder=folder) if folder else M_("add the file to the top folder of the course")
                        )
                        if "\\" in image.src:
                            hint = M_("use forward slashes: {path}", path=image.src.replace("\\", "/"))
                        report.error("KM303", M_("image '{src}' not found", src=image.src), image.loc, hint)
                    alt = image.alt.strip()
                    if not alt:
                        report.error(
                            "KM304", M_("image '{src}' has no alt text", src=image.src), image.loc,
                            M_("describe the picture: ![Kaavio kuudesta rakenteesta](media/kaavio.png)"),
                        )
                    elif re.search(r"\.(png|jpe?g|gif|svg|webp)$", alt, re.I):
                        report.error("KM304", M_("alt text of '{src}' is a file name", src=image.src), image.loc, M_("describe what the picture shows"))


# Files that the outputs publish: what lessons may link to. Sources (.md, .yaml) and hidden files are not.
UNPUBLISHED = (".md", ".markdown", ".yaml", ".yml")


def published_file(rel: str) -> bool:
    name = posixpath.basename(rel)
    return bool(name) and not name.startswith(".") and not name.lower().endswith(UNPUBLISHED) and name not in ("..", ".")


def check_files(course: m.Course, report: Report) -> None:
    """Every file that an output may copy (module folders, content/media, templates/) is an
    ordinary file inside the repository after resolving links, of a sane size, with a UTF-8 name.
    Reported at the file itself, whether a lesson refers to it or not."""
    root = Path(course.root)
    folders = [root / mod.path for mod in course.modules] + [root / "content" / "media", root / "templates"]
    for folder in folders:
        for path in _walk(folder):
            loc = Location(rel_posix(path, root))
            try:
                path.name.encode("utf-8")
            except UnicodeEncodeError:
                report.error("KM009", M_("the file name is not UTF-8"), Location(rel_posix(path.parent, root)),
                             M_("rename the file '{name}' using letters a-z, digits and hyphens", name=loc.path.rsplit("/", 1)[-1]))
                continue
            problem = file_problem(path, root, MAX_MEDIA_BYTES)
            if problem:
                report.error(problem[0], problem[1], loc, problem[2])


def _walk(folder: Path):
    """Files under `folder` (links included, not followed into linked folders), sorted."""
    if not folder.is_dir() or folder.is_symlink():
        if folder.is_symlink():
            yield folder
        return
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") and entry.name != ".gitkeep" and not entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            else:
                yield Path(entry.path)


def check_quizzes(course: m.Course, report: Report) -> None:
    for module in course.modules:
        if not module.quiz:
            continue
        for q in module.quiz.questions:
            n = len(q.correct_ids)
            if q.type == "single" and n != 1:
                report.error(
                    "KM501", M_("question '{question}': a single-choice question needs exactly one correct option, found {found}", question=q.id, found=n),
                    q.loc, M_("mark one option with 'correct: true', or use type: multiple"),
                )
            elif q.type == "multiple" and n < 1:
                report.error(
                    "KM501", M_("question '{question}': a multiple-choice question needs at least one correct option", question=q.id),
                    q.loc, M_("mark the right options with 'correct: true'"),
                )
            if q.type != "truefalse" and 0 < len(q.options) < 2:
                report.error("KM501", M_("question '{question}' needs at least two options", question=q.id), q.loc)


def check_translations(course: m.Course, report: Report) -> None:
    """KM601/KM602: warnings while a module is a draft or in review, errors once it is published
    (learners would see Finnish text or an outdated translation)."""
    languages = [lang for lang in course.languages if lang != "fi"]
    for module in course.modules:
        flag = report.error if module.status == "published" else report.warning
        for lang in languages:
            labelled = [("title", module.title), ("summary", module.summary), ("audience", module.audience)]
            labelled += [(f"objectives[{i}]", o) for i, o in enumerate(module.objectives, 1)]
            for label, text in labelled:
                if text and not text.has(lang):
                    flag(
                        "KM601", M_("module '{module}': {key} has no '{lang}' text", module=module.id, key=label, lang=lang), module.loc,
                        M_("add '{lang}: …' under '{key}:'", lang=lang, key=label),
                    )
        for lesson in module.lessons:
            source = lesson.source
            for lang in languages:
                if not lesson.has(lang):
                    expected = posixpath.join(posixpath.dirname(source.path), f"{lesson.id}.{lang}.md")
                    flag(
                        "KM601",
                        M_("lesson '{lesson}' has no '{lang}' translation; the Finnish text is shown instead", lesson=lesson.id, lang=lang),
                        source.loc,
                        M_("create {path} with 'source_version: \"{version}\"' in its front matter", path=expected, version=source.version),
                    )
            for text in lesson.texts[1:] if source.version else ():  # no version: source unreadable
                if not text.source_version:
                    flag(
                        "KM602", M_("translation does not say which Finnish version it follows"), text.loc.at(1, 1),
                        M_("add 'source_version: \"{version}\"' to the front matter", version=source.version),
                    )
                elif text.source_version != source.version:
                    flag(
                        "KM602",
                        M_(
                            "translation is older than its Finnish source (source_version {old}, Finnish is now {version})",
                            old=text.source_version, version=source.version,
                        ),
                        text.loc.at(1, 1),
                        M_("update the translation, then set 'source_version: \"{version}\"'", version=source.version),
                    )


# The author guide (docs/kirjoittajan-opas.md): a quiz of 4-6 questions, a reflection in every module.
QUIZ_QUESTIONS = (4, 6)


def _walk_blocks(blocks):
    for block in blocks:
        yield block
        if isinstance(block, (m.Callout, m.Reflection, m.Notes)):
            yield from _walk_blocks(block.blocks)


def _lesson_blocks(text: m.LessonText):
    for slide in text.slides:
        yield from _walk_blocks(slide.blocks)


def check_guide(course: m.Course, report: Report) -> None:
    """KM503 quiz size and KM212 reflection (warnings) for published modules: what learners get
    follows the guide; drafts and modules in review may still be incomplete."""
    for module in course.modules:
        if module.status != "published":
            continue
        low, high = QUIZ_QUESTIONS
        if module.quiz and module.quiz.questions and not low <= len(module.quiz.questions) <= high:
            report.warning(
                "KM503", M_("the quiz has {n} questions; the guide asks for {low}-{high}", n=len(module.quiz.questions), low=low, high=high),
                module.quiz.loc, M_("write {low}-{high} questions on what the lessons taught", low=low, high=high),
            )
        readable = all(lesson.source.version for lesson in module.lessons)  # unreadable: its error is enough
        if module.lessons and readable and not any(isinstance(b, m.Reflection) for lesson in module.lessons for b in _lesson_blocks(lesson.source)):
            report.warning(
                "KM212", M_("module '{module}' has no reflection question", module=module.id), module.loc,
                M_("add a '!!! reflection \"Pohdi\"' box to one of its lessons (in Swedish '!!! reflection \"Fundera\"')"),
            )


# `!!! notes "…"` as written (the model keeps the notes' text, not their title).
_NOTES_TITLE = re.compile(r'^\s*!!!\s+notes\s+"(.*)"')


def box_titles(lang: str) -> dict[str, str]:
    """Box kind -> its title in `lang` (the titles the outputs give untitled boxes)."""
    from .learnertext import table

    words = table(lang)
    titles = {"reflection": words.get("common.reflection", ""), "notes": words.get("common.trainer", "")}
    titles.update({k[len("common.box."):]: v for k, v in words.items() if k.startswith("common.box.")})
    return {k: v for k, v in titles.items() if v}


def check_box_titles(course: m.Course, report: Report) -> None:
    """KM603: a box whose title is another course language's title for that box (e.g. 'Pohdi' in a
    Swedish lesson): a title left untranslated."""
    titles = {lang: box_titles(lang) for lang in course.languages}
    for module in course.modules:
        for lesson in module.lessons:
            for text in lesson.texts:
                own = titles.get(text.lang, {})
                if not own:
                    continue
                lines = None  # the text's lines, split when a notes box needs its title line
                for block in _lesson_blocks(text):
                    if isinstance(block, m.Notes):
                        if lines is None:
                            lines = text.markdown.split("\n")
                        kind, i = "notes", block.loc.line - text.body_line
                        found = _NOTES_TITLE.match(lines[i]) if 0 <= i < len(lines) else None
                        title = found.group(1) if found else ""
                    elif isinstance(block, (m.Reflection, m.Callout)):
                        kind, title = ("reflection" if isinstance(block, m.Reflection) else block.kind), block.title
                    else:
                        continue
                    if not title or kind not in own or title.strip() == own[kind]:
                        continue
                    other = next((lang for lang in course.languages if lang != text.lang and titles[lang].get(kind) == title.strip()), None)
                    if other:
                        report.warning(
                            "KM603", M_("box title '{title}' is the '{other}' title in a '{lang}' lesson", title=title, other=other, lang=text.lang),
                            block.loc, M_("write !!! {kind} \"{right}\"", kind=kind, right=own[kind]),
                        )


from .codeowners import check_codeowners  # noqa: E402

CHECKS = (check_duplicates, check_references, check_links, check_images, check_files, check_quizzes, check_guide, check_translations, check_box_titles, check_codeowners)

from .spelling import check_spelling  # noqa: E402  (KM801: Finnish and Swedish spelling)

CHECKS = (*CHECKS, check_spelling)
CACHED_CHECKS = frozenset({check_spelling})  # they reuse per-file results from the build cache
