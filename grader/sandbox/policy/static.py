"""Compile-time knowledge about a submission: which names it binds, which names are stable
aliases of imported modules, and what a dotted expression such as ``torch.utils.data`` refers to.

With it the transformer reports most violations before anything runs (``torch.load``,
``torch.allclose = ...``, ``class T(torch.Tensor)``), each with its line, all at once. The
runtime guards remain the authority; this is an early, side-effect-free preview of them that
only looks at modules already imported and never triggers an import.
"""

from __future__ import annotations

import ast
import sys
import types
from collections import Counter

from grader.denylist import class_attribute, is_missing

__all__ = ["UNKNOWN", "StaticScope", "class_attribute_static"]

UNKNOWN = object()
"""The value of an expression the static pass cannot resolve."""


class StaticScope:
    """A prepass over the whole module."""

    def __init__(self, tree: ast.Module) -> None:
        self.bound: set[str] = set()
        self.future_annotations = False
        counts: Counter[str] = Counter()
        imports: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                counts[node.id] += 1
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                counts[node.name] += 1
            elif isinstance(node, ast.arg):
                counts[node.arg] += 1
            elif isinstance(node, ast.ExceptHandler) and node.name:
                counts[node.name] += 1
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                for name in node.names:
                    counts[name] += 1
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    bound = alias.asname or alias.name.partition(".")[0]
                    target = alias.name if alias.asname else bound
                    if imports.get(bound) != target:  # `import torch` twice binds it once
                        counts[bound] += 1
                    imports[bound] = target
            elif isinstance(node, ast.ImportFrom):
                if node.module == "__future__":
                    if any(a.name == "annotations" for a in node.names):
                        self.future_annotations = True
                    continue
                for alias in node.names:
                    bound = alias.asname or alias.name
                    counts[bound] += 1
                    if node.module and not node.level:
                        imports[bound] = f"{node.module}.{alias.name}"
        self.bound = set(counts)
        self.aliases = {name: module for name, module in imports.items() if counts[name] == 1}
        """Names bound exactly once, by an import of something that may be a module."""

    def resolve(self, node: ast.expr) -> object:
        """The object a ``Name`` or dotted ``Attribute`` chain refers to, or ``UNKNOWN``."""
        if isinstance(node, ast.Name):
            module_name = self.aliases.get(node.id)
            if module_name is None:
                return UNKNOWN
            module = sys.modules.get(module_name)
            return module if isinstance(module, types.ModuleType) else UNKNOWN
        if isinstance(node, ast.Attribute):
            base = self.resolve(node.value)
            if isinstance(base, types.ModuleType):
                return vars(base).get(node.attr, UNKNOWN)
            if isinstance(base, type):
                return class_attribute_static(base, node.attr)
        return UNKNOWN


def class_attribute_static(cls: type, name: str) -> object:
    """A class attribute found in the MRO's namespaces (no descriptors run), or ``UNKNOWN``."""
    value = class_attribute(cls, name)
    return UNKNOWN if is_missing(value) else value
