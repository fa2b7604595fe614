"""Provides TextAnswer: a one-line text box for ``fill`` questions."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from grader.tui.strings import t
from grader.tui.widgets.answer_base import AnswerWidget

__all__ = ["TextAnswer"]


class TextAnswer(AnswerWidget):
    """A text box; every key types (letters, ``?``, digits), Enter submits."""

    placeholder_key = "fill_placeholder"
    restrict: str | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            value=str(self.initial or ""),
            placeholder=t(self.placeholder_key, self.lang),
            restrict=self.restrict,
            id="answer-input",
        )

    @property
    def input(self) -> Input:
        return self.query_one("#answer-input", Input)

    @property
    def response(self) -> Any:
        value = self.input.value
        return value if value.strip() else None

    def apply_lang(self, lang: str) -> None:
        super().apply_lang(lang)
        self.input.placeholder = t(self.placeholder_key, lang)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.changed()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submitted()
