"""Runtime guards for reading: attribute loads (``_getattr_``, ``getattr``, ``hasattr``), item
loads (``_getitem_``), call results (``_cv_``) and ``str.format``.

Every attribute load is checked by name first (dunder, private, introspection, module allow-list,
denied names) and then by value (see ``guards_table.value_verdict``).
"""

from __future__ import annotations

import _string  # type: ignore[import-not-found]
import types
from typing import Any

import numpy as np
import torch

from grader.denylist import RULE as DENY_RULE
from grader.denylist import message as deny_message
from grader.i18n import EMPTY
from grader.sandbox.policy.config import PolicyConfig
from grader.sandbox.policy.deny import (
    GLOBAL_NAME_DENY,
)
from grader.sandbox.policy.errors import DUNDER_HINTS, raise_violation
from grader.sandbox.policy.guards_owned import is_owned, library_defines
from grader.sandbox.policy.guards_table import (
    CLASS_ATTR_DENY,
    Verdict,
    value_verdict,
    view_of,
)
from grader.sandbox.policy.rules import (
    ALLOWED_DUNDER_READS,
    INTROSPECTION_ATTRS,
    NAMEDTUPLE_PUBLIC,
)

__all__ = ["FAST_TYPES", "AttrGuards", "deny_violation", "describe_owner", "name_verdict"]

FAST_TYPES = frozenset(
    {
        torch.Tensor, torch.nn.Parameter, torch.Size, torch.dtype, torch.device,
        int, float, bool, complex, str, bytes, tuple, range, slice, type(None),
        np.ndarray, np.float64, np.float32, np.int64, np.int32, np.bool_,
    }
)  # fmt: skip
"""Types whose values need no value check (plain data)."""

_MISSING = object()
_SPECIAL_NAMES = INTROSPECTION_ATTRS | frozenset(GLOBAL_NAME_DENY) | {"format", "format_map"}


def describe_owner(obj: object) -> str:
    """A short name for the object an attribute was looked up on (for messages)."""
    if isinstance(obj, types.ModuleType):
        return obj.__name__
    if isinstance(obj, type):
        return f"{obj.__module__}.{obj.__qualname__}"
    kind = type(obj)
    return (
        f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__name__
    )


def _underscore_verdict(obj: object, name: str, declared: frozenset[str]) -> Verdict | None:
    if name.startswith("__"):
        if name.endswith("__") and len(name) > 4:
            if name == "__init__":
                if type(obj) is super or isinstance(obj, type):
                    return None
            elif name in ALLOWED_DUNDER_READS:
                return None
            return "dunder", "dunder-read", {"name": name, "hint": DUNDER_HINTS.get(name, EMPTY)}
        return "private", "private-mangled", {"name": name}
    if name in NAMEDTUPLE_PUBLIC and (
        isinstance(obj, tuple) or (isinstance(obj, type) and issubclass(obj, tuple))
    ):
        return None
    if name in declared and is_owned(obj) and not library_defines(obj, name):
        return None
    return "private", "private-attr", {"name": name, "owner": describe_owner(obj)}


def _module_verdict(module: types.ModuleType, name: str, config: PolicyConfig) -> Verdict | None:
    module_name = module.__name__
    if module_name not in config.modules:
        return "denied-value", "denied-module", {"what": module_name, "module": module_name}
    if name in INTROSPECTION_ATTRS:
        return "introspection", "introspection", {"name": name}
    if f"{module_name}:{name}" in config.lifted:
        return None
    allow = config.attr_allow(module_name)
    if allow is not None and name not in allow:
        return "denied-name", "module-attr", {"module": module_name, "name": name}
    reason = GLOBAL_NAME_DENY.get(name)
    if reason is not None:
        return "denied-name", "denied-name", {"owner": module_name, "name": name, "reason": reason}
    return None


def name_verdict(
    obj: object, name: str, config: PolicyConfig, declared: frozenset[str]
) -> Verdict | None:
    """Why ``obj.name`` may not be read, judged by the name and the owner (None: it may)."""
    if name.startswith("_"):
        return _underscore_verdict(obj, name, declared)
    if isinstance(obj, types.ModuleType):
        return _module_verdict(obj, name, config)
    if name in _SPECIAL_NAMES:
        if name in INTROSPECTION_ATTRS:
            return "introspection", "introspection", {"name": name}
        reason = GLOBAL_NAME_DENY.get(name)
        if reason is not None and not is_owned(obj):
            owner = describe_owner(obj)
            return "denied-name", "denied-name", {"owner": owner, "name": name, "reason": reason}
    denied = CLASS_ATTR_DENY.get(name)
    if denied and not is_owned(obj):
        for cls, _key, reason in denied:
            if isinstance(obj, cls) or (isinstance(obj, type) and issubclass(obj, cls)):
                owner = describe_owner(obj)
                return (
                    "denied-name",
                    "denied-name",
                    {"owner": owner, "name": name, "reason": reason},
                )
    return None


