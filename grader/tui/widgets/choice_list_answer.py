"""Provides ChoiceListAnswer: the base of answer widgets that show their options in a ChoiceList."""

from __future__ import annotations

from textual import on
from textual.content import Content

from grader.tui.widgets.answer_base import AnswerWidget
from grader.tui.widgets.choice_list import ChoiceList

__all__ = ["ChoiceListAnswer"]


class ChoiceListAnswer(AnswerWidget):
    """Options in a ``#choices`` ChoiceList: digits pick, the language switch relabels them."""

    def _labels(self) -> list[Content]:
        """The option labels in display order, in the current language."""
        raise NotImplementedError

    @property
    def choices(self) -> ChoiceList:
        return self.query_one("#choices", ChoiceList)

    def pick(self, number: int) -> bool:
        if 1 <= number <= len(self.choices.labels):
            self.choices.toggle(number - 1)
            return True
        return False

    def apply_lang(self, lang: str) -> None:
        super().apply_lang(lang)
        self.choices.set_labels(self._labels())

    @on(ChoiceList.Changed)
    def _changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        self.changed()

    @on(ChoiceList.Submitted)
    def _submitted(self, event: ChoiceList.Submitted) -> None:
        event.stop()
        self.submitted()
