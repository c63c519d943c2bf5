"""Slides target: one PowerPoint deck per module and language (`build/slides/<module>.<lang>.pptx`)."""
from .target import SlidesTarget

__all__ = ["SlidesTarget"]
