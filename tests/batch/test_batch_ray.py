"""`grader batch --backend ray` on a Ray cluster of several nodes on 127.0.0.1, run as a user runs
it: the same outputs as the local backend, and what goes wrong on a cluster (an actor killed,
the driver killed, a node joining late or leaving, a node without the sandbox).

One cluster (Ray's own ``ray.cluster_utils.Cluster``: a head and a second node, one CPU each,
the dashboard off, small object stores) serves the whole module, under a hard time cap. Without
Ray the module is skipped, except in CI (``CI=true``), where a missing Ray is an error: CI
installs it with the test extra.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from batch_helpers import COURSE, GRADER, ROOT, SUBS, read_gradebook, validate

from grader.batch.backends.course_pack import node_root, pack_course
from grader.exercises.loader import find_exercise

LOOPBACK = {"RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER": "0"}
"""Read when Ray is imported: every node, and every driver, on 127.0.0.1 only."""
os.environ.update(LOOPBACK)
try:
    import ray  # noqa: F401
except ImportError as exc:
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"Ray cannot be imported ({exc}), and CI runs the Ray backend's tests: "
            "pip install -e '.[test]'",
            pytrace=False,
        )
    pytest.skip(
        f"Ray cannot be imported ({exc}): pip install -e '.[ray]'; CI runs these tests",
        allow_module_level=True,
    )

MODULE_CAP_S = 240.0
"""Hard cap on the whole module (a SIGALRM raises in the test running when it fires); it takes
about a minute on two idle cores."""
NODE = {"num_cpus": 1, "object_store_memory": 80 * 1024 * 1024}
HOSTILE = ROOT / "tests" / "hostile" / "submissions"

MIXED_CLASS = {
    "alice": SUBS / "correct.py",
    "bob": SUBS / "wrong_value.py",
    "carol": SUBS / "wrong_dtype.py",
    "dave": SUBS / "crash.py",
    "erin": SUBS / "hangs_on_five.py",
    "frank": SUBS / "policy_import.py",
    "gina": SUBS / "eats_memory.py",
    "hana": HOSTILE / "fork_bomb.py",
    "ivan": SUBS / "exits_early.py",
    "张三": SUBS / "correct.py",
}
"""Correct, buggy, hanging and hostile (a memory hog, a forbidden import, a fork bomb)."""
MIXED_STATUSES = {
    "alice": "full",
    "bob": "partial",
    "carol": "partial",
    "dave": "error",
    "erin": "timeout",
    "frank": "policy",
    "gina": "error",
    "hana": "policy",
    "ivan": "policy",
    "张三": "full",
}


@dataclass
class RayCluster:
    """The module's cluster, with what the tests need to drive it."""

    cluster: Any
    env: dict[str, str]

    @property
    def address(self) -> str:
        return str(self.cluster.address)

    @staticmethod
    def label(node: Any) -> str:
        """How the grader names a node (grader.batch.backends.ray_cluster.node_label)."""
        return f"127.0.0.1/{node.node_id[:8]}"

    @staticmethod
    def raylet(node: Any) -> int:
        return int(node.all_processes["raylet"][0].process.pid)

    def add_node(self, **env: str) -> Any:
        return self.cluster.add_node(**NODE, env_vars=env or None)

    def batch(
        self,
        root: Path,
        out: Path,
        *args: str,
        address: bool = True,
        course: Path = COURSE,
        quiet: bool = True,
    ) -> list[str]:
        """`grader batch add-one ROOT --out OUT --backend ray --ray-address ADDR ...` (without
        ``--ray-address`` when ``address`` is false, with the progress bar when ``quiet`` is)."""
        where = ["--ray-address", self.address] if address else []
        return [
            *GRADER,
            "batch",
            "add-one",
            str(root),
            "--out",
            str(out),
            "--backend",
            "ray",
            *where,
            "--course",
            str(course),
            *(["--quiet"] if quiet else []),
            *args,
        ]


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[RayCluster]:
    def expired(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError(f"the Ray test module ran past its {MODULE_CAP_S:.0f} s cap")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, MODULE_CAP_S)
    cluster = None
    try:
        from ray.cluster_utils import Cluster

        cluster = Cluster(initialize_head=True, head_node_args={**NODE, "include_dashboard": False})
        cluster.add_node(**NODE)
        env = {k: v for k, v in os.environ.items() if k != "RAY_ADDRESS"}
        yield RayCluster(cluster, env)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if cluster is not None:
            cluster.shutdown()


