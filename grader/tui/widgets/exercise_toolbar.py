"""Provides ExerciseToolbar: the row above the exercise screen's editor (Run checks, Submit,
Cancel, the watch-mode badge and where the checks run)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Static

from grader.tui.strings import t
from grader.tui.widgets.device_picker import DevicePicker

__all__ = ["ExerciseToolbar"]

_BUTTONS = {
    "run-checks": ("run_checks", "f5"),
    "submit": ("submit_code", "f6"),
    "cancel": ("cancel_job", "escape"),
}
"""Button id -> (strings-table key of its label (also its binding's id), its key outside a
browser); the label shows the key the app binds (``QuizApp.shown_key``)."""


class ExerciseToolbar(Horizontal):
    """The grading buttons (Cancel shows only while a job runs), the watch badge and the device.

    The buttons' presses bubble up to the screen, which owns the actions.

    Args:
        device: The exercise's device (``cpu``, ``cuda`` or ``any``).
        lang: "zh" or "en".
    """

    def __init__(self, device: str, lang: str, *, id: str | None = "exercise-toolbar") -> None:
        super().__init__(id=id)
        self.device = device
        self.lang = lang
        self.watching = False

    def compose(self) -> ComposeResult:
        yield Button("", id="run-checks", compact=True)
        yield Button("", id="submit", variant="primary", compact=True)
        cancel = Button("", id="cancel", variant="error", compact=True)
        cancel.display = False
        yield cancel
        yield Static("", id="watch-badge")
        yield DevicePicker(self.device, self.lang)

    @property
    def device_picker(self) -> DevicePicker:
        return self.query_one(DevicePicker)

    def apply_lang(self, lang: str) -> None:
        self.lang = lang
        for button_id, (key, bound) in _BUTTONS.items():
            shown = self.app.shown_key(key, bound)  # type: ignore[attr-defined]
            self.query_one(f"#{button_id}", Button).label = f"{t(key, lang)} ({shown})"
        self.show_watching(self.watching)
        self.device_picker.apply_lang(lang)

    def show_running(self, running: bool) -> None:
        """While a job runs: Cancel instead of Run checks and Submit (which are disabled)."""
        self.query_one("#cancel", Button).display = running
        self.query_one("#run-checks", Button).disabled = running
        self.query_one("#submit", Button).disabled = running

    def show_watching(self, watching: bool) -> None:
        """The badge that says watch mode is on (empty when it is off)."""
        self.watching = watching
        badge = t("ex_watch_badge", self.lang) if watching else ""
        self.query_one("#watch-badge", Static).update(Content(badge))
