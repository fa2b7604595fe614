"""The log: `grader` writes grader.log in the data directory at debug level, `--verbose` also
prints it on stderr, `grader doctor` says where it is, and a log that cannot be written never
breaks a command. Run as a user runs it: the command in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from grader import __version__
from grader.logs import LOG_FILENAME

GRADER = [sys.executable, "-m", "grader"]  # what the console script runs
START_LINE = f"grader {__version__}, Python "


def _run(data_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, GRADER_DATA_DIR=str(data_dir))
    return subprocess.run(
        [*GRADER, *args], capture_output=True, text=True, env=env, timeout=timeout
    )


def test_verbose_prints_debug_lines_on_stderr_and_keeps_stdout_data(tmp_path: Path) -> None:
    """`grader -v list`: debug lines (the version and command line first) on stderr; stdout is
    the same table as without -v."""
    quiet = _run(tmp_path / "a", "list")
    loud = _run(tmp_path / "b", "-v", "list")
    assert quiet.returncode == loud.returncode == 0, loud.stderr
    assert loud.stdout == quiet.stdout and loud.stdout
    assert quiet.stderr == ""
    first = loud.stderr.splitlines()[0]
    assert first.startswith(f"DEBUG grader.cli: {START_LINE}"), loud.stderr
    assert first.endswith(" -v list")


def test_every_run_writes_the_log_file_in_the_data_dir(tmp_path: Path) -> None:
    """Without -v the log still goes to GRADER_DATA_DIR/grader.log (debug level, timestamped,
    with the process id), and runs append to it."""
    data = tmp_path / "data"
    _run(data, "list")
    _run(data, "exercises")
    lines = (data / LOG_FILENAME).read_text(encoding="utf-8").splitlines()
    starts = [line for line in lines if START_LINE in line]
    assert len(starts) == 2, lines
    assert starts[0].split()[3] == "DEBUG" and starts[0].split()[4] == "grader.cli:"
    assert starts[0].split()[2].isdigit()  # the pid
    assert starts[0].endswith(" list") and starts[1].endswith(" exercises")


def test_a_usage_error_is_logged_in_one_line(tmp_path: Path) -> None:
    """A usage error (exit 2) is one debug line with its message, no traceback (a grader fault,
    exit 4, keeps its traceback: tests/cli/test_cli_exit_codes.py)."""
    data = tmp_path / "data"
    bad = _run(data, "grade", "add-one", str(tmp_path / "missing.py"))
    assert bad.returncode == 2
    log = (data / LOG_FILENAME).read_text(encoding="utf-8")
    assert "DEBUG grader.cli: exit 2 (UsageError): submission file" in log
    assert "Traceback" not in log


def _unwritable(tmp_path: Path) -> Path:
    """A data directory that cannot be created, even by root: its parent is a file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    return blocker / "data"


def test_an_unwritable_log_never_breaks_a_command(tmp_path: Path) -> None:
    """With a data directory that cannot be created, commands behave exactly as usual: same
    output, same exit status, nothing on stderr; -v says why the log is not written."""
    data = _unwritable(tmp_path)
    fine = _run(tmp_path / "ok", "list")
    broken = _run(data, "list")
    assert (broken.returncode, broken.stdout, broken.stderr) == (0, fine.stdout, "")
    usage = _run(data, "grade", "add-one", str(tmp_path / "missing.py"))
    assert usage.returncode == 2 and usage.stderr.startswith("error: submission file")
    loud = _run(data, "-v", "list")
    assert loud.returncode == 0 and loud.stdout == fine.stdout
    assert f"WARNING grader.logs: the log file is not written: cannot create {data}" in loud.stderr
    assert "errno 20 (ENOTDIR)" in loud.stderr
    assert not data.exists()


def test_doctor_says_where_the_log_is(tmp_path: Path) -> None:
    """`grader doctor` names the log file (text and JSON), or why it is not written."""
    data = tmp_path / "data"
    text = _run(data, "doctor", "--no-smoke")
    assert text.returncode == 0, text.stderr
    assert (
        f"Log / 日志: {data / LOG_FILENAME} (debug level; attach it to a bug report" in text.stdout
    )
    doc = json.loads(_run(data, "doctor", "--no-smoke", "--format", "json").stdout)
    assert doc["log"] == {"path": str(data / LOG_FILENAME), "error": None}
    log = (data / LOG_FILENAME).read_text(encoding="utf-8")
    assert "DEBUG grader.sandbox.os.layers: sandbox layer seccomp: " in log
    blocked = _unwritable(tmp_path)
    doc = json.loads(_run(blocked, "doctor", "--no-smoke", "--format", "json").stdout)
    assert doc["log"]["path"] == str(blocked / LOG_FILENAME)
    assert doc["log"]["error"].startswith(f"cannot create {blocked / LOG_FILENAME}: errno 20")


def test_verbose_is_documented_in_help(tmp_path: Path) -> None:
    """`grader --help` lists --verbose/-v and says the log file is always written."""
    text = " ".join(_run(tmp_path, "--help").stdout.split())
    assert "-v, --verbose Also print the log (debug level) to stderr." in text
    assert "The log file is always written: `grader doctor` shows where." in text
