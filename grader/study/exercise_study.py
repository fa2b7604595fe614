"""Provides :class:`ExerciseStudy`: a course's code exercises, the learner's workspace and their
exercise progress, opened together (the code-exercise counterpart of :class:`Study`).

No torch and no Textual: grading itself goes through :mod:`grader.runner.api`, called by the app
in a worker thread; this object only loads exercises, keeps the learner's files and records the
results it is handed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from grader.course import Course
from grader.errors import UsageError
from grader.exercises import loader
from grader.exercises.loader import load_exercises, read_spec
from grader.exercises.model import Exercise, ExerciseSpec
from grader.study.clock import Clock, SystemClock
from grader.study.exercise_progress import (
    ExerciseRun,
    ExerciseState,
    ensure_tables,
    exercise_states,
    mark_started,
    record_result,
)
from grader.study.exercise_review import (
    add_review_hint,
    due_exercises,
    ensure_review_tables,
    has_card,
    rate,
    review_hints,
    review_is_open,
    start_review,
)
from grader.study.store import ProgressStore
from grader.study.workspace import Workspace, default_workspace

if TYPE_CHECKING:
    from grader.runner.result import ExerciseResult

__all__ = ["ExerciseStudy"]


@dataclass
class ExerciseStudy:
    """Everything the exercise screens need, for one course and one learner."""

    exercises: list[Exercise]
    """The course's exercises, sorted by id."""
    store: ProgressStore
    """The course's progress store (shared with the quiz)."""
    workspace: Workspace
    clock: Clock = field(default_factory=SystemClock)

    @classmethod
    def open(
        cls,
        course: Course,
        store: ProgressStore,
        *,
        workspace: str | os.PathLike[str] | None = None,
        data_dir: str | os.PathLike[str] | None = None,
        clock: Clock | None = None,
    ) -> ExerciseStudy:
        """Load the course's exercises and add the exercise tables to ``store``.

        ``workspace`` is the folder for the learner's files (default: ``workspace`` beside the
        course's progress in the data directory).

        Raises:
            grader.errors.BankError: an exercise folder is malformed.
        """
        ensure_tables(store)
        ensure_review_tables(store)
        root = Path(workspace) if workspace else default_workspace(course.key, data_dir)
        return cls(
            exercises=_load_exercises(course),
            store=store,
            workspace=Workspace(root),
            clock=clock or SystemClock(),
        )

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise ``exercise_id``; a usage error when the course has none of that id."""
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise UsageError(f"unknown exercise '{exercise_id}'")

    def states(self) -> dict[str, ExerciseState]:
        """The learner's state of every exercise, in the course's order."""
        return exercise_states(self.store, [e.id for e in self.exercises])

    def state(self, exercise_id: str) -> ExerciseState:
        """The learner's state of one exercise."""
        return exercise_states(self.store, [exercise_id])[exercise_id]

    def open_code(self, exercise: Exercise) -> str:
        """The learner's code (the starter, copied into the workspace, the first time).

        When the exercise's spaced review is due, the review starts here: the accepted code is
        kept (:meth:`Workspace.keep_accepted`) and the workspace file is the starter again.
        """
        if exercise.id in self.due() and not review_is_open(self.store, exercise.id):
            self.workspace.keep_accepted(exercise, self.workspace.open(exercise))
            start_review(self.store, exercise.id, self.clock.now())
            return self.workspace.reset(exercise)
        return self.workspace.open(exercise)

    def due(self) -> list[str]:
        """The course's exercises whose spaced review is due now, most overdue first."""
        ids = {e.id for e in self.exercises}
        return [i for i in due_exercises(self.store, self.clock.now()) if i in ids]

    def in_review(self, exercise: Exercise) -> bool:
        """True while a review of ``exercise`` is open (started, not yet rated)."""
        return review_is_open(self.store, exercise.id)

    def hint_shown(self, exercise: Exercise) -> None:
        """Count a hint shown in the open review of ``exercise`` (none open: nothing)."""
        add_review_hint(self.store, exercise.id)

    def accepted_code(self, exercise: Exercise) -> str | None:
        """The learner's kept accepted code of ``exercise``, or None."""
        return self.workspace.accepted(exercise)

    def save_code(self, exercise: Exercise, text: str) -> Path:
        """Write the learner's code to the workspace; the first change from the starter marks
        the exercise as started. Returns the file's path."""
        path = self.workspace.write(exercise, text)
        if text != self.workspace.starter_text(exercise):
            mark_started(self.store, exercise.id, self.clock.now())
        return path

    def reset_code(self, exercise: Exercise) -> str:
        """Put the starter back in the workspace (runs and status are kept); returns it."""
        return self.workspace.reset(exercise)

    def record(self, result: ExerciseResult, hints: int = 0) -> ExerciseRun:
        """Store a graded run (committed before this returns) and drive the spaced review.

        ``hints``: hints shown on the screen so far. A complete submission rates the open review
        (with the hints counted in it), or schedules the exercise at its first acceptance (rated
        with ``hints``); the accepted code is kept then. See :mod:`grader.study.exercise_review`.
        """
        now = self.clock.now()
        run = record_result(self.store, result, now, self.clock.today(), hints)
        if result.kind != "hidden" or result.incomplete:
            return run
        exercise = self.exercise(result.exercise)
        reviewing = review_is_open(self.store, exercise.id)
        if not reviewing and (not result.full_marks or has_card(self.store, exercise.id)):
            return run
        if reviewing:
            hints = review_hints(self.store, exercise.id)
        else:
            self.workspace.keep_accepted(exercise, self.workspace.read(exercise))
        rate(
            self.store,
            exercise.id,
            full_marks=result.full_marks,
            score=result.score,
            max_score=result.max_score,
            hints=hints,
            now=now,
            day=self.clock.today(),
        )
        return run

    def accepted_count(self) -> tuple[int, int]:
        """(accepted exercises, all exercises) of the course."""
        states = self.states()
        return sum(s.status == "accepted" for s in states.values()), len(states)


def _load_exercises(course: Course) -> list[Exercise]:
    """The course's exercises, each spec from the memo beside the catalog cache when its
    ``exercise.yaml`` is unchanged (no YAML, no validation: the home screen shows their count),
    else read and checked (``grader.exercises.loader.read_spec``)."""
    from grader import denylist
    from grader.exercises import model
    from grader.study.catalog_cache import Memo

    sources = (Path(model.__file__), Path(loader.__file__), Path(denylist.__file__))
    memo = Memo(course.exercises, "exercises", sources)

    def read(path: Path) -> ExerciseSpec:
        try:
            key = memo.digest("spec", str(path), path.read_bytes())
        except OSError:
            return read_spec(path)  # reports the file it cannot read
        spec: ExerciseSpec = memo.get(key, lambda: read_spec(path))
        return spec

    exercises = load_exercises(course.exercises, course.solutions, read)
    memo.save()
    return exercises
