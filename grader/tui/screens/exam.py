"""Provides ExamScreen: a timed exam with a navigator, flags and deferred feedback.

Every change of a response, a flag or the question shown is saved by the session at once, and
the countdown saves the elapsed time every second, so a killed exam resumes where it was. When
the time is up the exam is submitted and the report follows.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Static

from grader.study.duration import format_duration
from grader.study.session import QuizSession, is_blank
from grader.tui.screens.base import DIGIT_BINDINGS, LANG_BINDINGS, LocalizedScreen
from grader.tui.widgets.answer_base import AnswerWidget
from grader.tui.widgets.navigator import ExamNavigator, NavState
from grader.tui.widgets.question_view import QuestionView

__all__ = ["ExamScreen"]


class ExamScreen(LocalizedScreen):
    """An exam over a :class:`QuizSession` in ``exam`` mode."""

    BINDINGS = [
        *LANG_BINDINGS,
        Binding("ctrl+n", "next", "Next", id="next", priority=True),
        Binding("n,enter", "next", show=False),
        Binding("ctrl+p", "prev", "Previous", id="prev", priority=True),
        Binding("p", "prev", show=False),
        Binding("ctrl+f", "flag", "Flag", id="flag", priority=True),
        Binding("f", "flag", show=False),
        Binding("f1", "hint", "Hint", id="hint", priority=True),
        Binding("question_mark", "hint", show=False),
        Binding("ctrl+t", "finish", "Finish", id="finish", priority=True),
        Binding("escape", "home", "Home", id="home"),
        *DIGIT_BINDINGS,
    ]

    def __init__(self, session: QuizSession) -> None:
        super().__init__(classes="mode-exam")
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static("", id="title-bar")
        with Horizontal(id="exam-body"):
            yield ExamNavigator(self.t("nav_title"), len(self.session))
            with Vertical(id="exam-main"):
                yield Static("", id="exam-status")
                yield Container(id="question-area")
        yield Footer()

    # Textual calls every class's on_mount along the MRO and awaits an async one, so this runs
    # after LocalizedScreen's; mypy sees only an override of a sync method.
    async def on_mount(self) -> None:  # type: ignore[override]
        await self.show_current()
        self.timer = self.set_interval(1.0, self.tick)

    def on_unmount(self) -> None:
        """Let another tab or window open the exam now (QuizApp.lock_exam took the lock)."""
        self.app.exam_lock.release()

    @property
    def view(self) -> QuestionView:
        return self.query_one(QuestionView)

    def _status(self) -> str:
        session = self.session
        remaining = session.remaining_s
        answered = len(session) - len(session.unanswered)
        flagged = sum(item.flagged for item in session.items)
        parts = []
        if remaining is not None:
            parts.append(self.t("exam_left", time=format_duration(remaining)))
        parts.append(self.t("exam_answered", a=answered, n=len(session)))
        if flagged:
            parts.append("⚑ " + self.t("exam_flagged", n=flagged))
        status = "  ·  ".join(parts)
        deadline = getattr(session, "deadline_at", None)
        if deadline is not None:
            # A class exam's deadline is wall-clock: it keeps running while the app is closed.
            # It has a line of its own, so all of it fits 80 columns beside the navigator.
            shown = deadline.astimezone().strftime("%m-%d %H:%M")
            status += "\n" + self.t("exam_deadline", time=shown)
        return status

    def _refresh_chrome(self) -> None:
        session = self.session
        title = f"{self.t('mode_exam')} · {self.t('app_title')}"
        self.query_one("#title-bar", Static).update(Content(title))
        self.query_one("#exam-status", Static).update(Content(self._status()))
        states = [NavState(not is_blank(i.response), i.flagged) for i in session.items]
        self.query_one(ExamNavigator).update_states(states, session.index)

    async def show_current(self) -> None:
        """Show the current item with its saved response."""
        session = self.session
        item = session.current
        area = self.query_one("#question-area", Container)
        await area.remove_children()
        view = QuestionView.for_session(session, self.lang)
        await area.mount(view)
        if item.hint_shown:
            view.show_hint(max(1, item.hints_shown))
        view.answer.focus_answer()
        self._refresh_chrome()

    def tick(self) -> None:
        """Count the time (saved by the session); submit and report when it is up."""
        self.session.tick()
        if self.session.status != "active":
            self._to_report(timed_out=True)
            return
        self.query_one("#exam-status", Static).update(Content(self._status()))

    def _to_report(self, *, timed_out: bool = False) -> None:
        self.timer.stop()
        if timed_out:
            self.notify(self.t("time_up"), severity="warning", timeout=8)
        handed_in = getattr(self.session, "handed_in", None)
        if handed_in is not None:  # a class exam: no grade here, only where the file is
            self.app.open_screen("handed_in", handed_in, replace=True)
            return
        self.app.open_screen("report", self.session, replace=True)

    @on(AnswerWidget.Changed)
    def _changed(self, event: AnswerWidget.Changed) -> None:
        event.stop()
        if self.session.status == "active":
            self.session.answer(event.answer.response)
            self._refresh_chrome()

    @on(AnswerWidget.Submitted)
    async def _submitted(self, event: AnswerWidget.Submitted) -> None:
        event.stop()
        await self.action_next()

    @on(ExamNavigator.Jumped)
    async def _jump(self, event: ExamNavigator.Jumped) -> None:
        self.session.goto(event.index)
        await self.show_current()

    async def action_next(self) -> None:
        if self.session.index < len(self.session) - 1:
            self.session.next()
            await self.show_current()

    async def action_prev(self) -> None:
        if self.session.index > 0:
            self.session.prev()
            await self.show_current()

    def action_flag(self) -> None:
        self.session.toggle_flag()
        self._refresh_chrome()

    def action_hint(self) -> None:
        self.view.show_hint()
        self.session.note_hint()

    def action_pick(self, number: int) -> None:
        self.view.answer.pick(number)

    def action_finish(self) -> None:
        """Ask for confirmation, then submit the exam and show the report."""
        session = self.session
        values = {
            "unanswered": len(session.unanswered),
            "flagged": sum(item.flagged for item in session.items),
        }

        def done(confirmed: bool | None) -> None:
            if confirmed and self.session.status == "active":
                self.session.submit()
                self._to_report()

        self.app.open_screen("confirm", "confirm_finish", values, callback=done)

    def action_home(self) -> None:
        """Leave the exam (it stays saved and can be resumed from the home screen)."""
        self.timer.stop()
        self.session.tick()
        if hasattr(self.session, "handed_in"):  # a class exam: quit; it resumes on reopening
            self.app.exit()
            return
        self.app.go_home()

    def apply_lang(self, lang: str) -> None:
        self.session.lang = lang
        self.query_one(ExamNavigator).set_title(self.t("nav_title"))
        self._refresh_chrome()
        for view in self.query(QuestionView):
            view.apply_lang(lang)