@pytest.fixture(scope="module")
def slow_course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini course, except that one hidden check of add-one sleeps 1.5 s in the judge: a
    grade that takes time but no CPU, so that a batch lasts while nodes come and go."""
    course = tmp_path_factory.mktemp("slow") / "course"
    shutil.copytree(COURSE, course)
    check = course / "exercises" / "add-one" / "hidden" / "test_add_one.py"
    text = check.read_text(encoding="utf-8").replace(
        "import pytest\n", "import time\n\nimport pytest\n"
    )
    text = text.replace(
        "def test_value(submission):\n", "def test_value(submission):\n    time.sleep(1.5)\n"
    )
    assert "time.sleep" in text
    check.write_text(text, encoding="utf-8")
    return course


def make_class(root: Path, students: dict[str, Path]) -> Path:
    root.mkdir(parents=True)
    for student, source in students.items():
        shutil.copyfile(source, root / f"{student}.py")
    return root


def journal(out: Path) -> dict[str, float]:
    """student -> graded_at of every journaled grade ({} while there is none)."""
    path = out / ".journal.sqlite"
    if not path.exists():
        return {}
    db = sqlite3.connect(path, timeout=5)
    try:
        return dict(db.execute("SELECT student, graded_at FROM grades").fetchall())
    except sqlite3.OperationalError:  # being created
        return {}
    finally:
        db.close()


def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) of every process (Linux /proc)."""
    found: dict[int, tuple[int, str]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        found[int(entry.name)] = (int(stat.rsplit(")", 1)[1].split()[1]), cmdline)
    return found


def busy_actor(under: int | None = None) -> int | None:
    """A grading actor's pid while it grades (Ray titles it ``ray::GradingActor.grade``),
    optionally only among the workers of the raylet ``under``."""
    for pid, (parent, cmdline) in processes().items():
        if cmdline.startswith("ray::GradingActor.grade") and under in (None, parent):
            return pid
    return None


def forked_actors() -> dict[int, str]:
    """Children of grading actors that are not the grader's exec'd warm worker, with their
    command lines: an actor that forked (Ray's processes are multi-threaded; only the worker may
    fork). A child between fork and exec shows its parent's command line for an instant."""
    table = processes()
    actors = {pid for pid, (_, cmd) in table.items() if cmd.startswith("ray::GradingActor")}
    return {
        pid: cmd
        for pid, (parent, cmd) in table.items()
        if parent in actors and "grader.runner.worker" not in cmd
    }


def wait_for(what: Callable[[], Any], proc: subprocess.Popen[str], timeout: float = 60) -> Any:
    """Poll ``what`` until it is truthy while the batch runs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        assert proc.poll() is None, f"the batch ended first:\n{proc.communicate()[1][-3000:]}"
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def finish(proc: subprocess.Popen[str], timeout: float = 120) -> str:
    _, stderr = proc.communicate(timeout=timeout)
    return stderr


def comparable(doc: dict[str, Any]) -> dict[str, Any]:
    """A result document without its timing fields."""
    doc = {k: v for k, v in doc.items() if k != "execution_time"}
    doc["tests"] = [{k: v for k, v in t.items() if k != "duration"} for t in doc["tests"]]
    return doc


def summary(out: Path) -> dict[str, Any]:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def test_same_outputs_as_the_local_backend_with_an_actor_killed(ray_cluster, tmp_path):
    """A class of correct, buggy, hanging and hostile submissions gets the same gradebook and
    the same result JSON (timings aside) from both backends, even though one actor is SIGKILLed
    mid-batch: its submission is retried on another actor, nothing is lost or recorded twice,
    and no grader fault becomes a learner's 0. Actors never fork; each result records the
    sandbox layers of the node that graded it, and the summary names that node."""
    root = make_class(tmp_path / "class", MIXED_CLASS)
    local, remote = tmp_path / "local", tmp_path / "ray"
    cmd = [*GRADER, "batch", "add-one", str(root), "--out", str(local), "--workers", "2"]
    proc = subprocess.Popen(
        [*cmd, "--course", str(COURSE), "--quiet"],
        stderr=subprocess.PIPE,
        text=True,
        env=ray_cluster.env,
    )
    ray = subprocess.Popen(
        ray_cluster.batch(root, remote), stderr=subprocess.PIPE, text=True, env=ray_cluster.env
    )
    try:
        victim = wait_for(lambda: journal(remote) and busy_actor(), ray)
        os.kill(victim, signal.SIGKILL)
        seen: dict[int, int] = {}
        forks: dict[int, str] = {}
        while ray.poll() is None:
            for pid, cmd in forked_actors().items():
                seen[pid] = seen.get(pid, 0) + 1
                if seen[pid] >= 5:  # still not exec'd half a second later: a fork
                    forks[pid] = cmd
            time.sleep(0.1)
        stderr = finish(ray)
    finally:
        for running in (ray, proc):
            if running.poll() is None:
                running.kill()
                running.communicate()
    assert ray.returncode == 0, stderr
    assert not forks, f"a grading actor forked: {forks}"
    assert "was lost" in stderr and "retrying it (attempt 2 of 3)" in stderr, stderr
    local_err = finish(proc)
    assert proc.returncode == 0, local_err

    rows = read_gradebook(remote)
    assert rows == read_gradebook(local)
    assert {r["student"]: r["status"] for r in rows} == MIXED_STATUSES
    assert sorted(journal(remote)) == sorted(MIXED_CLASS)  # one journal row each
    nodes = summary(remote)["nodes"]
    graded_by = summary(remote)["graded_by"]
    labels = {ray_cluster.label(n) for n in ray_cluster.cluster.list_all_nodes()}
    assert set(graded_by) == {f"{s}/add-one" for s in MIXED_CLASS}
    assert set(graded_by.values()) <= labels and set(nodes) <= labels
    for student in MIXED_CLASS:
        doc = json.loads((remote / student / "add-one.json").read_text(encoding="utf-8"))
        validate(doc)
        there = json.loads((local / student / "add-one.json").read_text(encoding="utf-8"))
        assert comparable(doc) == comparable(there), student
        node = nodes[graded_by[f"{student}/add-one"]]
        assert set(doc["provenance"]["sandbox_layers"]) == set(node["sandbox_layers"])
    assert summary(local)["graded_by"] and summary(local)["backend"] == "local"


def test_driver_killed_then_rerun_resumes_from_the_journal(ray_cluster, slow_course, tmp_path):
    """SIGKILL of the driver mid-batch: the journal keeps every finished grade, and the next run
    grades only the rest, once each."""
    students = {f"s{i}": SUBS / ("crash.py" if i % 3 == 0 else "correct.py") for i in range(6)}
    root = make_class(tmp_path / "class", students)
    out = tmp_path / "out"
    first = subprocess.Popen(
        ray_cluster.batch(root, out, course=slow_course),
        stderr=subprocess.PIPE,
        text=True,
        env=ray_cluster.env,
    )
    wait_for(lambda: len(journal(out)) >= 2, first)
    first.kill()
    first.communicate()
    before = journal(out)
    assert 2 <= len(before) < len(students)

    again = subprocess.run(  # the cluster named by RAY_ADDRESS this time, with the progress bar
        ray_cluster.batch(root, out, address=False, course=slow_course, quiet=False),
        capture_output=True,
        text=True,
        timeout=120,
        env={**ray_cluster.env, "RAY_ADDRESS": ray_cluster.address},
    )
    assert again.returncode == 0, again.stderr
    assert f"graded {len(students) - len(before)} " in again.stderr, again.stderr
    assert f"reused {len(before)} from the journal" in again.stderr
    # The bar (its last state: stderr is not a terminal) counts the busy actors and their nodes.
    assert re.search(r"\d+/2 actors busy on \d of 2 nodes", again.stderr), again.stderr
    after = journal(out)
    assert sorted(after) == sorted(students)
    assert {k: after[k] for k in before} == before, "a journaled grade was graded again"
    rows = {r["student"]: r["status"] for r in read_gradebook(out)}
    assert rows == {s: "error" if p.name == "crash.py" else "full" for s, p in students.items()}
    # The grades of the killed run keep the node that made them; every node is the cluster's.
    graded_by = summary(out)["graded_by"]
    assert set(graded_by) == {f"{s}/add-one" for s in students}
    labels = {ray_cluster.label(n) for n in ray_cluster.cluster.list_all_nodes()}
    assert set(graded_by.values()) <= labels


def test_without_an_address_a_local_instance_grades_and_stops_on_sigterm(
    ray_cluster, slow_course, tmp_path
):
    """No --ray-address and no RAY_ADDRESS: the batch starts its own Ray instance on 127.0.0.1
    (not the running cluster). SIGTERM stops it as it stops a local batch (exit 143, what is
    graded is kept, the instance is gone), and the next run grades the rest there."""
    students = {f"s{i}": SUBS / ("crash.py" if i == 3 else "correct.py") for i in range(4)}
    root = make_class(tmp_path / "class", students)
    out = tmp_path / "out"

    def raylets() -> set[int]:
        return {p for p, (_, cmd) in processes().items() if "/raylet/raylet " in cmd}

    before = raylets()
    cmd = ray_cluster.batch(root, out, "--workers", "1", address=False, course=slow_course)
    first = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True, env=ray_cluster.env)
    try:
        wait_for(lambda: journal(out), first)
        first.send_signal(signal.SIGTERM)
        stderr = finish(first, timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
            first.communicate()
    assert first.returncode == 143, stderr
    assert "stopped: the grades finished so far are in" in stderr
    assert raylets() <= before, "the local Ray instance outlived the batch"
    done = journal(out)
    assert 1 <= len(done) < len(students)

    again = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=ray_cluster.env)
    assert again.returncode == 0, again.stderr
    assert f"reused {len(done)} from the journal" in again.stderr
    facts = summary(out)
    assert facts["backend"] == "ray"
    # Each run's own instance: the grades of the stopped run keep the node that made them.
    assert len(facts["nodes"]) == 2 and set(facts["graded_by"].values()) == set(facts["nodes"])
    cluster = {ray_cluster.label(n) for n in ray_cluster.cluster.list_all_nodes()}
    assert all(label.startswith("127.0.0.1/") for label in facts["nodes"])
    assert not set(facts["nodes"]) & cluster
    assert sorted(n["slots"] for n in facts["nodes"].values()) == [0, 1]  # 0: an earlier run's
    assert {r["student"]: r["status"] for r in read_gradebook(out)} == {
        s: "error" if p.name == "crash.py" else "full" for s, p in students.items()
    }
    assert raylets() <= before, "the local Ray instance outlived the batch"


def test_a_submission_cannot_read_the_course_unpacked_on_its_node(ray_cluster, tmp_path):
    """The course lies unpacked on each node for the judge. A submission that passes the policy
    (this exercise admits torch.load) and opens a hidden check there by its full path is
    refused by the OS layer, as it is refused the hidden checks of a local course."""
    course = ROOT / "tests" / "hostile" / "data" / "course"
    exercise = find_exercise("checkpoint", course / "exercises", course / "solutions")
    hidden = (
        (node_root() / "courses" / pack_course([exercise]).sha256 / "exercises" / "checkpoint")
        / "hidden"
        / "test_checkpoint.py"
    )
    attack = (ROOT / "tests" / "hostile" / "submissions" / "read_hidden_torch_load.py").read_text(
        encoding="utf-8"
    )
    root = tmp_path / "class"
    root.mkdir()
    (root / "mallory.py").write_text(attack.replace("@@HIDDEN@@", str(hidden)), encoding="utf-8")
    out = tmp_path / "out"
    cmd = ray_cluster.batch(root, out, course=course)
    cmd[cmd.index("add-one")] = "checkpoint"
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=ray_cluster.env)
    assert proc.returncode == 0, proc.stderr
    assert hidden.is_file(), "the course was not unpacked where the attack looked"
    facts = summary(out)
    layers = facts["nodes"][facts["graded_by"]["mallory/checkpoint"]]["sandbox_layers"]
    if "landlock-fs" not in layers:
        pytest.skip("no landlock-fs on this machine: nothing but the policy guards the course")
    doc = (out / "mallory" / "checkpoint.json").read_text(encoding="utf-8")
    assert [r["status"] for r in read_gradebook(out)] == ["error"], doc
    assert "PermissionError" in doc


def test_a_late_node_gets_work_and_a_leaving_node_is_redone(ray_cluster, slow_course, tmp_path):
    """A node that joins after the batch placed its actors gets an actor and grades; when it
    leaves while grading, its submission is graded again elsewhere and nobody gets a
    grader-error or a 0."""
    students = {f"s{i:02d}": SUBS / "correct.py" for i in range(10)}
    root = make_class(tmp_path / "class", students)
    out = tmp_path / "out"
    proc = subprocess.Popen(
        ray_cluster.batch(root, out, course=slow_course),
        stderr=subprocess.PIPE,
        text=True,
        env=ray_cluster.env,
    )
    placed = [ray_cluster.raylet(n) for n in ray_cluster.cluster.list_all_nodes()]

    def actors_placed() -> bool:
        table = processes()
        parents = {p for p, cmd in table.values() if cmd.startswith("ray::GradingActor")}
        return set(placed) <= parents

    wait_for(actors_placed, proc)
    late = ray_cluster.add_node()
    try:
        wait_for(lambda: busy_actor(under=ray_cluster.raylet(late)), proc, timeout=90)
    finally:
        ray_cluster.cluster.remove_node(late, allow_graceful=False)
    stderr = finish(proc)
    assert proc.returncode == 0, stderr
    label = ray_cluster.label(late)
    assert f"the grading actor on node {label} was lost" in stderr, stderr
    assert label in summary(out)["nodes"]  # it was ready, and is in the summary
    rows = {r["student"]: (r["score"], r["status"]) for r in read_gradebook(out)}
    assert rows == {s: ("4", "full") for s in students}
    assert sorted(journal(out)) == sorted(students)


def test_a_node_without_seccomp_or_with_another_torch_is_refused(ray_cluster, tmp_path):
    """A node whose Python lacks pyseccomp has no seccomp layer: with --require-sandbox its
    actor is refused when its probe reports so, before it is sent anything. A node whose torch
    is another version than the driver's is refused too, whatever the sandbox. Each warning
    names the node and why, and neither grades anything."""
    shadow = tmp_path / "no-seccomp" / "pyseccomp"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('pyseccomp is not installed here')\n")
    other_torch = tmp_path / "other-torch" / "torch-0.0.1.dist-info"
    other_torch.mkdir(parents=True)
    (other_torch / "METADATA").write_text("Metadata-Version: 2.1\nName: torch\nVersion: 0.0.1\n")
    bare = ray_cluster.add_node(PYTHONPATH=str(shadow.parent))
    stale = ray_cluster.add_node(PYTHONPATH=str(other_torch.parent))
    try:
        root = make_class(
            tmp_path / "class", {"ann": SUBS / "correct.py", "ben": SUBS / "crash.py"}
        )
        out = tmp_path / "out"
        proc = subprocess.run(
            ray_cluster.batch(root, out, "--require-sandbox"),
            capture_output=True,
            text=True,
            timeout=120,
            env=ray_cluster.env,
        )
    finally:
        ray_cluster.cluster.remove_node(bare, allow_graceful=False)
        ray_cluster.cluster.remove_node(stale, allow_graceful=False)

    def refusal(node: Any) -> str:
        label = ray_cluster.label(node)
        return next((ln for ln in proc.stderr.splitlines() if f"node {label} refused" in ln), "")

    assert "seccomp" in refusal(bare) and "pyseccomp" in refusal(bare), proc.stderr
    assert "torch 0.0.1" in refusal(stale) and "the driver runs" in refusal(stale), proc.stderr
    assert "retrying" not in proc.stderr, "a node was refused only after it got a submission"
    if proc.returncode == 4 and "every node of the Ray cluster was refused" in proc.stderr:
        assert not out.exists()  # this machine lacks an essential layer everywhere
        return
    assert proc.returncode == 0, proc.stderr
    facts = summary(out)
    for node, why in ((bare, "seccomp"), (stale, "torch 0.0.1")):
        label = ray_cluster.label(node)
        assert label not in facts["graded_by"].values()
        assert why in facts["nodes"][label]["refused"]
    assert {r["student"]: r["status"] for r in read_gradebook(out)} == {
        "ann": "full",
        "ben": "error",
    }
