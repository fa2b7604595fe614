"""Provides MultiAnswer: any number of options (check boxes) for ``multiple`` questions."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.content import Content

from grader.bank.model import MultipleQuestion
from grader.tui.markup import inline
from grader.tui.widgets.choice_list import ChoiceList
from grader.tui.widgets.choice_list_answer import ChoiceListAnswer

__all__ = ["MultiAnswer"]


class MultiAnswer(ChoiceListAnswer):
    """Check boxes. The response is the sorted list of chosen option indices (None: none)."""

    def _labels(self) -> list[Content]:
        q = self.question
        assert isinstance(q, MultipleQuestion) and self.order is not None
        return [inline(q.options[i].get(self.lang)) for i in self.order]

    def compose(self) -> ComposeResult:
        assert self.order is not None
        initial = set(self.initial or ())
        selected = [k for k, i in enumerate(self.order) if i in initial]
        yield ChoiceList(self._labels(), multiple=True, selected=selected, id="choices")

    @property
    def response(self) -> Any:
        assert self.order is not None
        chosen = sorted(self.order[k] for k in self.choices.selected)
        return chosen or None
