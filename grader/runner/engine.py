"""Grading one submission from a warm process: fork the executor template, then the judge.

Process tree (see exercises/README.md, "How grading runs")::

    warm worker (imports torch, runs no op)     grader.runner.worker / the CLI process
      ├─ executor template, one per submission  forked first, before any check file is read;
      │    └─ executor(s)                       hardened; import the submission once, answer requests
      └─ judge, one per submission              trusted: imports and runs the checks, decides verdicts

Results travel from the judge over a pipe; the executor never sees it.
"""

from __future__ import annotations

import json
import os
import select
import time
from collections.abc import Callable
from typing import Any

from grader.executor.template import TemplateClient, fork_template
from grader.processes import die_with_parent, kill, write_json_line
from grader.runner.judges import JudgePool
from grader.runner.request import GradeRequest

Emit = Callable[[dict[str, Any]], None]


def run_job(
    req: GradeRequest,
    emit: Emit,
    template: TemplateClient | None = None,
    pool: JudgePool | None = None,
) -> None:
    """Grade one submission: fork the executor template (unless one was forked already, before
    any course file was read), start a judge — forked by the exercise's judge template from
    ``pool`` when there is one, else forked here — and relay the judge's messages to ``emit``.

    Called in a warm process that has imported torch but run no torch op. Always ends with exactly
    one ``result`` or ``error`` message.
    """
    reap_pending()
    if template is None:
        _hide_course(req)  # paths only: the template then inherits the plan instead of redoing it
        template = fork_template()
    read_fd, write_fd = os.pipe()
    pooled = pool.start_judge(req, template.sock.fileno(), write_fd) if pool is not None else None
    ours = pooled is None
    pid = _fork_judge(req, template, read_fd, write_fd) if pooled is None else pooled
    os.close(write_fd)
    template.close()  # the judge holds the template's control socket now
    started = time.monotonic()
    deadline = started + req.whole_limit()
    buf = b""
    finished = timed_out = False
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                emit({"event": "error", "message": "grading exceeded the whole-submission limit"})
                finished = timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], min(remaining, 1.0))
            if not ready:
                continue
            chunk = os.read(read_fd, 65536)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                msg = json.loads(line)
                if msg.get("event") == "progress" and msg.get("done") == 0:
                    deadline = started + req.whole_limit(int(msg["total"]))
                emit(msg)
                if msg.get("event") in ("result", "error"):
                    finished = True
    finally:
        os.close(read_fd)
        if not finished or timed_out:
            kill(pid)
            if not ours and timed_out and pool is not None:
                pool.forget(req)
        if ours:
            reap_later(pid)
        # The template exits once the judge has closed its control socket (killing what is left
        # of its executors and removing their scratch folders); it is reaped at the next job.
        template.close()
        reap_later(template.pid)
    if not finished:
        emit({"event": "error", "message": "the grading process ended without a result"})


def _fork_judge(req: GradeRequest, template: TemplateClient, read_fd: int, write_fd: int) -> int:
    """A one-shot judge forked here: it collects the checks itself."""
    pid = os.fork()
    if pid == 0:  # the judge
        os.close(read_fd)
        die_with_parent()
        code = 0
        try:
            from grader.judge.grading import grade_in_process

            grade_in_process(req, lambda m: write_json_line(write_fd, m), template)
        except BaseException as exc:  # report every fault, never hang
            try:
                write_json_line(
                    write_fd, {"event": "error", "message": f"{type(exc).__name__}: {exc}"}
                )
            except OSError:
                pass
            code = 1
        finally:
            os._exit(code)
    return pid


_PENDING: dict[int, float] = {}
"""Children (judges, executor templates) that finish on their own after a result was relayed,
with the time after which they are killed."""
REAP_GRACE = 10.0


def reap_later(pid: int) -> None:
    _PENDING[pid] = time.monotonic() + REAP_GRACE


def reap_pending(wait: float = 0.0) -> None:
    """Reap the children that have exited; kill those past their grace (or, with ``wait``,
    wait up to ``wait`` seconds for all of them first)."""
    end = time.monotonic() + wait
    while _PENDING:
        now = time.monotonic()
        for pid, deadline in list(_PENDING.items()):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                del _PENDING[pid]
            elif now > deadline or (wait and now > end):
                kill(pid)
                try:
                    os.waitpid(pid, 0)
                except ChildProcessError:
                    pass
                del _PENDING[pid]
        if not wait or not _PENDING or time.monotonic() > end:
            return
        time.sleep(0.005)


def _hide_course(req: GradeRequest) -> None:
    try:
        from grader.sandbox.os import layers
    except ImportError:  # the OS layer is optional (e.g. on macOS)
        return
    layers.hide(req.course_paths())
