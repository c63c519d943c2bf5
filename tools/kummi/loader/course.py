"""Loading the whole course: course-level YAML, modules, lessons and quizzes."""
from __future__ import annotations

import os
import pickle
import re
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from .. import model as m
from ..diagnostics import Location, Report, rel_posix
from ..i18n import M_, MP_
from ..schema import LANG_CODES, Node, validate
from ..specs import AGENCIES, COURSE, GLOSSARY, MENTORS, MODULE, QUIZ
from ..cache import digest
from .files import decode_text, forget_real_dirs, inside, parse_yaml, read_bytes, shown_name
from .markdown import parse_lesson_bytes

LESSON_NAME = re.compile(r"^(?P<num>\d\d)-(?P<slug>[a-z0-9-]+?)(?:\.(?P<lang>[a-z]{2}))?\.md$")
PARALLEL_THRESHOLD = 120  # lesson files; below this a process pool costs more than it saves


def _lt(node: dict | None, key: str) -> m.LocalText:
    return m.LocalText.of((node or {}).get(key))


def load_course(root: str | Path, report: Report | None = None, cache=None) -> tuple[m.Course | None, Report]:
    """Load the course at `root`. Returns (course or None when nothing usable, report).
    With a `cache` (cache.Cache), files whose bytes did not change are not parsed again."""
    report = report if report is not None else Report()
    root = Path(root).resolve()
    forget_real_dirs()
    reader = _Reader(root, cache)
    course_file = root / "content" / "course.yaml"
    if not course_file.is_file():
        report.error(
            "KM102", M_("course file is missing"), Location("content/course.yaml"),
            M_("run kummi in the course repository, or create content/course.yaml"),
        )
        return None, report
    unreadable: list[str] = []  # shared files that could not be parsed: checks against them stay quiet
    course, loc = reader.yaml(course_file, COURSE, report)
    if course is None:
        course = Node(loc)
        unreadable.append(loc.path)
    languages = tuple(course.get("languages") or ("fi",))
    if languages and languages[0] != "fi":
        report.error("KM104", M_("languages: Finnish (fi) must come first"), course.loc_of("languages"), M_("write languages: [fi, sv]"))

    agencies = list(_load_doc(reader, "agencies.yaml", AGENCIES, report, unreadable).get("agencies") or [])
    mentors_doc = _load_doc(reader, "mentors.yaml", MENTORS, report, unreadable)
    glossary = list(_load_doc(reader, "glossary.yaml", GLOSSARY, report, unreadable).get("terms") or [])

    module_dirs = _module_dirs(root, course, report, listed_known=loc.path not in unreadable)
    modules = _load_modules(reader, module_dirs, languages, report)

    return m.Course(
        root=str(root),
        id=course.get("id", "course"),
        title=_lt(course, "title"),
        description=_lt(course, "description"),
        languages=languages,
        publisher=_lt(course, "publisher"),
        licence=course.get("licence", ""),
        version=course.get("version", "0"),
        scorm_versions=tuple((course.get("scorm") or {}).get("versions") or ("1.2",)),
        site_url=course.get("site_url", ""),
        modules=tuple(modules),
        agencies=tuple(
            m.Agency(a["code"], _lt(a, "name"), a.get("url", ""), a.loc) for a in agencies if "code" in a
        ),
        themes=tuple(m.Theme(t["id"], _lt(t, "name"), t.loc) for t in (mentors_doc.get("themes") or []) if "id" in t),
        mentors=tuple(
            m.Mentor(
                x["id"], _lt(x, "role"), x.get("agency", ""), tuple(x.get("themes") or ()),
                tuple(x.get("languages") or ()), x.get("contact", ""), x.get("github", ""), x.loc,
                tuple(sorted(x.key_locs.items())),
            )
            for x in (mentors_doc.get("mentors") or []) if "id" in x
        ),
        glossary=tuple(
            m.Term(t["id"], _lt(t, "term"), _lt(t, "definition"), t.loc) for t in glossary if "id" in t
        ),
        loc=loc,
        media=_media(root),
        unreadable=tuple(unreadable),
        digest=digest(tuple(reader.digests.get(f"content/{name}", "") for name in ("course.yaml", "agencies.yaml", "mentors.yaml", "glossary.yaml"))),
    ), report


