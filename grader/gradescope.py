"""Gradescope: building an autograder bundle for one exercise, and grading inside it.

The zip holds, at its root (Gradescope unpacks it into ``/autograder/source``)::

    setup.sh              run once when Gradescope builds the image: installs Python >= 3.11,
                          a CPU build of torch and the grader from the bundled wheel
    run_autograder        Gradescope copies it to /autograder/run_autograder and runs it for
                          every submission; it runs source/run_autograder.py
    run_autograder.py     calls :func:`autograde`: grades submission/<exercise-id>.py and writes
                          results/results.json
    course/exercises/<id>/   the exercise with its hidden checks (never in a student's hands)
    torch_grader-*.whl    the grader, without the bundled course (no other exercise's checks
                          or solutions travel to Gradescope)

``GRADER_GRADESCOPE_ROOT`` replaces ``/autograder`` (to test a bundle in a temporary folder) and
``GRADER_PYTHON`` the interpreter ``run_autograder`` uses.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from importlib import metadata
from pathlib import Path

from grader import __version__
from grader.errors import GraderError, UsageError
from grader.exercises.model import Exercise
from grader.i18n import Lang, Text
from grader.runner.result import CheckResult, ExerciseResult, Provenance, Reason

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip ca-certificates
new_enough() {{ "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; }}
PY=""
for candidate in python3.13 python3.12 python3.11 python3; do
  if command -v "$candidate" >/dev/null && new_enough "$candidate"; then
    PY="$(command -v "$candidate")"
    break
  fi
done
if [ -z "$PY" ]; then
  # The grader needs Python >= 3.11 (Ubuntu 22.04 ships 3.10 as python3).
  apt-get install -y --no-install-recommends python3.11 python3.11-venv
  PY="$(command -v python3.11)"
fi
"$PY" -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
# A CPU build of torch: small, and Gradescope has no GPU.
/autograder/venv/bin/pip install "{torch}" --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/pip install /autograder/source/{wheel}
/autograder/venv/bin/python -c "import grader.runner.api"
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope copies this file to /autograder/run_autograder and runs it for every submission.
ROOT="${GRADER_GRADESCOPE_ROOT:-/autograder}"
PY="${GRADER_PYTHON:-$ROOT/venv/bin/python}"
[ -x "$PY" ] || PY=python3
exec "$PY" "$ROOT/source/run_autograder.py"
"""

RUN_PY = '''"""Grade one Gradescope submission and write results/results.json (see grader.gradescope)."""

import os
import sys
from pathlib import Path

from grader.gradescope import autograde

ROOT = Path(os.environ.get("GRADER_GRADESCOPE_ROOT", "/autograder"))
LANG = os.environ.get("GRADER_LANG", {lang!r})

if __name__ == "__main__":
    sys.exit(autograde({exercise!r}, ROOT, Path(__file__).resolve().parent, lang=LANG))
'''

SKIP_PARTS = frozenset({"__pycache__", "__MACOSX", ".pytest_cache"})


def project_root() -> Path:
    """The source checkout the grader runs from (needed to build its wheel)."""
    root = Path(__file__).resolve().parents[1]
    if not (root / "pyproject.toml").is_file():
        raise UsageError(
            "building the grader's wheel needs its source checkout (pyproject.toml was not "
            "found next to the package); pass a wheel you built with --wheel"
        )
    return root


