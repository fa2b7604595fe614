"""The status of one gradebook row: one word saying how a submission ended.

=============  ==========================================================================
status         meaning
=============  ==========================================================================
full           every check passed
partial        some points; the worst problem is a wrong result
failed         no points; the checks ran and every one found a wrong result
error          the worst problem: the submission crashed, ran out of memory, or cannot load
timeout        the worst problem: a check ran past its time limit
policy         the worst problem: the submission broke a sandbox rule
skipped        the checks could not run here (a CUDA exercise without a GPU); no score
missing        the student has no file for this exercise; score 0
grader-error   the grader itself failed (after retries); no score, never a student's 0
=============  ==========================================================================

The one rule for means (batch's summary, ``grader merge``, the CI template's gradebook): a row
with a score counts, a row without one does not. ``missing`` has a score, 0 — a student who
submitted nothing earned nothing — so it counts as 0 in the mean, the median and the
distribution, exactly as a spreadsheet's AVERAGE over the gradebook's score column counts it.
``skipped`` and ``grader-error`` rows have an empty score (nothing was graded, so no number is
honest) and are left out.
"""

from __future__ import annotations

from grader.runner.result import ExerciseResult, Reason

STATUSES = (
    "full",
    "partial",
    "failed",
    "error",
    "timeout",
    "policy",
    "skipped",
    "missing",
    "grader-error",
)
NO_SCORE = frozenset({"skipped", "grader-error"})
"""Statuses whose row has an empty score: nothing was graded, so no number is honest."""


def counts_in_means(status: str) -> bool:
    """Whether a row of this status is part of means, medians and distributions (see above)."""
    if status not in STATUSES:
        raise ValueError(f"unknown gradebook status {status!r}")
    return status not in NO_SCORE


_SEVERITY = (Reason.POLICY, Reason.TIMEOUT, Reason.ERROR, Reason.FAILED)


def status_of(result: ExerciseResult) -> str:
    """The gradebook status of a graded result (see the module docstring)."""
    if result.incomplete:
        return "skipped"
    if result.full_marks:
        return "full"
    reasons = {t.reason for t in result.tests}
    worst = next((r for r in _SEVERITY if r in reasons), Reason.ERROR)
    if worst is Reason.FAILED:
        return "partial" if result.score > 0 else "failed"
    return str(worst)
