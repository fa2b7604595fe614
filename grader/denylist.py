"""An exercise's ``deny:`` list: the torch APIs one exercise forbids (see exercises/README.md).

An entry is a dotted name: a module (``torch.nn.functional``), a function (``torch.softmax``), a
class (``torch.nn.Softmax``) or a class attribute, usually a tensor method (``Tensor.softmax``,
short for ``torch.Tensor.softmax``). It is resolved to **one object** in the installed torch, and
that object is refused under every name it is reachable by (``F.softmax`` after ``import
torch.nn.functional as F``, an assignment, ``getattr(torch, "softmax")``, ...). Matching is by
identity, not by what a function computes: ``torch.softmax``, ``torch.nn.functional.softmax``,
``torch.special.softmax`` and ``Tensor.softmax`` are four different objects, and an author lists
each one meant. In addition,

* a module entry also refuses its submodules and every function and class *defined* in it
  (``__module__``), however they are reached;
* a class-attribute entry also refuses the attribute *name* on instances of the class (and of its
  subclasses): ``x.softmax`` is a bound method with no identity of its own.

Two places enforce the list, and both use this module:

* the judge's static scan (``grader.judge.deny_scan``) reads the submission's AST before anything
  runs; what it finds decides the verdict (reason ``policy`` for every check);
* the policy's runtime guards (``grader.sandbox.policy``, in the executor) refuse what only shows
  at run time (a ``getattr`` with a computed name). That is best effort: an executor the
  submission owns can skip them, so they only ever lower a score.

Checking an entry's syntax needs no torch (the exercise loader does it); resolving entries
imports torch and the modules they name.
"""

from __future__ import annotations

import re
import types
from functools import lru_cache
from typing import Any, cast

from grader.i18n import Text

__all__ = [
    "RULE",
    "DenyError",
    "DenyList",
    "class_attribute",
    "entry_problem",
    "finding_text",
    "is_missing",
    "message",
    "resolve",
]

RULE = "deny"
"""The policy rule a deny violation is reported under."""

_ENTRY = re.compile(r"(?:torch|Tensor)(?:\.[A-Za-z][A-Za-z0-9_]*)+")
_MISSING = object()


class DenyError(ValueError):
    """A ``deny:`` entry that names nothing a submission could be refused (an authoring error)."""


def entry_problem(entry: object) -> str | None:
    """Why ``entry`` is not a well-formed ``deny:`` entry (no torch needed), or None. The text
    names the entry (``'torch.nn.' is not ...``); callers add where it is."""
    if not isinstance(entry, str):
        return f"entries are strings, got {entry!r}"
    if not _ENTRY.fullmatch(entry):
        return (
            f"{entry!r} is not a dotted torch name: write a module, function, class or method "
            "such as torch.nn.functional, torch.softmax, torch.nn.Softmax or Tensor.softmax "
            "(public names only, no spaces)"
        )
    if entry == "torch.Tensor":
        return f"{entry!r} would refuse every tensor; deny its methods instead"
    return None


def class_attribute(cls: type, name: str) -> object:
    """A class attribute found in the MRO's namespaces (no descriptor runs), or ``_MISSING``;
    staticmethods and classmethods are unwrapped to their function."""
    for base in cls.__mro__:
        namespace = base.__dict__
        if name in namespace:
            value = namespace[name]
            if isinstance(value, (staticmethod, classmethod)):
                return value.__func__
            return value
    return _MISSING


def is_missing(value: object) -> bool:
    """True for what ``class_attribute`` returns when the class has no such attribute."""
    return value is _MISSING


class DenyList:
    """The resolved entries of one exercise: what is refused, and which entry refuses it."""

    def __init__(self, entries: tuple[str, ...]) -> None:
        self.entries = entries
        self._objects: dict[int, tuple[object, str]] = {}
        """id -> (object, entry): functions, classes, methods and modules, by identity."""
        self.modules: dict[str, str] = {}
        """Module name -> entry: the module, its submodules and what it defines."""
        self.attributes: dict[str, list[tuple[type, str]]] = {}
        """Attribute name -> [(class, entry)]: refused on the class, its subclasses and their
        instances (``x.softmax``)."""

    def _add_object(self, obj: object, entry: str) -> None:
        self._objects.setdefault(id(obj), (obj, entry))

    def module_entry(self, name: object) -> str | None:
        """The entry refusing the module named ``name`` (or a module it lies in), or None."""
        if not self.modules or not isinstance(name, str):
            return None
        parts = name.split(".")
        for i in range(len(parts), 0, -1):
            entry = self.modules.get(".".join(parts[:i]))
            if entry is not None:
                return entry
        return None

    def object_entry(self, value: object) -> str | None:
        """The entry refusing ``value`` itself (by identity, or as part of a denied module)."""
        hit = self._objects.get(id(value))
        if hit is not None and hit[0] is value:
            return hit[1]
        kind = type(value)
        if kind is types.BuiltinMethodType or kind is types.MethodType:
            # A denied method already bound to its receiver, however it was reached (through
            # ``super()``, ``getattr`` with a computed name, a descriptor's ``__get__``...).
            receiver, name = getattr(value, "__self__", None), getattr(value, "__name__", None)
            if receiver is not None and isinstance(name, str):
                entry = self.attribute_entry(receiver, name)
                if entry is not None:
                    return entry
        if not self.modules:
            return None
        if isinstance(value, types.ModuleType):  # torch has ModuleType subclasses
            return self.module_entry(vars(value).get("__name__"))
        if kind is types.FunctionType or kind is types.BuiltinFunctionType:
            return self.module_entry(getattr(value, "__module__", None))
        if isinstance(value, type):
            return self.module_entry(type.__dict__["__module__"].__get__(value))
        return None

    def attribute_entry(self, owner: object, name: str) -> str | None:
        """The entry refusing ``owner.name`` by name: ``owner`` is an instance or a subclass of
        the class a class-attribute entry names (``x.softmax`` for ``Tensor.softmax``), or a
        ``super()`` proxy of one (``super(torch.Tensor, x).softmax``)."""
        if type(owner) is super:
            owner = cast(Any, owner).__self__  # typeshed's super has no __self__
        for cls, entry in self.attributes.get(name, ()):
            if isinstance(owner, cls) or (isinstance(owner, type) and issubclass(owner, cls)):
                return entry
        return None


