"""The Python API for grading one submission; the CLI, the app and batch grading all use it.

    from grader.runner.api import grade_file
    result = grade_file("backward-linear", "my_solution.py")          # hidden checks
    result.score, result.max_score, result.exit_code, result.to_dict("en")

It blocks; an app runs it in a worker thread with a :class:`threading.Event` to cancel and an
``on_progress(done, total, check_name)`` callback, and passes a :class:`WarmWorker` so torch is
imported once for many submissions.
"""

from __future__ import annotations

import logging
import threading
import uuid
from pathlib import Path
from typing import Any, Literal

from grader.course import Course, resolve_course
from grader.errors import BankError, InternalError, SandboxError, UsageError
from grader.exercises.loader import find_exercise
from grader.exercises.model import Exercise
from grader.i18n import EMPTY, Text
from grader.runner.client import InProcessWorker, Progress, Worker
from grader.runner.request import GradeRequest
from grader.runner.result import (
    CheckResult,
    ExerciseResult,
    Provenance,
    cap_output,
    check_result_from_dict,
)
from grader.sandbox.os.layers import required_layers

log = logging.getLogger(__name__)

DeviceChoice = Literal["auto", "cpu", "cuda"]


def resolve_device(
    exercise: Exercise, requested: DeviceChoice, cuda_available: bool
) -> tuple[Literal["cpu", "cuda"], Text | None]:
    """The device the checks run on, or a skip reason (a CUDA exercise without a GPU)."""
    if requested == "cuda" and not cuda_available:
        raise UsageError("--device cuda was requested but no CUDA device is available")
    wanted = exercise.spec.device
    if wanted == "cpu":
        return "cpu", None
    if wanted == "any":
        if requested == "cpu":
            return "cpu", None
        return ("cuda" if cuda_available else "cpu"), None
    # wanted == "cuda"
    if cuda_available and requested != "cpu":
        return "cuda", None
    why = (
        Text(zh="本机没有可用的 CUDA 设备", en="no CUDA device is available")
        if not cuda_available
        else Text(zh="指定了 --device cpu", en="--device cpu was requested")
    )
    return "cuda", Text(
        zh=f"已跳过：练习 '{exercise.id}' 需要 CUDA GPU，但{why.zh}",
        en=f"skipped: exercise '{exercise.id}' needs a CUDA GPU and {why.en}",
    )


def build_request(
    exercise: Exercise,
    submission: Path,
    *,
    kind: Literal["hidden", "public"],
    device: Literal["cpu", "cuda"],
    skip: Text | None,
    timeout: float | None,
    required_layers: tuple[str, ...] = (),
    sandbox_layers: tuple[str, ...] = (),
) -> GradeRequest:
    checks = exercise.checks(kind)
    if not checks:
        if kind == "hidden":
            raise UsageError(
                f"exercise '{exercise.id}' has no hidden checks in {exercise.folder} (a student "
                "handout ships only the public ones): run them with `grader check`, or grade "
                "with the instructor's course (--course DIR)"
            )
        raise UsageError(f"exercise '{exercise.id}' has no public checks (test_public*.py)")
    limit = exercise.spec.time_limit if timeout is None else min(timeout, exercise.spec.time_limit)
    return GradeRequest(
        job_id=uuid.uuid4().hex,
        exercise_id=exercise.id,
        exercise_dir=str(exercise.folder.resolve()),
        check_files=tuple(str(p.resolve()) for p in checks),
        kind=kind,
        submission_path=str(submission.resolve()),
        filename=submission.name,
        device=device,
        time_limit=limit,
        memory_mb=exercise.spec.memory_limit_mb,
        allow=exercise.spec.allow,
        deny=exercise.spec.deny,
        exercise_hash=exercise.content_hash(),
        checks_hash=exercise.checks_hash(kind),
        skip_reason=skip or EMPTY,
        required_layers=required_layers,
        sandbox_layers=sandbox_layers,
    )


def result_from_wire(data: dict[str, Any]) -> ExerciseResult:
    """Rebuild the result model from the worker's ``result`` message."""
    tests: tuple[CheckResult, ...] = tuple(check_result_from_dict(t) for t in data["tests"])
    prov = data["provenance"]
    output, truncated = cap_output(data.get("learner_output", ""))
    return ExerciseResult(
        exercise=data["exercise"],
        kind=data["kind"],
        tests=tests,
        execution_time=float(data["execution_time"]),
        provenance=Provenance(
            grader_version=prov["grader_version"],
            exercise_hash=prov["exercise_hash"],
            checks_hash=prov["checks_hash"],
            submission_hash=prov["submission_hash"],
            torch_version=prov["torch_version"],
            numpy_version=prov["numpy_version"],
            python_version=prov["python_version"],
            device=prov["device"],
            sandbox_layers=tuple(prov["sandbox_layers"]),
        ),
        summary=Text.from_dict(data.get("summary", {})),
        learner_output=output,
        learner_output_truncated=truncated,
    )


