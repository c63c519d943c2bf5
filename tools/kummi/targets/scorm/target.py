"""The SCORM target: build/scorm/<module-id>.<lang>.scorm12.zip (and .scorm2004.zip on request)."""
from __future__ import annotations

import shutil
from pathlib import Path

from ...diagnostics import Report
from ...i18n import M_
from ...model import Course
from ..base import BuildContext, BuildOptions, Job, JobResult, Target
from .ids import VERSION_SUFFIX, ncname_part, package_name
from .keys import package_key
from .package import write_package
from .pages import suspend_data_worst_case

SUSPEND_LIMIT = 4096  # SCORM 1.2 cmi.suspend_data (Moodle enforces it in "standards mode")
LOCATION_LIMIT = 255  # SCORM 1.2 cmi.core.lesson_location
INTERACTION_ID_LIMIT = 250  # 2004 short identifier / 1.2 CMIIdentifier (255)


def selected_versions(course: Course, options: BuildOptions) -> tuple[str, ...]:
    versions = tuple(options.scorm_versions) or tuple(course.scorm_versions) or ("1.2",)
    return tuple(v for v in dict.fromkeys(versions) if v in VERSION_SUFFIX)


class ScormTarget(Target):
    name = "scorm"
    description = "SCORM packages for eOppiva (Moodle): one SCO per module and language"

    def check(self, course: Course, report: Report, cache=None) -> None:
        if ncname_part(course.id) is None:
            report.error(
                "KM711",
                M_("course id '{course}' cannot become a SCORM identifier", course=course.id),
                course.loc,
                M_("use lower-case letters, digits and hyphens only, e.g. tyo-2-0-esihenkilot"),
            )
        for module in course.modules:
            if ncname_part(module.id) is None:
                report.error(
                    "KM711",
                    M_("module id '{module}' cannot become a SCORM identifier", module=module.id),
                    module.loc,
                    M_("use lower-case letters, digits and hyphens only; changing the id later loses learners' progress in Moodle"),
                )
            for lesson in module.lessons:
                if len(lesson.id) > LOCATION_LIMIT:
                    report.error(
                        "KM712",
                        M_("lesson file name '{lesson}' is too long for SCORM 1.2 lesson_location ({length} > {limit})",
                           lesson=lesson.id, length=len(lesson.id), limit=LOCATION_LIMIT),
                        lesson.source.loc,
                        M_("shorten the file name"),
                    )
            if module.quiz:
                for q in module.quiz.questions:
                    iid = f"urn:kummi:{module.id}:{q.id}:9999"
                    if len(iid) > INTERACTION_ID_LIMIT:
                        report.error(
                            "KM713",
                            M_("question id '{question}' makes SCORM interaction ids longer than {limit} characters",
                               question=q.id, limit=INTERACTION_ID_LIMIT),
                            q.loc,
                            M_("use a shorter question id"),
                        )
                    if q.type != "truefalse" and any(len(o.id) != 1 for o in q.options):
                        report.error("KM714", M_("question '{question}': option ids must be single letters for SCORM", question=q.id), q.loc)
            worst = suspend_data_worst_case(module)
            if worst > SUSPEND_LIMIT:
                report.warning(
                    "KM715",
                    M_("module '{module}': SCORM progress data may need {length} characters, over the SCORM 1.2 limit of {limit}",
                       module=module.id, length=worst, limit=SUSPEND_LIMIT),
                    module.loc,
                    M_("Moodle in 'SCORM standards mode' would cut it and learners lose their answers on resume; split the quiz or shorten question ids"),
                )
            if not module.lessons and not (module.quiz and module.quiz.questions):
                report.warning("KM716", M_("module '{module}' has no lessons and no quiz: its SCORM package would be empty", module=module.id), module.loc)

    def jobs(self, course: Course, options: BuildOptions, ctx: BuildContext) -> list[Job]:
        """One job per package (module, language and SCORM version). A package whose key is
        unchanged since the last build is linked from the previous output."""
        versions = selected_versions(course, options)
        out = []
        for module, lang in options.selection(course):
            for version in versions:
                key = package_key(course, module, lang, version, options.epoch)
                cheap = ctx.cache.enabled and ctx.cache.reusable(self.name, package_name(module.id, lang, version), key, ctx.previous)
                weight = 0.01 if cheap else PACKAGE_WEIGHT * (1 + len(module.lessons))
                out.append(Job(self.name, f"{module.id}.{lang}.{version}", weight, (module.id, lang, version, key)))
        return out

    def run_job(self, course: Course, options: BuildOptions, job: Job, staging: Path, ctx: BuildContext) -> JobResult:
        module_id, lang, version, key = job.payload
        name = package_name(module_id, lang, version)
        result = JobResult(artifacts=[name], outputs={name: key})
        if ctx.cache.reuse(self.name, name, key, ctx.previous, staging):
            result.reused = 1
        else:
            write_package(staging, course, course.module(module_id), lang, version, options.epoch)
            result.made = 1
        return result

    def finish(self, course: Course, options: BuildOptions, staging: Path, results: list[JobResult], ctx: BuildContext) -> list[str]:
        """A partial build keeps the other packages of the previous output."""
        written = sorted(a for r in results for a in r.artifacts)
        partial = bool(options.modules or options.languages or options.scorm_versions)
        if partial and ctx.previous.is_dir():
            for old in sorted(ctx.previous.glob("*.zip")):
                if old.name not in written and old.is_file():
                    shutil.copy2(old, staging / old.name)
        return written


PACKAGE_WEIGHT = 0.01  # rough seconds per lesson of a package (the build's scheduling unit)


__all__ = ["ScormTarget", "package_name", "selected_versions"]
