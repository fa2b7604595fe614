"""The deny table at run time, and the value check every attribute load, item load and call
result of a submission goes through.

``deny_table.json`` (written by ``python -m grader.sandbox.policy.denytable --write``) names denied
objects by qualified name (``torch:load``, ``numpy:ndarray.tofile``). They are resolved to object
identities here, cheaply and without importing anything: entries of modules that are not imported
yet are resolved when the submission imports them. Module-level state of admitted modules
(``numpy.typecodes``, ``torch.nn.functional.GRID_SAMPLE_PADDING_MODES``) is write-protected and
read through read-only views.
"""

from __future__ import annotations

import builtins
import collections
import json
import sys
import types
from pathlib import Path
from typing import Any

import numpy as np
import torch

from grader.sandbox.policy.deny import (
    DANGEROUS_MODULES,
    RAW_BUILTINS_DENY,
)
from grader.sandbox.policy.guards_owned import OWNED_CLASSES
from grader.sandbox.policy.rules import (
    ALLOWED_DUNDER_DEFS,
    DEFAULT_MODULES,
    EXTENSION_MODULES,
    OVERRIDE_DUNDERS,
)

__all__ = [
    "CLASS_ATTR_DENY",
    "TABLE_VERSIONS",
    "Verdict",
    "ensure_module",
    "is_module_state",
    "module_danger",
    "table_matches_installed",
    "value_verdict",
    "view_of",
]

TABLE_PATH = Path(__file__).with_name("deny_table.json")

Verdict = tuple[str, str, dict[str, Any]]
"""(rule, message key, message fields) of a violation that has not been raised yet."""

_DENY_IDS: dict[int, tuple[object, tuple[str, ...], str]] = {}
CLASS_ATTR_DENY: dict[str, list[tuple[type, str, str]]] = {}
"""Attribute name -> [(class, table key, reason)]: denied on instances and subclasses."""
_PENDING: dict[str, list[tuple[str, str, str]]] = {}
_RESOLVED: set[str] = set()
_STATE: dict[int, object] = {}
_VIEWS: dict[int, object] = {}
_VIEW_IDS: set[int] = set()
_DANGER: dict[object, str | None] = {}
_TYPE_SAFE: set[type] = set()
_TYPE_DENIED: dict[type, str] = {}
_ADMISSIBLE = set(DEFAULT_MODULES) | set(EXTENSION_MODULES)
_PLAIN_TYPES = (
    int, float, complex, bool, str, bytes, type(None), tuple, frozenset, range, type(...),
)  # fmt: skip
_CONTAINERS = (dict, list, set, collections.OrderedDict, collections.defaultdict, collections.deque)
TABLE_VERSIONS: dict[str, str] = {}
_MADE_CLASSES: dict[type, Verdict | None] = {}
_MADE_CLASS_DUNDERS = ALLOWED_DUNDER_DEFS | {
    "__new__", "__slots__", "__getnewargs__", "__match_args__", "__module__", "__doc__",
    "__qualname__", "__dict__", "__weakref__", "__annotations__", "__orig_bases__",
    "__parameters__",
}  # fmt: skip
"""Double-underscore names a class built by ``enum``/``namedtuple`` factories may carry."""
_TENSOR_TYPES = (torch.Tensor, np.ndarray)


def module_danger(module_name: object) -> str | None:
    """The reason code when ``module_name`` is (inside) a dangerous module, else None."""
    try:
        return _DANGER[module_name]
    except KeyError:
        pass
    reason = None
    if isinstance(module_name, str):
        parts = module_name.split(".")
        for i in range(len(parts), 0, -1):
            reason = DANGEROUS_MODULES.get(".".join(parts[:i]))
            if reason is not None:
                break
    _DANGER[module_name] = reason
    return reason


def _resolve_path(module: types.ModuleType, path: str) -> object:
    head, _, rest = path.partition(".")
    obj = vars(module).get(head, _MISSING)
    for part in rest.split(".") if rest else ():
        if obj is _MISSING or not isinstance(obj, type):
            return _MISSING
        obj = getattr(obj, part, _MISSING)
    return obj


_MISSING = object()


def _add_entry(module: types.ModuleType, key: str, kind: str, reason: str) -> None:
    path = key.partition(":")[2]
    if kind == "attribute":
        owner_path, _, attr = path.rpartition(".")
        owner = _resolve_path(module, owner_path)
        if isinstance(owner, type):
            CLASS_ATTR_DENY.setdefault(attr, []).append((owner, key, reason))
        return
    obj = _resolve_path(module, path)
    if obj is _MISSING:
        return
    known = _DENY_IDS.get(id(obj))
    keys = (key,) if known is None else (*known[1], key)
    _DENY_IDS[id(obj)] = (obj, keys, reason if known is None else known[2])


_NOT_STATE = frozenset(
    {
        *_PLAIN_TYPES, type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
        types.MethodType, types.MethodDescriptorType, types.WrapperDescriptorType,
    }
)  # fmt: skip


def _scan_state(module: types.ModuleType) -> None:
    for name, value in list(vars(module).items()):
        if type(value) in _NOT_STATE or name.startswith("_"):
            continue
        if isinstance(value, (types.ModuleType, type, _PLAIN_TYPES)) or callable(value):
            continue
        _STATE[id(value)] = value
        if isinstance(value, dict):
            view = types.MappingProxyType(value)
            _VIEWS[id(value)] = view
            _VIEW_IDS.add(id(view))
            _STATE[id(view)] = view


