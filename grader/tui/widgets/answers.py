"""Provides the answer widget of each question type (add a type here and nowhere else)."""

from __future__ import annotations

from typing import Any

from grader.bank.model import CodeOutputQuestion, QuestionBase
from grader.tui.widgets.answer_base import AnswerWidget
from grader.tui.widgets.choice_answer import ChoiceAnswer
from grader.tui.widgets.code_answer import CodeAnswer
from grader.tui.widgets.multi_answer import MultiAnswer
from grader.tui.widgets.number_answer import NumberAnswer
from grader.tui.widgets.order_answer import OrderAnswer
from grader.tui.widgets.self_rating import SelfRatingAnswer
from grader.tui.widgets.text_answer import TextAnswer

__all__ = ["ANSWER_WIDGETS", "make_answer"]

ANSWER_WIDGETS: dict[str, type[AnswerWidget]] = {
    "single": ChoiceAnswer,
    "multiple": MultiAnswer,
    "true_false": ChoiceAnswer,
    "fill": TextAnswer,
    "numeric": NumberAnswer,
    "order": OrderAnswer,
    "code_output": CodeAnswer,
    "short": SelfRatingAnswer,
}
"""The widget of each question type; ``code_output`` with candidate outputs uses ChoiceAnswer."""


def make_answer(
    question: QuestionBase, order: list[int] | None, lang: str, response: Any = None
) -> AnswerWidget:
    """The answer widget for ``question``, showing ``response`` when given."""
    cls = ANSWER_WIDGETS[question.type]
    if isinstance(question, CodeOutputQuestion) and question.options:
        cls = ChoiceAnswer
    return cls(question, order, lang, response)
