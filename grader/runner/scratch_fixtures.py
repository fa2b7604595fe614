"""Fixtures that replace pytest's tmpdir plugin inside the sandbox (loaded only by the grader).

A check child may write only in its private scratch folder (its working directory), so
``tmp_path`` is a fresh folder there instead of one under the system temp folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest


@pytest.fixture
def tmp_path() -> Path:
    """A fresh empty folder inside the check's scratch folder."""
    return Path(tempfile.mkdtemp(prefix="tmp-", dir=Path.cwd()))