class _Reader:
    """Reads course files safely (files.read_bytes) and parses each one once: with a cache, a file
    whose bytes are unchanged since an earlier run is not parsed at all."""

    def __init__(self, root: Path, cache=None):
        self.root, self.cache = root, cache
        self.digests: dict[str, str] = {}  # root-relative path -> digest of its bytes
        self.empty: set[str] = set()  # files that hold no data at all (empty, only comments or '---')
        self._early: dict[tuple[str, str], tuple] = {}  # (path, spec title) -> what `yaml` will return

    def prefetch(self, path: Path, spec) -> None:
        """Read and parse `path` now (while worker processes parse the lessons); `yaml` returns it
        later and reports its diagnostics then, in their usual place in the report."""
        local = Report()
        self._early[(str(path), spec.title or "")] = (self.yaml(path, spec, local), local.items)

    def yaml(self, path: Path, spec, report: Report) -> tuple[Node | None, Location]:
        """(validated document or None when unusable, location of the file)."""
        early = self._early.pop((str(path), spec.title or ""), None) if self._early else None
        if early is not None:
            result, items = early
            report.items.extend(items)
            return result
        loc = Location(rel_posix(path, self.root))
        data = read_bytes(path, self.root, report)
        if data is None:
            return None, loc
        key = digest("yaml", loc.path, spec.title or "", data)
        self.digests[loc.path] = key
        cached = self.cache.get("yaml", key) if self.cache is not None else None
        if cached is not None:
            node, items = cached
            report.items.extend(items)
            if node is None and any(d.code == "KM102" and d.location == loc for d in items):
                self.empty.add(loc.path)
            return node, loc
        local = Report()
        node = None
        text = decode_text(data, loc, local)
        if text is not None:
            doc = parse_yaml(text, loc, local)
            if doc is None and not local.items:
                local.error("KM102", M_("the file is empty"), loc, M_("write the file's fields in it, e.g. from the example in docs/kirjoittajan-opas.md"))
                self.empty.add(loc.path)
            elif doc is not None:
                node = validate(doc, spec, loc, local)
        if self.cache is not None:
            self.cache.put("yaml", key, (node, local.items))
        report.items.extend(local.items)
        return node, loc


def _load_doc(reader: _Reader, name: str, spec, report: Report, unreadable: list[str]) -> Node:
    path = reader.root / "content" / name
    if not path.exists() and not path.is_symlink():
        return Node(Location(f"content/{name}"))
    clean, loc = reader.yaml(path, spec, report)
    if clean is None and loc.path not in reader.empty:
        # Could not be read or parsed: references to it are not judged. An empty file is read
        # fine and defines nothing, so references to it are errors where they are made.
        unreadable.append(loc.path)
    return clean or Node(loc)


def _media(root: Path) -> tuple[str, ...]:
    media = root / "content" / "media"
    if not media.is_dir():
        return ()
    return tuple(sorted(rel_posix(p, root) for p in media.rglob("*") if p.is_file() and inside(root, p)))


def _module_dirs(root: Path, course: Node, report: Report, listed_known: bool = True) -> list[tuple[str, Path, Location]]:
    listed = course.get("modules") or []
    locs = getattr(listed, "item_locs", [course.loc] * len(listed))
    modules_root = root / "modules"
    found: list[tuple[str, Path, Location]] = []
    seen: dict[str, Location] = {}
    for folder, loc in zip(listed, locs):
        path = modules_root / folder
        if folder in seen:
            report.error(
                "KM105", M_("module '{module}' is listed twice", module=folder), loc,
                M_("first listed at line {line}; remove this line", line=str(seen[folder].line)),
            )
            continue
        seen[folder] = loc
        if not inside(root, path):
            report.error("KM305", M_("module folder '{folder}' escapes the repository", folder=folder), loc)
        elif not (path / "module.yaml").is_file():
            existing = sorted(shown_name(p.name) for p in modules_root.iterdir()) if modules_root.is_dir() else []
            import difflib

            close = difflib.get_close_matches(folder, existing, n=1)
            report.error(
                "KM205",
                M_("module folder 'modules/{folder}' has no module.yaml", folder=folder),
                loc,
                M_("did you mean '{name}'?", name=close[0]) if close
                else M_("remove this line if the module was deleted; new modules are made with: kummi new module ID"),
            )
        else:
            found.append((folder, path, loc))
    if modules_root.is_dir():
        for path in sorted(modules_root.iterdir()):
            if listed_known and path.is_dir() and path.name not in listed and (path / "module.yaml").exists():
                report.warning(
                    "KM206",
                    M_("module folder 'modules/{folder}' is not listed in content/course.yaml", folder=shown_name(path.name)),
                    Location(rel_posix(path / "module.yaml", root)),
                    M_("add it under 'modules:' in content/course.yaml to publish it"),
                )
    return found


