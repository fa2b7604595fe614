"""The submission's builtins: a vetted subset of Python's, guarded replacements (``getattr``,
``type``, ``print``, ``__import__``, ``__build_class__``, ...), traps for the denied ones and the
helpers the transformed code calls (``_getattr_``, ``_write_``, ``_inplacevar_``, ...).

One ``Guards`` object per loaded submission holds the exercise's configuration, the private
names the submission declares, and its print budget.
"""

from __future__ import annotations

import builtins
import operator
import sys
from collections.abc import Callable
from typing import Any, NoReturn

import numpy as np
import torch
from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence

from grader.sandbox.policy.config import PolicyConfig
from grader.sandbox.policy.errors import raise_violation
from grader.sandbox.policy.guards_attr import AttrGuards
from grader.sandbox.policy.guards_import import ImportGuards
from grader.sandbox.policy.guards_owned import OWNED_CLASSES, is_owned, library_defines
from grader.sandbox.policy.guards_write import WriteGuards
from grader.sandbox.policy.rules import DENIED_BUILTINS

__all__ = ["Guards"]

SAFE_BUILTINS = (
    "abs", "all", "any", "ascii", "bin", "bool", "bytearray", "bytes", "callable", "chr",
    "classmethod", "complex", "dict", "divmod", "enumerate", "filter", "float", "format",
    "frozenset", "hash", "hex", "id", "int", "isinstance", "issubclass", "iter", "len", "list",
    "map", "max", "min", "next", "object", "oct", "ord", "pow", "property", "range", "repr",
    "reversed", "round", "set", "slice", "sorted", "staticmethod", "str", "sum", "super",
    "tuple", "zip", "NotImplemented", "Ellipsis",
    "Exception", "ArithmeticError", "AssertionError", "AttributeError", "BufferError",
    "EOFError", "FloatingPointError", "ImportError", "IndexError", "KeyError", "LookupError",
    "MemoryError", "ModuleNotFoundError", "NameError", "NotImplementedError", "OSError",
    "OverflowError", "RecursionError", "ReferenceError", "RuntimeError", "StopIteration",
    "TypeError", "UnboundLocalError", "UnicodeError", "UnicodeDecodeError",
    "UnicodeEncodeError", "ValueError", "ZeroDivisionError", "ExceptionGroup",
    "Warning", "UserWarning", "DeprecationWarning", "FutureWarning", "RuntimeWarning",
)  # fmt: skip
"""Builtins handed to submissions unchanged."""

_INPLACE: dict[str, Callable[[Any, Any], Any]] = {
    "+=": operator.iadd, "-=": operator.isub, "*=": operator.imul, "/=": operator.itruediv,
    "//=": operator.ifloordiv, "%=": operator.imod, "**=": operator.ipow,
    "<<=": operator.ilshift, ">>=": operator.irshift, "|=": operator.ior,
    "^=": operator.ixor, "&=": operator.iand, "@=": operator.imatmul,
}  # fmt: skip
_TRUNCATED = "[output truncated]\n"


def _trap(name: str, reason: str) -> Callable[..., NoReturn]:
    def denied(*args: Any, **kwargs: Any) -> NoReturn:
        raise raise_violation("builtin", "builtin", name=name, reason=reason)

    denied.__name__ = denied.__qualname__ = name
    return denied


