"""The layers the design names are enforced: the judge and the executor share only the channel
(``grader.protocol``), and the sandbox's language and OS layers never import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GRADER = Path(__file__).resolve().parents[1] / "grader"

#: (package, packages it must never import)
RULES = [
    ("grader.judge", ("grader.executor", "grader.sandbox")),
    ("grader.executor", ("grader.judge", "grader.runner", "grader.checks")),
    ("grader.sandbox.os", ("grader.sandbox.policy", "grader.judge", "grader.executor")),
    ("grader.sandbox.policy", ("grader.sandbox.os", "grader.judge", "grader.executor")),
    ("grader.protocol", ("grader.judge", "grader.executor", "grader.sandbox", "grader.runner")),
]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _files(package: str) -> list[Path]:
    base = GRADER.parent / package.replace(".", "/")
    return sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]


@pytest.mark.parametrize(("package", "forbidden"), RULES, ids=[r[0] for r in RULES])
def test_layer_imports(package: str, forbidden: tuple[str, ...]) -> None:
    bad = []
    for path in _files(package):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(GRADER.parent)} imports {name}")
    assert not bad, "\n".join(bad)
