"""Provides OrderAnswer: put a question's items in order (``order`` questions)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Static

from grader.bank.model import OrderQuestion
from grader.tui.markup import inline
from grader.tui.strings import t
from grader.tui.widgets.answer_base import AnswerWidget
from grader.tui.widgets.order_list import OrderList

__all__ = ["OrderAnswer"]


class OrderAnswer(AnswerWidget):
    """A reorderable list. The response is the option indices in the learner's order; it stays
    None until the learner moves an item or submits (an untouched exam item is unanswered)."""

    def _labels(self) -> dict[int, Content]:
        q = self.question
        assert isinstance(q, OrderQuestion)
        return {i: inline(o.get(self.lang)) for i, o in enumerate(q.options)}

    def compose(self) -> ComposeResult:
        assert self.order is not None
        self.touched = self.initial is not None
        order = list(self.initial) if self.initial is not None else list(self.order)
        yield Static(Content(t("order_help", self.lang)), classes="answer-help")
        yield OrderList(self._labels(), order, id="order-list")

    @property
    def order_list(self) -> OrderList:
        return self.query_one("#order-list", OrderList)

    @property
    def response(self) -> Any:
        return list(self.order_list.order) if self.touched else None

    def pick(self, number: int) -> bool:
        if 1 <= number <= len(self.order_list.order):
            self.order_list.cursor = number - 1
            return True
        return False

    def apply_lang(self, lang: str) -> None:
        super().apply_lang(lang)
        self.order_list.set_labels(self._labels())
        self.query_one(".answer-help", Static).update(Content(t("order_help", lang)))

    @on(OrderList.Changed)
    def _changed(self, event: OrderList.Changed) -> None:
        event.stop()
        self.touched = True
        self.changed()

    @on(OrderList.Submitted)
    def _submitted(self, event: OrderList.Submitted) -> None:
        event.stop()
        if not self.touched:
            self.touched = True
            self.changed()
        self.submitted()
