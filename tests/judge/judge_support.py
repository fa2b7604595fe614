"""Paths and helpers of the judge/executor tests (imported as a plain module).

``grade_owned`` grades a submission with the executor **owned**: the test-only switch
``grader.executor.serve._UNSANDBOXED_FOR_TESTS`` runs it without the RestrictedPython policy and
without any OS layer, so the submission has full Python power inside the executor. It is set in a
throwaway interpreter that then grades through the ordinary API; nothing else can set it. Every
owned grading the tests make (``OWNED_CASES``) is done in one such interpreter on first use, each
through its own executor template, judge and executor, as separate gradings always are.

``grade_json`` grades with every layer on in one warm worker shared by the tests (the engine
``grader grade`` uses); ``grade_cli`` runs the CLI itself.
"""

from __future__ import annotations

import atexit
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
COURSE = HERE / "data" / "course"
SUBMISSIONS = HERE / "submissions"

CANARY = re.compile(r"judge-(check|solution)-canary-[0-9a-f]{6}")
"""Strings that sit in the fixture course's checks and solutions: none may reach a result."""

_OWNED = """
import json, sys
import grader.executor.serve as serve
serve._UNSANDBOXED_FOR_TESTS = True
from grader.runner.api import grade_file
from grader.runner.client import InProcessWorker
worker = InProcessWorker(preload_dynamo=False)
out = {}
for exercise, path in json.loads(sys.argv[2]):
    result = grade_file(exercise, path, course=sys.argv[1], worker=worker)
    out[exercise + "|" + path] = result.to_dict("en")
worker.close()
print(json.dumps(out))
"""

OWNED_CASES = [
    ("double", "owned_memory_scan.py"),
    ("double", "owned_patch_grader.py"),
    ("double", "owned_forge_frames.py"),
    ("double", "owned_print_fake.py"),
    ("double", "owned_huge_frame.py"),
    ("double", "owned_plant_links.py"),
    ("double", "owned_deep_json.py"),
    ("double", "owned_huge_exception.py"),
    ("double", "owned_fake_layers.py"),
    ("store", "owned_fake_store.py"),
    ("square-grad", "zero_grad_output.py"),
    ("fit-line", "poison_targets.py"),
]
_OWNED_RESULTS: dict[str, dict[str, Any]] = {}


def _run_owned(cases: list[tuple[str, str]], timeout: float) -> dict[str, dict[str, Any]]:
    proc = subprocess.run(
        [sys.executable, "-c", _OWNED, str(COURSE), json.dumps(cases)],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def grade_owned(exercise: str, submission: Path, timeout: float = 300) -> dict[str, Any]:
    """The JSON result of grading ``submission`` with the executor owned."""
    key = f"{exercise}|{submission}"
    if key not in _OWNED_RESULTS:
        cases = [(ex, str(SUBMISSIONS / name)) for ex, name in OWNED_CASES]
        if (exercise, str(submission)) not in cases:
            cases = [(exercise, str(submission))]
        _OWNED_RESULTS.update(_run_owned(cases, timeout))
    return _OWNED_RESULTS[key]


def grade_cli(
    exercise: str, submission: Path, *extra: str, timeout: float = 120
) -> tuple[int, str]:
    """``grader grade`` as a user runs it (every layer on): exit status and stdout."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "grader",
            "grade",
            exercise,
            str(submission),
            "--course",
            str(COURSE),
            *extra,
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return proc.returncode, proc.stdout


_WORKER: Any = None


def grade_json(exercise: str, submission: Path) -> dict[str, Any]:
    """The JSON result of grading ``submission`` with every layer on (a shared warm worker)."""
    global _WORKER
    from grader.runner.api import grade_file
    from grader.runner.client import WarmWorker

    if _WORKER is None:
        _WORKER = WarmWorker()
        atexit.register(_WORKER.close)
    return grade_file(exercise, submission, course=COURSE, worker=_WORKER).to_dict("en")


def failed(result: dict[str, Any]) -> set[str]:
    return {t["name"] for t in result["tests"] if t["score"] < t["max_score"]}


def run_authoring(
    exercise: str, submission: Path, cwd: Path, *options: str
) -> subprocess.CompletedProcess[str]:
    """The authoring loop as an author runs it: ``pytest -p grader.runner.plugin
    --grader-submission FILE [options] exercises/<exercise>/hidden`` in ``cwd``."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "grader.runner.plugin",
            "-p",
            "no:cacheprovider",
            "--grader-submission",
            str(submission),
            *options,
            str(COURSE / "exercises" / exercise / "hidden"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd,
    )
