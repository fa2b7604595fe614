"""`grader gradescope`: the bundle grades a submission in a folder laid out as Gradescope does.

The bundle is built once (the wheel with `pip wheel --no-build-isolation`, which needs
hatchling), unzipped into <tmp>/autograder/source, and run_autograder runs with its root
redirected there and this venv's Python (setup.sh, which installs Python and torch, is skipped).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "data" / "course-mini"
SUBS = ROOT / "tests" / "data" / "submissions" / "add-one"
SCHEMA = json.loads((ROOT / "grader" / "runner" / "results.schema.json").read_text())
GRADER = [sys.executable, "-m", "grader"]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, grader_wheel) -> Path:
    out = tmp_path_factory.mktemp("bundle") / "add-one.zip"
    proc = subprocess.run(
        [*GRADER, "gradescope", "add-one", str(out), "--course", str(MINI)]
        + ["--wheel", str(grader_wheel)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def _autograder(tmp_path: Path, bundle: Path, files: dict[str, Path]) -> Path:
    """/autograder as Gradescope lays it out: source/ (the unzipped bundle, modes kept),
    submission/ (the student's files) and an empty results/."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(bundle) as zf:
        for info in zf.infolist():
            target = Path(zf.extract(info, root / "source"))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                target.chmod(mode)
    (root / "submission").mkdir()
    (root / "results").mkdir()
    for name, src in files.items():
        (root / "submission" / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, root / "submission" / name)
    return root


def _env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRADER_")}
    return {**env, "GRADER_GRADESCOPE_ROOT": str(root), "GRADER_PYTHON": sys.executable}


def _run_autograder(root: Path) -> subprocess.CompletedProcess[str]:
    """Run the bundle's run_autograder as Gradescope does, in the layout at ``root``."""
    return subprocess.run(
        [str(root / "source" / "run_autograder")],
        cwd=root,
        env=_env(root),
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_bundle_contents(bundle):
    """setup.sh and run_autograder are executable at the zip root; the hidden checks are there;
    neither the exercise's solution nor the bundled course (inside the wheel) is."""
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in zf.infolist()}
        wheel = next(n for n in names if n.endswith(".whl"))
        with zipfile.ZipFile(zf.open(wheel)) as whl:
            inner = whl.namelist()
            record = whl.read(next(n for n in inner if n.endswith(".dist-info/RECORD"))).decode()
        setup = zf.read("setup.sh").decode()
    assert modes["setup.sh"] & stat.S_IXUSR and modes["run_autograder"] & stat.S_IXUSR
    assert "course/exercises/add-one/hidden/test_add_one.py" in names
    assert not [n for n in names if "solution" in n]
    course = (
        "grader/_bundled/questions/",
        "grader/_bundled/exercises/",
        "grader/_bundled/solutions/",
    )
    assert not [n for n in inner if n.startswith(course)]
    assert not [ln for ln in record.splitlines() if ln.startswith(course)]
    assert "grader/gradescope.py" in record
    assert "download.pytorch.org/whl/cpu" in setup and wheel in setup


def test_run_autograder_grades_the_submission(tmp_path, bundle):
    """run_autograder grades submission/add-one.py and writes a schema-valid results.json."""
    root = _autograder(tmp_path, bundle, {"add-one.py": SUBS / "wrong_value.py"})
    proc = _run_autograder(root)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert (doc["score"], doc["max_score"]) == (1, 4)
    assert {t["name"]: t["status"] for t in doc["tests"]} == {
        "test_value": "failed",
        "test_sizes[1]": "failed",
        "test_sizes[5]": "failed",
        "test_dtype": "passed",
    }


def test_missing_file_is_a_zero_that_says_why(tmp_path, bundle):
    """No add-one.py in the submission: results.json (schema-valid) gives 0 and names the files
    that were found, in both languages."""
    root = _autograder(tmp_path, bundle, {"addone.py": SUBS / "correct.py"})
    proc = subprocess.run(
        [sys.executable, str(root / "source" / "run_autograder.py")],
        cwd=root,
        env=_env(root),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, SCHEMA)
    assert (doc["score"], doc["max_score"]) == (0, 4)
    assert "No file named add-one.py" in doc["output"] and "addone.py" in doc["output"]
    assert "add-one.py" in doc["tests"][0]["messages"]["zh"]


def test_cuda_exercise_is_refused(tmp_path):
    """Gradescope has no GPU: a CUDA exercise's bundle would grade every student 0; exit 2."""
    proc = subprocess.run(
        [*GRADER, "gradescope", "needs-gpu", str(tmp_path / "b.zip"), "--course", str(MINI)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2 and "needs a CUDA GPU" in proc.stderr
    assert not (tmp_path / "b.zip").exists()


GRADESCOPE_FIELDS = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "The fields Gradescope reads from results.json (its autograder specification)",
    "type": "object",
    "properties": {
        "score": {"type": "number"},
        "execution_time": {"type": "number"},
        "output": {"type": "string"},
        "output_format": {"enum": ["text", "html", "simple_format", "md", "ansi"]},
        "visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "stdout_visibility": {"enum": ["hidden", "after_due_date", "after_published", "visible"]},
        "extra_data": {"type": "object"},
        "tests": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "score": {"type": "number"},
                    "max_score": {"type": "number"},
                    "status": {"enum": ["passed", "failed"]},
                    "name": {"type": "string"},
                    "number": {"type": "string"},
                    "output": {"type": "string"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "visibility": {
                        "enum": ["hidden", "after_due_date", "after_published", "visible"]
                    },
                    "extra_data": {"type": "object"},
                },
                "required": ["score", "max_score"],
            },
        },
    },
    "anyOf": [{"required": ["score"]}, {"required": ["tests"]}],
}


