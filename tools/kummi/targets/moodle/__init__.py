"""Moodle question-bank export: each module's quiz as Moodle XML, one file per language."""
from .target import MoodleTarget

__all__ = ["MoodleTarget"]
