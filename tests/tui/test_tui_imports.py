"""The quiz path stays light: importing the app, or the study layer, never imports torch."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "statement",
    [
        "import grader.tui",
        "import grader.tui.app",
        "import grader.cli.quiz, grader.cli.stats, grader.cli.progress",
        "import grader.study.context, grader.study.stats, grader.study.transfer",
    ],
)
def test_quiz_path_does_not_import_torch(statement: str) -> None:
    """A fresh interpreter running ``statement`` has no torch in sys.modules."""
    code = f"{statement}; import sys; print(sorted(m for m in sys.modules if m.split('.')[0] == 'torch'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", f"{statement!r} imported {out.stdout.strip()}"


def test_study_layer_does_not_import_textual() -> None:
    """grader.study has no UI: importing all of it leaves textual out."""
    code = (
        "import grader.study.context, grader.study.stats, grader.study.transfer, "
        "grader.study.duration; import sys; print('textual' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
