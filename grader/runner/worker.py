"""The warm grading worker: ``python -m grader.runner.worker``.

It imports torch and the grading machinery once, then grades one request per input line
(JSON, see grader.runner.request) and answers with JSON lines on stdout: ``ready`` (with the
machine's facts), ``progress`` and exactly one ``result`` or ``error`` per request. It exits when
its input closes (its parent closed the pipe or died).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any


def main() -> None:
    # No PR_SET_PDEATHSIG here: it fires when the *thread* that started the worker ends, and apps
    # start workers from short-lived threads. The worker exits when its input closes instead.
    out = os.dup(1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # nothing but this module writes to the real stdout

    def emit(msg: dict[str, Any]) -> None:
        os.write(out, (json.dumps(msg) + "\n").encode())

    from grader.runner.engine import run_job
    from grader.runner.judges import JudgePool
    from grader.runner.request import GradeRequest
    from grader.runner.warm import prepare

    emit({"event": "ready", **prepare()})
    pool = JudgePool()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            req = GradeRequest.from_dict(json.loads(line))
        except (ValueError, TypeError, KeyError) as exc:
            emit({"event": "error", "message": f"bad request: {exc}"})
            continue
        run_job(req, emit, pool=pool)
    # Input closed: let the last judge and executor template finish their clean-up (scratch
    # folders), then close the judge templates.
    from grader.runner.engine import reap_pending

    reap_pending(wait=5.0)
    pool.close()


if __name__ == "__main__":
    main()
