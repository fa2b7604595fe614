"""Hostile submissions graded end to end through the real grader, with one warm worker.

Each attack in ``hostile_table.ATTACKS`` is graded with ``grade_file``; the test then checks what
the issue asks of the sandbox: the expected reason (never a pass where a failure is due, never a
grader crash), the time it took, no process left running, no file left in the temporary folder or
changed in the fixture course, nothing sent to a listener, no secret in the result, the same
worker still serving, and the correct submission graded next with full marks.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from hostile_support import (
    CANARIES,
    CORRECT,
    COURSE,
    HERE,
    MARKER_PREFIX,
    REPO,
    SUBMISSIONS,
    hidden_check,
    kill_and_reap,
    render,
    solution,
    stray_processes,
    tree_state,
    wait_for_no_strays,
    wait_for_scratch_cleanup,
)
from hostile_table import ALWAYS, ATTACKS, UNPRIVILEGED_SAMPLE, Attack, submission_source

from grader.runner.api import grade_file
from grader.runner.result import ExerciseResult

BIG_DOC = ("x" * 1023 + "\n") * 256


def _require_layer(layers: dict[str, str | None], layer: str) -> None:
    """Skip unless the layer (or one of ``a|b``) is available in the worker."""
    if layer in ALWAYS:
        return
    names = layer.split("|")
    reasons = [layers.get(name, "the worker did not report this layer") for name in names]
    if all(reason is not None for reason in reasons):
        why = "; ".join(f"{name}: {reason}" for name, reason in zip(names, reasons, strict=True))
        pytest.skip(f"relies on the {' or '.join(names)} sandbox layer, unavailable here: {why}")


def _placeholders(attack: Attack, tmp: Path, tcp_port: int, udp_port: int, marker: str) -> dict:
    hidden = hidden_check(attack.exercise)
    scratch = tmp / "grader-root" / "scratch"  # where the grader puts a check's cwd
    return {
        "HIDDEN": str(hidden),
        "HIDDEN_REL": os.path.relpath(hidden, scratch),
        "SOLUTION": str(solution(attack.exercise)),
        "COURSE": str(COURSE),
        "REPO": str(REPO),
        "TCP_PORT": str(tcp_port),
        "UDP_PORT": str(udp_port),
        "MARKER": marker,
        "BIG_DOC": BIG_DOC,
    }


def _materialise(attack: Attack, dest: Path, values: dict[str, str]) -> Path:
    """Copy the attack's submission (with its folder, if it has one) to ``dest``, filled in."""
    source = submission_source(attack)
    if source.is_dir():
        shutil.copytree(source, dest / source.name)
        return dest / source.name / "submission.py"
    path = dest / source.name
    path.write_text(render(source.read_text(encoding="utf-8"), values), encoding="utf-8")
    return path


def _describe(result: ExerciseResult) -> str:
    lines = [f"score {result.score}/{result.max_score}; summary: {result.summary.en!r}"]
    for check in result.tests:
        lines.append(
            f"{check.name}: {check.reason.value} in {check.duration:.2f}s: {check.message.en!r}"
            f"\n{check.traceback[-800:]}"
        )
    return "\n".join(lines)


def _as_text(result: ExerciseResult) -> str:
    docs = [result.to_dict(lang) for lang in ("en", "zh")]
    return json.dumps(docs, ensure_ascii=False) + result.learner_output


def _restore(root: Path, saved: dict[str, bytes]) -> None:
    """Put a fixture tree back as it was (an attack that changed it must not break the others)."""
    for rel, data in saved.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and str(path.relative_to(root)) not in saved:
            path.unlink()


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_hostile_submission_is_contained(
    attack, hostile, subreaper, tcp_listener, udp_listener, tmp_path
):
    """An attack gets its expected reason in bounded time and leaves nothing behind; the same
    warm worker then grades the correct submission with full marks."""
    _require_layer(hostile.layers, attack.layer)
    marker = str(Path(tempfile.gettempdir()) / f"{MARKER_PREFIX}{uuid.uuid4().hex}")
    values = _placeholders(
        attack, hostile.tmp, tcp_listener.getsockname()[1], udp_listener.getsockname()[1], marker
    )
    submission = _materialise(attack, tmp_path, values)
    course_files = {
        str(p.relative_to(COURSE)): p.read_bytes() for p in COURSE.rglob("*") if p.is_file()
    }
    watched = {"course": COURSE, "submissions": SUBMISSIONS, "worker's TMPDIR": hostile.tmp}
    wait_for_scratch_cleanup(hostile.tmp)
    before = {name: tree_state(root) for name, root in watched.items()}
    worker_pid = hostile.worker_pid
    baseline = frozenset(stray_processes(worker_pid))

    started = time.monotonic()
    result = grade_file(attack.exercise, submission, course=hostile.course, worker=hostile.worker)
    elapsed = time.monotonic() - started
    strays = wait_for_no_strays(worker_pid, baseline)
    kill_and_reap(strays)
    wait_for_scratch_cleanup(hostile.tmp)
    after = {name: tree_state(root) for name, root in watched.items()}
    if after["course"] != before["course"]:
        _restore(COURSE, course_files)

    detail = _describe(result)
    assert len(result.tests) == 1, detail
    got = result.tests[0].reason.value
    assert got in attack.reasons, f"expected {attack.reasons}, got {got}\n{detail}"
    if "passed" not in attack.reasons:
        assert result.score == 0, detail
    assert attack.needle in f"{result.tests[0].message.en}\n{result.summary.en}", detail
    assert elapsed < attack.max_seconds, f"grading took {elapsed:.1f}s\n{detail}"
    assert not strays, f"processes left running: {strays}"
    for name in watched:
        assert after[name] == before[name], f"files left or changed in the {name}"
    assert not list(Path(marker).parent.glob(Path(marker).name + "*")), "a marker file exists"
    with pytest.raises(BlockingIOError):
        tcp_listener.accept()
    with pytest.raises(BlockingIOError):
        udp_listener.recv(64)
    text = _as_text(result)
    assert [c for c in CANARIES if c in text] == [], "a secret leaked into the result"
    assert len(result.learner_output) <= 8_000
    assert hostile.worker_pid == worker_pid, "the warm worker was restarted"

    follow = grade_file(attack.exercise, CORRECT, course=hostile.course, worker=hostile.worker)
    assert follow.full_marks, _describe(follow)
    assert hostile.worker_pid == worker_pid, "the warm worker was restarted"


