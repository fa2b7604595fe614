"""The quiz path stays light: the quiz commands and the app never import torch.

(``import grader.tui`` itself is checked in tests/test_import_hygiene.py.)"""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "statement",
    [
        "import grader.tui.app, grader.tui.screens.exam, grader.tui.screens.stats",
        "import grader.cli.quiz, grader.cli.stats, grader.cli.progress",
        "import grader.study.context, grader.study.stats, grader.study.transfer",
    ],
)
def test_quiz_path_does_not_import_torch(statement: str) -> None:
    """A fresh interpreter running ``statement`` has no torch in sys.modules."""
    code = f"{statement}; import sys; print(sorted(m for m in sys.modules if m.split('.')[0] == 'torch'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"{statement!r} imported {out.stdout.strip()}"
