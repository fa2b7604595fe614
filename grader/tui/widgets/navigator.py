"""Provides ExamNavigator: one button per exam question showing its state; click to jump.

Marks (readable without colour): ``▶`` current, ``●`` answered, ``○`` not answered, ``⚑`` flagged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static

__all__ = ["ExamNavigator", "NavState"]


@dataclass(frozen=True)
class NavState:
    """What the navigator shows for one question."""

    answered: bool
    flagged: bool


class ExamNavigator(VerticalScroll):
    """The exam's question list."""

    @dataclass
    class Jumped(Message):
        """The learner chose question ``index`` (0-based)."""

        index: int

    def __init__(self, title: str, count: int, *, id: str | None = "navigator") -> None:
        super().__init__(id=id)
        self._title = title
        self.count = count

    def compose(self) -> ComposeResult:
        yield Static(Content(self._title), id="navigator-title")
        for index in range(self.count):
            yield Button(str(index + 1), id=f"nav-{index + 1}", compact=True, classes="nav-button")

    def set_title(self, title: str) -> None:
        self._title = title
        self.query_one("#navigator-title", Static).update(Content(title))

    def update_states(self, states: Sequence[NavState], current: int) -> None:
        """Redraw every button from the questions' states."""
        for index, state in enumerate(states):
            button = self.query_one(f"#nav-{index + 1}", Button)
            pointer = "▶" if index == current else " "
            mark = "●" if state.answered else "○"
            flag = "⚑" if state.flagged else " "
            button.label = Content(f"{pointer}{index + 1:>2} {mark}{flag}")
            button.set_class(index == current, "-current")
            button.set_class(state.answered, "-answered")
            button.set_class(state.flagged, "-flagged")

    @on(Button.Pressed, ".nav-button")
    def _jump(self, event: Button.Pressed) -> None:
        event.stop()
        assert event.button.id is not None
        self.post_message(self.Jumped(int(event.button.id.removeprefix("nav-")) - 1))
