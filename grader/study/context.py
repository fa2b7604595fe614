"""Provides :class:`Study`: a course's questions, a learner's store, the clock and the scheduler,
opened together. The CLI and the app both start from here."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.course import Course
from grader.study.clock import Clock, SystemClock
from grader.study.content import Catalog, load_catalog
from grader.study.instances import load_generated, start_precompute, wanted_after
from grader.study.paths import course_store_path, instance_cache_dir
from grader.study.scheduling import Mastery, ReviewScheduler
from grader.study.session import Mode, QuizSession, SessionError
from grader.study.store import ProgressStore

if TYPE_CHECKING:
    from grader.bank.params import Template
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
    templates: dict[str, Template] = field(default_factory=dict)
    """The course's parametrised questions by id (empty when it has none)."""
    cache_dir: Path | None = None
    """Where their computed instances are cached."""
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    """The workers started during the session (:meth:`compute_ahead`)."""
    requested: set[tuple[str, int]] = field(default_factory=set)
    """(question id, seed) pairs a worker was started for."""
    generated_banks: set[str] = field(default_factory=set)
    """The ids of the banks of parametrised questions."""
    stale: bool = False
    """An answer to a parametrised question was stored, or the launch's worker has work that
    may have finished, since the catalog's instances were read (:meth:`refresh_generated`)."""

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
        generated = None
        cache = None
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
        if generated is not None and generated.templates:
            study.templates = generated.templates
            study.cache_dir = cache
            study.requested = {(t.id, seed) for t, seed in generated.wanted}
            study.generated_banks = generated.bank_ids
            study.stale = precompute is not None
        return study

    def refresh_generated(self) -> None:
        """Put each parametrised question's instance for the attempt the learner is at NOW in
        the catalog (a review later in the same run gets the new numbers computed ahead); one
        not cached yet is left out, as at launch. Sessions already made keep their catalog."""
        course = self.catalog.course
        if not self.stale or not self.templates or self.cache_dir is None or course is None:
            return
        if self.precompute is not None and self.precompute.poll() is None and not self.workers:
            return  # only the launch's worker has run, and it is not done yet: nothing is new
        generated = load_generated(course, self.store, self.cache_dir)
        self.stale = bool(generated.wanted)  # some still computing: look again next time
        plain = [b for b in self.catalog.banks if b.bank not in self.generated_banks]
        catalog = Catalog.of(
            [*plain, *generated.banks],
            course,
            self.catalog.problems,
            {**self.catalog.hashes, **generated.hashes},  # known already: nothing is hashed again
        )
        if catalog.questions == self.catalog.questions:
            return
        self.catalog = catalog
        wanted = [(t, seed) for t, seed in generated.wanted if (t.id, seed) not in self.requested]
        self.requested.update((t.id, seed) for t, seed in wanted)
        worker = start_precompute(course.questions, self.cache_dir, wanted)
        if worker is not None:
            self.workers.append(worker)

    def compute_ahead(self, question_ids: list[str]) -> None:
        """After answers to ``question_ids`` were stored: start a background worker for the
        instances of the attempts after them that are not cached yet (the quiz never waits)."""
        if not self.templates or self.cache_dir is None or self.catalog.course is None:
            return
        self.stale = True
        wanted = wanted_after(
            self.templates, question_ids, self.store, self.cache_dir, self.requested
        )
        worker = start_precompute(self.catalog.course.questions, self.cache_dir, wanted)
        if worker is not None:
            self.workers.append(worker)

    def _with_ahead(self, session: QuizSession) -> QuizSession:
        if self.templates:
            session.on_answers = self.compute_ahead
        return session

    def new_session(self, mode: Mode, **options: Any) -> QuizSession:
        """A new session (options as :meth:`QuizSession.create`).

        A new exam first submits any unfinished one, so at most one exam is ever active. The
        parametrised questions are those of the learner's current attempts
        (:meth:`refresh_generated`).
        """
        if mode == "exam":
            unfinished = self.active_exam()
            if unfinished is not None:
                unfinished.submit()
        self.refresh_generated()
        return self._with_ahead(
            QuizSession.create(
                mode, self.catalog, self.store, self.clock, self.scheduler, **options
            )
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
            return self._with_ahead(
                QuizSession.resume(row, self.catalog, self.store, self.clock, self.scheduler)
            )
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
