"""Provides QuestionView: one question with its header, Markdown prompt, answer widget, hint
and (in practice and review) feedback. Screens make a new one per question."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static

from grader.bank.model import QuestionBase
from grader.i18n import Text
from grader.tui.markup import inline, prompt_markdown
from grader.tui.strings import t
from grader.tui.widgets.answer_base import AnswerWidget
from grader.tui.widgets.answers import make_answer
from grader.tui.widgets.feedback import FeedbackPanel

__all__ = ["QuestionView"]


class QuestionView(VerticalScroll):
    """A question as the learner sees it.

    Args:
        question: The question.
        order: Its option order in this session.
        lang: "zh" or "en".
        position: 0-based position in the session, and ``total`` the session's length.
        bank_title: The bank's title in both languages.
        response: A response to show at the start (exam navigation, resume).
        show_difficulty: False: no difficulty in the header (a class exam file carries none,
            and a made-up one is worse than none).
    """

    @classmethod
    def for_session(cls, session: Any, lang: str) -> QuestionView:
        """The view of a quiz session's current item, with its saved response."""
        item = session.current
        question = session.question()
        bank = session.catalog.bank(session.catalog.bank_of(question.id))
        return cls(
            question,
            item.order,
            lang,
            session.index,
            len(session),
            bank.title,
            item.response,
            show_difficulty=getattr(session, "shows_difficulty", True),
        )

    def __init__(
        self,
        question: QuestionBase,
        order: list[int] | None,
        lang: str,
        position: int,
        total: int,
        bank_title: Text,
        response: Any = None,
        *,
        show_difficulty: bool = True,
    ) -> None:
        super().__init__(id="question-view")
        self.show_difficulty = show_difficulty
        self.question = question
        self.lang = lang
        self.position = position
        self.total = total
        self.bank_title = bank_title
        self._answer = make_answer(question, order, lang, response)
        self.hint_visible = False
        self.hints_shown = 0
        """How many of the question's hints are on screen (they are shown one at a time)."""

    def compose(self) -> ComposeResult:
        yield Static(Content(self._header()), id="question-header")
        yield Markdown(prompt_markdown(self.question, self.lang), id="prompt")
        yield self._answer
        hint = Static("", id="hint")
        hint.display = False
        yield hint
        yield FeedbackPanel()

    def _header(self) -> str:
        parts = [
            t("question_of", self.lang, n=self.position + 1, total=self.total),
            self.bank_title.get(self.lang),
        ]
        if self.show_difficulty:
            stars = "★" * self.question.difficulty + "☆" * (5 - self.question.difficulty)
            parts.append(t("difficulty", self.lang, stars=stars))
        return " · ".join(parts)

    @property
    def answer(self) -> AnswerWidget:
        return self._answer

    @property
    def feedback(self) -> FeedbackPanel:
        return self.query_one(FeedbackPanel)

    def show_hint(self, count: int | None = None) -> None:
        """Show the next hint, or the first ``count`` hints (or say there is none)."""
        self.hint_visible = True
        total = len(self.question.all_hints)
        wanted = self.hints_shown + 1 if count is None else count
        self.hints_shown = max(0, min(wanted, total))
        hint = self.query_one("#hint", Static)
        hint.update(inline(self._hint_text()))
        hint.display = True
        hint.scroll_visible(animate=False)

    def _hint_text(self) -> str:
        hints = self.question.all_hints
        if not hints:
            return t("hint_none", self.lang)
        label = t("hint_label", self.lang)
        if len(hints) == 1:
            return label + hints[0].get(self.lang)
        return "\n".join(
            f"{label}({n}/{len(hints)}) {hint.get(self.lang)}"
            for n, hint in enumerate(hints[: self.hints_shown], start=1)
        )

    def apply_lang(self, lang: str) -> None:
        self.lang = lang
        self.query_one("#question-header", Static).update(Content(self._header()))
        self.query_one("#prompt", Markdown).update(prompt_markdown(self.question, lang))
        self._answer.apply_lang(lang)
        if self.hint_visible:
            self.query_one("#hint", Static).update(inline(self._hint_text()))
        self.feedback.apply_lang(lang)
