"""Fixtures for the batch tests: class folders and `grader batch` run as a user runs it."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from batch_helpers import COURSE, GRADER, build_class


@pytest.fixture
def class_dir(tmp_path: Path) -> Callable[[dict[str, str | None]], Path]:
    def make(layout: dict[str, str | None]) -> Path:
        return build_class(tmp_path / "class", layout)

    return make


@pytest.fixture
def grader_batch(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `grader batch EXERCISE DIR --out OUT ...` in a subprocess against the mini course."""

    def run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        workers = [] if "--workers" in args else ["--workers", "1"]  # one torch import is enough
        cmd = [*GRADER, "batch", *args, *workers, "--course", str(COURSE), "--quiet"]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=tmp_path)

    return run