def build_wheel(dest: Path) -> Path:
    """Build the grader's wheel into ``dest`` (no network: ``--no-build-isolation``)."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dest),
            str(project_root()),
        ],
        capture_output=True,
        text=True,
    )
    wheels = sorted(dest.glob("torch_grader-*.whl"))
    if proc.returncode != 0 or not wheels:
        detail = proc.stderr.strip()[-500:]
        raise UsageError(f"could not build the grader wheel (is hatchling installed?): {detail}")
    return wheels[0]


COURSE_PREFIXES = tuple(
    f"grader/_bundled/{part}/" for part in ("questions", "exercises", "solutions")
)
"""The bundled course inside the wheel (its hidden checks and solutions); the workflow
template (``grader/_bundled/templates/``) stays."""


def strip_bundled_course(wheel: bytes) -> bytes:
    """The wheel without the bundled course (:data:`COURSE_PREFIXES`) and with a RECORD that
    matches what is left."""
    src = zipfile.ZipFile(io.BytesIO(wheel))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename.startswith(COURSE_PREFIXES):
                continue
            data = src.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                lines = data.decode("utf-8").splitlines()
                data = (
                    "\n".join(ln for ln in lines if not ln.startswith(COURSE_PREFIXES)) + "\n"
                ).encode("utf-8")
            dst.writestr(info, data)
    return buf.getvalue()


def _add(zf: zipfile.ZipFile, name: str, data: str | bytes, mode: int = 0o644) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def default_torch_spec() -> str:
    """``torch==<the version installed here>`` (without a local label such as ``+cpu``)."""
    try:
        version = metadata.version("torch").split("+", 1)[0]
    except metadata.PackageNotFoundError:
        return "torch"
    return f"torch=={version}"


def build_bundle(
    exercise: Exercise,
    out: Path,
    *,
    wheel: Path | None = None,
    torch_spec: str | None = None,
    lang: Lang = "en",
) -> Path:
    """Write the autograder zip for ``exercise`` to ``out`` (atomically) and return it."""
    if exercise.spec.device == "cuda":
        raise UsageError(
            f"exercise '{exercise.id}' needs a CUDA GPU and Gradescope autograders have none; "
            "grade it with `grader batch` on a machine with a GPU"
        )
    if not exercise.hidden_checks:
        raise UsageError(f"exercise '{exercise.id}' has no hidden checks to grade with")
    if wheel is not None and not wheel.is_file():
        raise UsageError(f"--wheel {wheel} does not exist")
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(f".{out.name}.part")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            whl = wheel if wheel is not None else build_wheel(Path(tmp))
            with zipfile.ZipFile(part, "w") as zf:
                spec = torch_spec or default_torch_spec()
                _add(zf, "setup.sh", SETUP_SH.format(wheel=whl.name, torch=spec), 0o755)
                _add(zf, "run_autograder", RUN_AUTOGRADER, 0o755)
                _add(zf, "run_autograder.py", RUN_PY.format(exercise=exercise.id, lang=lang))
                _add(zf, whl.name, strip_bundled_course(whl.read_bytes()))
                for path in sorted(exercise.folder.rglob("*")):
                    rel = path.relative_to(exercise.folder)
                    skip = any(p.startswith(".") or p in SKIP_PARTS for p in rel.parts)
                    if path.is_file() and not skip and path.suffix != ".pyc":
                        name = f"course/exercises/{exercise.id}/{rel.as_posix()}"
                        _add(zf, name, path.read_bytes())
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
    return out


# ---- inside the Gradescope container ---------------------------------------------------------


def find_submission(folder: Path, exercise_id: str) -> tuple[Path | None, list[str]]:
    """``<exercise-id>.py`` at the top of ``folder``, else the only one in its subfolders (a
    GitHub or zip submission); also the names found, for the message when there is none."""
    name = f"{exercise_id}.py"
    top = folder / name
    if top.is_file():
        return top, [name]
    found: list[str] = []
    matches: list[Path] = []
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        rel = path.relative_to(folder)
        if any(p.startswith(".") or p in SKIP_PARTS for p in rel.parts) or not path.is_file():
            continue
        found.append(rel.as_posix())
        if path.name == name:
            matches.append(path)
    return (matches[0] if len(matches) == 1 else None), found


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def missing_result(exercise: Exercise, found: list[str]) -> ExerciseResult:
    """The result for a submission without ``<exercise-id>.py``: 0 points, saying why."""
    name = f"{exercise.id}.py"
    shown = ", ".join(found[:10]) + (" …" if len(found) > 10 else "")
    message = Text(
        zh=f"没有提交名为 {name} 的文件（收到：{shown or '无'}）。请将答案命名为 {name} 后提交。",
        en=f"No file named {name} was submitted (found: {shown or 'nothing'}). "
        f"Submit your solution as {name}.",
    )
    return ExerciseResult(
        exercise=exercise.id,
        kind="hidden",
        tests=(
            CheckResult(
                name="submission",
                max_score=float(exercise.spec.points),
                score=0.0,
                reason=Reason.ERROR,
                message=message,
            ),
        ),
        execution_time=0.0,
        provenance=Provenance(
            grader_version=__version__,
            exercise_hash=exercise.content_hash(),
            checks_hash=exercise.checks_hash("hidden"),
            submission_hash=hashlib.sha256(b"").hexdigest(),
            torch_version=_version("torch"),
            numpy_version=_version("numpy"),
            python_version=sys.version.split()[0],
            device="cpu",
            sandbox_layers=(),
        ),
        summary=message,
    )


def autograde(
    exercise_id: str, root: Path, source: Path, *, lang: str = "en", attempts: int = 2
) -> int:
    """Grade ``root/submission`` for ``exercise_id`` with the course in ``source/course`` and
    write ``root/results/results.json``; return the exit status.

    A grader failure is retried; when it persists nothing is written and the status is 4, so
    Gradescope shows the autograder as failed (for the staff to rerun) instead of a 0. A result
    that is not a grade (a check could not run here) is the same: nothing is written, the reason
    is printed, and the status is 3.
    """
    from grader.course import resolve_course
    from grader.exercises.loader import find_exercise
    from grader.runner.api import grade_exercise

    chosen: Lang = "zh" if lang == "zh" else "en"
    course = resolve_course(source / "course")
    exercise = find_exercise(exercise_id, course.exercises, course.solutions)
    submission, found = find_submission(root / "submission", exercise_id)
    if submission is None:
        result = missing_result(exercise, found)
    else:
        last: GraderError | None = None
        for _ in range(attempts):
            try:
                result = grade_exercise(exercise, submission, device="cpu")
                break
            except GraderError as exc:
                last = exc
                print(f"grader error: {exc.message}", file=sys.stderr)
        else:
            print(
                f"grading failed {attempts} times; results.json not written: {last}",
                file=sys.stderr,
            )
            return 4
    if not result.graded:
        # Gradescope's per-test status is only passed/failed and a results.json always yields a
        # score, so a result that is not a grade must not produce one: the autograder fails and
        # Gradescope shows this output (the reason) instead of a 0.
        why = result.incomplete_message
        print(
            f"NOT GRADED: {why.en}\n未评分：{why.zh}\n"
            "results.json was not written, so Gradescope records no score; the staff must "
            "grade this submission where the checks can run (see `grader doctor`).",
            flush=True,
        )
        return int(result.exit_code)
    results = root / "results" / "results.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(
        json.dumps(result.to_dict(chosen), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return 0
