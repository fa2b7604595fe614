"""Provides SelfRatingAnswer for ``short`` questions: write an answer (not graded), reveal the
reference answer and its key points, and rate yourself: fully right, partly right, not yet."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Button, Markdown, Static, TextArea

from grader.bank.model import ShortQuestion
from grader.tui.cjk import protect_inline_code
from grader.tui.strings import md_label, t
from grader.tui.widgets.answer_base import AnswerWidget
from grader.tui.widgets.choice_list import ChoiceList

__all__ = ["RATINGS", "SelfRatingAnswer"]

RATINGS = ("full", "partial", "none")
"""Self-ratings in the order shown; digits 1-3 pick them."""


class SelfRatingAnswer(AnswerWidget):
    """The response is the chosen rating: "full", "partial" or "none" (None before rating)."""

    def compose(self) -> ComposeResult:
        yield Static(Content(t("short_yours", self.lang)), classes="answer-help", id="yours-label")
        yield TextArea("", soft_wrap=True, id="own-answer")
        yield Button(t("short_show", self.lang), id="show-reference", compact=True)
        reference = Markdown(self._reference_markdown(), id="reference")
        reference.display = False
        yield reference
        yield Static(Content(t("short_rate", self.lang)), classes="answer-help", id="rate-label")
        selected = [RATINGS.index(self.initial)] if self.initial in RATINGS else []
        yield ChoiceList(self._labels(), selected=selected, id="ratings")

    def _labels(self) -> list[Content]:
        return [Content(t(f"rate_{r}", self.lang)) for r in RATINGS]

    def _reference_markdown(self) -> str:
        q = self.question
        assert isinstance(q, ShortQuestion)
        points = "\n".join(f"- {p.get(self.lang)}" for p in q.key_points)
        text = (
            f"{md_label('short_reference', self.lang)}{q.reference.get(self.lang)}\n\n"
            f"{md_label('short_points', self.lang)}\n\n{points}"
        )
        return protect_inline_code(text)

    @property
    def ratings(self) -> ChoiceList:
        return self.query_one("#ratings", ChoiceList)

    @property
    def response(self) -> Any:
        chosen = self.ratings.selected
        return RATINGS[next(iter(chosen))] if chosen else None

    def show_reference(self) -> None:
        """Reveal the reference answer and the key points."""
        self.query_one("#reference", Markdown).display = True
        self.query_one("#show-reference", Button).display = False

    def graded(self) -> None:
        """A rating was submitted: the reference answer shows, even when the learner rated
        themselves (e.g. "not yet") without revealing it first."""
        self.show_reference()

    def pick(self, number: int) -> bool:
        if 1 <= number <= len(RATINGS):
            self.ratings.toggle(number - 1)
            return True
        return False

    def apply_lang(self, lang: str) -> None:
        super().apply_lang(lang)
        self.query_one("#yours-label", Static).update(Content(t("short_yours", lang)))
        self.query_one("#rate-label", Static).update(Content(t("short_rate", lang)))
        self.query_one("#show-reference", Button).label = t("short_show", lang)
        self.query_one("#reference", Markdown).update(self._reference_markdown())
        self.ratings.set_labels(self._labels())

    def focus_answer(self) -> None:
        self.query_one("#own-answer", TextArea).focus()

    @on(Button.Pressed, "#show-reference")
    def _show(self, event: Button.Pressed) -> None:
        event.stop()
        self.show_reference()
        self.ratings.focus()

    @on(ChoiceList.Changed)
    def _changed(self, event: ChoiceList.Changed) -> None:
        event.stop()
        self.changed()

    @on(ChoiceList.Submitted)
    def _submitted(self, event: ChoiceList.Submitted) -> None:
        event.stop()
        self.submitted()
