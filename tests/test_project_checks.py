"""The project's own safety nets stay switched on: the checks a config line turns on (issue 16,
"Codebase health") fail here when that line is dropped, instead of silently stopping.

- mypy checks ``grader/`` and reports a ``type: ignore`` that ignores nothing;
- ruff's RUF100 reports a ``# noqa`` that suppresses nothing (or names a rule not enabled);
- pytest refuses an undeclared marker and turns every warning into an error;
- each declared marker is used by some test (a marker nothing uses is a promise nothing keeps);
- the wheel ships ``grader/py.typed``, so a check author's type checker reads ``grader.checks``.

(The README line that runs ruff, mypy and pytest is checked in tests/test_readme_ci.py.)
"""

from __future__ import annotations

import re
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_mypy_checks_the_package_and_reports_unused_ignores() -> None:
    mypy = _pyproject()["tool"]["mypy"]
    assert mypy["files"] == ["grader"]
    assert mypy.get("warn_unused_ignores") is True


def test_ruff_reports_a_noqa_that_suppresses_nothing() -> None:
    lint = _pyproject()["tool"]["ruff"]["lint"]
    assert "RUF100" in lint.get("select", []) + lint.get("extend-select", [])
    assert "RUF100" not in lint.get("ignore", [])


def test_pytest_refuses_unknown_markers_and_fails_on_warnings() -> None:
    ini = _pyproject()["tool"]["pytest"]["ini_options"]
    assert "--strict-markers" in ini["addopts"].split()
    assert ini["filterwarnings"][:1] == ["error"], ini["filterwarnings"]


def _marks_used() -> set[str]:
    used: set[str] = set()
    for path in (ROOT / "tests").rglob("*.py"):
        if "data" in path.relative_to(ROOT / "tests").parts:
            continue
        used.update(re.findall(r"pytest\.mark\.(\w+)", path.read_text(encoding="utf-8")))
    return used


def test_every_declared_marker_is_used() -> None:
    declared = [
        m.split(":", 1)[0].strip() for m in _pyproject()["tool"]["pytest"]["ini_options"]["markers"]
    ]
    assert declared, "no marker is declared"
    unused = sorted(set(declared) - _marks_used())
    assert not unused, f"markers declared in pyproject.toml but used by no test: {unused}"


def test_the_wheel_ships_py_typed(tmp_path: Path) -> None:
    """``grader.checks`` is an API for check authors: the built wheel marks the package typed."""
    pytest.importorskip("hatchling", reason="building the grader wheel needs hatchling")
    from grader.gradescope import build_wheel

    with zipfile.ZipFile(build_wheel(tmp_path)) as wheel:
        names = set(wheel.namelist())
    assert "grader/checks.py" in names
    assert "grader/py.typed" in names
