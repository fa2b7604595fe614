"""The `grader grade` / `grader check` commands as a user runs them: a subprocess, exit codes, formats."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest
from host_support import without_gpu
from junitparser import JUnitXml
from runner_support import COURSE, SUBMISSIONS, validate_result_json

GRADER = shutil.which("grader") or f"{sys.executable} -m grader"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    cmd = [*GRADER.split(), *args, "--course", str(COURSE)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def test_full_marks_exit_0_and_one_json_object():
    """--format json prints exactly one JSON object on stdout; full marks exit 0."""
    proc = run("grade", "add-one", str(SUBMISSIONS / "correct.py"), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    validate_result_json(doc)
    assert doc["score"] == doc["max_score"] == 4


def test_wrong_answer_exit_1_with_junit_that_parses():
    """A graded, not-full result exits 1; JUnit XML parses with a real JUnit parser."""
    proc = run("grade", "add-one", str(SUBMISSIONS / "wrong_value.py"), "--format", "junit")
    assert proc.returncode == 1, proc.stderr
    xml = JUnitXml.fromstring(proc.stdout)
    suites = list(xml) if hasattr(xml, "__iter__") else [xml]
    cases = [case for suite in suites for case in suite]
    assert len(cases) == 4
    failed = [c.name for c in cases if not c.is_passed and not c.is_skipped]
    assert failed == ["test_value (1 pt)", "test_sizes[1] (1 pt)", "test_sizes[5] (1 pt)"]


def _case_properties(case) -> dict[str, str]:
    return {p.get("name"): p.get("value") for p in case._elem.iter("property")}


def test_junit_cases_carry_their_points():
    """Each JUnit case has its score and max in its properties and its max in its name (the same
    from run to run); a failure's message starts with the points earned."""
    names = []
    for sub in ("wrong_value.py", "correct.py"):
        proc = run("grade", "add-one", str(SUBMISSIONS / sub), "--format", "junit")
        xml = JUnitXml.fromstring(proc.stdout)
        cases = [case for suite in xml for case in suite]
        names.append([c.name for c in cases])
        props = {c.name: _case_properties(c) for c in cases}
        if sub == "correct.py":
            assert all(p["score"] == p["max_score"] for p in props.values())
            continue
        assert props["test_sizes[1] (1 pt)"] == {
            "score": "0",
            "max_score": "1",
            "reason": "failed",
        }
        failure = next(c for c in cases if c.name == "test_value (1 pt)").result[0]
        assert failure.message.startswith("0 of 1 pt: ")
    assert names[0] == names[1]


def test_one_run_writes_json_and_junit(tmp_path):
    """--json and --junit write both reports from one grading run."""
    out_json, out_xml = tmp_path / "r.json", tmp_path / "r.xml"
    proc = run(
        "grade", "add-one", str(SUBMISSIONS / "wrong_value.py"),
        "--json", str(out_json), "--junit", str(out_xml),
    )  # fmt: skip
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    validate_result_json(doc)
    suites = list(JUnitXml.fromfile(str(out_xml)))
    assert [c.name.split(" (")[0] for c in suites[0]] == [t["name"] for t in doc["tests"]]
    assert "Score" in proc.stdout  # the text report still goes to stdout


def test_text_report_in_chinese():
    """The text report speaks the learner's language."""
    proc = run("grade", "add-one", str(SUBMISSIONS / "wrong_value.py"), "--lang", "zh")
    assert proc.returncode == 1
    assert "总分: 1/4" in proc.stdout
    assert "期望" in proc.stdout


def test_missing_file_is_usage_error():
    """A missing submission file exits 2 before grading, with a message on stderr."""
    proc = run("grade", "add-one", "no_such_file.py")
    assert proc.returncode == 2
    assert "does not exist" in proc.stderr
    assert proc.stdout == ""


def test_unknown_exercise_is_usage_error_with_suggestion():
    """An unknown exercise exits 2 and suggests the nearest id."""
    proc = run("grade", "add-onee", str(SUBMISSIONS / "correct.py"))
    assert proc.returncode == 2
    assert "Did you mean 'add-one'" in proc.stderr


