"""The AST transformer: RestrictedPython's ``RestrictingNodeTransformer``, adapted to PyTorch code.

Compared with stock RestrictedPython it admits protocol methods (``__init__``, ``__len__``,
``__getitem__``, ...), ``super().__init__()``, ``self._private``, ``self.n += 1`` and ``t[i] += 1``,
annotations, ``nonlocal`` and plain classes; it rejects comparison and dispatch overrides,
metaclasses and tensor subclasses; it routes item stores, ``from`` imports, call results and
``raise`` through guards; and it reports every violation with its rule and line at once.
"""

from __future__ import annotations

import ast
import types
from typing import Any

import numpy as np
import torch
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer

from grader.i18n import EMPTY
from grader.sandbox.policy.config import PolicyConfig
from grader.sandbox.policy.errors import DUNDER_HINTS, PolicyViolation, make_violation
from grader.sandbox.policy.guards_attr import name_verdict
from grader.sandbox.policy.guards_table import value_verdict
from grader.sandbox.policy.guards_write import write_verdict
from grader.sandbox.policy.imports import ImportVisitor, call_node, locate
from grader.sandbox.policy.rules import (
    ALLOWED_DUNDER_DEFS,
    ALLOWED_DUNDER_READS,
    BASE_EXCEPTION_NAMES,
    DENIED_BUILTINS,
    INTROSPECTION_ATTRS,
    OVERRIDE_DUNDERS,
    RESERVED_NAME_PREFIXES,
)
from grader.sandbox.policy.static import UNKNOWN, StaticScope, class_attribute_static

__all__ = ["PolicyTransformer"]

_GETATTR_LIKE = {"getattr": False, "hasattr": False, "setattr": True, "delattr": True}
_NO_NAMES: frozenset[str] = frozenset()


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


