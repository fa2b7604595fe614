"""Generate or check the deny table (``grader/sandbox/policy/deny_table.json``).

    python -m grader.sandbox.policy.denytable --write   # walk the admissible modules, write the table
    python -m grader.sandbox.policy.denytable --check   # walk again; exit 1 listing anything new

The walk imports every module a policy can admit (``DEFAULT_MODULES`` and ``EXTENSION_MODULES``),
visits each public attribute a submission could reach, and the public attributes of every class
found there (through private bases too: ``Tensor`` gets ``TensorBase``'s methods). It records

* ``deny``: each reachable dangerous thing, keyed ``module:attr`` or ``module:Class.attr``, with
  its kind (``object``, ``attribute``, ``module``, ``metaclass``, ``base-exception``, ``name``,
  ``state``) and reason (``file``, ``pickle``, ``native``, ``process``, ``global``, ...);
* ``inventory``: every reachable public name, so that ``--check`` also lists what a new torch or
  numpy version adds, for review, even when nothing about it looks dangerous.

Run it once per pinned torch version and commit the result; walking at grade time would trigger
slow lazy imports.
"""

from __future__ import annotations

import argparse
import builtins
import importlib
import json
import platform
import sys
import types
from pathlib import Path
from typing import Any

from grader.sandbox.policy.deny import (
    DANGEROUS_MODULES,
    EXPLICIT_DENY,
    GLOBAL_NAME_DENY,
    RAW_BUILTINS_DENY,
    SETTER_ALLOWED,
    SETTER_PREFIXES,
)
from grader.sandbox.policy.rules import (
    DEFAULT_MODULES,
    EXTENSION_MODULES,
)

TABLE_PATH = Path(__file__).with_name("deny_table.json")
_PLAIN = (int, float, complex, bool, str, bytes, type(None), tuple, frozenset, range)
_RAW_BUILTINS = {id(getattr(builtins, n)): r for n, r in RAW_BUILTINS_DENY.items()}


def _danger(module_name: object) -> str | None:
    if not isinstance(module_name, str):
        return None
    parts = module_name.split(".")
    for i in range(len(parts), 0, -1):
        reason = DANGEROUS_MODULES.get(".".join(parts[:i]))
        if reason is not None:
            return reason
    return None


def _immutable_types() -> tuple[type, ...]:
    """Types of module-level constants that are not worth listing as shared state."""
    import __future__

    import typing

    import numpy
    import torch

    return (
        torch.dtype, torch.layout, torch.memory_format, torch.qscheme, numpy.generic,
        __future__._Feature, typing.TypeVar,
    )  # fmt: skip


def _reachable_names(module: types.ModuleType, spec: Any) -> list[str]:
    if spec is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    elif spec == "__all__":
        names = list(getattr(module, "__all__", ()))
    else:
        names = list(spec)
    return sorted(n for n in names if n in vars(module))


def _classify(key: str, name: str, value: object, admissible: set[str]) -> tuple[str, str] | None:
    if key in EXPLICIT_DENY:
        return "object", EXPLICIT_DENY[key]
    if id(value) in _RAW_BUILTINS:
        return "object", _RAW_BUILTINS[id(value)]
    if isinstance(value, types.ModuleType):
        if value.__name__ in admissible:
            return None
        return "module", _danger(value.__name__) or "module"
    if isinstance(value, type):
        if issubclass(value, type):
            return "metaclass", "override"
        if issubclass(value, BaseException) and not issubclass(value, Exception):
            return "base-exception", "process"
        if key.startswith("torch:") and value.__module__ == "torch" and name.endswith("Type"):
            return "object", "compile"
    defining = getattr(value, "__module__", None) if callable(value) else type(value).__module__
    reason = _danger(defining)
    if reason is not None:
        return "object", reason
    module_name = key.partition(":")[0]
    if (
        module_name.split(".")[0] in ("torch", "numpy")
        and name.startswith(SETTER_PREFIXES)
        and name not in SETTER_ALLOWED
        and callable(value)
    ):
        return "object", "global"
    if name in GLOBAL_NAME_DENY:
        return "name", GLOBAL_NAME_DENY[name]
    if isinstance(value, (dict, list, tuple, set, frozenset)) and name:
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else list(value)
        for item in items:
            inner = _classify(key, "", item, admissible)
            if inner is not None and inner[0] in ("object", "module", "metaclass"):
                return "object", inner[1]  # a container that hands out denied things
    if not callable(value) and not isinstance(value, _PLAIN + _immutable_types()):
        return "state", "module-state"
    return None


