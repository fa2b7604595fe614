"""What the submission owns: its classes, their instances and its own functions.

The policy is stricter with library objects than with the submission's own: a submission may use
private attributes (``self._cache``) and write attributes of its own objects, but never those
that library classes define (``self._modules`` of an ``nn.Module`` subclass stays off-limits).
"""

from __future__ import annotations

import types
from typing import Any, cast

__all__ = ["OWNED_CLASSES", "is_owned", "library_defines", "owned_function", "register_globals"]

OWNED_CLASSES: set[type] = set()
"""Every class created by a submission's ``class`` statement in this process."""

_SUBMISSION_GLOBALS: set[int] = set()
_LIBRARY_DEFINES: dict[tuple[type, str], bool] = {}


def register_globals(namespace: dict[str, Any]) -> None:
    """Remember a submission module's globals (its functions are the submission's own)."""
    _SUBMISSION_GLOBALS.add(id(namespace))


def owned_function(obj: object) -> bool:
    """True for a function defined by a submission."""
    return type(obj) is types.FunctionType and id(obj.__globals__) in _SUBMISSION_GLOBALS


def _owner_class(obj: object) -> type | None:
    if type(obj) is super:
        this = cast(Any, obj).__thisclass__  # typeshed's super has no __thisclass__
        return this if this in OWNED_CLASSES else None
    if isinstance(obj, type):
        return obj if obj in OWNED_CLASSES else None
    cls = type(obj)
    return cls if cls in OWNED_CLASSES else None


def is_owned(obj: object) -> bool:
    """True for the submission's classes, their instances, ``super()`` in them, and its functions."""
    return _owner_class(obj) is not None or owned_function(obj)


def library_defines(obj: object, name: str) -> bool:
    """True when a library class in the object's MRO defines or annotates ``name``."""
    if type(obj) is super:
        proxy = cast(Any, obj)  # typeshed's super has neither attribute
        cls = proxy.__self_class__ or proxy.__thisclass__
    elif isinstance(obj, type):
        cls = obj
    else:
        cls = type(obj)
    key = (cls, name)
    known = _LIBRARY_DEFINES.get(key)
    if known is None:
        known = False
        for base in cls.__mro__:
            if base in OWNED_CLASSES or base is object:
                continue
            namespace = base.__dict__
            if name in namespace or name in namespace.get("__annotations__", {}):
                known = True
                break
        _LIBRARY_DEFINES[key] = known
    return known
