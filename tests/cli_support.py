"""Running the installed ``grader`` command the way a user does: a subprocess of this environment.

Imported as a plain module (``tests/conftest.py`` puts this folder on ``sys.path``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def grader_command() -> str:
    """The installed `grader` script of this interpreter's environment."""
    beside = Path(sys.executable).with_name("grader")
    found = str(beside) if beside.exists() else shutil.which("grader")
    if found is None:
        pytest.fail("the `grader` command is not installed: run `pip install -e .`")
    return found


def run_grader(
    *args: str, cwd: Path, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """``grader ARGS`` in ``cwd``, with this environment minus ``GRADER_COURSE`` (so the course
    is the one a test names) plus ``env``; output captured as text, never raising on exit."""
    environ = {k: v for k, v in os.environ.items() if k != "GRADER_COURSE"}
    environ.update(env or {})
    return subprocess.run(
        [grader_command(), *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
