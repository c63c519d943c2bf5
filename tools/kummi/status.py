"""`kummi status`: translation coverage, module status and owners, as the course truly is."""
from __future__ import annotations

from pathlib import Path

from .model import Course, Lesson, LessonText, Module


def module_status(course: Course, module: Module) -> dict:
    langs = {}
    for lang in course.languages:
        if lang == "fi":
            continue
        translated = [lesson for lesson in module.lessons if lesson.has(lang)]
        current = [lesson for lesson in translated if lesson.text(lang).source_version == lesson.source.version]
        langs[lang] = {"lessons": len(module.lessons), "translated": len(translated), "current": len(current)}
    owners = []
    for author in module.authors:
        mentor = course.mentor(author)
        agency = course.agency(mentor.agency) if mentor else None
        owners.append({
            "id": author,
            "role": mentor.role.get("fi") if mentor else "?",
            "agency": agency.code if agency else (mentor.agency if mentor else "?"),
            "github": mentor.github if mentor else "",
        })
    return {
        "id": module.id,
        "folder": module.folder,
        "title": module.title.get("fi"),
        "status": module.status,
        "version": module.version,
        "lessons": len(module.lessons),
        "quiz_questions": len(module.quiz.questions) if module.quiz else 0,
        "pass_mark": module.pass_mark if module.quiz else None,
        "translations": langs,
        "owners": owners,
    }


def course_status(course: Course) -> dict:
    modules = [module_status(course, m) for m in course.modules]
    totals = {}
    for lang in course.languages:
        if lang == "fi":
            continue
        lessons = sum(m["translations"][lang]["lessons"] for m in modules)
        current = sum(m["translations"][lang]["current"] for m in modules)
        translated = sum(m["translations"][lang]["translated"] for m in modules)
        totals[lang] = {"lessons": lessons, "translated": translated, "current": current}
    return {"course": course.id, "version": course.version, "languages": list(course.languages), "modules": modules, "translations": totals}


def select_translations(course: Course, target: str, cwd: Path) -> list[tuple[Lesson, LessonText]] | None:
    """The translations that `kummi status --diff TARGET` looks at: every translation of a module
    (id or folder), or of one lesson file (Finnish or translated); None when TARGET names neither."""
    root = Path(course.root)
    module = next((m for m in course.modules if target in (m.id, m.folder, m.path, m.path + "/")), None)
    if module is not None:
        return [(lesson, t) for lesson in module.lessons for t in lesson.texts[1:]]
    try:
        rel = (cwd / target).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        rel = target
    for m in course.modules:
        for lesson in m.lessons:
            for t in lesson.texts:
                if t.path == rel:
                    return [(lesson, x) for x in lesson.texts[1:] if t is lesson.source or x is t]
    return None