def test_cuda_exercise_without_gpu_exits_3():
    """A CUDA exercise without a GPU is incomplete: exit 3 with every check skipped (the GPU, if
    this machine has one, is hidden from the grader)."""
    cmd = ("grade", "needs-gpu", str(SUBMISSIONS / "correct.py"), "--format", "json")
    proc = run(*cmd, env=without_gpu())
    doc = json.loads(proc.stdout)
    assert proc.returncode == 3, proc.stderr
    assert {t["reason"] for t in doc["tests"]} == {"skipped"}
    validate_result_json(doc)
    # Not a grade, and impossible to read as a 0.
    assert doc["graded"] is False and doc["score"] is None
    assert "CUDA" in doc["incomplete"]["messages"]["en"]
    assert doc["incomplete"]["skipped_checks"] == [t["name"] for t in doc["tests"]]
    assert {(t["status"], t["score"]) for t in doc["tests"]} == {("skipped", None)}


def test_incomplete_result_in_junit_and_text():
    """JUnit marks an incomplete result graded=false with every case <skipped>; the text report
    says NOT GRADED instead of a score."""
    cmd = ("grade", "needs-gpu", str(SUBMISSIONS / "correct.py"))
    proc = run(*cmd, "--format", "junit", env=without_gpu())
    assert proc.returncode == 3, proc.stderr
    (suite,) = list(JUnitXml.fromstring(proc.stdout))
    props = {p.name: p.value for p in suite.properties()}
    assert props["graded"] == "false" and "score" not in props
    assert all(case.is_skipped for case in suite)
    text = run(*cmd, "--lang", "en", env=without_gpu()).stdout
    flat = " ".join(text.split())
    assert "NOT GRADED (skipped: exercise 'needs-gpu' needs a CUDA GPU" in flat
    assert "Score: –/" in flat


