"""Provides the answer widget of each question type (add a type here and nowhere else).

Each widget's module is imported when a question of its type is first shown, so the first
question does not wait for the others (the code editor's ``TextArea`` alone takes ~30 ms).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from grader.bank.model import CodeOutputQuestion, QuestionBase
from grader.tui.widgets.answer_base import AnswerWidget

__all__ = ["ANSWER_WIDGETS", "answer_widget", "make_answer"]

ANSWER_WIDGETS: dict[str, str] = {
    "single": "grader.tui.widgets.choice_answer:ChoiceAnswer",
    "multiple": "grader.tui.widgets.multi_answer:MultiAnswer",
    "true_false": "grader.tui.widgets.choice_answer:ChoiceAnswer",
    "fill": "grader.tui.widgets.text_answer:TextAnswer",
    "numeric": "grader.tui.widgets.number_answer:NumberAnswer",
    "order": "grader.tui.widgets.order_answer:OrderAnswer",
    "code_output": "grader.tui.widgets.code_answer:CodeAnswer",
    "short": "grader.tui.widgets.self_rating:SelfRatingAnswer",
}
"""The widget of each question type (``"module:Class"``); ``code_output`` with candidate
outputs uses ChoiceAnswer."""


def answer_widget(kind: str) -> type[AnswerWidget]:
    """The widget class of the question type ``kind`` (its module imported on first use)."""
    module_name, class_name = ANSWER_WIDGETS[kind].split(":")
    cls: type[AnswerWidget] = getattr(import_module(module_name), class_name)
    return cls


def make_answer(
    question: QuestionBase, order: list[int] | None, lang: str, response: Any = None
) -> AnswerWidget:
    """The answer widget for ``question``, showing ``response`` when given."""
    kind = question.type
    if isinstance(question, CodeOutputQuestion) and question.options:
        kind = "single"
    return answer_widget(kind)(question, order, lang, response)
