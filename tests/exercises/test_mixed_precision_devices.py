"""mixed-precision-step on each device: the mistakes whose cost depends on where the checks run.

The exercise is ``device: any``: its checks run on the GPU when there is one (float16 autocast,
``GradScaler("cuda")``) and on the CPU otherwise (bfloat16, ``GradScaler("cpu")``), except
``test_cpu_bfloat16_step``, which always runs on the CPU. ``variants/mixed-precision-step/`` holds
only mistakes that fail the same checks on both devices (``test_variants.py`` grades them on the
best device present). The two files in ``data/mixed-precision-step/`` do not, so each is graded
here on an explicit device, with the same rules as a manifest entry (``grader.verify.variants``).
The CUDA cases and the reference solution on CUDA need a GPU (``@pytest.mark.gpu``: skipped
without one, as ``tests/conftest.py`` decides).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.runner.api import grade_file
from grader.verify.variants import Variant, mismatch

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
