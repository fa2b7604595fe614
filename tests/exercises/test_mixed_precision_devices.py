"""mixed-precision-step on each device: the mistakes whose cost depends on where the checks run.

The exercise is ``device: any``: its checks run on the GPU when there is one (float16 autocast,
``GradScaler("cuda")``) and on the CPU otherwise (bfloat16, ``GradScaler("cpu")``), except
``test_cpu_bfloat16_step``, which always runs on the CPU. ``variants/mixed-precision-step/`` holds
only mistakes that fail the same checks on both devices (``test_variants.py`` grades them on the
best device present). The two files in ``data/mixed-precision-step/`` do not, so each is graded
here on an explicit device, with the same rules as a manifest entry (``grader.verify.variants``).
The CUDA cases and the reference solution on CUDA need a GPU (``@pytest.mark.gpu``: skipped
without one, as ``tests/conftest.py`` decides).

Without a GPU, ``test_manifest_holds_in_float16`` stands in for CUDA's float16 on the CPU (whose
autocast runs float16 too): in a copy of the course where every ``bfloat16`` of the checks, the
solution and the manifest's variants reads ``float16``, every variant must still fail exactly the
checks its manifest lists. It caught a check whose verdict changed with the dtype: a scale of
2**127 left in place overflows every float16 batch, but not every bfloat16 one.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.course import resolve_course
from grader.exercises.loader import load_exercises
from grader.runner.api import grade_file
from grader.verify.variants import Variant, load_variants, mismatch

HERE = Path(__file__).resolve()
ROOT = HERE.parents[2]
DATA = HERE.parent / "data" / "mixed-precision-step"
EXERCISE = "mixed-precision-step"

# (device, file, checks that must lose points; () means full marks)
CASES = [
    # On the CPU, an autocast hard-coded to "cpu" is the right one: the statement says this
    # mistake is only found on a machine with a GPU.
    ("cpu", DATA / "autocast_cpu_hardcoded.py", ()),
    (
        "cpu",
        DATA / "float16_everywhere.py",
        ("test_autocast_dtype", "test_autocast_forward", "test_cpu_bfloat16_step"),
    ),
    ("cuda", ROOT / "solutions" / f"{EXERCISE}.py", ()),
    # autocast("cpu") leaves CUDA tensors in float32: only the GPU autocast check sees it.
    ("cuda", DATA / "autocast_cpu_hardcoded.py", ("test_autocast_forward",)),
    # float16 is right on CUDA; the CPU checks still see it.
    (
        "cuda",
        DATA / "float16_everywhere.py",
        ("test_autocast_dtype", "test_cpu_bfloat16_step"),
    ),
]


def test_every_data_file_has_a_case() -> None:
    """No file in data/mixed-precision-step/ is left ungraded."""
    assert sorted(DATA.glob("*.py")) == sorted(
        {path for _, path, _ in CASES if path.parent == DATA}
    )


@pytest.mark.parametrize(
    ("device", "path", "fails"),
    [
        pytest.param(
            device,
            path,
            fails,
            id=f"{device}-{path.stem}",
            marks=[pytest.mark.gpu] if device == "cuda" else [],
        )
        for device, path, fails in CASES
    ],
)
def test_graded_on_device(repo_course, grading_worker, device, path, fails) -> None:
    """Graded on ``device`` through the real sandboxed grader, the file loses points in exactly
    ``fails`` (and a buggy one still scores more than 0)."""
    result = grade_file(EXERCISE, path, course=repo_course, worker=grading_worker, device=device)
    assert result.provenance.device == device
    entry = Variant(
        exercise_id=EXERCISE,
        path=path,
        manifest=HERE,
        line=0,
        expect="fail" if fails else "full",
        fails=tuple(fails),
    )
    why = mismatch(entry, result)
    assert why is None, f"on {device}: {why}"


def _float16_course(folder: Path) -> Path:
    """A copy of the course's mixed-precision-step with every ``bfloat16`` read as ``float16``."""
    for part in ("exercises", "variants"):
        shutil.copytree(ROOT / part / EXERCISE, folder / part / EXERCISE)
    (folder / "solutions").mkdir()
    shutil.copy(ROOT / "solutions" / f"{EXERCISE}.py", folder / "solutions")
    for path in folder.rglob("*"):
        if path.suffix in (".py", ".yaml"):
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("bfloat16", "float16"), encoding="utf-8")
    return folder


def test_manifest_holds_in_float16(grading_worker, tmp_path) -> None:
    """CUDA's dtype, on the CPU: with float16 in place of bfloat16 everywhere, the solution gets
    full marks and every variant of the manifest fails exactly the checks it lists."""
    course_dir = _float16_course(tmp_path / "course")
    exercises = load_exercises(course_dir / "exercises", course_dir / "solutions")
    variants, problems, _ = load_variants(course_dir / "variants", exercises)
    assert not problems, problems
    assert len(variants) >= 11
    course = resolve_course(course_dir)
    solution = Variant(EXERCISE, course_dir / "solutions" / f"{EXERCISE}.py", HERE, 0, "full")
    wrong = []
    for entry in [solution, *variants]:
        result = grade_file(
            EXERCISE, entry.path, course=course, worker=grading_worker, device="cpu"
        )
        why = mismatch(entry, result)
        if why is not None:
            wrong.append(why)
    assert not wrong, "\n".join(wrong)
