"""Provides sitting a class exam file in the app: :func:`open_class_exam`.

The exam file's items become placeholder questions of an in-memory catalog (the prompts, options
in the file's order, code and hints; every answer field holds a placeholder that is never shown
and never graded: the file has no answers). The session is the app's exam mode, stored after
every change in a store of its own (``class-exam-<exam>-<student>`` in the data directory), so a
crash or a kill loses nothing, with three differences:

- its clock is **wall-clock**: the deadline is fixed when the file is first opened (the time limit
  from then, or the file's deadline if sooner) and keeps running while the app is closed;
- submitting grades nothing and records no answer: it writes ``<student>.answers.json`` beside
  the exam file (responses as indices into the file's options, the student's own clock times,
  time used, app version) for the instructor to grade;
- leaving the exam (Esc) quits the app instead of opening the home screen (the placeholder
  catalog is not a course to practise on).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from grader.bank.model import (
    Bank,
    BankText,
    CodeOutputQuestion,
    FillQuestion,
    Hint,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    QuestionBase,
    SingleQuestion,
    TrueFalseQuestion,
)
from grader.exam.student_file import ExamFile, write_answers
from grader.study.clock import Clock, SystemClock
from grader.study.content import Catalog
from grader.study.context import Study
from grader.study.paths import course_store_path
from grader.study.report import ExamReport
from grader.study.scheduling import ReviewScheduler
from grader.study.session import Item, Mode, QuizSession, SessionError, is_blank
from grader.study.store import ProgressStore

__all__ = ["ClassExamSession", "ClassExamStudy", "open_class_exam"]

_PLACEHOLDER = BankText(zh="（考试中不显示）", en="(not shown in an exam)")
NO_LIMIT_S = 24 * 3600.0
"""A class exam file without a time limit or deadline still closes after a day."""


def _text(value: dict[str, str]) -> BankText:
    return BankText(zh=value["zh"], en=value["en"])


def placeholder_question(item: dict[str, Any]) -> QuestionBase:
    """The item as a question the app can show; its answer fields are placeholders."""
    base: dict[str, Any] = {
        "id": item["item"].lower(),
        "difficulty": 1,  # not in the file; never shown (ClassExamSession.shows_difficulty)
        "tags": ("exam",),
        "prompt": _text(item["prompt"]),
        "explanation": _PLACEHOLDER,
        "points": float(item.get("points", 1.0)),
        "hints": tuple(Hint(zh=h["zh"], en=h["en"]) for h in item.get("hints", ())),
    }
    kind = item["type"]
    options: list[Any] = list(item.get("options") or ())
    if kind == "single":
        return SingleQuestion(
            type="single", options=tuple(map(_text, options)), answer=0, shuffle=False, **base
        )
    if kind == "multiple":
        return MultipleQuestion(
            type="multiple", options=tuple(map(_text, options)), answer=(0,), shuffle=False, **base
        )
    if kind == "true_false":
        return TrueFalseQuestion(type="true_false", answer=True, **base)
    if kind == "numeric":
        return NumericQuestion(type="numeric", answer=0.0, **base)
    if kind == "order":
        return OrderQuestion(type="order", options=tuple(map(_text, options)), **base)
    if kind == "code_output":
        return CodeOutputQuestion(
            type="code_output",
            code=item["code"],
            answer=options[0] if options else "",
            options=tuple(options) if options else None,
            **base,
        )
    # fill, and short (a free text the instructor grades by hand)
    return FillQuestion(type="fill", answer=("\x00",), **base)


@dataclass
class ClassExamSession(QuizSession):
    """An exam-mode session over a class exam file (see the module docstring)."""

    exam_file: ExamFile | None = None
    handed_in: Path | None = None
    """The answers file, once written."""
    shows_difficulty = False
    """The file carries no difficulty (its placeholder questions' 1 is made up): the app shows
    none."""

    @property
    def deadline_at(self) -> datetime:
        return datetime.fromisoformat(self.filters["deadline_at"])

    @property
    def started_at(self) -> datetime:
        return datetime.fromisoformat(self.filters["started_at"])

    @property
    def remaining_s(self) -> float | None:
        return max(0.0, (self.deadline_at - self.clock.now()).total_seconds())

    def answer(self, response: Any) -> None:
        item = self.current
        super().answer(response)
        stamps = self.filters.setdefault("answered_at", {})
        if is_blank(item.response):
            stamps.pop(item.question_id, None)
        else:
            stamps[item.question_id] = self.clock.now().isoformat()
        self.save()

    def submit(self) -> ExamReport:
        """Write the answers file (grading nothing), mark the session submitted."""
        assert self.exam_file is not None
        if self.status == "active":
            now = self.clock.now()
            by_id = {it["item"].lower(): it["item"] for it in self.exam_file.items}
            responses = {by_id[i.question_id]: i.response for i in self.items}
            stamps = {by_id[k]: v for k, v in self.filters.get("answered_at", {}).items()}
            self.handed_in = write_answers(
                self.exam_file,
                responses,
                answered_at=stamps,
                started_at=self.started_at,
                submitted_at=now,
                time_used_s=(min(now, self.deadline_at) - self.started_at).total_seconds(),
                timed_out=self.timed_out,
            )
            self.status = "submitted"
            self.filters["handed_in"] = str(self.handed_in)
            self.save()
        answered = len(self.items) - len(self.unanswered)
        return ExamReport(
            len(self.items), answered, 0.0, (), (), (), self.elapsed_s, self.timed_out, 0.0
        )


@dataclass
class ClassExamStudy(Study):
    """A :class:`Study` whose only session is the class exam of ``exam_file``."""

    exam_file: ExamFile | None = None

    @property
    def session_id(self) -> str:
        assert self.exam_file is not None
        return f"class-{self.exam_file.exam_id}-{self.exam_file.student}"

    def handed_in_file(self) -> str | None:
        """The answers file this exam was already handed in as, or None."""
        row = self.store.session(self.session_id)
        if row is None or row.status == "active":
            return None
        return str(row.state.get("filters", {}).get("handed_in", "?"))

    def _attach(self, session: QuizSession) -> ClassExamSession:
        assert isinstance(session, ClassExamSession)
        session.exam_file = self.exam_file
        return session

    def active_exam(self) -> ClassExamSession | None:
        row = self.store.session(self.session_id)
        if row is None or row.status != "active":
            return None
        session = ClassExamSession.resume(row, self.catalog, self.store, self.clock, self.scheduler)
        return self._attach(session)

    def new_session(self, mode: Mode, **options: Any) -> ClassExamSession:
        if mode != "exam":
            raise SessionError("a class exam file is sat as an exam")
        row = self.store.session(self.session_id)
        if row is not None:
            raise SessionError(
                f"this exam was already handed in: {row.state['filters'].get('handed_in')}"
            )
        assert self.exam_file is not None
        now = self.clock.now()
        limit = self.exam_file.time_limit_s
        deadline = now + timedelta(seconds=limit if limit is not None else NO_LIMIT_S)
        if self.exam_file.deadline is not None:
            deadline = min(deadline, self.exam_file.deadline)
        items = [
            Item(q.id, list(range(len(opts))) if (opts := getattr(q, "options", None)) else None)
            for q in self.catalog.questions.values()
        ]
        order = [it["item"].lower() for it in self.exam_file.items]
        items.sort(key=lambda it: order.index(it.question_id))
        session = ClassExamSession(
            id=self.session_id,
            mode="exam",
            items=items,
            catalog=self.catalog,
            store=self.store,
            clock=self.clock,
            scheduler=self.scheduler,
            seed=0,
            lang=options.get("lang", "en"),
            time_limit_s=(deadline - now).total_seconds(),
            filters={
                "started_at": now.isoformat(),
                "deadline_at": deadline.isoformat(),
                "exam_file": str(self.exam_file.path),
                "run": uuid.uuid4().hex,
            },
        )
        session._last_tick = now
        self._attach(session)
        session.save()
        return session


def open_class_exam(
    exam_file: ExamFile,
    data_dir: str | os.PathLike[str] | None = None,
    *,
    clock: Clock | None = None,
) -> ClassExamStudy:
    """The app's study object for sitting ``exam_file``."""
    questions = tuple(placeholder_question(item) for item in exam_file.items)
    title = exam_file.title or {"zh": exam_file.exam_id, "en": exam_file.exam_id}
    bank = Bank(bank="exam", title=_text(title), questions=questions)  # type: ignore[arg-type]
    catalog = Catalog.of([bank])
    clock = clock or SystemClock()
    key = f"class-exam-{exam_file.exam_id}-{exam_file.student}"
    store = ProgressStore(course_store_path(key, data_dir))
    scheduler = ReviewScheduler(store, clock)
    return ClassExamStudy(catalog, store, clock, scheduler, key, exam_file=exam_file)
