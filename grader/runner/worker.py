"""The warm grading worker: ``python -m grader.runner.worker``.

It imports torch and the grading machinery once, then grades one request per input line
(JSON, see grader.runner.request) and answers with JSON lines on stdout: ``ready`` (with the
machine's facts), ``progress`` and exactly one ``result`` or ``error`` per request. It exits when
its input closes, and dies with its parent.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import sys
from typing import Any


def main() -> None:
    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    out = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # nothing but this module writes to the real stdout

    def emit(msg: dict[str, Any]) -> None:
        os.write(out, (json.dumps(msg) + "\n").encode())

    from grader.runner.engine import run_job
    from grader.runner.request import GradeRequest
    from grader.runner.warm import prepare

    emit({"event": "ready", **prepare()})
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = GradeRequest.from_dict(json.loads(line))
        except (ValueError, TypeError, KeyError) as exc:
            emit({"event": "error", "message": f"bad request: {exc}"})
            continue
        run_job(req, emit)


if __name__ == "__main__":
    main()
