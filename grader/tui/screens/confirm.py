"""Provides ConfirmScreen: a yes/no question as a modal (used before submitting an exam)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from grader.tui.screens.base import LocalizedModal

__all__ = ["ConfirmScreen"]


class ConfirmScreen(LocalizedModal):
    """Dismisses with True (confirmed) or False (escape, or the second button); the message is
    the strings-table text ``message_key`` formatted with ``values``."""

    BINDINGS = [Binding("escape", "cancel", show=False)]

    def __init__(
        self,
        message_key: str,
        values: dict[str, Any] | None = None,
        yes_key: str = "confirm_yes",
        no_key: str = "confirm_no",
    ):
        super().__init__()
        self.message_key = message_key
        self.values = values or {}
        self.yes_key = yes_key
        self.no_key = no_key

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Static(Content(self.t(self.message_key, **self.values)), id="confirm-message")
            with Horizontal(id="confirm-buttons"):
                yield Button(self.t(self.yes_key), id="confirm-yes", variant="primary")
                yield Button(self.t(self.no_key), id="confirm-no")

    @on(Button.Pressed, "#confirm-yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def _no(self) -> None:
        self.dismiss(False)

    def action_cancel(self) -> None:
        self.dismiss(False)

    def apply_lang(self, lang: str) -> None:
        message = Content(self.t(self.message_key, **self.values))
        self.query_one("#confirm-message", Static).update(message)
        self.query_one("#confirm-yes", Button).label = self.t(self.yes_key)
        self.query_one("#confirm-no", Button).label = self.t(self.no_key)
