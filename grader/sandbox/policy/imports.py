"""Import statements at compile time, and the small AST helpers the transformer shares.

``import x`` stays an import (the runtime ``__import__`` guard vets it); ``from x import a`` becomes
``a = _import_from_("x", "a")`` so that every imported name goes through the attribute guard.
Both are also checked against the admitted modules at compile time, to report every violation at once.
"""

from __future__ import annotations

import ast
import sys
from typing import Any

from grader.sandbox.policy.config import PolicyConfig
from grader.sandbox.policy.guards_import import from_import_verdict

__all__ = ["ImportVisitor", "call_node", "locate"]


def locate(new: Any, old: Any) -> None:
    """Give a generated node the position of the node it stands for (RestrictedPython's
    ``copy_locations`` also re-walks the whole subtree, which makes transforming quadratic)."""
    new.lineno = old.lineno
    new.col_offset = old.col_offset
    new.end_lineno = getattr(old, "end_lineno", old.lineno)
    new.end_col_offset = getattr(old, "end_col_offset", old.col_offset)


def call_node(func: str, args: list[ast.expr], like: ast.AST) -> ast.Call:
    name = ast.Name(func, ast.Load())
    node = ast.Call(func=name, args=args, keywords=[])
    locate(name, like)
    locate(node, like)
    return node


class ImportVisitor:
    """Import handling, mixed into ``PolicyTransformer``."""

    config: PolicyConfig
    report: Any
    check_name: Any

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
            call = call_node(
                "_import_from_", [ast.Constant(module), ast.Constant(alias.name)], node
            )
            target = ast.Name(bound, ast.Store())
            statement = ast.Assign(targets=[target], value=call)
            locate(target, node)
            locate(statement, node)
            statements.append(statement)
        return statements

    def _static_from(self, node: ast.ImportFrom, module_name: str) -> None:
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
                    why=why,
                )  # fmt: skip