MODULE_FILES = {"module.yaml", "quiz.yaml", "readme.md", ".gitkeep"}
# 01-johdanto-sv.md, 01-johdanto_sv.md, 01-johdanto.md.sv: a translation named the wrong way.
_TRANSLATION_TYPO = re.compile(r"^(?P<stem>\d\d-[a-z0-9-]+?)(?:[-_](?P<lang>sv|en|fi)(?:\.md)?|\.md\.(?P<lang2>sv|en|fi))$", re.I)


def _lesson_jobs(root: Path, folder: Path, languages, report: Report) -> list[tuple[str, str, Path]]:
    """(lesson id, lang, path) for every lesson file in a module folder; a warning for other files."""
    jobs = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        name = shown_name(path.name)
        match = LESSON_NAME.match(name)
        typo = _TRANSLATION_TYPO.match(name)
        if match and not typo:
            lang = match.group("lang") or "fi"
            if lang not in LANG_CODES:
                report.warning(
                    "KM208", M_("unknown language suffix '.{lang}' in '{name}'", lang=lang, name=name), Location(rel_posix(path, root)),
                    M_("use .sv.md or .en.md"),
                )
                continue
            jobs.append((f"{match.group('num')}-{match.group('slug')}", lang, path))
            continue
        if name.lower() in MODULE_FILES:
            continue
        _unknown_file(root, path, typo, report)
    return jobs


def _unknown_file(root: Path, path: Path, typo, report: Report) -> None:
    name, loc = shown_name(path.name), Location(rel_posix(path, root))
    if typo and (typo.group("lang") or typo.group("lang2")):
        lang = (typo.group("lang2") or typo.group("lang")).lower()
        right = f"{typo.group('stem').lower()}.{lang}.md" if lang != "fi" else f"{typo.group('stem').lower()}.md"
        report.warning("KM208", M_("'{name}' is not read as a lesson", name=name), loc, M_("rename it to {right}", right=right))
    elif name.lower().endswith(".md") or name.lower().endswith(".markdown"):
        report.warning(
            "KM208", M_("'{name}' is not read as a lesson", name=name), loc,
            M_("name lessons NN-name.md (Finnish) and NN-name.sv.md (Swedish) with a-z, 0-9 and hyphens only (no ä/ö, capitals or spaces)"),
        )
    elif name.lower() in ("quiz.yml", "module.yml", "visa.yaml", "tietovisa.yaml"):
        right = "module.yaml" if name.lower().startswith("module") else "quiz.yaml"
        report.warning("KM208", M_("'{name}' is not read", name=name), loc, M_("rename it to {right}", right=right))
    else:
        report.warning(
            "KM208", M_("'{name}' is not part of the module", name=name), loc,
            M_("lessons are NN-name.md files; pictures and other files go in media/"),
        )


def _parse_job(args) -> tuple[m.LessonText | None, list]:
    rel, data, lang = args
    rep = Report()
    text = parse_lesson_bytes(rel, data, lang, rep)
    return text, rep.items


def _parse_pickled(args) -> bytes:
    """_parse_job in a worker process, its result pickled once: for the cache and the way back."""
    return pickle.dumps(_parse_job(args), protocol=pickle.HIGHEST_PROTOCOL)


