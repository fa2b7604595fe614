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
from RestrictedPython.transformer import INSPECT_ATTRIBUTES, RestrictingNodeTransformer, copy_locations

from grader.sandbox.guards_attr import name_verdict
from grader.sandbox.guards_import import from_import_verdict
from grader.sandbox.guards_table import value_verdict
from grader.sandbox.guards_write import write_verdict
from grader.sandbox.policy_config import PolicyConfig
from grader.sandbox.policy_errors import PolicyViolation, make_violation
from grader.sandbox.policy_rules import (
    ALLOWED_DUNDER_DEFS,
    ALLOWED_DUNDER_READS,
    BASE_EXCEPTION_NAMES,
    DENIED_BUILTINS,
    INTROSPECTION_ATTRS,
    OVERRIDE_DUNDERS,
    RESERVED_NAME_PREFIXES,
)
from grader.sandbox.policy_static import UNKNOWN, StaticScope

__all__ = ["PolicyTransformer"]

_GETATTR_LIKE = {"getattr": False, "hasattr": False, "setattr": True, "delattr": True}
_NO_NAMES: frozenset[str] = frozenset()


def _is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def _call(func: str, args: list[ast.expr], like: ast.AST) -> ast.Call:
    node = ast.Call(func=ast.Name(func, ast.Load()), args=args, keywords=[])
    copy_locations(node, like)
    return node


