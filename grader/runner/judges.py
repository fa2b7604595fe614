"""The warm worker's judge templates, one per exercise's checks, kept in an LRU.

A template (:mod:`grader.judge.template`) has collected one exercise's checks and forks a judge
per submission, so a warm grade pays neither pytest's configuration nor the collection. The pool
keys templates by what they collected (checks folder, kind, files and their hash: an edited check
file gets a new template) and keeps at most :data:`MAX_TEMPLATES`; the least recently used one is
closed when another is needed.
"""

from __future__ import annotations

import os
import socket
from collections import OrderedDict

from grader.processes import close_other_fds, wait_or_kill
from grader.protocol import recv_control, send_control
from grader.runner.request import GradeRequest

MAX_TEMPLATES = 8
"""Judge templates a worker keeps (exercises × kinds); each is a fork of the worker plus the
exercise's check modules."""


class _Template:
    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid = pid
        self.sock = sock

    def alive(self) -> bool:
        try:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return done == 0

    def close(self) -> None:
        self.sock.close()
        wait_or_kill(self.pid, 2.0)


def _key(req: GradeRequest) -> tuple[object, ...]:
    return (req.exercise_dir, req.kind, req.check_files, req.checks_hash)


class JudgePool:
    def __init__(self, size: int = MAX_TEMPLATES) -> None:
        self.size = size
        self.templates: OrderedDict[tuple[object, ...], _Template] = OrderedDict()

    def _fork(self, req: GradeRequest) -> _Template:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            # Only its own socket: a copy of the worker's other descriptors (an executor
            # template's control socket, the worker's own pipes) would keep them open.
            close_other_fds({0, 1, 2, theirs.fileno()})
            from grader.judge.template import serve_judge_template

            serve_judge_template(theirs, req)
        theirs.close()
        return _Template(pid, ours)

    def _get(self, req: GradeRequest) -> _Template:
        key = _key(req)
        found = self.templates.get(key)
        if found is not None and found.alive():
            self.templates.move_to_end(key)
            return found
        if found is not None:
            found.close()
            del self.templates[key]
        while len(self.templates) >= self.size:
            _, oldest = self.templates.popitem(last=False)
            oldest.close()
        made = self.templates[key] = self._fork(req)
        return made

    def start_judge(self, req: GradeRequest, template_fd: int, out_fd: int) -> int | None:
        """Have the exercise's template fork a judge for ``req``; its pid (None if the template
        could not be reached: the caller grades without the pool)."""
        for _ in range(2):  # a template that died is forked again once
            tpl = self._get(req)
            try:
                send_control(tpl.sock, {"req": req.to_dict()}, [template_fd, out_fd])
                reply, _ = recv_control(tpl.sock)
            except OSError:
                reply = None
            if reply is not None and type(reply.get("pid")) is int:
                return reply["pid"]
            self.templates.pop(_key(req), None)
            tpl.close()
        return None

    def forget(self, req: GradeRequest) -> None:
        """Close the template of ``req`` (after a judge of it had to be killed)."""
        tpl = self.templates.pop(_key(req), None)
        if tpl is not None:
            tpl.close()

    def close(self) -> None:
        while self.templates:
            _, tpl = self.templates.popitem()
            tpl.close()