def _load_modules(reader: _Reader, module_dirs, languages, report: Report) -> list[m.Module]:
    root = reader.root
    jobs_per_module = [_lesson_jobs(root, path, languages, report) for _, path, _ in module_dirs]
    # Read every lesson's bytes (safely); parse only those the cache does not know.
    reads = []
    for jobs in jobs_per_module:
        for _, lang, path in jobs:
            rel = rel_posix(path, root)
            data = read_bytes(path, root, report, memo=getattr(reader.cache, "reads", None))
            reads.append((rel, data, lang, digest("lesson", rel, lang, data) if data is not None else ""))
    cached = reader.cache.get_many("lesson", [k for *_, k in reads if k]) if reader.cache is not None else {}
    todo = [(rel, data, lang) for rel, data, lang, key in reads if data is not None and key not in cached]
    pool = None
    if len(todo) >= PARALLEL_THRESHOLD and (os.cpu_count() or 1) > 1:
        pool = ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1))
        # Results are taken (unpickled, kept for the cache) as they come, while the workers parse on.
        fresh = ((pickle.loads(blob), blob) for blob in pool.map(_parse_pickled, todo, chunksize=16))
        for _, path, _ in module_dirs:  # meanwhile, the modules' own files
            reader.prefetch(path / "module.yaml", MODULE)
            if (path / "quiz.yaml").is_file():
                reader.prefetch(path / "quiz.yaml", QUIZ)
    else:
        fresh = ((_parse_job(job), None) for job in todo)
    try:
        results = []
        for rel, data, lang, key in reads:
            if data is None:
                results.append((None, []))
            elif key in cached:
                results.append(cached[key])
            else:
                result, blob = next(fresh)
                results.append(result)
                if reader.cache is not None:
                    reader.cache.put("lesson", key, result, pickled=blob)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    for _, items in results:
        report.items.extend(items)
    parsed = iter(r[0] for r in results)

    modules = []
    for (folder, path, listed_loc), jobs in zip(module_dirs, jobs_per_module):
        texts: dict[str, list[m.LessonText]] = {}
        for lesson_id, lang, lesson_path in jobs:
            text = next(parsed)
            # An unreadable file still counts as a lesson, so links to it and its translations
            # don't produce follow-up errors; its own error is already reported.
            texts.setdefault(lesson_id, []).append(text or _placeholder(root, lesson_path, lang))
        modules.append(_load_module(reader, folder, path, texts, report))
    return modules


def _placeholder(root: Path, path: Path, lang: str) -> m.LessonText:
    loc = Location(rel_posix(path, root))
    return m.LessonText(lang, loc.path, path.stem, None, "", "", "", 1, (), (), (), loc)


def _load_module(reader: _Reader, folder: str, path: Path, texts: dict[str, list[m.LessonText]], report: Report) -> m.Module:
    root = reader.root
    node, loc = reader.yaml(path / "module.yaml", MODULE, report)
    node = node or Node(loc)
    lessons = []
    for lesson_id in sorted(texts):
        versions = sorted(texts[lesson_id], key=lambda t: (t.lang != "fi", t.lang))
        if versions[0].lang != "fi":
            report.error(
                "KM209",
                M_("lesson '{lesson}' has no Finnish version", lesson=lesson_id),
                versions[0].loc,
                M_("the Finnish file {lesson}.md is the source; translations sit beside it", lesson=lesson_id),
            )
            continue
        lessons.append(m.Lesson(lesson_id, lesson_id[3:], int(lesson_id[:2]), tuple(versions)))
    quiz, quiz_pass = _load_quiz(reader, path, report)
    pass_mark = quiz_pass if quiz_pass is not None else node.get("pass_mark")
    if node.get("pass_mark") is not None and not 0 <= node["pass_mark"] <= 100:
        report.error(
            "KM502", M_("pass_mark {value} is not a percentage", value=str(node["pass_mark"])), node.loc_of("pass_mark"),
            M_("use a number from 0 to 100, e.g. 80"),
        )
        pass_mark = None if quiz_pass is None else quiz_pass
    if quiz_pass is not None and node.get("pass_mark") is not None and quiz_pass != node["pass_mark"]:
        report.error(
            "KM502",
            M_("pass mark differs: quiz.yaml says {quiz}, module.yaml says {module}", quiz=str(quiz_pass), module=str(node["pass_mark"])),
            node.loc_of("pass_mark"),
            M_("keep the pass mark in one place (module.yaml)"),
        )
    return m.Module(
        id=node.get("id", folder[3:]),
        folder=folder,
        path=rel_posix(path, root),
        number=int(folder[:2]),
        title=_lt(node, "title"),
        summary=_lt(node, "summary"),
        objectives=tuple(m.LocalText.of(o) for o in node.get("objectives") or ()),
        duration=node.get("duration", 0),
        audience=_lt(node, "audience"),
        authors=tuple(node.get("authors") or ()),
        status=node.get("status", "draft"),
        pass_mark=pass_mark if pass_mark is not None else (80 if quiz else 0),
        version=node.get("version", "0"),
        lessons=tuple(lessons),
        quiz=quiz,
        loc=loc,
        key_locs=tuple(sorted(node.key_locs.items())),
        competence_map=bool(node.get("competence_map", False)),
        digest=digest(reader.digests.get(loc.path, ""), reader.digests.get(f"{loc.path.rsplit('/', 1)[0]}/quiz.yaml", "")),
    )


