"""Provides AnswerWidget, the base of the one answer widget each question type has.

An answer widget shows a question's options (in the session's shuffled order) or an input, and
speaks the bank engine's terms: :attr:`AnswerWidget.response` is what ``check_answer`` expects
(original option indices, text, a bool, a self-rating), or None while nothing is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.containers import Vertical
from textual.message import Message

from grader.bank.model import QuestionBase

__all__ = ["AnswerWidget"]


class AnswerWidget(Vertical):
    """Base class: subclasses compose the inputs and implement ``response`` and ``restore``.

    Args:
        question: The question answered.
        order: The option order shown (``order[k]`` = option index shown k-th), or None.
        lang: "zh" or "en".
        response: A response to show at the start (e.g. a resumed exam's), or None.
    """

    @dataclass
    class Changed(Message):
        """The response changed."""

        answer: AnswerWidget

    @dataclass
    class Submitted(Message):
        """The learner pressed Enter in the answer (submit)."""

        answer: AnswerWidget

    def __init__(
        self,
        question: QuestionBase,
        order: list[int] | None,
        lang: str,
        response: Any = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id or "answer", classes=f"answer answer-{question.type}")
        self.question = question
        self.order = order
        self.lang = lang
        self.initial = response

    @property
    def response(self) -> Any:
        """The current response in the bank engine's terms, or None."""
        raise NotImplementedError

    def pick(self, number: int) -> bool:
        """React to digit ``number`` (1-based option); True when it meant something here."""
        return False

    def apply_lang(self, lang: str) -> None:
        """Show the same question in another language, keeping the response."""
        self.lang = lang

    def graded(self) -> None:
        """The response was graded and its feedback is shown (subclasses reveal what the
        feedback relies on)."""

    def focus_answer(self) -> None:
        """Give focus to the input the learner uses first."""
        for widget in self.query("*"):
            if widget.focusable:
                widget.focus()
                return

    def changed(self) -> None:
        """Tell the screen that the response changed."""
        self.post_message(self.Changed(self))

    def submitted(self) -> None:
        """Tell the screen that the learner submits."""
        self.post_message(self.Submitted(self))
