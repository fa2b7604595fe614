"""The result model of grading one submission, and its JSON form (Gradescope ``results.json`` shape).

The model knows nothing about rendering; text and JUnit views live in ``grader.runner.reports``.
The JSON shape is written down in ``grader/runner/results.schema.json`` and tested against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from grader.errors import ExitCode
from grader.i18n import EMPTY, Lang, Text

RESULT_VERSION = 2
"""2: ``graded``, ``incomplete``; a result that is not a grade has ``score: null``, and its
skipped checks ``status: "skipped"`` and ``score: null``."""
OUTPUT_CAP = 8_000
TRUNCATION_NOTICE = Text(
    zh="[输出过长，仅显示前 {n} 个字符]",
    en="[output truncated: only the first {n} characters are shown]",
)
NOT_RUN_HERE = Text(zh="部分检查无法在本机上运行", en="some checks could not run on this machine")
"""Why a result is not a grade when its first skipped check gave no reason."""
PRINTED = Text(zh="你的程序输出：", en="Your program printed:")


class Reason(StrEnum):
    """Why a check ended as it did: one list shared by every output format."""

    PASSED = "passed"
    FAILED = "failed"
    """The check ran and the submission's behaviour was wrong."""
    ERROR = "error"
    """The submission could not be run for this check (syntax error, crash, missing file, ...)."""
    TIMEOUT = "timeout"
    """The check exceeded its time limit (wall clock or CPU time)."""
    SKIPPED = "skipped"
    """The check could not run here (e.g. a CUDA exercise without a GPU); never counted as 0."""
    POLICY = "policy"
    """The submission broke a sandbox policy rule."""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check (one pytest test, or one case of a parametrized test)."""

    name: str
    """The check's name: the test function's name, plus ``[case]`` for a parametrized case."""
    max_score: float
    score: float
    reason: Reason
    message: Text = EMPTY
    """What went wrong, for the learner (empty when passed)."""
    traceback: str = ""
    """A traceback through the learner's own code only, with their line numbers."""
    lineno: int | None = None
    """The line of the learner's file the failure points at (policy violations, syntax errors)."""
    duration: float = 0.0

    @property
    def status(self) -> Literal["passed", "failed", "skipped"]:
        """Gradescope's ``passed``/``failed``; ``skipped`` for a check that did not run (only in
        a result that is not a grade, which never goes to Gradescope)."""
        if self.reason is Reason.SKIPPED:
            return "skipped"
        return "passed" if self.reason is Reason.PASSED else "failed"

    def output(self, lang: Lang) -> str:
        parts = [self.message.get(lang)] if self.message else []
        if self.traceback:
            parts.append(self.traceback)
        return "\n\n".join(parts)

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        return {
            "name": self.name,
            "score": None if self.reason is Reason.SKIPPED else self.score,
            "max_score": self.max_score,
            "status": self.status,
            "reason": str(self.reason),
            "output": self.output(lang),
            "messages": self.message.to_dict(),
            "traceback": self.traceback,
            "line": self.lineno,
            "duration": round(self.duration, 4),
        }


@dataclass(frozen=True)
class Provenance:
    """Where and how a result was produced."""

    grader_version: str
    exercise_hash: str
    checks_hash: str
    submission_hash: str
    torch_version: str
    numpy_version: str
    python_version: str
    device: str
    sandbox_layers: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "grader_version": self.grader_version,
            "exercise_hash": self.exercise_hash,
            "checks_hash": self.checks_hash,
            "submission_hash": self.submission_hash,
            "torch_version": self.torch_version,
            "numpy_version": self.numpy_version,
            "python_version": self.python_version,
            "device": self.device,
            "sandbox_layers": list(self.sandbox_layers),
        }


