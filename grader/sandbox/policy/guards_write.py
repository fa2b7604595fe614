"""Runtime guards for writing: attribute stores and deletes (``_write_``, ``setattr``,
``delattr``) and item stores (``_write_item_``).

Modules, their state, library classes and library functions are read-only; methods of objects
cannot be replaced (``model.forward = ...``); private attributes are writable only on the
submission's own objects. New plain attributes on library objects stay allowed
(``layer.weight = nn.Parameter(...)``, ``p.grad = None``, ``ctx.k = 2``).
"""

from __future__ import annotations

import functools
import types
from typing import Any

from grader.sandbox.policy.errors import raise_violation
from grader.sandbox.policy.guards_attr import describe_owner
from grader.sandbox.policy.guards_owned import (
    OWNED_CLASSES,
    is_owned,
    library_defines,
    owned_function,
)
from grader.sandbox.policy.guards_table import Verdict, is_module_state

__all__ = ["WriteGuards", "write_verdict"]

_FUNCTIONS = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.MethodWrapperType,
    types.ClassMethodDescriptorType,
    functools.partial,
    staticmethod,
    classmethod,
    property,
)
_METHOD_LIKE = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodDescriptorType,
    types.WrapperDescriptorType,
    types.ClassMethodDescriptorType,
    staticmethod,
    classmethod,
    functools.partialmethod,
)
_MISSING = object()
_CLASS_ATTRS: dict[tuple[type, str], object] = {}


def _class_attribute(cls: type, name: str) -> object:
    key = (cls, name)
    found = _CLASS_ATTRS.get(key, _MISSING)
    if found is _MISSING:
        found = None
        for base in cls.__mro__:
            if name in base.__dict__:
                found = base.__dict__[name]
                break
        _CLASS_ATTRS[key] = found
    return found


def _replaces_method(obj: object, name: str) -> bool:
    attr = _class_attribute(type(obj), name)
    if attr is None or isinstance(attr, type):
        return False
    if isinstance(attr, _METHOD_LIKE):
        return True
    return callable(attr) and not hasattr(type(attr), "__set__")


def write_verdict(obj: object, name: str, declared: frozenset[str]) -> Verdict | None:
    """Why ``obj.name = ...`` (or ``del obj.name``) is not allowed (None: it is)."""
    if name.startswith("__"):
        if name.endswith("__") and len(name) > 4:
            return "dunder", "dunder-read", {"name": name}
        return "private", "private-mangled", {"name": name}
    if isinstance(obj, types.ModuleType):
        return "module-write", "module-write", {"target": f"{obj.__name__}.{name}"}
    if is_module_state(obj):
        return "module-write", "module-write", {"target": f"{describe_owner(obj)}.{name}"}
    if isinstance(obj, type):
        if obj not in OWNED_CLASSES:
            return "class-write", "class-write", {"target": f"{describe_owner(obj)}.{name}"}
    elif isinstance(obj, _FUNCTIONS) and not owned_function(obj):
        return "function-write", "function-write", {"target": f"{describe_owner(obj)}.{name}"}
    if name.startswith("_"):
        if not (name in declared and is_owned(obj) and not library_defines(obj, name)):
            return "private", "private-attr", {"name": name, "owner": describe_owner(obj)}
        return None
    if not isinstance(obj, type) and _replaces_method(obj, name):
        owner = type(obj).__qualname__
        return "override", "override-write", {"name": name, "owner": owner}
    return None


class _Writer:
    """The target of ``_write_(obj).name = value``: checks the name, then writes through."""

    __slots__ = ("_guarded", "_guards")
    _guarded: object
    _guards: WriteGuards

    def __init__(self, obj: object, guards: WriteGuards) -> None:
        object.__setattr__(self, "_guarded", obj)
        object.__setattr__(self, "_guards", guards)

    def __setattr__(self, name: str, value: Any) -> None:
        self._guards.setattr_(self._guarded, name, value)

    def __delattr__(self, name: str) -> None:
        self._guards.delattr_(self._guarded, name)


class WriteGuards:
    """Write guards; mixed into ``guards_builtins.Guards`` (needs ``declared``)."""

    declared: frozenset[str]

    def _check_write(self, obj: object, name: object) -> None:
        if type(name) is not str:
            raise TypeError("attribute name must be a string")
        verdict = write_verdict(obj, name, self.declared)
        if verdict is not None:
            raise raise_violation(verdict[0], verdict[1], **verdict[2])

    def write_(self, obj: object) -> _Writer:
        """``obj.name = v`` compiles to ``_write_(obj).name = v``."""
        return _Writer(obj, self)

    def setattr_(self, obj: object, name: str, value: Any) -> None:
        """The guarded ``setattr``."""
        self._check_write(obj, name)
        setattr(obj, name, value)

    def delattr_(self, obj: object, name: str) -> None:
        """The guarded ``delattr``."""
        self._check_write(obj, name)
        delattr(obj, name)

    def write_item_(self, obj: Any) -> Any:
        """``obj[k] = v`` compiles to ``_write_item_(obj)[k] = v``."""
        if isinstance(obj, types.ModuleType) or is_module_state(obj):
            raise raise_violation(
                "module-write", "module-write", target=describe_owner(obj) + "[...]"
            )
        if isinstance(obj, type) and obj not in OWNED_CLASSES:
            raise raise_violation("class-write", "class-write", target=describe_owner(obj))
        return obj
