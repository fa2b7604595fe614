"""Provides QuizScreen: practice and review, one question at a time with immediate feedback.

Each answer is graded by the session (which stores it at once) and shown with the correct answer
and the explanation; the learner may change the answer and submit again, or move on. After the
last question the session summary follows.
"""

from __future__ import annotations

import sys

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.content import Content
from textual.widgets import Footer, Input, Static

from grader.study.session import QuizSession, SessionError, is_blank
from grader.tui.screens.base import DIGIT_BINDINGS, LANG_BINDINGS, LocalizedScreen
from grader.tui.widgets.answer_base import AnswerWidget
from grader.tui.widgets.question_view import QuestionView

__all__ = ["QuizScreen"]


def _in_text_box(widget: object) -> bool:
    """Whether ``widget`` is a text box (an ``Input`` or a ``TextArea``), where letters type.

    ``TextArea`` is looked up only where its module is loaded (by the answer widgets that use
    it): importing it costs ~10 ms of the launch, and no widget can be one before it is."""
    text_area = sys.modules.get("textual.widgets._text_area")
    return isinstance(widget, Input) or (
        text_area is not None and isinstance(widget, text_area.TextArea)
    )


class QuizScreen(LocalizedScreen):
    """Practice or review over a :class:`QuizSession`."""

    AUTO_FOCUS = "AnswerWidget *"
    """Where the focus goes when the screen first shows, as ``show_current`` asks: Textual's
    default (the first focusable widget) is the question's scroll view, so the first frame had
    the focus there and the next restyled the question to move it."""

    BINDINGS = [
        *LANG_BINDINGS,
        Binding("ctrl+s", "submit", "Submit", id="submit", priority=True),
        Binding("enter", "submit", show=False),
        Binding("ctrl+n", "next", "Next", id="next", priority=True),
        Binding("n", "next", show=False),
        Binding("ctrl+p", "prev", "Previous", id="prev", priority=True),
        Binding("p", "prev", show=False),
        Binding("f1", "hint", "Hint", id="hint", priority=True),
        Binding("question_mark", "hint", show=False),
        Binding("escape", "home", "Home", id="home"),
        *DIGIT_BINDINGS,
    ]

    def __init__(self, session: QuizSession) -> None:
        super().__init__(classes=f"mode-{session.mode}")
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        yield Container(id="question-area")
        yield Footer()

    # Textual calls every class's on_mount along the MRO and awaits an async one, so this runs
    # after LocalizedScreen's; mypy sees only an override of a sync method.
    async def on_mount(self) -> None:  # type: ignore[override]
        await self.show_current()

    @property
    def view(self) -> QuestionView:
        return self.query_one(QuestionView)

    def _title(self) -> str:
        session = self.session
        done = sum(1 for item in session.items if item.attempts)
        mode = self.t(f"mode_{session.mode}")
        return f"{mode} · {done}/{len(session)} · {self.t('app_title')}"

    async def show_current(self) -> None:
        """Show the session's current item (with its last response and feedback, if any)."""
        session = self.session
        item = session.current
        question = session.question()
        area = self.query_one("#question-area", Container)
        await area.remove_children()
        view = QuestionView.for_session(session, self.lang)
        await area.mount(view)
        if item.attempts and item.score is not None:
            view.feedback.show(
                question, item.response, item.score, item.attempts, self.lang, self._next_key()
            )
            view.answer.graded()
        view.answer.focus_answer()
        self.query_one("#title-bar", Static).update(Content(self._title()))

    def action_submit(self) -> None:
        """Grade the current response, store it, and show the feedback; pressed again on an
        answer already graded, move to the next question."""
        view = self.view
        response = view.answer.response
        item = self.session.current
        if item.attempts and response == item.response:
            self.run_worker(self.action_next(), exclusive=True)  # Enter again: move on
            return
        if is_blank(response):
            self.notify(self.t("blank_answer"), severity="warning")
            return
        try:
            feedback = self.session.answer(response)
        except SessionError as exc:
            self.notify(str(exc), severity="error")
            return
        assert feedback is not None
        view.feedback.show(
            view.question,
            self.session.current.response,
            feedback.score,
            feedback.attempt,
            self.lang,
            self._next_key(),
        )
        view.answer.graded()
        view.feedback.scroll_visible(animate=False)
        self.query_one("#title-bar", Static).update(Content(self._title()))

    def _next_key(self) -> str:
        """The key for "next question" from where the focus is: the letter ``n`` outside text
        boxes; inside one (where ``n`` is typed), the footer's key for Next."""
        if not _in_text_box(self.app.focused):
            return "n"
        for bindings in self._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id == "next":
                    return self.app.get_key_display(binding)
        return "n"

    async def action_next(self) -> None:
        """The next question; after the last one, the session summary."""
        if self.session.index >= len(self.session) - 1:
            self.app.open_screen("report", self.session, replace=True)
            return
        self.session.next()
        await self.show_current()

    async def action_prev(self) -> None:
        if self.session.index > 0:
            self.session.prev()
            await self.show_current()

    def action_hint(self) -> None:
        self.view.show_hint()
        self.session.note_hint()

    def action_pick(self, number: int) -> None:
        self.view.answer.pick(number)

    def action_home(self) -> None:
        self.app.go_home()

    @on(AnswerWidget.Submitted)
    def _submitted(self, event: AnswerWidget.Submitted) -> None:
        event.stop()
        self.action_submit()

    def apply_lang(self, lang: str) -> None:
        self.session.lang = lang
        self.query_one("#title-bar", Static).update(Content(self._title()))
        for view in self.query(QuestionView):
            view.apply_lang(lang)