def test_course_installed_in_site_packages_stays_hidden(hostile, tmp_path):
    """A course installed inside site-packages (a folder the sandbox grants to the runtime) keeps
    its hidden checks and solutions unreadable, though the worker started before it was named.

    Needs a worker of its own, started after the course is in place (the session worker's read
    plan predates it); the exercise admits torch.load and numpy.load, so only Landlock decides.
    """
    _require_layer(hostile.layers, "landlock-fs")
    import site

    from grader.course import resolve_course
    from grader.runner.client import WarmWorker

    site_dir = Path(site.getsitepackages()[0])
    if not os.access(site_dir, os.W_OK):
        pytest.skip(f"{site_dir} is not writable here, so no course can be installed in it")
    installed = site_dir / f"grader_hostile_course_{uuid.uuid4().hex[:8]}"
    shutil.copytree(COURSE, installed)
    try:
        course = resolve_course(installed)
        targets = {
            "read_hidden_torch_load.py": installed
            / "exercises/checkpoint/hidden/test_checkpoint.py",
            "read_solution_numpy_load.py": installed / "solutions/checkpoint.py",
        }
        with pytest.MonkeyPatch.context() as mp, WarmWorker() as worker:
            mp.setenv("TMPDIR", str(hostile.tmp))
            worker.start()
            for name, target in targets.items():
                source = (SUBMISSIONS / name).read_text(encoding="utf-8")
                path = tmp_path / name
                path.write_text(render(source, {"HIDDEN": str(target), "SOLUTION": str(target)}))
                result = grade_file("checkpoint", path, course=course, worker=worker)
                check = result.tests[0]
                assert check.reason.value == "error", f"{name}: {_describe(result)}"
                assert "PermissionError" in check.message.en, f"{name}: {_describe(result)}"
                assert [c for c in CANARIES if c in _as_text(result)] == []
    finally:
        shutil.rmtree(installed, ignore_errors=True)


def _runtime_unreadable_reason(uid: int, gid: int) -> str | None:
    from grader.sandbox.os import layers, privileges

    needed = [
        *layers.runtime_read_paths(),
        Path(sys.executable).resolve(),
        REPO / "grader",
        HERE,
        COURSE,
    ]
    return privileges.unreadable_reason(uid, gid, needed)


def test_sample_passes_again_as_an_unprivileged_uid(hostile):
    """Run as root, a sample of the hostile suite (one attack per kind of containment) passes
    again when the tests, the warm worker and its children all run as uid 65534."""
    if os.geteuid() != 0:
        pytest.skip("the suite already runs as an ordinary user")
    from grader.sandbox.os import privileges

    uid = 65534
    gid = privileges.drop_gid_for(uid)
    reason = _runtime_unreadable_reason(uid, gid)
    if reason is not None:
        pytest.skip(reason)
    home = Path(tempfile.mkdtemp(prefix="grader-hostile-user-"))
    os.chmod(home, 0o700)
    os.chown(home, uid, gid)
    ids = [
        f"{HERE / 'test_hostile.py'}::test_hostile_submission_is_contained[{name}]"
        for name in UNPRIVILEGED_SAMPLE
    ]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "TMPDIR": str(home),
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *ids],
            cwd=REPO, env=env, user=uid, group=gid, extra_groups=[],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    finally:
        shutil.rmtree(home, ignore_errors=True)
    report = proc.stdout[-4000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, report
    assert " failed" not in proc.stdout and " error" not in proc.stdout, report
    assert "passed" in proc.stdout, report
