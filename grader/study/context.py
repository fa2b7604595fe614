"""Provides :class:`Study`: a course's questions, a learner's store, the clock and the scheduler,
opened together. The CLI and the app both start from here."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from grader.course import Course
from grader.study.clock import Clock, SystemClock
from grader.study.content import Catalog, load_catalog
from grader.study.instances import load_generated, start_precompute
from grader.study.paths import course_store_path, instance_cache_dir
from grader.study.scheduling import Mastery, ReviewScheduler
from grader.study.session import Mode, QuizSession, SessionError
from grader.study.store import ProgressStore

if TYPE_CHECKING:
    from grader.study.stats import Stats

__all__ = ["Study"]


@dataclass
class Study:
    """Everything a quiz needs, for one course and one learner."""

    catalog: Catalog
    store: ProgressStore
    clock: Clock
    scheduler: ReviewScheduler
    course_key: str
    precompute: subprocess.Popen[bytes] | None = None
    """The background worker computing parametrised instances not cached yet (and the next
    attempt's), or None (``grader.study.instances``)."""

    @classmethod
    def open(
        cls,
        course: Course,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        clock: Clock | None = None,
        catalog: Catalog | None = None,
        enable_fuzzing: bool = True,
    ) -> Study:
        """Load the course's banks (unless ``catalog`` is given) and open the learner's store.

        History of questions whose content changed since it was made is marked outdated here.

        Raises:
            grader.errors.BankError: the banks do not load.
        """
        store = ProgressStore(course_store_path(course.key, data_dir))
        precompute = None
        if catalog is None:
            catalog = load_catalog(course)
            cache = instance_cache_dir(course.key, data_dir)
            generated = load_generated(course, store, cache)
            if generated.banks or generated.problems:
                catalog = Catalog.of(
                    [*catalog.banks, *generated.banks],
                    course,
                    catalog.problems + tuple(generated.problems),
                    # the banks' hashes as loaded (from the catalog cache on a warm start):
                    # computing them again costs ~20 ms for the bundled course
                    {**catalog.hashes, **generated.hashes},
                )
            precompute = start_precompute(course.questions, cache, generated.wanted)
        clock = clock or SystemClock()
        scheduler = ReviewScheduler(store, clock, enable_fuzzing=enable_fuzzing)
        scheduler.sync_content(catalog.hashes)
        study = cls(catalog, store, clock, scheduler, course.key)
        study.precompute = precompute
        return study

    def new_session(self, mode: Mode, **options: Any) -> QuizSession:
        """A new session (options as :meth:`QuizSession.create`).

        A new exam first submits any unfinished one, so at most one exam is ever active.
        """
        if mode == "exam":
            unfinished = self.active_exam()
            if unfinished is not None:
                unfinished.submit()
        return QuizSession.create(
            mode, self.catalog, self.store, self.clock, self.scheduler, **options
        )

    def active_exam(self) -> QuizSession | None:
        """The unfinished exam stored for this course, resumed, or None.

        An exam none of whose questions is in the course any more (all retired since) cannot be
        resumed: it is closed (status ``abandoned``, its saved state kept) and None returned, so
        that it does not block every new exam.
        """
        row = self.store.active_session("exam")
        if row is None:
            return None
        try:
            return QuizSession.resume(row, self.catalog, self.store, self.clock, self.scheduler)
        except SessionError:
            self.store.save_session(row.id, row.mode, "abandoned", row.state, self.clock.now())
            return None

    def mastery(self, bank_id: str | None = None) -> Mastery:
        """Mastered/due/new counts of one bank (all banks when None)."""
        banks = () if bank_id is None else (bank_id,)
        return self.scheduler.mastery(q.id for q in self.catalog.select(banks))

    def stats(self) -> Stats:
        """The learner's statistics."""
        from grader.study.stats import compute_stats  # not before the first question

        return compute_stats(self.store, self.clock, self.catalog.questions)

    def close(self) -> None:
        """Close the store."""
        self.store.close()