def ensure_module(name: str) -> None:
    """Resolve the table entries and module state of an imported module (once)."""
    if name in _RESOLVED:
        return
    module = sys.modules.get(name)
    if module is None:
        return
    _RESOLVED.add(name)
    for key, kind, reason in _PENDING.pop(name, ()):
        _add_entry(module, key, kind, reason)
    if name in _ADMISSIBLE:
        _scan_state(module)


def is_module_state(obj: object) -> bool:
    """True for module-level state of an admitted module (or a read-only view of it)."""
    return id(obj) in _STATE and _STATE[id(obj)] is obj


def view_of(value: object) -> object:
    """A read-only view of module-level state that is a container; other values unchanged."""
    if isinstance(value, _CONTAINERS) and id(value) in _STATE and _STATE[id(value)] is value:
        view = _VIEWS.get(id(value))
        if view is not None:
            return view
        return tuple(value) if not isinstance(value, set) else frozenset(value)
    return value


def _describe(value: object) -> str:
    if isinstance(value, types.ModuleType):
        return value.__name__
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    module = getattr(value, "__module__", None)
    if isinstance(name, str):
        return f"{module}.{name}" if isinstance(module, str) else name
    return type(value).__name__


def value_verdict(value: object, modules: dict[str, Any], lifted: frozenset[str]) -> Verdict | None:
    """Why a submission may not hold ``value`` (None when it may).

    ``modules`` are the admitted modules, ``lifted`` the ``module:attr`` denies an exercise lifts.
    """
    hit = _DENY_IDS.get(id(value))
    if hit is not None and hit[0] is value:
        if lifted.intersection(hit[1]):
            return None  # the exercise lifted exactly this deny
        what = hit[1][0].replace(":", ".")
        return "denied-value", "denied-value", {"what": what, "reason": hit[2]}
    if isinstance(value, types.ModuleType):
        name = value.__name__
        if name in modules:
            if name not in _RESOLVED:
                ensure_module(name)
            return None
        return "denied-value", "denied-module", {"what": name, "module": name}
    if isinstance(value, type):
        if issubclass(value, type):
            return "metaclass", "metaclass", {"what": _describe(value)}
        if issubclass(value, BaseException) and not issubclass(value, Exception):
            return "base-exception", "base-exception", {"name": value.__name__}
        reason = module_danger(value.__module__)
        if reason is not None:
            return "denied-value", "denied-value", {"what": _describe(value), "reason": reason}
        return _made_class_verdict(value)
    kind = type(value)
    if kind is types.BuiltinFunctionType:
        owner = value.__self__  # type: ignore[attr-defined]
        reason = None
        if isinstance(owner, types.ModuleType):
            reason = module_danger(owner.__name__)
        reason = reason or module_danger(value.__module__)
    elif kind is types.FunctionType:
        reason = module_danger(value.__module__)
    elif kind is types.MethodType:
        return value_verdict(value.__func__, modules, lifted)  # type: ignore[attr-defined]
    elif kind in _TYPE_SAFE:
        return None
    else:
        reason = _TYPE_DENIED.get(kind)
        if reason is None:
            reason = module_danger(getattr(kind, "__module__", None))
            if reason is None:
                _TYPE_SAFE.add(kind)
            else:
                _TYPE_DENIED[kind] = reason
    if reason is not None:
        return "denied-value", "denied-value", {"what": _describe(value), "reason": reason}
    return None


def _importable(cls: type) -> bool:
    """True for a class found under its own qualified name in its module (a library class)."""
    obj: object = sys.modules.get(cls.__module__)
    for part in cls.__qualname__.split("."):
        namespace = getattr(obj, "__dict__", None)
        if not isinstance(namespace, (dict, types.MappingProxyType)):
            return False
        obj = namespace.get(part)
    return obj is cls


def _made_class_verdict(cls: type) -> Verdict | None:
    """Classes that library factories build at run time from the submission's input (the
    functional API of ``enum``, ``namedtuple``, ...) pass the checks of a ``class`` statement:
    no comparison or dispatch overrides, no tensor subclasses."""
    try:
        return _MADE_CLASSES[cls]
    except KeyError:
        pass
    verdict: Verdict | None = None
    if cls not in OWNED_CLASSES and not _importable(cls):
        bad = sorted(
            n
            for n in cls.__dict__
            if n.startswith("__") and n.endswith("__") and n not in _MADE_CLASS_DUNDERS
        )
        if bad:
            rule, key = ("override", "override-def")
            if bad[0] not in OVERRIDE_DUNDERS:
                rule, key = ("dunder", "dunder-def")
            verdict = rule, key, {"name": bad[0]}
        elif issubclass(cls, _TENSOR_TYPES):
            verdict = "tensor-subclass", "tensor-subclass", {"base": _describe(cls)}
    _MADE_CLASSES[cls] = verdict
    return verdict


def table_matches_installed() -> bool:
    """True when the deny table was generated for the installed torch and numpy."""
    versions = (TABLE_VERSIONS.get("torch"), TABLE_VERSIONS.get("numpy"))
    return versions == (torch.__version__, np.__version__)


def _load() -> None:
    data = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    TABLE_VERSIONS.update(data.get("versions", {}))
    for key, (kind, reason) in data["deny"].items():
        if kind not in ("object", "attribute"):
            continue  # modules, metaclasses, state...: judged generically, listed for review
        _PENDING.setdefault(key.partition(":")[0], []).append((key, kind, reason))
    for name, reason in RAW_BUILTINS_DENY.items():
        obj = getattr(builtins, name)
        _DENY_IDS[id(obj)] = (obj, (f"builtins:{name}",), reason)
    for name in list(_PENDING) + [m for m in _ADMISSIBLE if m in sys.modules]:
        if name in sys.modules:
            ensure_module(name)


_load()
