"""Output targets by name. Adding a target = a new subpackage + one line here."""
from __future__ import annotations

from importlib import import_module

from .base import BuildContext, BuildOptions, Job, JobResult, Target, TargetError

# name -> "module:Class", imported lazily so `kummi check` stays fast.
TARGETS: dict[str, str] = {
    "site": "kummi.targets.site:SiteTarget",
    "slides": "kummi.targets.slides:SlidesTarget",
    "scorm": "kummi.targets.scorm:ScormTarget",
    "moodle": "kummi.targets.moodle:MoodleTarget",
}


def get_target(name: str) -> Target:
    module_name, _, cls = TARGETS[name].partition(":")
    return getattr(import_module(module_name), cls)()


def available_targets() -> list[str]:
    return list(TARGETS)


__all__ = ["BuildContext", "BuildOptions", "Job", "JobResult", "Target", "TargetError", "TARGETS", "get_target", "available_targets"]
