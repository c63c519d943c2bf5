"""Quick pickling of frozen, slotted dataclasses (the model, locations, messages).

The build cache stores parsed lessons as pickles, and a warm `kummi check` unpickles thousands of
small model objects. A slotted dataclass unpickles through `dataclasses._dataclass_setstate`, which
looks up the class's fields for every object; rebuilding an object by calling its class with its
field values is about twice as fast and gives an equal object.
"""
from __future__ import annotations

import dataclasses
from operator import attrgetter


def quick_pickle(cls: type) -> type:
    """Make `cls` (a frozen dataclass whose every field is an positional __init__ argument)
    pickle as `cls(*values)`. Other classes are returned unchanged."""
    fields = dataclasses.fields(cls)
    if not fields or hasattr(cls, "__post_init__") or any(not f.init or f.kw_only for f in fields):
        return cls
    values = attrgetter(*(f.name for f in fields))
    if len(fields) == 1:
        def __reduce__(self):
            return cls, (values(self),)
    else:
        def __reduce__(self):
            return cls, values(self)
    cls.__reduce__ = __reduce__
    return cls


def quick_pickle_module(namespace: dict) -> None:
    """Apply quick_pickle to every dataclass defined in a module (pass its `globals()`)."""
    name = namespace["__name__"]
    for value in list(namespace.values()):
        if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == name \
                and value.__dataclass_params__.frozen:
            quick_pickle(value)
