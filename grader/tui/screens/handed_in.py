"""Provides HandedInScreen: a class exam was submitted; it says where the answers file is, and
shows no grade (the instructor grades it)."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Footer, Static

from grader.tui.screens.base import LANG_BINDINGS, LocalizedScreen

__all__ = ["HandedInScreen"]


class HandedInScreen(LocalizedScreen):
    """The end of a class exam: the path of ``<student>.answers.json`` to hand in."""

    BINDINGS = [*LANG_BINDINGS, Binding("escape,q", "app.quit", "Quit", id="quit")]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        yield Static(self._message(), id="handed-in")
        yield Footer()

    def _message(self) -> Content:
        return Content(self.t("handed_in", path=str(self.path.resolve())))

    def apply_lang(self, lang: str) -> None:
        self.query_one("#handed-in", Static).update(self._message())
