"""Provides quiz sessions: practice, exam and review.

- **practice**: questions drawn from the chosen banks/tags; each answer is graded at once, stored,
  and shown with its explanation; the learner may retry (only the first try rates the FSRS card,
  and a retry loses the question's ``penalty`` for each earlier try that missed full credit).
- **review**: like practice, on the FSRS queue (due questions first, then a few new ones).
- **exam**: N questions with a time limit; responses can change until the exam is submitted;
  nothing is graded before that. The session's state (questions, option orders, responses,
  flags, elapsed time) is saved after every change, so a killed exam resumes where it was, with
  the time it had left (time while the app was not running does not count).

Responses are in the bank engine's terms (original option indices, not the shuffled positions
shown; see ``grader.bank.answers``).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from grader.bank.model import QuestionBase
from grader.errors import UsageError
from grader.study import content
from grader.study.clock import Clock
from grader.study.content import Catalog
from grader.study.scheduling import ReviewScheduler
from grader.study.selection import new_seed, option_order, pick
from grader.study.store import AnswerRecord, ProgressStore, SessionRow

if TYPE_CHECKING:
    from grader.study.report import ExamReport

__all__ = [
    "DEFAULT_COUNT",
    "MODES",
    "NEW_PER_REVIEW",
    "Feedback",
    "Item",
    "Mode",
    "QuizSession",
    "SECONDS_PER_QUESTION",
    "SessionError",
    "is_blank",
]

Mode = Literal["practice", "exam", "review"]
MODES: tuple[Mode, ...] = ("practice", "exam", "review")
DEFAULT_COUNT: dict[str, int] = {"practice": 10, "exam": 10, "review": 20}
"""Questions per session when ``--count`` is not given."""
NEW_PER_REVIEW = 10
"""At most this many never-seen questions join a review session."""
SECONDS_PER_QUESTION = 90
"""An exam's default time limit is this many seconds per question."""


class SessionError(UsageError):
    """Raised for a request the session cannot honour (no questions, a blank answer, ...): the
    caller asked for something impossible, so, reaching the command line, it is exit 2."""


def is_blank(response: Any) -> bool:
    """True for no response: None, blank text, or no option chosen."""
    if response is None:
        return True
    if isinstance(response, str):
        return not response.strip()
    if isinstance(response, list | tuple | set | frozenset):
        return len(response) == 0
    return False


def _jsonable(response: Any) -> Any:
    if isinstance(response, set | frozenset):
        return sorted(response)
    if isinstance(response, tuple):
        return list(response)
    return response


@dataclass
class Item:
    """One question of a session and what the learner did with it."""

    question_id: str
    order: list[int] | None = None
    """Options in the order shown (``order[k]`` = option index shown k-th); None without options."""
    response: Any = None
    """The current response (exam) or the last one given (practice, review)."""
    flagged: bool = False
    attempts: int = 0
    """Graded tries so far (practice, review)."""
    wrong_tries: int = 0
    """Graded tries that missed full credit so far (each costs a retry the question's penalty)."""
    score: float | None = None
    """Credit of the last graded try (after the penalty); for an exam, set when it is
    submitted."""
    first_score: float | None = None
    """Credit of the first graded try (what summaries and the stats count)."""
    hint_shown: bool = False
    hints_shown: int = 0
    """How many of the question's hints were shown (one more each time the learner asks)."""


@dataclass(frozen=True)
class Feedback:
    """The outcome of a graded answer in practice or review."""

    score: float
    """Credit in [0, 1], after the question's penalty for earlier wrong tries."""
    correct: bool
    """The response itself is fully right (a retry's ``score`` may still be lower)."""
    attempt: int
    """1 for the first try."""
    rated: bool
    """True when this answer updated the FSRS schedule."""