class PolicyTransformer(ImportVisitor, RestrictingNodeTransformer):
    """Transforms one submission; ``violations`` and ``declared`` are filled while visiting."""

    def __init__(self, config: PolicyConfig, scope: StaticScope, filename: str) -> None:
        super().__init__()
        self.config = config
        self.scope = scope
        self.filename = filename
        self.violations: list[PolicyViolation] = []
        self.declared: set[str] = set()
        """Private names the submission defines (attributes it stores, methods it defines)."""
        self._context: list[str] = ["module"]

    # -- reporting -------------------------------------------------------------------------

    def report(self, node: ast.AST, rule: str, key: str, **fmt: Any) -> None:
        lineno = getattr(node, "lineno", None)
        self.violations.append(make_violation(rule, key, lineno, self.filename, **fmt))

    def error(self, node: ast.AST, info: str) -> None:
        """RestrictedPython's own checks that this transformer keeps (unsupported statements)."""
        self.report(node, "statement", "statement", detail=info)

    def warn(self, node: ast.AST, info: str) -> None:
        """RestrictedPython's warnings are not reported to learners."""

    # -- names -----------------------------------------------------------------------------

    def check_name(self, node: Any, name: str | None, allow_magic_methods: bool = False) -> None:
        if not name or not name.startswith("_") or name == "_":
            return
        if name.startswith("__"):
            if _is_dunder(name):
                self.report(node, "dunder", "dunder-name", name=name)
            else:
                self.report(node, "private", "private-mangled", name=name)
        elif name.endswith("_") or name.startswith(RESERVED_NAME_PREFIXES):
            self.report(node, "private", "private-reserved", name=name)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        name = node.id
        if isinstance(node.ctx, ast.Load):
            if name == "__name__":
                return node
            if name not in self.scope.bound:
                if name in DENIED_BUILTINS:
                    self.report(node, "builtin", "builtin", name=name, reason=DENIED_BUILTINS[name])
                    return node
                if name in BASE_EXCEPTION_NAMES:
                    self.report(node, "base-exception", "base-exception", name=name)
                    return node
        elif self._context[-1] == "class" and _is_dunder(name):
            key = "override-def" if name in OVERRIDE_DUNDERS else "dunder-def"
            self.report(node, "override" if name in OVERRIDE_DUNDERS else "dunder", key, name=name)
            return node
        elif name.startswith("_") and self._context[-1] == "class":
            self.declared.add(name)
        self.check_name(node, name)
        return node

    def visit_Global(self, node: ast.Global) -> ast.AST:
        for name in node.names:
            self.check_name(node, name)
        return node

    def visit_Nonlocal(self, node: ast.Nonlocal) -> ast.AST:
        for name in node.names:
            self.check_name(node, name)
        return node

    # -- attributes ------------------------------------------------------------------------

    def _attribute_name_problem(self, attr: str, load: bool) -> Any:
        """The verdict on an attribute name alone (dunder, mangled, introspection), or None."""
        if attr.startswith("__"):
            if not _is_dunder(attr):
                return "private", "private-mangled", {"name": attr}
            if load and attr in ALLOWED_DUNDER_READS:
                return None
            hint = DUNDER_HINTS["__class__"] if attr == "__class__" else EMPTY
            return "dunder", "dunder-read", {"name": attr, "hint": hint}
        if attr in INTROSPECTION_ATTRS or attr in INSPECT_ATTRIBUTES:
            return "introspection", "introspection", {"name": attr}
        return None

    def _attribute_verdict(self, base_node: ast.expr, attr: str, load: bool) -> Any:
        """The compile-time verdict on ``base.attr`` (by name, then statically by value)."""
        verdict = self._attribute_name_problem(attr, load)
        if verdict is None:
            if attr.startswith("_") and not load:
                self.declared.add(attr)
            base = self._resolve(base_node)
            if isinstance(base, (types.ModuleType, type)):
                verdict = self._static_verdict(base, attr, load)
        return verdict

    def _report_verdict(self, node: ast.AST, verdict: Any) -> None:
        if verdict is not None:
            self.report(node, verdict[0], verdict[1], **verdict[2])

    def _resolve(self, node: ast.expr) -> object:
        """What a dotted chain refers to, stopping (UNKNOWN) at a link the policy denies: that
        link reports itself, and the links after it are never reached."""
        if isinstance(node, ast.Attribute):
            base = self._resolve(node.value)
            if not isinstance(base, (types.ModuleType, type)):
                return UNKNOWN
            if self._static_verdict(base, node.attr, load=True) is not None:
                return UNKNOWN
            if isinstance(base, types.ModuleType):
                return vars(base).get(node.attr, UNKNOWN)
            return class_attribute_static(base, node.attr)
        return self.scope.resolve(node)

    def _static_verdict(self, base: object, attr: str, load: bool) -> Any:
        if attr.startswith("__") and load and attr in ALLOWED_DUNDER_READS:
            return None
        if not load:
            verdict = write_verdict(base, attr, _NO_NAMES)
        else:
            verdict = name_verdict(base, attr, self.config, _NO_NAMES)
            if verdict is None and isinstance(base, types.ModuleType):
                if f"{base.__name__}:{attr}" not in self.config.lifted:
                    value = vars(base).get(attr, UNKNOWN)
                    if value is not UNKNOWN:
                        verdict = value_verdict(value, self.config.modules, self.config.lifted)
        return verdict

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        load = isinstance(node.ctx, ast.Load)
        verdict = self._attribute_verdict(node.value, node.attr, load)
        node = self.node_contents_visit(node)  # inner links first: `a.b.c` reports `a.b` first
        self._report_verdict(node, verdict)
        if load:
            new = call_node("_getattr_", [node.value, ast.Constant(node.attr)], node)
            return new
        node.value = call_node("_write_", [node.value], node.value)
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        node = self.node_contents_visit(node)
        if isinstance(node.ctx, ast.Load):
            return call_node("_getitem_", [node.value, node.slice], node)
        node.value = call_node("_write_item_", [node.value], node)
        return node

    # -- calls, raise, augmented assignment -------------------------------------------------

    def visit_Call(self, node: ast.Call) -> ast.AST:
        func = node.func
        if isinstance(func, ast.Name) and func.id not in self.scope.bound:
            store = _GETATTR_LIKE.get(func.id)
            if store is not None and len(node.args) >= 2:
                name = node.args[1]
                if isinstance(name, ast.Constant) and isinstance(name.value, str):
                    verdict = self._attribute_verdict(node.args[0], name.value, not store)
                    self._report_verdict(node, verdict)
            if func.id == "type" and len(node.args) == 3:
                self.report(node, "builtin", "builtin-type3")
        needs_apply = any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        )
        node = self.node_contents_visit(node)
        if needs_apply:
            node.args.insert(0, node.func)
            node.func = ast.Name("_apply_", ast.Load())
            locate(node.func, node.args[0])
        return call_node("_cv_", [node], node)

    def visit_Raise(self, node: ast.Raise) -> ast.AST:
        node = self.node_contents_visit(node)
        if node.exc is not None:
            node.exc = call_node("_check_raise_", [node.exc], node.exc)
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> Any:
        target = node.target
        if isinstance(target, ast.Name):
            return super().visit_AugAssign(node)
        op = ast.Constant(_IOPS[type(node.op)])
        value = self.visit(node.value)
        store: ast.Attribute | ast.Subscript
        if isinstance(target, ast.Attribute):
            verdict = self._attribute_verdict(target.value, target.attr, load=False)
            obj = self.visit(target.value)
            self._report_verdict(node, verdict)
            tmp = self.gen_tmp_name()
            current = call_node(
                "_getattr_", [ast.Name(tmp, ast.Load()), ast.Constant(target.attr)], node
            )
            store = ast.Attribute(
                value=call_node("_write_", [ast.Name(tmp, ast.Load())], node),
                attr=target.attr,
                ctx=ast.Store(),
            )
            temps = [(tmp, obj)]
        else:
            obj = self.visit(target.value)
            key = self.visit(target.slice)
            tmp, tmp_key = self.gen_tmp_name(), self.gen_tmp_name()
            current = call_node(
                "_getitem_", [ast.Name(tmp, ast.Load()), ast.Name(tmp_key, ast.Load())], node
            )
            store = ast.Subscript(
                value=call_node("_write_item_", [ast.Name(tmp, ast.Load())], node),
                slice=ast.Name(tmp_key, ast.Load()),
                ctx=ast.Store(),
            )
            temps = [(tmp, obj), (tmp_key, key)]
        update = ast.Assign(
            targets=[store], value=call_node("_inplacevar_", [op, current, value], node)
        )
        cleanup = ast.Delete(targets=[ast.Name(name, ast.Del()) for name, _ in temps])
        statements: list[ast.stmt] = [
            ast.Assign(targets=[ast.Name(name, ast.Store())], value=expr) for name, expr in temps
        ]
        statements.append(ast.Try(body=[update], handlers=[], orelse=[], finalbody=[cleanup]))
        for statement in statements:
            for part in ast.walk(statement):
                if "lineno" in part._attributes and not hasattr(part, "lineno"):
                    locate(part, node)
        return statements

    # -- definitions -----------------------------------------------------------------------

    def _visit_without_annotations(self, node: Any, fields: list[tuple[Any, str]]) -> Any:
        """Visit ``node`` leaving annotations untouched: under ``from __future__ import
        annotations`` they are strings that are never evaluated (``typing.get_type_hints`` is
        denied), and transforming them would only garble them."""
        if not self.scope.future_annotations:
            return self.node_contents_visit(node)
        saved = [(owner, field, getattr(owner, field)) for owner, field in fields]
        for owner, field, _ in saved:
            setattr(owner, field, None)
        node = self.node_contents_visit(node)
        for owner, field, value in saved:
            setattr(owner, field, value)
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.AST:
        name = node.name
        in_class = self._context[-1] == "class"
        if _is_dunder(name):
            if not in_class:
                self.report(node, "dunder", "dunder-name", name=name)
            elif name in OVERRIDE_DUNDERS:
                self.report(node, "override", "override-def", name=name)
            elif name not in ALLOWED_DUNDER_DEFS:
                self.report(node, "dunder", "dunder-def", name=name)
        else:
            self.check_name(node, name)
            if in_class and name.startswith("_"):
                self.declared.add(name)
        self.check_function_argument_names(node)
        args = node.args
        every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        every += [a for a in (args.vararg, args.kwarg) if a is not None]
        self._context.append("function")
        try:
            fields = [(a, "annotation") for a in every] + [(node, "returns")]
            return self._visit_without_annotations(node, fields)
        finally:
            self._context.pop()

    def visit_Lambda(self, node: ast.Lambda) -> ast.AST:
        self.check_function_argument_names(node)
        self._context.append("function")
        try:
            return self.node_contents_visit(node)
        finally:
            self._context.pop()

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.AST:
        return self._visit_without_annotations(node, [(node, "annotation")])

    def visit_ClassDef(self, node: ast.ClassDef) -> ast.AST:
        self.check_name(node, node.name)
        for keyword in node.keywords:
            if keyword.arg == "metaclass":
                self.report(node, "metaclass", "metaclass", what="metaclass=")
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id == "type" and "type" not in self.scope.bound:
                self.report(node, "metaclass", "metaclass", what="type")
                continue
            value = self.scope.resolve(base)
            if isinstance(value, type):
                self._static_base(node, value)
        self._context.append("class")
        try:
            return self.node_contents_visit(node)
        finally:
            self._context.pop()

    def _static_base(self, node: ast.ClassDef, base: type) -> None:
        if issubclass(base, type):
            self.report(node, "metaclass", "metaclass", what=base.__qualname__)
        elif issubclass(base, (torch.Tensor, np.ndarray)):
            self.report(
                node,
                "tensor-subclass",
                "tensor-subclass",
                base=f"{base.__module__}.{base.__qualname__}",
            )
        elif issubclass(base, BaseException) and not issubclass(base, Exception):
            self.report(node, "base-exception", "base-exception", name=base.__name__)

    def visit_Module(self, node: ast.Module) -> ast.AST:
        return self.node_contents_visit(node)


_IOPS = {
    ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.Mod: "%=", ast.Pow: "**=",
    ast.LShift: "<<=", ast.RShift: ">>=", ast.BitOr: "|=", ast.BitXor: "^=", ast.BitAnd: "&=",
    ast.FloorDiv: "//=", ast.MatMult: "@=",
}  # fmt: skip
