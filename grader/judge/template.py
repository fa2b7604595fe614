"""A judge template: a process that has configured pytest and collected one exercise's checks,
and forks a fresh judge for every submission.

pytest cannot run a session twice, and check modules keep state between runs, so the warm worker
keeps one template per exercise (see :class:`grader.runner.judges.JudgePool`). Each submission's
judge is forked from it right inside pytest's test loop: the checks are imported and collected
already, every judge starts from the same state, and nothing one judge does reaches the next.

Jobs arrive on a ``SOCK_SEQPACKET`` socket from the worker: the request, with two descriptors
(the executor template's control socket, forked by the worker before any check was read, and the
write end of the pipe the judge sends its messages on). The template answers with the judge's
pid. It exits when the worker closes the socket.
"""

from __future__ import annotations

import functools
import gc
import os
import signal
import socket
from typing import Any, NoReturn

import pytest

from grader.judge.grading import SubmissionGrading, _Collector, _quiet, pytest_args
from grader.processes import die_with_parent, set_name, write_json_line
from grader.protocol import TemplateClient, recv_control, send_control
from grader.runner.request import GradeRequest


class _Serve(_Collector):
    def __init__(self, ctl: socket.socket) -> None:
        super().__init__()
        self.ctl = ctl
        self.served = False

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        self.served = True
        gc.collect()
        gc.freeze()  # a judge never copies the template's heap page by page in its collections
        serve_jobs(self.ctl, lambda req, send, template: _grade(session, self, req, send, template))
        return True


def _grade(
    session: pytest.Session,
    plugin: _Collector,
    req: GradeRequest,
    send: Any,
    template: TemplateClient,
) -> None:
    grading = SubmissionGrading(req, send, template)
    try:
        grading.prepare()
        grading.run(session)
        grading.finish(plugin.collect_errors)  # the result first; the clean-up can follow
    finally:
        grading.close()


def serve_jobs(ctl: socket.socket, grade: Any) -> None:
    """Fork a judge for every job until the worker closes ``ctl``."""
    children: set[int] = set()
    try:
        while True:
            msg, fds = recv_control(ctl, maxfds=2)
            _reap(children)
            if msg is None:
                return
            if len(fds) != 2:
                for fd in fds:
                    os.close(fd)
                continue
            pid = os.fork()
            if pid == 0:
                _judge_main(ctl, msg, fds, grade)
            for fd in fds:
                os.close(fd)
            children.add(pid)
            send_control(ctl, {"pid": pid})
    finally:
        for pid in children:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


TEMPLATE_NAME = b"grader-judges"
"""The process name of a judge template (``/proc/<pid>/comm``), so tools can tell it apart."""


def _reap(children: set[int]) -> None:
    for pid in list(children):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            children.discard(pid)


def _judge_main(ctl: socket.socket, msg: dict[str, Any], fds: list[int], grade: Any) -> NoReturn:
    code = 0
    template_fd, out_fd = fds
    send = functools.partial(write_json_line, out_fd)
    try:
        die_with_parent()
        ctl.close()
        req = GradeRequest.from_dict(msg["req"])
        grade(req, send, TemplateClient(-1, socket.socket(fileno=template_fd)))
    except BaseException as exc:  # report every fault, never hang
        try:
            send({"event": "error", "message": f"{type(exc).__name__}: {exc}"})
        except OSError:
            pass
        code = 1
    finally:
        os._exit(code)


def serve_judge_template(ctl: socket.socket, req: GradeRequest) -> NoReturn:
    """The template's main: collect ``req``'s checks once, then serve jobs."""
    code = 0
    try:
        set_name(TEMPLATE_NAME)
        _quiet()
        plugin = _Serve(ctl)
        pytest.main(pytest_args(req), plugins=[plugin])
        if not plugin.served:  # collection failed: every job gets the collection error

            def failed(req: GradeRequest, send: Any, template: TemplateClient) -> None:
                template.close()
                detail = "\n".join(plugin.collect_errors) or "no checks were collected"
                send(
                    {
                        "event": "error",
                        "message": f"the exercise's checks could not be loaded: {detail}",
                    }
                )

            serve_jobs(ctl, failed)
    except BaseException:  # the worker sees the socket close and forks anew
        code = 1
    finally:
        os._exit(code)