def test_grading_a_handout_without_hidden_checks_is_a_usage_error(tmp_path):
    """A student handout has no hidden checks: `grader grade` exits 2 and says what to do."""
    handout = tmp_path / "handout"
    shutil.copytree(COURSE, handout)
    for hidden in handout.glob("exercises/*/hidden"):
        shutil.rmtree(hidden)
    cmd = [*GRADER.split(), "grade", "add-one", str(SUBMISSIONS / "correct.py")]
    proc = subprocess.run([*cmd, "--course", str(handout)], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    assert "no hidden checks" in proc.stderr and "grader check" in proc.stderr


def test_syntax_error_records_the_active_sandbox_layers(tmp_path):
    """A submission that never ran still records the layers grading ran under."""
    broken = tmp_path / "add_one.py"
    broken.write_text("def add_one(x):\n    return x +\n", encoding="utf-8")
    proc = run("grade", "add-one", str(broken), "--format", "json")
    doc = json.loads(proc.stdout)
    assert doc["tests"][0]["reason"] == "error"
    assert doc["provenance"]["sandbox_layers"] == sorted(_doctor_layers()["active"])


def test_device_cuda_without_gpu_is_usage_error():
    """--device cuda on a machine without CUDA (or with its GPU hidden) exits 2."""
    cmd = ("grade", "add-one", str(SUBMISSIONS / "correct.py"), "--device", "cuda")
    proc = run(*cmd, env=without_gpu())
    assert proc.returncode == 2, proc.stderr
    assert "no CUDA device" in proc.stderr


@pytest.mark.gpu
def test_cuda_exercise_with_a_gpu_is_graded_on_it():
    """With a GPU, a CUDA exercise is graded there: the reference solution scores full marks on
    cuda in the sandboxed executor (exit 0), nothing skipped."""
    solution = COURSE / "solutions" / "needs-gpu.py"
    proc = run("grade", "needs-gpu", str(solution), "--format", "json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads(proc.stdout)
    validate_result_json(doc)
    assert doc["provenance"]["device"] == "cuda" and doc["graded"] is True
    assert [t["reason"] for t in doc["tests"]] == ["passed"]


def test_check_runs_public_checks():
    """`grader check` runs the public checks only."""
    proc = run("check", "add-one", str(SUBMISSIONS / "wrong_value.py"), "--format", "json")
    assert proc.returncode == 0
    assert [t["name"] for t in json.loads(proc.stdout)["tests"]] == ["test_returns_tensor"]


def _doctor_layers() -> dict[str, list[str]]:
    proc = subprocess.run(
        [*GRADER.split(), "doctor", "--format", "json", "--no-smoke"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    layers = json.loads(proc.stdout)["layers"]
    return {
        "active": [x["name"] for x in layers if x["active"]],
        "essential_missing": [x["name"] for x in layers if x["essential"] and not x["active"]],
        "missing": [x["name"] for x in layers if not x["active"]],
    }


@pytest.mark.parametrize("flag", ["--require-sandbox", "--require-sandbox=all"])
def test_require_sandbox_fails_closed_when_a_layer_is_missing(flag):
    """--require-sandbox grades only when every essential layer is active (=all: every layer),
    else exits 4 naming what is missing; which one applies is what `grader doctor` reports."""
    layers = _doctor_layers()
    missing = layers["missing" if flag.endswith("all") else "essential_missing"]
    proc = run("grade", "add-one", str(SUBMISSIONS / "correct.py"), flag, "--format", "json")
    if not missing:
        assert proc.returncode == 0, proc.stderr
        return
    assert proc.returncode == 4
    assert "sandbox layers unavailable" in proc.stderr
    assert all(name in proc.stderr for name in missing)
    assert proc.stdout == ""


def test_require_sandbox_rejects_an_unknown_level():
    proc = run("grade", "add-one", str(SUBMISSIONS / "correct.py"), "--require-sandbox=most")
    assert proc.returncode == 2
    assert "--require-sandbox=all" in proc.stderr


def test_require_sandbox_level_before_a_double_dash_keeps_the_arguments(tmp_path):
    """`--require-sandbox=essential -- EXERCISE FILE`: the rewritten option leaves `--` in place,
    so a file named like an option is still the submission."""
    odd = tmp_path / "--odd.py"
    odd.write_bytes((SUBMISSIONS / "correct.py").read_bytes())
    cmd = [*GRADER.split(), "grade", "--course", str(COURSE), "--format", "json"]
    proc = subprocess.run(
        [*cmd, "--require-sandbox=essential", "--", "add-one", "--odd.py"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert "No such option" not in proc.stderr, proc.stderr
    if _doctor_layers()["essential_missing"]:
        assert proc.returncode == 4, proc.stderr
    else:
        assert proc.returncode == 0, proc.stderr
        assert json.loads(proc.stdout)["score"] == 4


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"def f(:\n    pass\n", "syntax error in broken.py at line 1, column 7"),
        (b"", "broken.py is empty"),
        (b"ab\x00cd", "broken.py is a binary file"),
        (b"raise ValueError('boom')\n", "importing your file raised ValueError: boom"),
    ],
    ids=["syntax_error", "empty", "binary", "import_raises"],
)
def test_a_file_that_cannot_run_is_reported_once(tmp_path, content, said):
    """A file that cannot run at all says why once, under the table, and every check reads
    `not run`: not the same message once per check (28 times for one syntax error)."""
    broken = tmp_path / "broken.py"
    broken.write_bytes(content)
    proc = run("grade", "add-one", str(broken), "--lang", "en")
    assert proc.returncode == 1, proc.stderr
    text = " ".join(proc.stdout.split())
    assert text.count(said) == 1, proc.stdout
    assert proc.stdout.count("not run") == 4, proc.stdout  # add-one has four checks
    assert "✗" not in proc.stdout, proc.stdout
    if said.startswith("syntax error"):
        assert "    def f(:\n          ^" in proc.stdout, proc.stdout  # the caret excerpt
    doc = json.loads(run("grade", "add-one", str(broken), "--format", "json").stdout)
    assert [t["status"] for t in doc["tests"]] == ["failed"] * 4
    assert doc["score"] == 0
