"""What a batch backend is: something that runs one grading attempt at a time per slot.

The driver (:func:`grader.batch.run.run_batch`) plans the batch, owns the journal, writes every
output and decides what a finished attempt means (a grade, a retry, a ``grader-error`` row);
it does so in one loop for every backend, so the backends cannot drift apart. A backend only runs
attempts somewhere (a thread of this process, an actor on a Ray cluster) and hands each back as
an :class:`Outcome`. Every attempt, wherever it runs, goes through :func:`attempt`: the same
warm-worker call, the same errors mapped the same way.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Protocol

from grader.batch.discover import Submission
from grader.batch.journal import Stamp
from grader.exercises.model import Exercise
from grader.runner.client import Worker
from grader.runner.result import ExerciseResult


@dataclass(frozen=True)
class Job:
    """One attempt at grading one submission."""

    submission: Submission
    stamp: Stamp
    attempt: int = 1
    """1 for the first attempt; a retry after a grader fault gets the next number."""
    avoid: tuple[str, ...] = ()
    """Slots (actor ids) where earlier attempts failed: a retry goes elsewhere when it can."""

    @property
    def key(self) -> tuple[str, str]:
        return (self.submission.student, self.submission.exercise)

    @property
    def label(self) -> str:
        return f"{self.submission.student}/{self.submission.exercise}"


@dataclass(frozen=True)
class Attempt:
    """How one grading attempt ended: exactly one field is set (none when it was cancelled)."""

    result: ExerciseResult | None = None
    """A grade (whatever the score): journaled by the driver."""
    fault: str | None = None
    """The grader failed (a worker that did not start or died, an actor lost): retried."""
    refused: str | None = None
    """The submission cannot be graded (its file vanished): a grader-error row, not retried."""
    sandbox: str | None = None
    """``--require-sandbox`` found a layer missing where the attempt ran."""

    @property
    def cancelled(self) -> bool:
        return self.result is None and not (self.fault or self.refused or self.sandbox)


@dataclass(frozen=True)
class Outcome:
    """A finished attempt, as a backend hands it to the driver."""

    job: Job
    attempt: Attempt
    node: str | None = None
    """Which node ran it (the host name for the local backend, ``ip/node-id`` on Ray)."""
    slot: str | None = None
    """Which slot ran it (a Ray actor's id), so that a retry can go elsewhere."""


@dataclass
class NodeFacts:
    """What the summary says about one node that graded."""

    label: str
    hostname: str
    sandbox_layers: tuple[str, ...] = ()
    """The layers the node's probe found active (each result also records its own)."""
    slots: int = 0
    """Grading slots (threads or actors) that ran on it."""
    refused: str | None = None
    """Why the node was refused (``--require-sandbox``, other versions): it graded nothing."""
    course_fetches: int = 0
    """How many of its actors fetched the course from the object store (Ray: at most one per
    machine and course; none when an earlier batch left it unpacked there)."""


@dataclass
class Busy:
    """For the progress bar: slots grading now and slots ready, and their nodes."""

    busy: int
    slots: int
    nodes: int
    """Nodes with a busy slot."""
    all_nodes: int
    """Nodes with a ready slot."""


@dataclass
class Costs:
    """CPU time the batch's own machinery spent (not the grading processes), for the report."""

    driver_cpu_s: float = 0.0
    """This process, all of the batch: planning, journal, outputs, and for the local backend
    its threads."""
    driver_start_cpu_s: float = 0.0
    """The part of ``driver_cpu_s`` spent until the backend was ready (Ray: import, connect)."""
    slot_cpu_s: float | None = None
    """The Ray actor processes, all together, once ready (None for the local backend: its
    slots are threads of the driver)."""
    slot_start_cpu_s: float | None = None
    """The Ray actor processes until they were ready (the course, the warm worker's start)."""
    extra: dict[str, float] = field(default_factory=dict)


class Backend(Protocol):
    """Runs grading attempts; the driver decides what each outcome means."""

    name: str

    def open(self) -> None:
        """Get ready to grade (connect, start slots); raise before the driver writes anything
        (UsageError, SandboxError) when this backend cannot grade at all."""
        ...

    def free_slots(self) -> int:
        """How many more attempts :meth:`submit` may start now."""
        ...

    def submit(self, job: Job) -> None:
        """Start one attempt; its outcome comes back from :meth:`collect`."""
        ...

    def collect(self, timeout: float) -> list[Outcome]:
        """The attempts that finished, waiting up to ``timeout`` seconds for the first."""
        ...

    def busy(self) -> Busy | None:
        """What the progress bar shows beside the counts (None: nothing more than the counts)."""
        ...

    def nodes(self) -> dict[str, NodeFacts]:
        """Every node that graded in this batch, by label."""
        ...

    def stop(self) -> None:
        """Cancel the attempts in flight (Ctrl-C, SIGTERM, a missing sandbox layer)."""
        ...

    def close(self) -> Costs:
        """Release every slot; what the machinery cost."""
        ...


def attempt(
    exercise: Exercise,
    path: Path,
    worker: Worker,
    *,
    timeout: float | None,
    cancel: threading.Event | None,
    require_sandbox: bool | str | None,
) -> Attempt:
    """Grade ``path`` once on ``worker``; every grader failure becomes a fault, never a score.

    The one place that maps grading errors to outcomes, for the local threads and the Ray
    actors alike. Raises :class:`grader.runner.client.Cancelled` when ``cancel`` was set.
    """
    from grader.errors import GraderError, SandboxError, UsageError
    from grader.runner.api import grade_exercise
    from grader.runner.client import Cancelled

    try:
        result = grade_exercise(
            exercise,
            path,
            worker=worker,
            timeout=timeout,
            cancel=cancel,
            require_sandbox=require_sandbox,
        )
    except Cancelled:
        raise
    except SandboxError as exc:  # --require-sandbox where a layer is missing
        return Attempt(sandbox=exc.message)
    except UsageError as exc:  # the file vanished or changed kind: not retried
        return Attempt(refused=exc.message)
    except GraderError as exc:
        return Attempt(fault=exc.message)
    except Exception as exc:  # any other fault of ours is a grader fault too
        return Attempt(fault=f"{type(exc).__name__}: {exc}")
    return Attempt(result=result)


def grader_fingerprint() -> str:
    """sha256 over the grader's own source files: two machines with the same fingerprint run
    the same grading code, whatever their version numbers say."""
    root = Path(__file__).resolve().parents[2]
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if "_bundled" in rel.parts or "__pycache__" in rel.parts or not path.is_file():
            continue
        if path.suffix not in (".py", ".json", ".ini", ".tcss"):
            continue
        digest.update(rel.as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def package_version(name: str) -> str:
    """The installed version of a distribution, read without importing it ('' when absent)."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""
