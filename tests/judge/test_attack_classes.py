"""Classes of attack on the grading engine, each through the real `grader grade` with every layer
on (and, where the attack needs full Python power, with the executor owned)."""

from __future__ import annotations

import subprocess
import sys
import time

import junitparser
import pytest
from judge_support import CANARY, COURSE, SUBMISSIONS, failed, grade_cli, grade_json, grade_owned

pytestmark = pytest.mark.slow


def test_import_hang_fails_every_check_once():
    """A top-level endless loop costs one time limit (2 s here), not one per check.

    The bound is on the engine's own ``execution_time`` (the grading, not the shared warm
    worker's start-up, which a loaded machine can stretch to many seconds)."""
    result = grade_json("double", SUBMISSIONS / "import_hang.py")
    elapsed = result["execution_time"]
    assert {t["reason"] for t in result["tests"]} == {"timeout"}
    assert all(
        "importing your file" in t["output"] or "importing your file" in str(t)
        for t in result["tests"]
    )
    assert elapsed < 2 * 4, elapsed  # 4 checks: one time limit plus start-up, not four


def test_hang_costs_only_its_check():
    result = grade_json("double", SUBMISSIONS / "hang_in_scale.py")
    reasons = {t["name"]: t["reason"] for t in result["tests"]}
    assert reasons.pop("test_scale_in_place") == "timeout"
    assert set(reasons.values()) == {"passed"}


def test_scratch_quota():
    """Filling the scratch folder stops at the quota (64 MiB, or the file-count fallback) within
    seconds; every check still gets a verdict."""
    started = time.monotonic()
    result = grade_json("store", SUBMISSIONS / "fill_scratch.py")
    assert time.monotonic() - started < 60
    assert len(result["tests"]) == 2
    assert {t["reason"] for t in result["tests"]} <= {"passed", "error"}


def test_huge_sparse_submission_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.py"
    with open(path, "wb") as fh:
        fh.truncate(2 << 30)  # 2 GiB, sparse: reading it would cost 2 GiB of memory
    started = time.monotonic()
    code, out = grade_cli("double", path)
    assert time.monotonic() - started < 30
    assert code == 1
    assert "too large" in out


def test_inference_mode_left_on_does_not_leak_into_later_requests():
    """A suspended generator that holds torch.inference_mode() on: the executor resets torch's
    modes before every request, so later calls still build ordinary tensors."""
    result = grade_json("double", SUBMISSIONS / "inference_mode_leak.py")
    assert result["score"] == result["max_score"], result


def test_line_numbers_survive_form_feeds():
    """A form feed and U+2028 do not end a line for the compiler: the traceback says line 9."""
    result = grade_json("double", SUBMISSIONS / "form_feed.py")
    scale = next(t for t in result["tests"] if t["name"] == "test_scale_in_place")
    assert scale["reason"] == "error"
    assert scale["line"] == 9, scale
    assert 'raise ValueError("line nine")' in scale["output"] or "line nine" in str(scale)


def test_violation_flood_is_linear_and_clipped(tmp_path):
    """512 KiB of policy violations: the result stays small and comes back fast."""
    lines = ["import torch", ""]
    while sum(len(line) + 1 for line in lines) < 512 * 1024:
        lines.append(f"v{len(lines)} = torch.os.system")
    flood = tmp_path / "violation_flood.py"
    flood.write_text(
        "\n".join(lines) + "\n\n\ndef double(x):\n    return 2 * x\n", encoding="utf-8"
    )
    started = time.monotonic()
    code, out = grade_cli("double", flood, "--format", "json")
    assert time.monotonic() - started < 60
    assert code == 1
    assert len(out) < 2_000_000, len(out)


def test_deepcopy_memo_route_gains_nothing():
    result = grade_json("double", SUBMISSIONS / "deepcopy_memo.py")
    assert result["score"] <= 2.0
    assert "test_scale_in_place" in failed(result)


def test_container_results_fail_cleanly():
    result = grade_json("double", SUBMISSIONS / "container_results.py")
    assert result["score"] == 0.0
    assert {t["reason"] for t in result["tests"]} <= {"failed", "policy", "error"}


def test_planted_links_and_fifos_are_never_opened():
    started = time.monotonic()
    result = grade_owned("double", SUBMISSIONS / "owned_plant_links.py")
    assert time.monotonic() - started < 60
    assert result["score"] == 2.0
    assert not CANARY.search(str(result))
    assert "root:" not in str(result)


def test_junit_always_parses_and_text_has_no_escapes(tmp_path):
    """Output with terminal escapes and XML-invalid characters (owned executor) still gives a
    JUnit file that parses and a text report without escape sequences."""
    script = (
        "import sys, grader.executor.serve as s; s._UNSANDBOXED_FOR_TESTS = True\n"
        "from grader.cli import main; sys.argv = ['grader'] + sys.argv[1:]; main()\n"
    )
    base = [
        sys.executable,
        "-c",
        script,
        "grade",
        "double",
        str(SUBMISSIONS / "owned_print_fake.py"),
        "--course",
        str(COURSE),
    ]
    junit = tmp_path / "r.xml"
    subprocess.run([*base, "--format", "junit", "-o", str(junit)], timeout=120, check=False)
    xml = junitparser.JUnitXml.fromfile(str(junit))
    assert sum(1 for suite in xml for _ in suite) == 4
    text = subprocess.run(base, capture_output=True, text=True, timeout=120).stdout
    assert "\x1b" not in text and "\r" not in text


def test_shared_submodules_are_refused_not_expanded():
    """A module tree that shares submodules level after level is refused on arrival: one failed
    check with a short message, not a judge that hangs on repr()."""
    started = time.monotonic()
    result = grade_json("double", SUBMISSIONS / "shared_submodules.py")
    assert time.monotonic() - started < 30
    assert failed(result) == {"test_number"}
    assert len(str(result)) < 50_000


def test_zero_stride_tensor_cannot_blow_up_the_judge():
    started = time.monotonic()
    result = grade_json("fit-line", SUBMISSIONS / "expanded_buffer.py")
    assert time.monotonic() - started < 30
    assert result["score"] == 0.0
    assert "strides" in str(result)


@pytest.mark.parametrize(
    ("attack", "exercise"),
    [
        ("owned_deep_json.py", "double"),
        ("owned_huge_exception.py", "double"),
        ("owned_fake_layers.py", "double"),
        ("owned_fake_store.py", "store"),
    ],
)
def test_owned_answers_stay_graded_small_and_clean(attack, exercise):
    """Malformed, huge or lying answers from an owned executor: still a graded result, small,
    with clean layer names; a file it never wrote is never believed."""
    result = grade_owned(exercise, SUBMISSIONS / attack)
    text = str(result)
    assert len(text) < 300_000, len(text)
    assert "\x1b" not in text
    assert all(name.replace("-", "").isalpha() for name in result["provenance"]["sandbox_layers"])
    if attack == "owned_fake_store.py":
        assert result["score"] == 0.0
    if attack == "owned_deep_json.py":
        assert "test_scale_in_place" in failed(result)
