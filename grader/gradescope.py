"""Building a Gradescope autograder bundle for one exercise.

The zip holds, at its root (Gradescope unpacks it into /autograder/source):
  setup.sh           installs Python, a CPU build of torch and the grader from the bundled wheel
  run_autograder     runs run_autograder.py with that Python
  run_autograder.py  grades /autograder/submission/<exercise-id>.py and writes
                     /autograder/results/results.json (root overridable: GRADER_GRADESCOPE_ROOT)
  course/exercises/<id>/   the exercise with its hidden checks (never shown to students)
  <the grader wheel>
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from grader.errors import UsageError
from grader.exercises.model import Exercise

SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image (Ubuntu).
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends python3 python3-venv python3-pip
python3 -m venv /autograder/venv
/autograder/venv/bin/pip install --upgrade pip
# A CPU build of torch: small, and Gradescope has no GPU.
/autograder/venv/bin/pip install torch --index-url https://download.pytorch.org/whl/cpu
/autograder/venv/bin/pip install /autograder/source/{wheel}
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission.
set -u
PY=/autograder/venv/bin/python
[ -x "$PY" ] || PY=python3
exec "$PY" "$(dirname "$0")/run_autograder.py"
"""

RUN_PY = '''"""Grade one Gradescope submission and write results.json (see grader.gradescope)."""

import json
import os
import sys
from pathlib import Path

EXERCISE = {exercise!r}
ROOT = Path(os.environ.get("GRADER_GRADESCOPE_ROOT", "/autograder"))
SOURCE = Path(__file__).resolve().parent


def write(doc):
    out = ROOT / "results" / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


def main():
    submission = ROOT / "submission" / f"{{EXERCISE}}.py"
    if not submission.is_file():
        found = sorted(p.name for p in (ROOT / "submission").glob("*"))
        write({{"score": 0, "max_score": {points}, "output":
               f"No file named {{EXERCISE}}.py was submitted (found: {{', '.join(found) or 'nothing'}}).\\n"
               f"没有提交名为 {{EXERCISE}}.py 的文件。", "tests": []}})
        return 0
    from grader.runner.api import grade_file

    try:
        result = grade_file(EXERCISE, submission, course=SOURCE / "course", require_sandbox=False)
    except Exception as exc:  # a grader fault: say so, never a silent 0
        write({{"score": 0, "max_score": {points}, "output": f"grader error: {{exc}}", "tests": []}})
        return 4
    write(result.to_dict(os.environ.get("GRADER_LANG", "en") if os.environ.get("GRADER_LANG") in ("en", "zh") else "en"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''


def project_root() -> Path:
    """The source checkout the grader runs from (needed to build its wheel)."""
    root = Path(__file__).resolve().parents[1]
    if not (root / "pyproject.toml").is_file():
        raise UsageError(
            "building a Gradescope bundle needs the grader's source checkout "
            "(pyproject.toml was not found next to the package)"
        )
    return root


def build_wheel(dest: Path) -> Path:
    """Build the grader's wheel into ``dest`` (no network, no build isolation)."""
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
    wheels = sorted(dest.glob("*.whl"))
    if proc.returncode != 0 or not wheels:
        raise UsageError(f"could not build the grader wheel: {proc.stderr.strip()[-500:]}")
    return wheels[0]


def _add(zf: zipfile.ZipFile, name: str, data: str | bytes, mode: int = 0o644) -> None:
    info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    zf.writestr(info, data)


def build_bundle(exercise: Exercise, out: Path, wheel: Path | None = None) -> Path:
    """Write the autograder zip for ``exercise`` to ``out``."""
    with tempfile.TemporaryDirectory() as tmp:
        whl = wheel if wheel is not None else build_wheel(Path(tmp))
        with zipfile.ZipFile(out, "w") as zf:
            _add(zf, "setup.sh", SETUP_SH.format(wheel=whl.name), 0o755)
            _add(zf, "run_autograder", RUN_AUTOGRADER, 0o755)
            _add(
                zf,
                "run_autograder.py",
                RUN_PY.format(exercise=exercise.id, points=exercise.spec.points),
            )
            _add(zf, whl.name, whl.read_bytes())
            for path in sorted(exercise.folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    rel = path.relative_to(exercise.folder)
                    _add(zf, f"course/exercises/{exercise.id}/{rel.as_posix()}", path.read_bytes())
    return out
