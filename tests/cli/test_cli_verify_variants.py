"""`grader verify --course DIR` on an instructor's course with variants, as a user runs it.

Each test builds a small course from tests/data/course-mini's add-one exercise (hidden checks:
test_value 1 point, test_sizes 2 points over two cases, test_dtype 1 point) with variants in
variants/add-one/, and runs the command in a subprocess from inside the course, so problems
print as `variants/add-one/manifest.yaml:LINE: add-one: ...`. Every run grades for real in the
sandbox (one warm worker per run).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from host_support import without_gpu

MINI = Path(__file__).resolve().parents[1] / "data" / "course-mini"
MANIFEST = "variants/add-one/manifest.yaml"

VARIANTS = {
    "plus_one.py": "import torch\n\n\ndef add_one(x):\n    return x + 1\n",
    "torch_add.py": (
        "import torch\n\n\ndef add_one(x: torch.Tensor) -> torch.Tensor:\n"
        "    return torch.add(x, 1)\n"
    ),
    # test_value and test_sizes lose points; test_dtype passes (1/4)
    "plus_two.py": "import torch\n\n\ndef add_one(x):\n    return x + 2\n",
    # only test_dtype loses points (3/4)
    "to_float32.py": "import torch\n\n\ndef add_one(x):\n    return (x + 1).float()\n",
    # returns its input: scores 1/4 (test_dtype)
    "identity.py": "import torch\n\n\ndef add_one(x):\n    return x\n",
    # raises on import: every check fails, 0/4
    "crashes.py": "import torch\n\nraise RuntimeError('broken on import')\n",
}

GOOD = """\
variants:
  - file: plus_one.py
    expect: full
  - file: torch_add.py
    expect: full
  - file: plus_two.py
    expect: fail
    fails: [test_value, test_sizes]
  - file: to_float32.py
    expect: fail
    fails: [test_dtype]
"""

BROKEN = """\
variants:
  - file: plus_one.py
    expect: full
  - file: plus_two.py
    expect: fail
    fails: [test_value]
  - file: identity.py
    expect: full
  - file: missing.py
    expect: full
  - file: to_float32.py
    expect: fail
    fails: [test_dtpye]
  - file: crashes.py
    expect: fail
    fails: [test_value, test_sizes, test_dtype]
"""


def _course(tmp_path: Path, manifest: str, names: list[str]) -> Path:
    course = tmp_path / "course"
    shutil.copytree(MINI / "exercises" / "add-one", course / "exercises" / "add-one")
    (course / "solutions").mkdir()
    shutil.copyfile(MINI / "solutions" / "add-one.py", course / "solutions" / "add-one.py")
    folder = course / "variants" / "add-one"
    folder.mkdir(parents=True)
    for name in names:
        (folder / name).write_text(VARIANTS[name], encoding="utf-8")
    (folder / "manifest.yaml").write_text(manifest, encoding="utf-8")
    return course


def _verify(course: Path, *args: str, hide_gpu: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    env["GRADER_CACHE_DIR"] = str(course.parent / "cache")
    env["GRADER_DATA_DIR"] = str(course.parent / "data")
    if hide_gpu:
        env = without_gpu(env)
    return subprocess.run(
        [sys.executable, "-m", "grader", "verify", "--course", str(course), "--no-snippets", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_good_manifest_passes(tmp_path: Path) -> None:
    """Correct variants get full marks, buggy ones fail exactly their checks: exit 0."""
    course = _course(
        tmp_path, GOOD, ["plus_one.py", "torch_add.py", "plus_two.py", "to_float32.py"]
    )
    done = _verify(course)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout + done.stderr
    assert done.stderr.splitlines() == [
        "verified 1 exercises: 0 problems",
        "verified 4 variants in 1 manifest: 0 problems",
    ]


def test_every_mismatch_is_reported_with_its_manifest_line(tmp_path: Path) -> None:
    """A wrong `fails` list, a correct variant that loses points, a missing file, an unknown
    check name and a buggy variant that scores 0: one line each, `file:line: id: message`,
    in manifest order, and exit 1."""
    course = _course(
        tmp_path,
        BROKEN,
        ["plus_one.py", "plus_two.py", "identity.py", "to_float32.py", "crashes.py"],
    )
    done = _verify(course)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 5, lines
    wrong_fails, loses_points, missing, unknown, zero = lines
    assert wrong_fails.startswith(
        f"{MANIFEST}:4: add-one: plus_two.py: expected exactly ['test_value'] to fail, "
        "got ['test_sizes', 'test_value']; also lost points: test_sizes[1] (failed: "
    ), wrong_fails
    assert "test_sizes[5] (failed: " in wrong_fails
    assert loses_points.startswith(
        f"{MANIFEST}:7: add-one: identity.py: expected full marks, scores 1/4; lost points in: "
        "test_value (failed: "
    ), loses_points
    assert missing == f"{MANIFEST}:9: add-one: missing.py does not exist in add-one/"
    assert unknown == (
        f"{MANIFEST}:13: add-one: no hidden check named test_dtpye in add-one/hidden/ "
        "(did you mean 'test_dtype'?)"
    )
    assert zero.startswith(
        f"{MANIFEST}:14: add-one: crashes.py: scores 0/4; a buggy variant must score more than 0"
    ), zero
    assert "broken on import" in zero
    assert done.stderr.splitlines()[-1] == "verified 4 variants in 1 manifest: 5 problems"


def test_no_variants_skips_them(tmp_path: Path) -> None:
    """--no-variants: the broken manifest is not read, the solution and starter still are."""
    course = _course(tmp_path, BROKEN, ["plus_one.py"])
    done = _verify(course, "--no-variants")
    assert (done.returncode, done.stdout) == (0, ""), done.stdout
    assert done.stderr.splitlines() == ["verified 1 exercises: 0 problems"]


def test_cuda_variants_are_skipped_without_a_gpu(tmp_path: Path) -> None:
    """A CUDA exercise's variants are read but not graded without a GPU (hidden from the grader
    here, whatever this machine has); the summary says so."""
    course = tmp_path / "course"
    shutil.copytree(MINI / "exercises" / "needs-gpu", course / "exercises" / "needs-gpu")
    folder = course / "variants" / "needs-gpu"
    folder.mkdir(parents=True)
    (folder / "cuda_method.py").write_text("def to_gpu(x):\n    return x.cuda()\n")
    (folder / "manifest.yaml").write_text(
        "variants:\n  - file: cuda_method.py\n    expect: full\n", encoding="utf-8"
    )
    done = _verify(course, "--no-exercises", hide_gpu=True)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout
    assert done.stderr.splitlines() == [
        "verified 0 variants in 1 manifest: 0 problems; skipped 1 variant of needs-gpu "
        "(device: cuda, and there is no GPU here)"
    ]