def requirement_level(require_sandbox: bool | str | None) -> str | None:
    """``--require-sandbox``'s level: None (not required), ``essential`` or ``all``."""
    if require_sandbox is False or require_sandbox is None:
        return None
    level = "essential" if require_sandbox is True else str(require_sandbox)
    if level not in ("essential", "all"):
        raise UsageError(
            f"--require-sandbox={level}: use --require-sandbox or --require-sandbox=all"
        )
    return level


def missing_layers(info: dict[str, Any], level: str = "all") -> dict[str, str]:
    """Sandbox layers that ``level`` (``essential`` or ``all``) requires and this machine lacks,
    each with the reason."""
    layers: dict[str, str | None] = info.get("layers") or {}
    if not layers:
        return {"sandbox": "the sandbox layers could not be probed"}
    missing: dict[str, str] = {}
    for name in required_layers(level):
        if name not in layers:
            missing[name] = "not probed"
        elif layers[name] is not None:
            missing[name] = str(layers[name])
    return missing


def active_layers(info: dict[str, Any]) -> tuple[str, ...]:
    """The layers an executor applies on this machine (every one that works here)."""
    layers: dict[str, str | None] = info.get("layers") or {}
    return tuple(name for name, why in layers.items() if why is None)


def check_sandbox(info: dict[str, Any], require_sandbox: bool | str | None) -> None:
    """Raise SandboxError when ``require_sandbox`` names layers this machine lacks."""
    level = requirement_level(require_sandbox)
    if level is None:
        return
    missing = missing_layers(info, level)
    if missing:
        detail = "; ".join(f"{k}: {v}" for k, v in sorted(missing.items()))
        flag = "--require-sandbox" if level == "essential" else "--require-sandbox=all"
        raise SandboxError(f"{flag}: sandbox layers unavailable: {detail} (see `grader doctor`)")


def grade_exercise(
    exercise: Exercise,
    submission: str | Path,
    *,
    kind: Literal["hidden", "public"] = "hidden",
    device: DeviceChoice = "auto",
    timeout: float | None = None,
    worker: Worker | None = None,
    on_progress: Progress | None = None,
    cancel: threading.Event | None = None,
    require_sandbox: bool | str | None = False,
) -> ExerciseResult:
    """Grade ``submission`` against a loaded exercise. See :func:`grade_file`."""
    path = Path(submission)
    if not path.is_file():
        raise UsageError(f"submission file {path} does not exist")
    if timeout is not None and timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    own = worker is None
    active: Worker = worker if worker is not None else InProcessWorker(preload_dynamo=False)
    try:
        info = active.start()
        check_sandbox(info, require_sandbox)
        level = requirement_level(require_sandbox)
        dev, skip = resolve_device(exercise, device, bool(info.get("cuda")))
        req = build_request(
            exercise,
            path,
            kind=kind,
            device=dev,
            skip=skip,
            timeout=timeout,
            sandbox_layers=active_layers(info),
            required_layers=required_layers(level) if level else (),
        )
        final = active.grade(req, on_progress=on_progress, cancel=cancel)
    finally:
        if own:
            active.close()
    if final.get("event") != "result":
        log.debug("grading %s ended without a result: %r", exercise.id, final)
    if final.get("event") == "error" and final.get("content") is True:
        raise BankError(str(final.get("message", "the exercise is invalid")))
    if final.get("event") != "result":
        raise InternalError(f"grading failed: {final.get('message', 'unknown error')}")
    result = result_from_wire(final["result"])
    _log_result(result, req.sandbox_layers)
    return result


def _log_result(result: ExerciseResult, probed: tuple[str, ...]) -> None:
    """The result in one line, and a warning when an executor lacked a layer the probe found."""
    ran = result.provenance.sandbox_layers
    lacking = sorted(set(probed) - set(ran))
    if lacking:
        # A hardened executor cannot log; the layers it reported are all the parent learns.
        log.warning(
            "%s: an executor ran without the sandbox layers %s although the probe found them "
            "working (`grader doctor` runs the same hardening and names the error)",
            result.exercise,
            ", ".join(lacking),
        )
    log.debug(
        "graded %s (%s checks, %s): %g/%g, exit %d, %.2f s, layers %s",
        result.exercise,
        result.kind,
        result.provenance.device,
        result.score,
        result.max_score,
        int(result.exit_code),
        result.execution_time,
        ", ".join(ran) or "none",
    )


def grade_file(
    exercise_id: str,
    submission: str | Path,
    *,
    kind: Literal["hidden", "public"] = "hidden",
    course: Course | str | Path | None = None,
    **options: Any,
) -> ExerciseResult:
    """Grade one submission file against exercise ``exercise_id`` of the active course.

    Options: ``device`` ("auto" | "cpu" | "cuda"), ``timeout`` (caps the per-check limit),
    ``worker`` (a started WarmWorker to reuse), ``on_progress``, ``cancel``, ``require_sandbox``.
    Raises UsageError for an unknown exercise or a missing file, SandboxError/InternalError for
    grader faults; anything wrong inside the submission is a graded result.
    """
    active_course = course if isinstance(course, Course) else resolve_course(course)
    exercise = find_exercise(exercise_id, active_course.exercises, active_course.solutions)
    return grade_exercise(exercise, submission, kind=kind, **options)
