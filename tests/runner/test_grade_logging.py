"""A layer the probe found but that an executor could not apply is logged by the grading process:
the hardened executor cannot log, so the parent compares the layers it reported with the probe's.

The failure is forced in a throwaway interpreter that grades in-process (as `grader grade` does):
its probe is told seccomp works, and installing the filter then fails in every executor.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from runner_support import COURSE, SUBMISSIONS

from grader.logs import LOG_FILENAME

_SCRIPT = r"""
import errno, json, sys
from pathlib import Path
from grader.logs import configure
from grader.sandbox.os import probe, seccomp

def refuse(cuda=False):
    raise OSError(errno.EPERM, "Operation not permitted")

if seccomp.unavailable_reason() is not None:
    print(json.dumps({"skip": seccomp.unavailable_reason()}))
    sys.exit(0)
probe._PROBES["seccomp"] = lambda ctx: None  # the probe finds seccomp working
seccomp.install = refuse                      # and every executor fails to install it
configure(Path(sys.argv[1]))
from grader.runner.api import grade_file
result = grade_file("add-one", sys.argv[2], course=sys.argv[3])
print(json.dumps({"layers": list(result.provenance.sandbox_layers), "score": result.score}))
"""


def test_an_executor_without_a_probed_layer_is_logged(tmp_path: Path) -> None:
    """The result records the layers the executor really had (no seccomp), and grader.log has a
    warning naming the missing layer and pointing at `grader doctor`."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _SCRIPT,
            str(tmp_path),
            str(SUBMISSIONS / "correct.py"),
            str(COURSE),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if "skip" in out:
        pytest.skip(f"no seccomp here: {out['skip']}")
    assert "seccomp" not in out["layers"] and out["score"] == 4
    log = (tmp_path / LOG_FILENAME).read_text(encoding="utf-8")
    assert (
        "WARNING grader.runner.api: add-one: an executor ran without the sandbox layers seccomp "
        "although the probe found them working (`grader doctor` runs the same hardening"
    ) in log
    assert "DEBUG grader.runner.api: graded add-one (hidden checks, cpu): 4/4, exit 0" in log
