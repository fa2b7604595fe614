"""Provides ChoiceAnswer: one option from a list (single, true_false, code_output with options)."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.content import Content

from grader.bank.model import CodeOutputQuestion, SingleQuestion, TrueFalseQuestion
from grader.tui.markup import CODE_STYLE, inline
from grader.tui.strings import t
from grader.tui.widgets.choice_list import ChoiceList
from grader.tui.widgets.choice_list_answer import ChoiceListAnswer

__all__ = ["ChoiceAnswer"]


class ChoiceAnswer(ChoiceListAnswer):
    """Radio-style choice. Responses: an option index (single), a bool (true_false), or the
    chosen output text (code_output)."""

    def _values(self) -> list[Any]:
        """The response each shown position stands for."""
        q = self.question
        if isinstance(q, TrueFalseQuestion):
            return [True, False]
        if isinstance(q, CodeOutputQuestion):
            assert q.options is not None and self.order is not None
            return [q.options[i] for i in self.order]
        assert self.order is not None
        return list(self.order)

    def _labels(self) -> list[Content]:
        q = self.question
        if isinstance(q, TrueFalseQuestion):
            return [Content(t("true", self.lang)), Content(t("false", self.lang))]
        if isinstance(q, CodeOutputQuestion):
            return [Content.styled(v, CODE_STYLE) for v in self._values()]
        assert isinstance(q, SingleQuestion) and self.order is not None
        return [inline(q.options[i].get(self.lang)) for i in self.order]

    def compose(self) -> ComposeResult:
        initial = self.initial
        selected = [
            k
            for k, value in enumerate(self._values())
            if initial is not None and type(value) is type(initial) and value == initial
        ]
        yield ChoiceList(self._labels(), multiple=False, selected=selected, id="choices")

    @property
    def response(self) -> Any:
        chosen = self.choices.selected
        return self._values()[next(iter(chosen))] if chosen else None