def deny_violation(entry: str, owner: object = None, name: str | None = None) -> Exception:
    """Record and return the violation for a use of ``entry`` from the exercise's ``deny:``
    list; ``owner`` and ``name`` say how it was reached (``getattr(owner, name)``)."""
    reached = ""
    if name is not None:
        if isinstance(owner, (types.ModuleType, type)):
            reached = f"{describe_owner(owner)}.{name}"
        else:
            reached = f"<{describe_owner(owner)} object>.{name}"
    return raise_violation(DENY_RULE, "deny", detail=deny_message(entry, reached))


def _check_format_string(fmt: str) -> None:
    for _literal, field, spec, _conversion in _string.formatter_parser(fmt):
        if field is None:
            continue
        if "." in field or "[" in field:
            raise raise_violation("format", "format", field="{" + field + "}")
        if spec:
            _check_format_string(spec)


def _bound_formatter(text: str, name: str) -> Any:
    _check_format_string(text)
    return getattr(text, name)


def _unbound_format(fmt: object, *args: Any, **kwargs: Any) -> str:
    if not isinstance(fmt, str):
        raise TypeError("str.format() needs a str as its first argument")
    _check_format_string(fmt)
    return str.format(fmt, *args, **kwargs)


def _unbound_format_map(fmt: object, mapping: Any) -> str:
    if not isinstance(fmt, str):
        raise TypeError("str.format_map() needs a str as its first argument")
    _check_format_string(fmt)
    return str.format_map(fmt, mapping)


class AttrGuards:
    """Read guards; mixed into ``guards_builtins.Guards`` (needs ``config`` and ``declared``)."""

    config: PolicyConfig
    declared: frozenset[str]

    def checked(self, value: Any) -> Any:
        """``value`` if a submission may hold it (module state as a read-only view), else raise."""
        verdict = value_verdict(value, self.config.modules, self.config.lifted)
        if verdict is not None:
            raise raise_violation(verdict[0], verdict[1], **verdict[2])
        deny = self.config.deny
        if deny is not None:
            entry = deny.object_entry(value)
            if entry is not None:
                raise deny_violation(entry)
        return view_of(value)

    def getattr_(self, obj: Any, name: str, default: Any = _MISSING) -> Any:
        """The guarded ``getattr``: ``obj.name`` compiles to ``_getattr_(obj, "name")``."""
        if type(name) is not str:
            raise TypeError("attribute name must be a string")
        verdict = name_verdict(obj, name, self.config, self.declared)
        if verdict is not None:
            raise raise_violation(verdict[0], verdict[1], **verdict[2])
        deny = self.config.deny
        if deny is not None:
            # The exercise's deny: list, at run time (best effort: the judge's static scan
            # decides). By name first: a bound method (`x.softmax`) has no identity to match.
            entry = deny.attribute_entry(obj, name)
            if entry is not None:
                raise deny_violation(entry, obj, name)
        if name == "format" or name == "format_map":
            if isinstance(obj, str):
                return _bound_formatter(obj, name)
            if isinstance(obj, type) and issubclass(obj, str):
                return _unbound_format if name == "format" else _unbound_format_map
        if isinstance(obj, types.ModuleType) and self.config.lifted:
            wrapper = self.config.wrapper(obj.__name__, name)
            if wrapper is not None:
                return wrapper
        try:
            value = getattr(obj, name)
        except AttributeError:
            if default is _MISSING:
                raise
            return default
        if type(value) in FAST_TYPES:
            return value
        if deny is not None:
            entry = deny.object_entry(value)
            if entry is not None:
                raise deny_violation(entry, obj, name)
        if name in ALLOWED_DUNDER_READS and name != "__init__" and value is not None:
            if not isinstance(value, str):
                raise raise_violation("dunder", "dunder-read", name=name)
        return self.checked(value)

    def hasattr_(self, obj: Any, name: str) -> bool:
        """The guarded ``hasattr`` (a denied attribute is a violation, not False)."""
        try:
            self.getattr_(obj, name)
        except AttributeError:
            return False
        return True

    def getitem_(self, obj: Any, key: Any) -> Any:
        """``obj[key]`` compiles to ``_getitem_(obj, key)``; the item is value-checked."""
        value = obj[key]
        if type(value) in FAST_TYPES:
            return value
        return self.checked(value)

    def call_value_(self, value: Any) -> Any:
        """Every call's result passes through ``_cv_``: library code cannot hand out denied
        values (a metaclass from ``typing.get_origin``, a module from a registry, ...)."""
        if type(value) in FAST_TYPES:
            return value
        return self.checked(value)