@dataclass
class QuizSession:
    """A quiz in progress. Build one with :meth:`create` or :meth:`resume`."""

    id: str
    mode: Mode
    items: list[Item]
    catalog: Catalog
    store: ProgressStore
    clock: Clock
    scheduler: ReviewScheduler
    seed: int
    lang: str = "en"
    time_limit_s: float | None = None
    """Exam time limit; None for untimed sessions."""
    elapsed_s: float = 0.0
    """Exam time used so far (saved; time while the app was not running is not counted)."""
    index: int = 0
    status: str = "active"
    """``active`` until an exam is submitted (``submitted``)."""
    timed_out: bool = False
    filters: dict[str, Any] = field(default_factory=dict)
    """The banks, tags and count the session was made from (for display and replay)."""
    _last_tick: datetime | None = field(default=None, repr=False)
    on_answers: Callable[[list[str]], None] | None = field(default=None, repr=False, compare=False)
    """Called with the ids of the questions whose answers were just stored (after a graded
    answer, and after an exam's submission): the study computes the next attempts' instances
    of parametrised questions ahead (``Study.compute_ahead``)."""

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        mode: Mode,
        catalog: Catalog,
        store: ProgressStore,
        clock: Clock,
        scheduler: ReviewScheduler,
        *,
        banks: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        ids: tuple[str, ...] = (),
        count: int | None = None,
        seed: int | None = None,
        time_limit_s: float | None = None,
        lang: str = "en",
    ) -> QuizSession:
        """A new session over the questions of ``banks`` having ``tags``, limited to ``ids``
        (each filter lets everything through when empty).

        ``seed`` fixes question selection and option order (a random one is drawn and stored
        when None). Exams get ``SECONDS_PER_QUESTION`` per question when no limit is given.

        Raises:
            SessionError: no question matches (or, in review, none is due or new).
        """
        if mode not in MODES:
            raise SessionError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
        seed = new_seed() if seed is None else seed
        rng = random.Random(seed)
        count = DEFAULT_COUNT[mode] if count is None else count
        pool = catalog.select(banks, tags, ids)
        if mode == "review":
            ids = tuple(scheduler.queue([q.id for q in pool], count, min(NEW_PER_REVIEW, count)))
        else:
            ids = tuple(pick(pool, count, rng))
        if not ids:
            raise SessionError("no questions match" if mode != "review" else "nothing to review")
        items = [Item(qid, option_order(catalog.questions[qid], rng)) for qid in ids]
        if mode == "exam" and time_limit_s is None:
            time_limit_s = float(SECONDS_PER_QUESTION * len(items))
        session = cls(
            id=uuid.uuid4().hex,
            mode=mode,
            items=items,
            catalog=catalog,
            store=store,
            clock=clock,
            scheduler=scheduler,
            seed=seed,
            lang=lang,
            time_limit_s=time_limit_s if mode == "exam" else None,
            filters={"banks": list(banks), "tags": list(tags), "ids": list(ids), "count": count},
        )
        session._last_tick = clock.now()
        session.save()
        return session

    @classmethod
    def resume(
        cls,
        row: SessionRow,
        catalog: Catalog,
        store: ProgressStore,
        clock: Clock,
        scheduler: ReviewScheduler,
    ) -> QuizSession:
        """A stored session, as it was saved; questions no longer in the course are dropped."""
        state = row.state
        items = [
            Item(**item) for item in state["items"] if item["question_id"] in catalog.questions
        ]
        if not items:
            raise SessionError("none of the session's questions is in the course any more")
        session = cls(
            id=row.id,
            mode=row.mode,  # type: ignore[arg-type]
            items=items,
            catalog=catalog,
            store=store,
            clock=clock,
            scheduler=scheduler,
            seed=state["seed"],
            lang=state.get("lang", "en"),
            time_limit_s=state.get("time_limit_s"),
            elapsed_s=state.get("elapsed_s", 0.0),
            index=min(state.get("index", 0), len(items) - 1),
            status=row.status,
            timed_out=state.get("timed_out", False),
            filters=state.get("filters", {}),
        )
        session._last_tick = clock.now()
        return session

    def save(self) -> None:
        """Persist the session (only exams are stored; practice answers are stored as given)."""
        if self.mode != "exam":
            return
        state = {
            "items": [asdict(item) for item in self.items],
            "seed": self.seed,
            "lang": self.lang,
            "time_limit_s": self.time_limit_s,
            "elapsed_s": self.elapsed_s,
            "index": self.index,
            "timed_out": self.timed_out,
            "filters": self.filters,
        }
        self.store.save_session(self.id, self.mode, self.status, state, self.clock.now())

    # -- navigation ------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.items)

    @property
    def current(self) -> Item:
        """The item shown now."""
        return self.items[self.index]

    def question(self, item: Item | None = None) -> QuestionBase:
        """The question of ``item`` (the current one by default)."""
        return self.catalog.questions[(item or self.current).question_id]

    def goto(self, index: int) -> Item:
        """Show item ``index`` (clamped to the session)."""
        self.index = max(0, min(index, len(self.items) - 1))
        self._touch()
        return self.current

    def next(self) -> Item:
        """Move to the next item (stays on the last)."""
        return self.goto(self.index + 1)

    def prev(self) -> Item:
        """Move to the previous item (stays on the first)."""
        return self.goto(self.index - 1)

    @property
    def is_exam(self) -> bool:
        return self.mode == "exam"

    @property
    def finished(self) -> bool:
        """An exam once submitted; a practice or review session once every item was answered."""
        if self.is_exam:
            return self.status == "submitted"
        return all(item.attempts > 0 for item in self.items)

    # -- answering -------------------------------------------------------------------------

    def answer(self, response: Any) -> Feedback | None:
        """Give a response to the current item.

        Practice and review: graded now, stored, and (first try only) rated for FSRS; returns
        the feedback. Exam: the response replaces the previous one and is saved; returns None
        (a blank response clears the item).

        Raises:
            SessionError: a blank response outside an exam, or an exam already submitted.
        """
        item = self.current
        if self.is_exam:
            if self.status != "active":
                raise SessionError("the exam was already submitted")
            item.response = None if is_blank(response) else _jsonable(response)
            self._touch()
            return None
        if is_blank(response):
            raise SessionError("no answer given")
        question = self.question(item)
        response = _jsonable(response)
        raw = content.check(question, response)
        score = content.penalised(question, raw, item.wrong_tries)
        item.attempts += 1
        if raw < 1.0:
            item.wrong_tries += 1
        item.response = response
        item.score = score
        if item.attempts == 1:
            item.first_score = score
        self._record(item, question, response, score)
        if self.on_answers is not None:
            self.on_answers([question.id])
        rated = item.attempts == 1
        if rated:
            self.scheduler.review(item.question_id, score, self.catalog.hashes[question.id])
        return Feedback(score=score, correct=raw >= 1.0, attempt=item.attempts, rated=rated)

    def toggle_flag(self, index: int | None = None) -> bool:
        """Flag or unflag an item (the current one by default); returns the new flag."""
        item = self.items[self.index if index is None else index]
        item.flagged = not item.flagged
        self._touch()
        return item.flagged

    def note_hint(self) -> None:
        """Remember that the current item's next hint was shown."""
        item = self.current
        item.hint_shown = True
        item.hints_shown = min(item.hints_shown + 1, len(self.question(item).all_hints))
        self._touch()

    # -- exam time -------------------------------------------------------------------------

    @property
    def remaining_s(self) -> float | None:
        """Seconds left in a timed exam (None when untimed)."""
        if self.time_limit_s is None:
            return None
        return max(0.0, self.time_limit_s - self.elapsed_s)

    def tick(self) -> float | None:
        """Account for the time since the last tick, save, and return the seconds left.

        A timed exam whose time is up is submitted here (``timed_out`` becomes True).
        """
        if self.status != "active":
            return self.remaining_s
        self._advance_time()
        if self.is_exam:
            if self.remaining_s is not None and self.remaining_s <= 0:
                self.timed_out = True
                self.submit()
            else:
                self.save()
        return self.remaining_s

    def _advance_time(self) -> None:
        now = self.clock.now()
        if self._last_tick is not None and now > self._last_tick:
            self.elapsed_s += (now - self._last_tick).total_seconds()
        self._last_tick = now

    def _touch(self) -> None:
        """Record the elapsed time and save after a change."""
        if self.is_exam and self.status == "active":
            self._advance_time()
            self.save()

    # -- submission ------------------------------------------------------------------------

    @property
    def unanswered(self) -> list[int]:
        """Indices of items without a response."""
        return [i for i, item in enumerate(self.items) if is_blank(item.response)]

    def submit(self) -> ExamReport:
        """Grade every response of an exam, store the answers, and return the report.

        Unanswered items score 0 and are not stored as answers. Submitting twice returns the
        same report without storing anything again.
        """
        if not self.is_exam:
            raise SessionError("only an exam is submitted")
        if self.status == "active":
            self._advance_time()
            for item in self.items:
                question = self.question(item)
                if is_blank(item.response):
                    item.score = item.first_score = 0.0
                    continue
                item.score = item.first_score = content.check(question, item.response)
                item.attempts = 1
                self._record(item, question, item.response, item.score)
            self.status = "submitted"
            self.save()
            if self.on_answers is not None:
                self.on_answers([i.question_id for i in self.items if not is_blank(i.response)])
        return self.report()

    def report(self) -> ExamReport:
        """The report of the session's graded items."""
        from grader.study.report import build_report  # an exam's end, not the launch

        return build_report(self.catalog, self.items, self.elapsed_s, self.timed_out)

    def _record(self, item: Item, question: QuestionBase, response: Any, score: float) -> None:
        now = self.clock.now()
        self.store.record_answer(
            AnswerRecord(
                uid=uuid.uuid4().hex,
                question_id=question.id,
                bank=self.catalog.bank_of(question.id),
                tags=tuple(question.tags),
                qtype=question.type,
                mode=self.mode,
                session_id=self.id,
                attempt=item.attempts,
                response=response,
                score=score,
                content_hash=self.catalog.hashes[question.id],
                answered_at=now,
                day=self.clock.today().isoformat(),
                lang=self.lang,
                hints=item.hints_shown,
            )
        )
