"""The course web site (MkDocs + Material), one site per course language."""
from .target import SiteTarget

__all__ = ["SiteTarget"]
