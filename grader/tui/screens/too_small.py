"""Provides TooSmallScreen: shown instead of the app while the terminal is below the minimum
size; it goes away by itself when the terminal is large enough again."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from grader.tui.screens.base import LocalizedModal

__all__ = ["TooSmallScreen"]


class TooSmallScreen(LocalizedModal):
    """A full-screen notice with the size needed and the size there is."""

    def __init__(self, minimum: tuple[int, int]) -> None:
        super().__init__()
        self.minimum = minimum

    def compose(self) -> ComposeResult:
        yield Static("", id="too-small-message")

    def on_mount(self) -> None:
        self.update_size()

    def update_size(self) -> None:
        """Redraw the message for the terminal's current size."""
        width, height = self.app.size
        text = self.t("too_small", w=self.minimum[0], h=self.minimum[1], cw=width, ch=height)
        for message in self.query("#too-small-message").results(Static):
            message.update(Content(text))

    def apply_lang(self, lang: str) -> None:
        self.update_size()
