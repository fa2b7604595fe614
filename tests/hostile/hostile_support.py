"""Paths and helpers of the hostile suite (imported as a plain module by its conftest and tests).

The suite grades hostile submissions end to end through the real grader (``grade_file`` with one
warm worker) and checks what an attack could leave behind: processes, files, bytes on a socket,
leaked secrets, a broken worker.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
SUBMISSIONS = HERE / "submissions"
COURSE = HERE / "data" / "course"
NEIGHBOURS = HERE / "data" / "with_neighbours"
CORRECT = SUBMISSIONS / "correct.py"

#: Strings that sit in the fixture course's hidden checks and solutions, and in the worker's
#: environment: none may ever appear in a result.
CANARIES = (
    "hidden-check-canary-5b1f0c",
    "hidden-check-canary-c4a8e1",
    "solution-canary-add-one-9e2d47",
    "solution-canary-checkpoint-9e2d47",
    "env-canary-3d9a71",
)
ENV_CANARY_PATH = "/nonexistent/env-canary-3d9a71"
"""Appended to the worker's PATH (harmless there): its environment then holds a canary."""

MARKER_PREFIX = "hostile-pwned-"
"""Files an escaped attack would create start with this (in the temp folder or the scratch root)."""


def hidden_check(exercise: str) -> Path:
    name = "test_add_one.py" if exercise == "add-one" else f"test_{exercise}.py"
    return COURSE / "exercises" / exercise / "hidden" / name


def solution(exercise: str) -> Path:
    return COURSE / "solutions" / f"{exercise}.py"


def render(source: str, values: dict[str, str]) -> str:
    """Fill the ``@@NAME@@`` placeholders of a submission (paths and ports known at test time)."""
    for key, value in values.items():
        source = source.replace(f"@@{key}@@", value)
    if "@@" in source:
        raise AssertionError(
            f"unfilled placeholder in submission: {source[source.index('@@') :][:40]}"
        )
    return source


def tree_state(root: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``root`` with its size and content hash (folders by name)."""
    state: dict[str, tuple[int, str]] = {}
    if not root.exists():
        return state
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames:
            state[os.path.relpath(os.path.join(dirpath, name), root) + "/"] = (0, "")
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                state[os.path.relpath(path, root)] = (-1, exc.strerror or "unreadable")
                continue
            state[os.path.relpath(path, root)] = (len(data), hashlib.sha256(data).hexdigest())
    return state


def _proc_table() -> dict[int, tuple[str, int, int]]:
    """pid -> (state, ppid, pgid) for every process visible in /proc; the worker's judge
    templates (its children named ``grader-judges``, kept warm on purpose) are left out."""
    table: dict[int, tuple[str, int, int]] = {}
    names: dict[int, str] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        table[int(entry)] = (fields[0], int(fields[1]), int(fields[2]))
        names[int(entry)] = stat[stat.find("(") + 1 : stat.rfind(")")]
    for pid, name in names.items():
        if name == "grader-judges":
            table.pop(pid, None)
    return table


def stray_processes(worker_pid: int, baseline: frozenset[int] = frozenset()) -> list[int]:
    """Live (non-zombie) processes in the worker's group, or below this process, but the worker
    and those in ``baseline`` (alive before the test: other suites' workers, for example).

    With this process a child subreaper, an orphan that escaped the worker's group (``setsid``)
    is reparented here and found as a descendant.
    """
    table = _proc_table()
    me = os.getpid()
    below: set[int] = set()
    frontier = {me}
    while frontier:
        children = {pid for pid, (_, ppid, _) in table.items() if ppid in frontier}
        children -= below
        below |= children
        frontier = children
    found = {pid for pid, (_, _, pgid) in table.items() if pgid == worker_pid} | below
    return sorted(
        pid
        for pid in found - baseline
        if pid not in (worker_pid, me) and table.get(pid, ("Z",))[0] != "Z"
    )


def wait_for_no_strays(worker_pid: int, baseline: frozenset[int], grace: float = 3.0) -> list[int]:
    """Stray processes still alive after ``grace`` seconds (the kernel tears down promptly)."""
    deadline = time.monotonic() + grace
    while True:
        left = stray_processes(worker_pid, baseline)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def kill_and_reap(pids: list[int]) -> None:
    """Kill strays found by a failing test, so they cannot disturb the next one."""
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            continue
    for pid in pids:
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass


def reap_orphans(worker_pid: int) -> None:
    """Reap zombies reparented to this subreaper (never the worker, which Popen owns)."""
    for pid, (state, ppid, _) in _proc_table().items():
        if ppid == os.getpid() and pid != worker_pid and state == "Z":
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def wait_for_scratch_cleanup(tmp: Path, grace: float = 5.0) -> None:
    """Wait until the executor templates' scratch roots are gone: a template removes its own after
    the judge has sent the result and closed it, so it may outlive the grading call briefly."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not any(p.name.startswith("grader-exec-") for p in tmp.iterdir()):
            return
        time.sleep(0.02)