def _import(name: str) -> types.ModuleType | None:
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        return None
    except Exception as exc:  # a torch module that fails to import here
        raise DenyError(f"importing {name} failed: {type(exc).__name__}: {exc}") from None


def _describe(value: object) -> str:
    kind = type(value)
    return kind.__name__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__name__}"


def _resolve_entry(denied: DenyList, entry: str) -> None:
    import torch

    problem = entry_problem(entry)
    if problem is not None:
        raise DenyError(f"deny: {problem}")
    parts = entry.split(".")
    if parts[0] == "Tensor":
        parts = ["torch", *parts]
    obj: object = torch
    path = "torch"
    owner: type | None = None
    for part in parts[1:]:
        owner = None
        if isinstance(obj, types.ModuleType):
            value = vars(obj).get(part, _MISSING)
            if value is _MISSING:
                value = _import(f"{path}.{part}") or _MISSING
        elif isinstance(obj, type):
            value = class_attribute(obj, part)
            owner = obj
        else:
            raise DenyError(
                f"deny: {entry!r}: {path} is a {_describe(obj)}, not a module or a class, so it "
                f"has no {part!r} to deny"
            )
        if value is _MISSING:
            raise DenyError(
                f"deny: {entry!r} names nothing in the installed torch {torch.__version__} "
                f"({path} has no {part!r})"
            )
        obj = value
        path = f"{path}.{part}"
    if obj is torch.Tensor:
        raise DenyError(f"deny: {entry!r} would refuse every tensor; deny its methods instead")
    if isinstance(obj, types.ModuleType):
        denied.modules.setdefault(obj.__name__, entry)
        if path != obj.__name__:
            denied.modules.setdefault(path, entry)
        denied._add_object(obj, entry)
        return
    if owner is not None and not isinstance(obj, type):
        # A method, property or other class attribute: refused by identity (``Tensor.softmax``
        # itself) and by name on instances and subclasses (``x.softmax``).
        denied.attributes.setdefault(parts[-1], []).append((owner, entry))
        denied._add_object(obj, entry)
        return
    if isinstance(obj, type) or callable(obj):
        denied._add_object(obj, entry)
        return
    raise DenyError(
        f"deny: {entry!r} is a {_describe(obj)}, not a module, function, class or method"
    )


@lru_cache(maxsize=32)
def resolve(entries: tuple[str, ...]) -> DenyList:
    """The deny list of ``entries`` in the installed torch; ``DenyError`` names a bad entry."""
    denied = DenyList(tuple(entries))
    for entry in entries:
        _resolve_entry(denied, entry)
    return denied


def message(api: str, reached: str = "", by_name: bool = False) -> Text:
    """The text of one deny violation (no line, no rule).

    ``reached`` is how the submission spells it when that differs from ``api``; ``by_name``
    says the object was not resolved, only an attribute name matched (``x.softmax``).
    """
    en = f"this exercise does not allow `{api}` (see the statement)"
    zh = f"本练习不允许使用 `{api}`（见题目说明）"
    if reached and reached != api:
        if by_name:
            name = api.rpartition(".")[2]
            en += (
                f"; `{reached}` counts as `{api}`: an attribute named `{name}` is taken for it "
                "wherever the grader cannot tell the object is something else (rename your own "
                "attribute)"
            )
            zh += (
                f"；`{reached}` 按 `{api}` 处理：在评分程序无法确定对象类型的地方，名为 `{name}` "
                "的属性都按它处理（请给你自己的属性换个名字）"
            )
        else:
            en += f"; your code reaches it as `{reached}`"
            zh += f"；你的代码通过 `{reached}` 用到了它"
    return Text(zh=zh, en=en)


def finding_text(line: int | None, detail: Text) -> Text:
    """A violation's text with its line and rule, exactly as the policy words every violation
    (``grader.sandbox.policy.errors.make_violation``)."""
    if line is None:
        return Text(zh=f"{detail.zh}（规则：{RULE}）", en=f"{detail.en} (rule: {RULE})")
    return Text(
        zh=f"第 {line} 行：{detail.zh}（规则：{RULE}）",
        en=f"line {line}: {detail.en} (rule: {RULE})",
    )
