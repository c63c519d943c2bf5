"""One SCORM package (zip) for one module, language and SCORM version."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from ... import model as m
from ... import views
from ...archive import write_zip
from ...i18n import M_, text
from ..base import TargetError
from .ids import is_ascii_path, package_name
from .manifest import LAUNCH, MANIFEST, environment, render_manifest, self_check
from .pages import ModulePages, render_module
from .strings import strings

ASSETS = Path(__file__).resolve().parent / "assets"
SHARED_ASSETS = Path(__file__).resolve().parents[2] / "assets"  # kummi/assets: shared with the site
RUNTIME_JS, STYLE_CSS, ANSWERKEY_JS = "kummi-scorm.js", "kummi-scorm.css", "answerkey.js"
# UI strings the runtime needs (the rest are rendered into the page).
JS_STRINGS = (
    "progress_text", "page_of", "seen", "correct", "wrong", "choose", "score", "passed", "failed", "done", "back_lesson",
    "back_quiz", "review_note", "browse_note", "review_result", "not_recorded", "end_quiz_passed", "end_quiz_failed",
    "recorded_score", "recorded_none", "recorded_standalone", "status.passed", "status.failed", "status.completed",
    "status.incomplete", "status.not_attempted", "status.browsed", "status.unknown", "quiz_intro",
    "review_quiz_intro", "map_shown", "map_none",
)


@lru_cache(maxsize=None)
def asset_bytes(name: str) -> bytes:
    folder = SHARED_ASSETS if name == ANSWERKEY_JS else ASSETS
    return (folder / name).read_bytes()


def _json_for_script(value) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def runtime_data(course: m.Course, module: m.Module, lang: str, version: str, pages: ModulePages) -> dict:
    ui = strings(lang)
    return {
        "version": version,
        "course": course.id,
        "module": module.id,
        "lang": lang,
        "storageKey": f"kummi:{course.id}:{module.id}:{lang}:{version}",
        "passMark": module.pass_mark if pages.questions else 0,
        "interactionPrefix": f"urn:kummi:{module.id}:",
        "pages": [{"id": p.id, "bit": p.bit, "kind": p.kind} for p in pages.pages],
        # No answers in plain text: the digest of the right answer (kummiAnswerKey), each option's
        # verdict and feedback sealed (kummiUnseal, assets/answerkey.js), opened once chosen.
        "salt": views.answer_salt(course, module),
        "questions": [
            {
                "id": q.id,
                "type": q.type,
                "cmiType": q.cmi_type,
                "options": [o.id for o in q.options],
                "key": q.answer_key,
                "verdicts": {o.id: o.verdict for o in q.options},
                "feedback": {o.id: o.feedback_sealed for o in q.options if o.feedback_sealed},
            }
            for q in pages.questions
        ],
        "strings": {k: ui[k] for k in JS_STRINGS},
    }


def render_index(course: m.Course, module: m.Module, lang: str, version: str, pages: ModulePages) -> str:
    objectives = []
    for o in module.objectives:
        objectives.append((o.get(lang), lang if o.has(lang) else "fi"))
    return environment().get_template("index.html.j2").render(
        lang=lang,
        ui=strings(lang),
        course_title=course.title.get(lang),
        module_title=module.title.get(lang) or module.id,
        objectives=objectives,
        duration=module.duration,
        pages=pages.pages,
        questions=pages.questions,
        glossary=pages.glossary_terms,
        pass_mark=module.pass_mark,
        data_json=_json_for_script(runtime_data(course, module, lang, version, pages)),
    )


def package_members(course: m.Course, module: m.Module, lang: str, version: str) -> dict[str, bytes]:
    pages = render_module(course, module, lang, Path(course.root))
    members: dict[str, bytes] = {
        LAUNCH: render_index(course, module, lang, version, pages).encode("utf-8"),
        ANSWERKEY_JS: asset_bytes(ANSWERKEY_JS),
        RUNTIME_JS: asset_bytes(RUNTIME_JS),
        STYLE_CSS: asset_bytes(STYLE_CSS),
    }
    members.update(pages.assets.data)
    bad = [n for n in members if not is_ascii_path(n)]
    if bad:  # asset_name guarantees this; a failure here is a bug, not a content problem
        raise TargetError(M_("SCORM package for '{module}' would contain non-ASCII names: {names}", module=module.id, names=", ".join(bad)))
    manifest = render_manifest(version, course, module, lang, list(members))
    problems = self_check(manifest, version, set(members) | {MANIFEST})
    if problems:
        raise TargetError(M_("SCORM {version} manifest for module '{module}' ({lang}) is broken: {problems}",
                             version=version, module=module.id, lang=lang, problems="; ".join(text(p) for p in problems)))
    members[MANIFEST] = manifest.encode("utf-8")
    return members


def write_package(dest_dir: Path, course: m.Course, module: m.Module, lang: str, version: str, epoch: int) -> Path:
    members = package_members(course, module, lang, version)
    dest = dest_dir / package_name(module.id, lang, version)
    write_zip(dest, members, epoch, first=(MANIFEST, LAUNCH))
    return dest
