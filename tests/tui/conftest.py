"""Fixtures for the app's tests: a steady cursor, the fixture course, a clock and a data dir."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from grader.study.clock import FakeClock

QUIZ_COURSE = Path(__file__).resolve().parents[1] / "data" / "quiz"


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text cursors do not blink, so screens are the same at every instant."""
    monkeypatch.setattr(Input.cursor_blink, "_default", False)
    monkeypatch.setattr(TextArea.cursor_blink, "_default", False)


@pytest.fixture(autouse=True)
def quiet_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No colour override, no language override, and the bank cache in a temporary folder."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("GRADER_LANG", raising=False)
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"