MAX_OPTIONS = 10  # option ids are a, b, c…; more would not fit a slide or a SCORM response either

TRUE_FALSE_TEXT = {
    True: {"fi": "Tosi", "sv": "Sant", "en": "True"},
    False: {"fi": "Epätosi", "sv": "Falskt", "en": "False"},
}


def _load_quiz(reader: _Reader, folder: Path, report: Report) -> tuple[m.Quiz | None, int | None]:
    path = folder / "quiz.yaml"
    if not path.exists() and not path.is_symlink():
        return None, None
    node, loc = reader.yaml(path, QUIZ, report)
    root = reader.root
    if not node:
        return None, None
    questions = []
    for q in node.get("questions") or []:
        if "id" not in q or "type" not in q:
            continue
        if q["type"] == "truefalse":
            answer = q.get("answer")
            if answer is None:
                report.error("KM102", M_("question '{question}': a truefalse question needs 'answer: true' or 'answer: false'", question=q["id"]), q.loc)
                answer = True
            if "options" in q:
                report.error(
                    "KM101", M_("question '{question}': truefalse questions take 'answer', not 'options'", question=q["id"]), q.loc_of("options"),
                    M_("remove 'options' or change the type to single"),
                )
            options = tuple(
                m.Option(
                    id="true" if value else "false",
                    text=m.LocalText.of(TRUE_FALSE_TEXT[value]),
                    correct=(answer is value),
                    feedback=_lt(q, "feedback_true" if value else "feedback_false"),
                    loc=q.loc,
                )
                for value in (True, False)
            )
        else:
            raw = q.get("options") or []
            if not raw:
                report.error(
                    "KM102", M_("question '{question}': missing required field '{field}'", question=q["id"], field="options"), q.loc,
                    M_("list the options under 'options:'"),
                )
            if len(raw) > MAX_OPTIONS:
                report.error(
                    "KM501",
                    MP_(
                        "question '{question}' has {n} option; at most {max} are allowed",
                        "question '{question}' has {n} options; at most {max} are allowed",
                        len(raw), question=q["id"], max=str(MAX_OPTIONS),
                    ),
                    q.loc_of("options"),
                    M_("split it into several questions"),
                )
            options = tuple(
                m.Option(chr(ord("a") + i), _lt(o, "text"), bool(o.get("correct", False)), _lt(o, "feedback"), loc)
                for i, (o, loc) in enumerate(zip(raw, getattr(raw, "item_locs", [q.loc] * len(raw))))
                if i < MAX_OPTIONS
            )
        questions.append(m.Question(q["id"], q["type"], _lt(q, "question"), options, q.loc))
    pass_mark = node.get("pass_mark")
    if pass_mark is not None and not 0 <= pass_mark <= 100:
        report.error("KM502", M_("pass_mark {value} is not a percentage", value=str(pass_mark)), node.loc_of("pass_mark"), M_("use a number from 0 to 100, e.g. 80"))
        pass_mark = None
    return m.Quiz(rel_posix(path, root), tuple(questions), loc), pass_mark
