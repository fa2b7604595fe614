"""The judge: read the submission, collect the checks with pytest and run them here, in this trusted
process, against a proxy of the submission that lives in a separate executor.

Every verdict is decided here. The executor only answers requests (see grader.judge.remote).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import resource
import signal
import stat
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from grader import __version__
from grader.denylist import DenyError
from grader.denylist import resolve as resolve_deny
from grader.i18n import EMPTY, Text
from grader.judge import plugin
from grader.judge.deny_scan import deny_verdict
from grader.judge.errors import JudgeTimeout
from grader.judge.executor_link import PER_CHECK_OUTPUT, ExecutorLink
from grader.judge.remote import RemoteSession
from grader.judge.verdicts import classify
from grader.protocol import TemplateClient, clip_text
from grader.runner.request import GradeRequest
from grader.runner.result import Reason
from grader.runner.sanitize import clean_text

Send = Callable[[dict[str, Any]], None]
MAX_SUBMISSION_BYTES = 512 * 1024
"""A larger submission is not run: it gets an error verdict for every check."""
GRADER_INI = Path(__file__).with_name("pytest.ini")
"""The judge's own pytest configuration (no conftest, ini file or plugin of the submission's)."""


def _verdict(reason: Reason, message: Text, line: int | None = None) -> dict[str, Any]:
    return {"reason": reason, "message": message, "line": line}


def _unreadable(filename: str, exc: OSError) -> dict[str, Any]:
    return _verdict(
        Reason.ERROR,
        Text(
            en=f"cannot read {filename}: {exc.strerror}", zh=f"无法读取 {filename}：{exc.strerror}"
        ),
    )


def _too_large(filename: str, size: int) -> dict[str, Any]:
    return _verdict(
        Reason.ERROR,
        Text(
            en=f"{filename} is too large ({size} bytes; the limit is {MAX_SUBMISSION_BYTES})",
            zh=f"{filename} 太大（{size} 字节；上限为 {MAX_SUBMISSION_BYTES}）",
        ),
    )


def read_submission(path: Path, filename: str) -> tuple[str | None, dict[str, Any] | None, bytes]:
    """The submission's text, or a verdict for every check when it cannot be run at all.

    Its size is checked with ``stat`` before anything is read, and at most one byte past the
    limit is ever read (a file that grows, or a sparse file of gigabytes, costs nothing).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError as exc:
        return None, _unreadable(filename, exc), b""
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return (
                None,
                _verdict(
                    Reason.ERROR,
                    Text(en=f"{filename} is not a regular file", zh=f"{filename} 不是普通文件"),
                ),
                b"",
            )
        if st.st_size > MAX_SUBMISSION_BYTES:
            return None, _too_large(filename, st.st_size), b""
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(MAX_SUBMISSION_BYTES + 1)
    except OSError as exc:
        return None, _unreadable(filename, exc), b""
    finally:
        os.close(fd)
    if len(data) > MAX_SUBMISSION_BYTES:
        return None, _too_large(filename, len(data)), data
    if b"\x00" in data:
        return (
            None,
            _verdict(
                Reason.ERROR,
                Text(
                    en=f"{filename} is a binary file, not Python source",
                    zh=f"{filename} 是二进制文件，不是 Python 源代码",
                ),
            ),
            data,
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return (
            None,
            _verdict(
                Reason.ERROR,
                Text(
                    en=f"{filename} is not valid UTF-8 (line {line}); save it as UTF-8",
                    zh=f"{filename} 不是有效的 UTF-8 编码（第 {line} 行）；请以 UTF-8 保存",
                ),
                line,
            ),
            data,
        )
    if not text.strip():
        return text, None, data
    return text, None, data


class _ExcRecorder:
    """Keeps the exception of the first failing phase of the item (setup, call, teardown)."""

    def __init__(self) -> None:
        self.exc: BaseException | None = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
        if call.excinfo is not None and self.exc is None:
            self.exc = call.excinfo.value
        yield


JUDGE_GRACE = 2.0
"""Seconds a check's own code may run past its time limit before the judge stops it."""
JUDGE_MEMORY = 4 << 30
"""Address space a CPU judge may add to what it has mapped when it starts grading."""


@contextlib.contextmanager
def _alarm(seconds: float) -> Any:
    """Raise JudgeTimeout in this (single-threaded) judge if the block runs ``seconds``."""
    fired: list[bool] = []

    def ring(signum: int, frame: Any) -> None:
        fired.append(True)
        raise JudgeTimeout(
            Text(
                en="time limit exceeded: the check took too long with what your code returned",
                zh="超时：检查在处理你的代码返回的结果时耗时过长",
            ),
        )

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01))
    try:
        yield fired
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _limit_memory() -> None:
    """Cap this judge's address space: a value the submission sent must not take the machine."""
    try:
        with open("/proc/self/statm") as fh:
            mapped = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = mapped + JUDGE_MEMORY
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (OSError, ValueError):
        pass


