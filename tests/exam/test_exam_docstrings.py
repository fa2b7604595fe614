"""The field docstrings of the exam layer's dataclasses sit under their own field."""

from __future__ import annotations

import ast
from pathlib import Path

import grader.exam

EXAM = Path(grader.exam.__file__).resolve().parent


def _is_text(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def test_each_field_docstring_follows_its_field() -> None:
    """A docstring right under another docstring (not under a field) describes the wrong
    field: e.g. GradeResult's ``picks`` text once sat under ``pending``'s."""
    misplaced = []
    for path in sorted(EXAM.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)):
            for before, node in zip(cls.body, cls.body[1:], strict=False):
                if _is_text(node) and not isinstance(before, ast.AnnAssign | ast.Assign):
                    misplaced.append(f"{path.name}:{node.lineno}: {cls.name}")
    assert not misplaced, misplaced