class PolicyTransformer(RestrictingNodeTransformer):
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

    def _attribute_name_problem(self, node: ast.AST, attr: str, load: bool) -> bool:
        if attr.startswith("__"):
            if not _is_dunder(attr):
                self.report(node, "private", "private-mangled", name=attr)
            elif not (load and attr in ALLOWED_DUNDER_READS):
                hint = ("; use type(x) instead", "；请改用 type(x)") if attr == "__class__" else ("", "")
                self.report(node, "dunder", "dunder-read", name=attr, hint=hint[0], hint_zh=hint[1])
            else:
                return False
            return True
        if attr in INTROSPECTION_ATTRS or attr in INSPECT_ATTRIBUTES:
            self.report(node, "introspection", "introspection", name=attr)
            return True
        return False

    def _static_attribute(self, node: ast.AST, base_node: ast.expr, attr: str, load: bool) -> None:
        base = self.scope.resolve(base_node)
        if not isinstance(base, (types.ModuleType, type)):
            return
        if not load:
            verdict = write_verdict(base, attr, _NO_NAMES)
        else:
            verdict = name_verdict(base, attr, self.config, _NO_NAMES)
            if verdict is None and isinstance(base, types.ModuleType):
                if f"{base.__name__}:{attr}" not in self.config.lifted:
                    value = vars(base).get(attr, UNKNOWN)
                    if value is not UNKNOWN:
                        verdict = value_verdict(value, self.config.modules, self.config.lifted)
        if verdict is not None:
            self.report(node, verdict[0], verdict[1], **verdict[2])

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        load = isinstance(node.ctx, ast.Load)
        if not self._attribute_name_problem(node, node.attr, load):
            if node.attr.startswith("_") and not load:
                self.declared.add(node.attr)
            self._static_attribute(node, node.value, node.attr, load)
        node = self.node_contents_visit(node)
        if load:
            new = _call("_getattr_", [node.value, ast.Constant(node.attr)], node)
            return new
        node.value = _call("_write_", [node.value], node.value)
        return node

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        node = self.node_contents_visit(node)
        if isinstance(node.ctx, ast.Load):
            return _call("_getitem_", [node.value, node.slice], node)
        node.value = _call("_write_item_", [node.value], node)
        return node

    # -- calls, raise, augmented assignment -------------------------------------------------

    def visit_Call(self, node: ast.Call) -> ast.AST:
        func = node.func
        if isinstance(func, ast.Name) and func.id not in self.scope.bound:
            store = _GETATTR_LIKE.get(func.id)
            if store is not None and len(node.args) >= 2:
                name = node.args[1]
                if isinstance(name, ast.Constant) and isinstance(name.value, str):
                    if not self._attribute_name_problem(node, name.value, not store):
                        self._static_attribute(node, node.args[0], name.value, not store)
            if func.id == "type" and len(node.args) == 3:
                self.report(node, "builtin", "builtin-type3")
        needs_apply = any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        )
        node = self.node_contents_visit(node)
        if needs_apply:
            node.args.insert(0, node.func)
            node.func = ast.Name("_apply_", ast.Load())
            copy_locations(node.func, node.args[0])
        return _call("_cv_", [node], node)

    def visit_Raise(self, node: ast.Raise) -> ast.AST:
        node = self.node_contents_visit(node)
        if node.exc is not None:
            node.exc = _call("_check_raise_", [node.exc], node.exc)
        return node

    def visit_AugAssign(self, node: ast.AugAssign) -> Any:
        target = node.target
        if isinstance(target, ast.Name):
            return super().visit_AugAssign(node)
        op = ast.Constant(_IOPS[type(node.op)])
        value = self.visit(node.value)
        if isinstance(target, ast.Attribute):
            if not self._attribute_name_problem(node, target.attr, load=False):
                if target.attr.startswith("_"):
                    self.declared.add(target.attr)
                self._static_attribute(node, target.value, target.attr, load=False)
            obj = self.visit(target.value)
            tmp = self.gen_tmp_name()
            current = _call("_getattr_", [ast.Name(tmp, ast.Load()), ast.Constant(target.attr)], node)
            store = ast.Attribute(
                value=_call("_write_", [ast.Name(tmp, ast.Load())], node),
                attr=target.attr,
                ctx=ast.Store(),
            )
            temps = [(tmp, obj)]
        else:
            obj = self.visit(target.value)
            key = self.visit(target.slice)
            tmp, tmp_key = self.gen_tmp_name(), self.gen_tmp_name()
            current = _call(
                "_getitem_", [ast.Name(tmp, ast.Load()), ast.Name(tmp_key, ast.Load())], node
            )
            store = ast.Subscript(
                value=_call("_write_item_", [ast.Name(tmp, ast.Load())], node),
                slice=ast.Name(tmp_key, ast.Load()),
                ctx=ast.Store(),
            )
            temps = [(tmp, obj), (tmp_key, key)]
        update = ast.Assign(
            targets=[store], value=_call("_inplacevar_", [op, current, value], node)
        )
        cleanup = ast.Delete(targets=[ast.Name(name, ast.Del()) for name, _ in temps])
        statements: list[ast.stmt] = [
            ast.Assign(targets=[ast.Name(name, ast.Store())], value=expr) for name, expr in temps
        ]
        statements.append(ast.Try(body=[update], handlers=[], orelse=[], finalbody=[cleanup]))
        for statement in statements:
            copy_locations(statement, node)
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
            self.report(node, "tensor-subclass", "tensor-subclass", base=f"{base.__module__}.{base.__qualname__}")
        elif issubclass(base, BaseException) and not issubclass(base, Exception):
            self.report(node, "base-exception", "base-exception", name=base.__name__)

    def visit_Module(self, node: ast.Module) -> ast.AST:
        return self.node_contents_visit(node)

    # -- imports ---------------------------------------------------------------------------

    def _check_module(self, node: ast.AST, module: str) -> bool:
        if module not in self.config.modules:
            self.report(node, "import", "import", name=module)
            return False
        return True

    def visit_Import(self, node: ast.Import) -> ast.AST:
        for alias in node.names:
            self._check_module(node, alias.name)
            self.check_name(node, alias.asname or alias.name.partition(".")[0])
        return node

    def visit_ImportFrom(self, node: ast.ImportFrom) -> Any:
        if node.level:
            self.report(node, "import", "import-relative")
            return node
        module = node.module or ""
        if any(alias.name == "*" for alias in node.names):
            self.report(node, "import", "import-star")
            return node
        if module == "__future__":
            return node
        if self._check_module(node, module):
            self._static_from(node, module)
        statements = []
        for alias in node.names:
            bound = alias.asname or alias.name
            self.check_name(node, bound)
            call = _call("_import_from_", [ast.Constant(module), ast.Constant(alias.name)], node)
            statement = ast.Assign(targets=[ast.Name(bound, ast.Store())], value=call)
            copy_locations(statement, node)
            statements.append(statement)
        return statements

    def _static_from(self, node: ast.ImportFrom, module_name: str) -> None:
        import sys

        module = sys.modules.get(module_name)
        if module is None:
            return
        for alias in node.names:
            try:
                why = from_import_verdict(module, module_name, alias.name, self.config)
            except LookupError:
                continue
            if why is not None:
                self.report(
                    node, "import", "import-name", module=module_name, name=alias.name,
                    why=why[0], why_zh=why[1],
                )  # fmt: skip


_IOPS = {
    ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.Mod: "%=", ast.Pow: "**=",
    ast.LShift: "<<=", ast.RShift: ">>=", ast.BitOr: "|=", ast.BitXor: "^=", ast.BitAnd: "&=",
    ast.FloorDiv: "//=", ast.MatMult: "@=",
}  # fmt: skip