def test_results_json_has_gradescopes_fields_with_their_types(tmp_path, bundle):
    """The fields Gradescope reads have the types and values its specification allows."""
    root = _autograder(tmp_path, bundle, {"add-one.py": SUBS / "wrong_value.py"})
    proc = _run_autograder(root)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))
    jsonschema.validate(doc, GRADESCOPE_FIELDS)
    assert doc["graded"] is True


def test_an_incomplete_result_fails_visibly_instead_of_scoring(tmp_path, grader_wheel):
    """A check that cannot run on Gradescope (it needs a GPU): run_autograder writes no
    results.json (so Gradescope records no score), exits non-zero and prints the reason."""
    course = tmp_path / "course"
    shutil.copytree(MINI / "exercises" / "add-one", course / "exercises" / "add-one")
    (course / "exercises" / "add-one" / "hidden" / "test_gpu.py").write_text(
        "import pytest\n\nfrom grader.checks import points\n\n\n@points(1)\n"
        "def test_on_the_gpu(submission):\n"
        '    pytest.skip("needs a GPU: this check runs on CUDA only")\n',
        encoding="utf-8",
    )
    out = tmp_path / "b.zip"
    made = subprocess.run(
        [*GRADER, "gradescope", "add-one", str(out), "--course", str(course)]
        + ["--wheel", str(grader_wheel)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert made.returncode == 0, made.stderr
    root = _autograder(tmp_path, out, {"add-one.py": SUBS / "correct.py"})
    proc = _run_autograder(root)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert not (root / "results" / "results.json").exists()
    assert "NOT GRADED: needs a GPU" in proc.stdout and "未评分" in proc.stdout


def test_bundling_a_bundled_exercise_warns(tmp_path, grader_wheel):
    """The bundled exercises' hidden checks ship in the grader's wheel: the bundle says so."""
    env = {k: v for k, v in os.environ.items() if k != "GRADER_COURSE"}
    proc = subprocess.run(
        [*GRADER, "gradescope", "tensor-broadcast", str(tmp_path / "b.zip")]
        + ["--wheel", str(grader_wheel)],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=tmp_path,
        env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert "students who install the grader can read these hidden checks" in proc.stderr
