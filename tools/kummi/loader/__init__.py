"""Reading a course from disk into the immutable model. Never raises on bad content."""
from .course import load_course

__all__ = ["load_course"]
