"""Provides FeedbackPanel: the verdict, the correct answer and the explanation of an answer."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Markdown, Static

from grader.bank.model import QuestionBase, ShortQuestion
from grader.tui.cjk import protect_inline_code
from grader.tui.markup import answer_markdown, response_markdown
from grader.tui.strings import md_label, t

__all__ = ["FeedbackPanel", "verdict"]


def verdict(score: float, lang: str) -> str:
    """✔ Correct / ◐ Partly right: 50 % / ✘ Wrong."""
    if score >= 1.0:
        return t("fb_correct", lang)
    if score > 0.0:
        return t("fb_partial", lang, pct=f"{score:.0%}")
    return t("fb_wrong", lang)


def feedback_markdown(
    question: QuestionBase, response: Any, lang: str, *, show_response: bool = False
) -> str:
    """Markdown with (optionally) the response, the correct answer and the explanation."""
    parts = []
    if show_response:
        parts.append(md_label("your_answer", lang) + response_markdown(question, response, lang))
    if not isinstance(question, ShortQuestion):
        parts.append(md_label("fb_answer", lang) + answer_markdown(question, lang))
    parts.append(md_label("fb_explanation", lang) + question.explanation.get(lang))
    return protect_inline_code("\n\n".join(parts))


class FeedbackPanel(Vertical):
    """Shown after a practice or review answer is graded; hidden before."""

    def __init__(self, *, id: str | None = "feedback") -> None:
        super().__init__(id=id)
        self.display = False
        self._state: tuple[QuestionBase, Any, float, int, str, str] | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="verdict")
        yield Markdown("", id="feedback-text")
        yield Static("", id="retry-note", classes="muted")

    def show(
        self,
        question: QuestionBase,
        response: Any,
        score: float,
        attempt: int,
        lang: str,
        next_key: str = "n",
    ) -> None:
        """Show the feedback of a graded answer; ``next_key`` is the key that goes on from where
        the focus is (a letter would be typed into a text box)."""
        self._state = (question, response, score, attempt, lang, next_key)
        self.display = True
        head = verdict(score, lang)
        if attempt > 1:
            head += f"  ({t('fb_attempt', lang, n=attempt)})"
        verdict_widget = self.query_one("#verdict", Static)
        verdict_widget.update(Content(head))
        verdict_widget.set_class(score >= 1.0, "-right")
        verdict_widget.set_class(0.0 < score < 1.0, "-partial")
        verdict_widget.set_class(score <= 0.0, "-wrong")
        self.query_one("#feedback-text", Markdown).update(
            feedback_markdown(question, response, lang)
        )
        note = self.query_one("#retry-note", Static)
        note.update(Content(t("fb_retry", lang, shortcut=next_key)))
        note.display = score < 1.0

    def hide(self) -> None:
        self.display = False
        self._state = None

    def apply_lang(self, lang: str) -> None:
        if self._state is not None:
            question, response, score, attempt, _, next_key = self._state
            self.show(question, response, score, attempt, lang, next_key)
