"""SCORM packages for eOppiva/Moodle (GitHub issue #5): one SCO per module and language."""
from .target import ScormTarget

__all__ = ["ScormTarget"]