def _apply(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def _inplacevar(op: str, target: Any, value: Any) -> Any:
    return _INPLACE[op](target, value)


def _check_raise(exc: Any) -> Any:
    cls = exc if isinstance(exc, type) else type(exc)
    if isinstance(cls, type) and issubclass(cls, BaseException) and not issubclass(cls, Exception):
        raise raise_violation("base-exception", "base-exception", name=cls.__name__)
    return exc


class GuardedType:
    """The submission's ``type``: ``type(x)`` works (refusing metaclasses), ``type(name, bases,
    namespace)`` is a violation, and ``isinstance(c, type)`` / ``issubclass(m, type)`` still work."""

    __slots__ = ("_guards",)
    __name__ = "type"

    def __init__(self, guards: Guards) -> None:
        self._guards = guards

    def __call__(self, *args: Any) -> type:
        return self._guards.type_(*args)

    def __instancecheck__(self, obj: object) -> bool:
        return isinstance(obj, type)

    def __subclasscheck__(self, cls: type) -> bool:
        return issubclass(cls, type)

    def __repr__(self) -> str:
        return "<class 'type'>"


class Guards(AttrGuards, WriteGuards, ImportGuards):
    """The guards of one loaded submission."""

    def __init__(self, config: PolicyConfig, declared: frozenset[str], print_limit: int) -> None:
        self.config = config
        self.declared = declared
        self._print_limit = print_limit
        self._printed = 0
        self._truncated = False
        self._ends_with_newline = True
        self.type_guard = GuardedType(self)

    def print_(
        self, *args: Any, sep: str | None = " ", end: str | None = "\n", file: Any = None,
        flush: bool = False,
    ) -> None:  # fmt: skip
        """``print``: writes to ``sys.stdout`` at call time, capped at ``print_limit`` bytes."""
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        if not isinstance(sep, str) or not isinstance(end, str):
            raise TypeError("sep and end must be None or strings")
        text = sep.join(map(str, args)) + end
        if self._truncated:
            return
        out = sys.stdout
        data = text.encode("utf-8", "replace")
        room = self._print_limit - self._printed
        if len(data) > room:
            text = data[: max(room, 0)].decode("utf-8", "ignore")
            self._truncated = True
        if text:
            out.write(text)
            self._printed += len(text.encode("utf-8", "replace"))
            self._ends_with_newline = text.endswith("\n")
        if self._truncated:
            out.write(_TRUNCATED if self._ends_with_newline else "\n" + _TRUNCATED)
        if flush:
            out.flush()

    def type_(self, *args: Any) -> type:
        """One-argument ``type``; refuses to create classes or to hand out metaclasses."""
        if len(args) != 1:
            raise raise_violation("builtin", "builtin-type3")
        result = type(args[0])
        if issubclass(result, type):
            raise raise_violation("metaclass", "metaclass", what=f"type({result.__name__})")
        return result

    def vars_(self, *args: Any) -> dict[str, Any]:
        """``vars(obj)`` of the submission's own objects, as a copy without private state."""
        if len(args) != 1 or not is_owned(args[0]) or not hasattr(args[0], "__dict__"):
            raise raise_violation("builtin", "builtin-vars")
        obj = args[0]
        return {
            k: v
            for k, v in vars(obj).items()
            if not k.startswith("_")
            or (not k.startswith("__") and k in self.declared and not library_defines(obj, k))
        }

    def dir_(self, *args: Any) -> list[str]:
        """``dir(obj)``, except of modules and without an argument."""
        if len(args) != 1 or isinstance(args[0], type(sys)):
            raise raise_violation("builtin", "builtin-dir")
        return dir(args[0])

    def build_class_(self, func: Any, name: str, *bases: Any, **kwargs: Any) -> type:
        """``__build_class__``: no metaclasses, tensor subclasses or BaseException subclasses."""
        if "metaclass" in kwargs:
            raise raise_violation("metaclass", "metaclass", what="metaclass=")
        if any(base is self.type_guard for base in bases):
            raise raise_violation("metaclass", "metaclass", what="type")
        cls = builtins.__build_class__(func, name, *bases, **kwargs)
        if issubclass(cls, type):
            raise raise_violation("metaclass", "metaclass", what=name)
        for forbidden in (torch.Tensor, np.ndarray):
            if issubclass(cls, forbidden):
                raise raise_violation(
                    "tensor-subclass",
                    "tensor-subclass",
                    base=f"{forbidden.__module__}.{forbidden.__qualname__}",
                )
        if issubclass(cls, BaseException) and not issubclass(cls, Exception):
            raise raise_violation("base-exception", "base-exception", name=name)
        OWNED_CLASSES.add(cls)
        return cls

    def builtins(self) -> dict[str, Any]:
        """The ``__builtins__`` dict for the submission's module."""
        table: dict[str, Any] = {name: getattr(builtins, name) for name in SAFE_BUILTINS}
        table.update({name: _trap(name, reason) for name, reason in DENIED_BUILTINS.items()})
        table.update(
            {
                "__import__": self.import_,
                "__build_class__": self.build_class_,
                "print": self.print_,
                "type": self.type_guard,
                "vars": self.vars_,
                "dir": self.dir_,
                "getattr": self.getattr_,
                "hasattr": self.hasattr_,
                "setattr": self.setattr_,
                "delattr": self.delattr_,
                "_getattr_": self.getattr_,
                "_getitem_": self.getitem_,
                "_cv_": self.call_value_,
                "_write_": self.write_,
                "_write_item_": self.write_item_,
                "_import_from_": self.import_from_,
                "_getiter_": iter,
                "_iter_unpack_sequence_": guarded_iter_unpack_sequence,
                "_unpack_sequence_": guarded_unpack_sequence,
                "_inplacevar_": _inplacevar,
                "_apply_": _apply,
                "_check_raise_": _check_raise,
            }
        )
        return table