def _class_names(cls: type, walked: set[type]) -> dict[str, object]:
    names: dict[str, object] = {}
    for base in cls.__mro__:
        if base is object or (base is not cls and base in walked):
            continue
        for name, value in base.__dict__.items():
            if not name.startswith("_") and name not in names:
                names[name] = value
    return names


def walk() -> dict[str, Any]:
    """Walk every admissible module once; the table as a JSON-ready dict."""
    import numpy
    import torch

    specs = {**DEFAULT_MODULES, **EXTENSION_MODULES}
    admissible = set(specs)
    for name in sorted(specs):
        importlib.import_module(name)
    deny: dict[str, list[str]] = {}
    inventory: dict[str, str] = {}
    classes: dict[type, str] = {}
    for module_name in sorted(specs):
        module = sys.modules[module_name]
        names = _reachable_names(module, specs[module_name])
        inventory[module_name] = " ".join(names)
        for name in names:
            value = vars(module)[name]
            key = f"{module_name}:{name}"
            found = _classify(key, name, value, admissible)
            if found is not None:
                deny[key] = list(found)
            if isinstance(value, type) and value not in classes and found is None:
                classes[value] = key
    walked = set(classes)
    for cls, key in sorted(classes.items(), key=lambda item: item[1]):
        members = _class_names(cls, walked)
        inventory[key] = " ".join(sorted(members))
        for name, raw in members.items():
            value = raw.__func__ if isinstance(raw, (staticmethod, classmethod)) else raw
            member_key = f"{key}.{name}"
            reason = EXPLICIT_DENY.get(member_key) or GLOBAL_NAME_DENY.get(name)
            if reason is None and callable(value) and not isinstance(value, type):
                reason = _danger(getattr(value, "__module__", None))
            if reason is not None:
                deny[member_key] = ["attribute", reason]
    for key, reason in EXPLICIT_DENY.items():
        if key not in deny and ":" in key:
            module_name, _, path = key.partition(":")
            owner = sys.modules.get(module_name)
            if owner is not None and path.partition(".")[0] in vars(owner):
                deny[key] = ["attribute" if "." in path else "object", reason]
    return {
        "comment": "Generated by `python -m grader.sandbox.policy.denytable --write`; do not edit.",
        "versions": {
            "torch": torch.__version__,
            "numpy": numpy.__version__,
            "python": platform.python_version(),
        },
        "deny": dict(sorted(deny.items())),
        "inventory": dict(sorted(inventory.items())),
    }


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Lines describing what ``new`` has that ``old`` lacks (deny entries and reachable names)."""
    lines = []
    for key, value in new["deny"].items():
        if old["deny"].get(key) != value:
            lines.append(f"deny      {key}: {value[0]} ({value[1]})")
    for owner, names in new["inventory"].items():
        before = set(old["inventory"].get(owner, "").split())
        added = sorted(set(names.split()) - before)
        if added:
            lines.append(f"reachable {owner}: {', '.join(added)}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m grader.sandbox.policy.denytable", description=__doc__
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true", help="write deny_table.json")
    mode.add_argument("--check", action="store_true", help="exit 1 if a fresh walk finds more")
    args = parser.parse_args(argv)
    table = walk()
    if args.write:
        TABLE_PATH.write_text(json.dumps(table, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {TABLE_PATH} ({len(table['deny'])} deny entries)")
        return 0
    old = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    lines = diff(old, table)
    versions = ("torch", "numpy")
    if any(old.get("versions", {}).get(k) != table["versions"][k] for k in versions):
        lines.insert(0, f"versions  table {old.get('versions')} != installed {table['versions']}")
    if lines:
        print("The deny table is out of date; review these and run --write:")
        print("\n".join(lines))
        return 1
    print(f"deny table up to date ({len(table['deny'])} deny entries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
