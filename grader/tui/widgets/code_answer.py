"""Provides CodeAnswer: a text area for typing what a snippet prints (``code_output`` questions
without candidate outputs). The snippet itself is shown, highlighted, in the prompt."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static, TextArea

from grader.tui.strings import t
from grader.tui.widgets.answer_base import AnswerWidget

__all__ = ["CodeAnswer"]


class CodeAnswer(AnswerWidget):
    """A multi-line text area; Enter types a new line, Ctrl+S submits."""

    def compose(self) -> ComposeResult:
        yield Static(Content(t("code_typed", self.lang)), classes="answer-help")
        yield TextArea(str(self.initial or ""), soft_wrap=True, id="output-input")

    @property
    def text_area(self) -> TextArea:
        return self.query_one("#output-input", TextArea)

    @property
    def response(self) -> Any:
        text = self.text_area.text
        return text if text.strip() else None

    def apply_lang(self, lang: str) -> None:
        super().apply_lang(lang)
        self.query_one(".answer-help", Static).update(Content(t("code_typed", lang)))

    def focus_answer(self) -> None:
        self.text_area.focus()

    @on(TextArea.Changed)
    def _changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.changed()