MESSAGE_LIMIT = 4_000
"""Characters of a check's message in a result (a check's f-string can quote a huge value)."""


def _report_text(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = clip_text(text, limit) if type(text) is str else clip_text(str(text), limit)
    return clean_text(text)


def _output_text(log: Any) -> str:
    text = clean_text(bytes(log.output).decode("utf-8", errors="replace"))
    if len(text) > PER_CHECK_OUTPUT or log.dropped:
        text = text[:PER_CHECK_OUTPUT] + "\n[…]"
    return text


def _skip_lazy_cuda_seeding() -> None:
    """A CPU judge never initialises CUDA, yet every ``torch.manual_seed`` in a check queues a
    lazy CUDA seed with the whole formatted stack (a millisecond or two under pytest's deep
    stack, on every call). This judge process is thrown away after one submission."""
    import torch

    if not torch.cuda.is_initialized():
        torch.cuda.manual_seed_all = lambda seed: None


class SubmissionGrading:
    """Grading one submission against collected check items, in a judge process."""

    def __init__(self, req: GradeRequest, send: Send, template: TemplateClient) -> None:
        self.req = req
        self.send = send
        self.template = template
        self.verdict: dict[str, Any] | None = None
        self.link: ExecutorLink | None = None
        self.results: list[dict[str, Any]] = []
        self.layers: list[tuple[str, ...]] = []
        self.outputs: list[tuple[str, str]] = []
        self.started = time.monotonic()
        self.raw = b""
        self.empty = False
        self.refused = False
        """Set when an executor lacked a required layer: the error was sent, no result follows."""
        self.content_error: str | None = None
        """Set when the exercise itself is invalid (a ``deny:`` entry): an error, not a result."""

    def prepare(self) -> None:
        """Read the submission (stat first), hand it to the executor template, set the proxy."""
        req = self.req
        text, verdict, self.raw = read_submission(Path(req.submission_path), req.filename)
        self.empty = text is not None and not text.strip()
        if req.skip_reason:
            verdict = _verdict(Reason.SKIPPED, req.skip_reason)
        if req.deny:
            # The exercise's deny: list is decided here, statically, before anything runs.
            try:
                denied = resolve_deny(req.deny)
            except DenyError as exc:
                self.content_error = f"{Path(req.exercise_dir) / 'exercise.yaml'}: {exc}"
                verdict = _verdict(Reason.ERROR, Text(en=self.content_error, zh=self.content_error))
            else:
                if verdict is None and text is not None:
                    verdict = deny_verdict(text, req.filename, denied)
        if verdict is None and text is not None:
            # The template compiles the submission under the policy (it has run none of it).
            problem = self.template.send_job(executor_job(req, text), req.course_paths())
            if problem is not None:
                verdict = _compile_verdict(problem)
            else:
                self.link = ExecutorLink(self.template, req.time_limit, req.budget(), req.device)
        if verdict is None and self.empty:
            verdict = _verdict(
                Reason.ERROR,
                Text(
                    en=f"{req.filename} is empty: write your code in it, then grade again",
                    zh=f"{req.filename} 是空文件：先在其中写好代码，再评分",
                ),
            )
        self.verdict = verdict
        if req.device == "cpu":
            _skip_lazy_cuda_seeding()
            _limit_memory()
        plugin.CONTEXT = plugin.RunContext(
            session=RemoteSession(self.link) if self.link is not None else None,
            filename=req.filename,
            device=req.device,
        )

    def close(self) -> None:
        if self.link is not None:
            self.link.close()
        self.template.close()

    def _run(self, items: list[pytest.Item], index: int, recorder: _ExcRecorder) -> dict[str, Any]:
        if self.verdict is not None:  # the whole file could not run: the same for every check
            return dict(self.verdict, duration=0.0)
        link = self.link
        assert link is not None
        if link.budget_left() <= 0:
            return {
                "reason": Reason.TIMEOUT,
                "message": Text(
                    zh=f"未运行：整个提交的时间预算（{link.budget:g} 秒）已用完",
                    en=f"not run: the time budget for the whole submission ({link.budget:g} s) "
                    "ran out",
                ),
                "duration": 0.0,
            }
        started = time.monotonic()
        link.begin_check()
        recorder.exc = None
        nextitem = items[index + 1] if index + 1 < len(items) else None
        from _pytest.runner import runtestprotocol

        with _alarm(link.check_deadline - started + JUDGE_GRACE) as fired:
            runtestprotocol(items[index], log=False, nextitem=nextitem)
        if fired:  # interrupted anywhere, maybe mid-frame: the executor's state is unknown
            link.abandon()
        log = link.end_check()
        if link.import_failure is not None:
            # Importing the file failed: no check can run. The reason becomes the verdict of
            # every check and the result's summary, as for a syntax error.
            failure = link.import_failure
            message = failure.text
            if failure.traceback:
                message = Text(
                    en=f"{message.en}\n\n{failure.traceback}",
                    zh=f"{message.zh}\n\n{failure.traceback}",
                )
            self.verdict = _verdict(Reason(failure.reason), message, failure.line)
            return self._run(items, index, recorder)
        verdict = classify(recorder.exc, log)
        verdict["duration"] = time.monotonic() - started
        verdict["output"] = _output_text(log)
        verdict["layers"] = log.layers
        return verdict

    def run(self, session: pytest.Session) -> None:
        items = list(session.items)
        counts = Counter((item.module.__name__, item.originalname) for item in items)  # type: ignore[attr-defined]
        self.send({"event": "progress", "done": 0, "total": len(items), "name": ""})
        recorder = _ExcRecorder()
        session.config.pluginmanager.register(recorder, "grader-exc-recorder")
        for index, item in enumerate(items):
            outcome = self._run(items, index, recorder)
            key = (item.module.__name__, item.originalname)  # type: ignore[attr-defined]
            points = _points(item, self.req.kind) / counts[key]
            if outcome.get("layers") is not None:
                self.layers.append(tuple(outcome["layers"]))
                lacking = sorted(set(self.req.required_layers) - set(outcome["layers"]))
                if lacking:  # --require-sandbox: the probe said yes, this executor did not
                    self.send(
                        {
                            "event": "error",
                            "message": "--require-sandbox: the executor ran without the sandbox "
                            f"layers {', '.join(lacking)}; nothing was graded",
                        }
                    )
                    self.refused = True
                    return
            if outcome.get("output"):
                self.outputs.append((item.name, outcome["output"]))
            reason = Reason(outcome["reason"])
            message = outcome["message"]
            if not isinstance(message, Text):
                message = Text.from_dict(message)
            self.results.append(
                {
                    "name": item.name,
                    "max_score": points,
                    "score": points if reason is Reason.PASSED else 0.0,
                    "reason": str(reason),
                    "messages": {k: _report_text(v) for k, v in message.to_dict().items()},
                    "traceback": _report_text(outcome.get("traceback", "") or "", 16_000),
                    "line": outcome.get("line"),
                    "duration": outcome.get("duration", 0.0),
                }
            )
            self.send(
                {"event": "progress", "done": index + 1, "total": len(items), "name": item.name}
            )

    def finish(self, collect_errors: list[str]) -> None:
        """Send the one ``result`` (or ``error``) message."""
        if self.refused:
            return
        if self.content_error is not None:
            self.send({"event": "error", "message": self.content_error, "content": True})
            return
        if collect_errors or not self.results:
            detail = "\n".join(collect_errors) or "no checks were collected"
            self.send(
                {
                    "event": "error",
                    "message": f"the exercise's checks could not be loaded: {detail}",
                }
            )
            return
        req = self.req
        summary = EMPTY
        if self.verdict is not None:
            summary = self.verdict["message"]
        elif self.empty:
            summary = Text(zh=f"{req.filename} 是空文件", en=f"{req.filename} is empty")
        if self.layers:
            layers = sorted(set.intersection(*(set(x) for x in self.layers)))
        else:  # no executor reported (a syntax error, every check timed out): the machine's
            layers = sorted(req.sandbox_layers)
        output = "\n".join(f"── {name} ──\n{text_out}" for name, text_out in self.outputs)
        versions = python_versions()
        self.send(
            {
                "event": "result",
                "result": {
                    "exercise": req.exercise_id,
                    "kind": req.kind,
                    "tests": self.results,
                    "execution_time": time.monotonic() - self.started,
                    "summary": {k: clean_text(v) for k, v in summary.to_dict().items()},
                    "learner_output": output,
                    "provenance": {
                        "grader_version": __version__,
                        "exercise_hash": req.exercise_hash,
                        "checks_hash": req.checks_hash,
                        "submission_hash": hashlib.sha256(self.raw).hexdigest(),
                        "torch_version": versions["torch"],
                        "numpy_version": versions["numpy"],
                        "python_version": versions["python"],
                        "device": req.device,
                        "sandbox_layers": layers,
                    },
                },
            }
        )


class _Collector:
    """Records collection errors (a check file that does not import)."""

    def __init__(self) -> None:
        self.collect_errors: list[str] = []

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")


class OneShot(_Collector):
    """A pytest plugin that replaces the test loop: grade one submission, then stop."""

    def __init__(self, grading: SubmissionGrading) -> None:
        super().__init__()
        self.grading = grading
        self.ran = False

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        self.ran = True
        self.grading.prepare()
        self.grading.run(session)
        return True


def _points(item: pytest.Item, kind: str) -> float:
    marker = item.get_closest_marker("points")
    if marker is not None and marker.args:
        return float(marker.args[0])
    return 1.0 if kind == "public" else 0.0


def python_versions() -> dict[str, str]:
    """The versions a result's provenance records."""
    import numpy
    import torch

    return {
        "torch": str(torch.__version__),
        "numpy": str(numpy.__version__),
        "python": sys.version.split()[0],
    }


def executor_job(req: GradeRequest, text: str) -> dict[str, Any]:
    return {
        "source": text,
        "filename": req.filename,
        "allow": list(req.allow),
        "deny": list(req.deny),
        "device": req.device,
        "cpu_seconds": req.budget() + 1.0,
        "memory_mb": req.memory_mb,
    }


def pytest_args(req: GradeRequest) -> list[str]:
    return [
        *req.check_files,
        "-c",
        str(GRADER_INI),
        "--rootdir",
        req.exercise_dir,
        "--noconftest",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:stepwise",
        "-p",
        "grader.judge.plugin",
        "--assert=plain",
        "--import-mode=importlib",
        "-s",
        "-q",
    ]


def _compile_verdict(problem: dict[str, Any]) -> dict[str, Any]:
    reason = Reason.POLICY if problem.get("reason") == "policy" else Reason.ERROR
    line = problem.get("line")
    return _verdict(
        reason,
        Text(en=clip_text(problem.get("en"), 60_000), zh=clip_text(problem.get("zh"), 60_000)),
        line if type(line) is int else None,
    )


def _quiet() -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"


def grade_in_process(req: GradeRequest, send: Send, template: TemplateClient) -> None:
    """Runs in a one-shot judge process (a fork of the warm worker, forked after the template):
    collect the checks, grade one submission."""
    _quiet()
    grading = SubmissionGrading(req, send, template)
    loop = OneShot(grading)
    try:
        pytest.main(pytest_args(req), plugins=[loop])
        # The result first; the clean-up (reaping the executor) can follow.
        grading.finish(loop.collect_errors or ([] if loop.ran else ["collection failed"]))
    finally:
        grading.close()
