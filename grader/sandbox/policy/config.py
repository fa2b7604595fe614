"""Per-exercise policy configuration: the admitted modules and the lifted denies from ``allow:``,
and the APIs the exercise forbids with ``deny:`` (``grader.denylist``).

An ``allow`` entry is either a module name from ``EXTENSION_MODULES`` (or one already admitted)
or ``"module:attr"``, which lifts the denial of one attribute of an admitted module (e.g.
``"torch:save"``). Lifting ``torch:load``, ``torch:save``, ``numpy:load`` or ``numpy:save``
hands out a wrapper that keeps the dangerous options off (``weights_only=True``, no pickles).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from grader.denylist import DenyList
from grader.denylist import resolve as resolve_deny
from grader.i18n import Text
from grader.sandbox.policy.errors import raise_violation
from grader.sandbox.policy.rules import DEFAULT_MODULES, EXTENSION_MODULES, AttrAllow

__all__ = ["PolicyConfig", "config_for"]


class PolicyConfig:
    """What one exercise's policy admits: modules, their attribute allow-lists, lifted denies;
    and what it forbids on top of the default policy (``deny``, None when nothing)."""

    def __init__(self, allow: tuple[str, ...], deny: tuple[str, ...] = ()) -> None:
        self.allow = allow
        self.deny: DenyList | None = resolve_deny(deny) if deny else None
        """The exercise's ``deny:`` list; DenyError (a ValueError) if an entry is invalid."""
        modules: dict[str, AttrAllow] = dict(DEFAULT_MODULES)
        lifted: set[str] = set()
        for entry in allow:
            if not isinstance(entry, str) or not entry:
                raise ValueError(f"allow: entries must be non-empty strings, got {entry!r}")
            if ":" in entry:
                module, _, attr = entry.partition(":")
                if not attr.isidentifier() or attr.startswith("_"):
                    raise ValueError(f"allow: {entry!r}: {attr!r} is not a public attribute name")
                if module not in DEFAULT_MODULES and module not in EXTENSION_MODULES:
                    raise ValueError(f"allow: {entry!r}: module {module!r} cannot be admitted")
                lifted.add(entry)
                continue
            if entry in EXTENSION_MODULES:
                modules[entry] = EXTENSION_MODULES[entry]
            elif entry not in DEFAULT_MODULES:
                known = ", ".join(sorted(EXTENSION_MODULES))
                raise ValueError(
                    f"allow: module {entry!r} cannot be admitted; modules an exercise may add: "
                    f"{known} (add one to EXTENSION_MODULES and regenerate the deny table)"
                )
        for entry in lifted:
            module = entry.partition(":")[0]
            if module not in modules:
                raise ValueError(
                    f"allow: {entry!r} lifts a deny of {module!r}, which is not admitted"
                )
        self.modules = modules
        self.lifted = frozenset(lifted)
        self._attr_allow: dict[str, frozenset[str] | None] = {}

    def attr_allow(self, module_name: str) -> frozenset[str] | None:
        """The attribute allow-list of an admitted module (None: every public name)."""
        try:
            return self._attr_allow[module_name]
        except KeyError:
            pass
        spec = self.modules[module_name]
        result: frozenset[str] | None
        if spec == "__all__":
            module = sys.modules.get(module_name)
            if module is None:
                return frozenset()  # not imported yet, so nothing of it can be reached
            result = frozenset(getattr(module, "__all__", ()))
        else:
            result = spec  # type: ignore[assignment]
        if result is not None:
            prefix = module_name + "."
            subs = {m[len(prefix) :] for m in self.modules if m.startswith(prefix)}
            result = result | {s for s in subs if "." not in s}
        self._attr_allow[module_name] = result
        return result

    def wrapper(self, module_name: str, name: str) -> Callable[..., Any] | None:
        """The restricting wrapper for a lifted ``module:attr``, if it has one."""
        key = f"{module_name}:{name}"
        if key not in self.lifted:
            return None
        return _WRAPPERS.get(key)


@lru_cache(maxsize=64)
def config_for(allow: tuple[str, ...], deny: tuple[str, ...] = ()) -> PolicyConfig:
    """The (cached) configuration for an exercise's ``allow`` and ``deny`` entries (normalised
    with ``normalise_allow``); ValueError if one is invalid."""
    return PolicyConfig(allow, deny)


def normalise_allow(allow: Sequence[str], field: str = "allow") -> tuple[str, ...]:
    """``allow`` (or ``deny``) as a sorted tuple without duplicates (a cache key of
    ``config_for``)."""
    if isinstance(allow, str):
        raise ValueError(f"{field} must be a sequence of strings, not a string")
    return tuple(sorted(set(allow)))


def _refuse(what: str, condition: Text) -> None:
    raise raise_violation("denied-value", "denied-argument", what=what, condition=condition)


def _torch_load(f: Any, map_location: Any = None, *, weights_only: bool = True, mmap: Any = None):
    import torch

    if weights_only is not True:
        _refuse("torch.load", Text(en="with weights_only=True", zh="在 weights_only=True 时使用"))
    return torch.load(f, map_location=map_location, weights_only=True, mmap=mmap)


def _torch_save(obj: Any, f: Any) -> None:
    import torch

    torch.save(obj, f)


def _numpy_load(file: Any, mmap_mode: Any = None, allow_pickle: bool = False, **kwargs: Any):
    import numpy as np

    if allow_pickle is not False or mmap_mode is not None or kwargs:
        _refuse(
            "numpy.load",
            Text(
                en="with allow_pickle=False and no other options",
                zh="在 allow_pickle=False 且不加其他选项时使用",
            ),
        )
    return np.load(file, allow_pickle=False)


def _numpy_save(file: Any, arr: Any, allow_pickle: bool = False) -> None:
    import numpy as np

    if allow_pickle is not False:
        _refuse("numpy.save", Text(en="with allow_pickle=False", zh="在 allow_pickle=False 时使用"))
    np.save(file, arr, allow_pickle=False)


_WRAPPERS: dict[str, Callable[..., Any]] = {
    "torch:load": _torch_load,
    "torch:save": _torch_save,
    "numpy:load": _numpy_load,
    "numpy:save": _numpy_save,
}
