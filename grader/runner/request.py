"""What a grading job asks for: the wire form exchanged between the client and the warm worker."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any, Literal

from grader.i18n import EMPTY, Text

STARTUP = 60.0
"""Seconds allowed for starting a grading process and collecting the checks."""
BUDGET_FLOOR = 30.0
"""The smallest per-submission budget, in seconds (see :meth:`GradeRequest.budget`)."""
BUDGET_CHECKS = 4
"""The budget is at least this many checks' time limits."""


@dataclass(frozen=True)
class GradeRequest:
    """One submission to grade against one exercise's checks (all paths absolute)."""

    job_id: str
    exercise_id: str
    exercise_dir: str
    check_files: tuple[str, ...]
    kind: Literal["hidden", "public"]
    submission_path: str
    filename: str
    """The learner's file name, used in messages and tracebacks."""
    device: Literal["cpu", "cuda"]
    time_limit: float
    """Wall-clock seconds per check."""
    memory_mb: int
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    """The exercise's ``deny:`` entries (``grader.denylist``): the judge scans for them before
    anything runs, and the executor's policy refuses them at run time."""
    exercise_hash: str = ""
    checks_hash: str = ""
    skip_reason: Text = EMPTY
    """When set, nothing runs: every check is reported skipped with this reason."""
    required_layers: tuple[str, ...] = ()
    """With --require-sandbox: the layers every executor must report active, else the judge
    refuses the grade (an error, never a score)."""
    sandbox_layers: tuple[str, ...] = ()
    """The layers that work on this machine: recorded when no executor ran (a syntax error, a
    submission whose every check timed out before the executor was ready)."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GradeRequest:
        data = dict(data)
        data["check_files"] = tuple(data["check_files"])
        data["allow"] = tuple(data.get("allow", ()))
        data["deny"] = tuple(data.get("deny", ()))
        data["required_layers"] = tuple(data.get("required_layers", ()))
        data["sandbox_layers"] = tuple(data.get("sandbox_layers", ()))
        data["skip_reason"] = Text.from_dict(data.get("skip_reason", {}))
        return cls(**data)

    def course_paths(self) -> list[str]:
        """What executors must never read: the course's exercises (checks) and solutions."""
        exercises = os.path.dirname(self.exercise_dir)
        solutions = os.path.join(os.path.dirname(exercises), "solutions")
        return [exercises, solutions, *self.check_files]

    def budget(self) -> float:
        """Wall-clock seconds all the checks of one submission may take together:
        ``max(BUDGET_FLOOR, BUDGET_CHECKS × time_limit)``. Past it the remaining checks are
        reported as ``timeout``; the checks already run keep their points."""
        return max(BUDGET_FLOOR, BUDGET_CHECKS * self.time_limit)

    def whole_limit(self, checks: int | None = None) -> float:
        """Wall-clock seconds for the whole grade: the budget plus start-up (a safety net the
        worker enforces; the judge itself stops at the budget).

        Before the checks are collected their number is unknown: collection gets ``STARTUP``.
        """
        if checks is None:
            return STARTUP
        return self.budget() + STARTUP
