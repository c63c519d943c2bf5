"""Results remembered for the very objects they were made from.

`kummi serve` keeps the objects of unchanged lessons between saves (cache.MemoryCache), so work
derived from one of them (its learner view, its page HTML) can be reused by identity.
"""
from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")


class IdentityMemo:
    """Keyed by an object's identity plus a hashable `extra`. An entry keeps its object alive, so
    the id is not reused while the entry exists; a full memo is emptied."""

    def __init__(self, limit: int = 8192):
        self.limit = limit
        self._entries: dict[tuple, tuple[object, object]] = {}

    def get(self, obj: object, extra, make: Callable[[], T]) -> T:
        key = (id(obj), extra)
        known = self._entries.get(key)
        if known is not None and known[0] is obj:
            return known[1]
        if len(self._entries) >= self.limit:
            self._entries.clear()
        value = make()
        self._entries[key] = (obj, value)
        return value
