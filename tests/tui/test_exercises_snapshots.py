"""SVG snapshots of the exercise screen after a failed submission, in both languages.

Update only after looking at the report: ``pytest tests/tui/test_exercises_snapshots.py
--snapshot-update``; the files are in ``tests/tui/__snapshots__/``. The editor's highlighting
needs tree-sitter and tree-sitter-python (Textual's ``syntax`` extra).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from exercise_pilot import make_exercise_app, open_exercise, paste_code, wait_idle

from grader.study.clock import FakeClock

SNAP_SIZE = (110, 34)
BUGGY = "import torch\n\n\ndef add_one(x):\n    return x + 2\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_exercise_after_a_failed_submission(
    snap_compare, data_dir: Path, clock: FakeClock, lang: str, tmp_path: Path, monkeypatch
) -> None:
    """The statement, the hint button, the results (three checks failed, with their messages),
    and the learner's code in the editor."""
    monkeypatch.chdir(tmp_path)  # the file label shows the workspace path: keep it relative
    app = make_exercise_app(data_dir, clock, lang=lang, workspace=Path("ws"))

    async def submit_buggy(pilot) -> None:  # type: ignore[no-untyped-def]
        screen = await open_exercise(pilot)
        await paste_code(pilot, screen, BUGGY)
        await pilot.press("f6")
        await wait_idle(pilot, screen)
        await pilot.press("escape")  # leave the editor: no cursor in the picture

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=submit_buggy)