@dataclass(frozen=True)
class ExerciseResult:
    """Grading one submission against one exercise's checks."""

    exercise: str
    kind: Literal["hidden", "public"]
    tests: tuple[CheckResult, ...]
    execution_time: float
    provenance: Provenance
    summary: Text = EMPTY
    """A message about the submission as a whole (e.g. 'syntax error on line 3')."""
    learner_output: str = ""
    """What the submission printed (capped)."""
    learner_output_truncated: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def score(self) -> float:
        """Sum of the checks' scores, rounded to 3 decimals (a check's points split over its
        cases are not rounded, so 2 points over 6 cases still add up to 2)."""
        return round(sum(t.score for t in self.tests), 3)

    @property
    def max_score(self) -> float:
        return round(sum(t.max_score for t in self.tests), 3)

    @property
    def incomplete(self) -> bool:
        """Some check could not run here (e.g. a CUDA exercise without a GPU): the result is
        not a grade, and every consumer reports it as "not graded", never as a 0."""
        return any(t.reason is Reason.SKIPPED for t in self.tests)

    @property
    def graded(self) -> bool:
        """Every check ran, so the score is a grade."""
        return not self.incomplete

    @property
    def incomplete_message(self) -> Text:
        """Why the result is not a grade (the first skipped check's reason); empty when graded."""
        skipped = [t for t in self.tests if t.reason is Reason.SKIPPED]
        if not skipped:
            return EMPTY
        return skipped[0].message or NOT_RUN_HERE

    @property
    def full_marks(self) -> bool:
        return bool(self.tests) and all(t.reason is Reason.PASSED for t in self.tests)

    @property
    def exit_code(self) -> ExitCode:
        if self.incomplete:
            return ExitCode.INCOMPLETE
        return ExitCode.OK if self.full_marks else ExitCode.FAILED

    def output(self, lang: Lang) -> str:
        parts = []
        if self.summary:
            parts.append(self.summary.get(lang))
        if self.learner_output:
            label = PRINTED.get(lang)
            text = self.learner_output
            if self.learner_output_truncated:
                text += "\n" + TRUNCATION_NOTICE.get(lang).format(n=OUTPUT_CAP)
            parts.append(f"{label}\n{text}")
        return "\n\n".join(parts)

    def _incomplete_dict(self) -> dict[str, Any]:
        return {
            "messages": self.incomplete_message.to_dict(),
            "skipped_checks": [t.name for t in self.tests if t.reason is Reason.SKIPPED],
        }

    def to_dict(self, lang: Lang) -> dict[str, Any]:
        """The Gradescope-shaped JSON document, plus this project's fields.

        A result that is not a grade (``graded: false``) says why in ``incomplete`` and has no
        score (``null``): it must never be recorded as a 0.
        """
        return {
            "version": RESULT_VERSION,
            "exercise": self.exercise,
            "kind": self.kind,
            "graded": self.graded,
            "incomplete": None if self.graded else self._incomplete_dict(),
            "score": self.score if self.graded else None,
            "max_score": self.max_score,
            "execution_time": round(self.execution_time, 4),
            "output": self.output(lang),
            "summary": self.summary.to_dict(),
            "learner_output": {
                "text": self.learner_output,
                "truncated": self.learner_output_truncated,
            },
            "lang": lang,
            "tests": [t.to_dict(lang) for t in self.tests],
            "provenance": self.provenance.to_dict(),
        }


def cap_output(text: str, limit: int = OUTPUT_CAP) -> tuple[str, bool]:
    """Cut ``text`` to ``limit`` characters; return it and whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[:limit], True


def check_result_from_dict(data: dict[str, Any]) -> CheckResult:
    """Rebuild a CheckResult from its wire form (inverse of the worker's encoding)."""
    return CheckResult(
        name=data["name"],
        max_score=float(data["max_score"]),
        score=float(data["score"]),
        reason=Reason(data["reason"]),
        message=Text.from_dict(data.get("messages", {})),
        traceback=data.get("traceback", ""),
        lineno=data.get("line"),
        duration=float(data.get("duration", 0.0)),
    )
