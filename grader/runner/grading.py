"""Inside the grading process: read and compile the submission, collect the checks, run each in a child."""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from grader import __version__
from grader.runner import plugin
from grader.runner.child import run_checks
from grader.runner.engine import (
    GRADER_INI,
    MAX_SUBMISSION_BYTES,
    make_scratch_root,
    python_versions,
    remove_tree,
)
from grader.runner.request import GradeRequest
from grader.runner.result import Message, Reason

Send = Callable[[dict[str, Any]], None]


def _verdict(reason: Reason, en: str, zh: str, line: int | None = None) -> dict[str, Any]:
    return {"reason": reason, "message": Message(en, zh), "line": line}


def read_submission(path: Path, filename: str) -> tuple[str | None, dict[str, Any] | None, bytes]:
    """The submission's text, or a verdict for every check when it cannot be run at all."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return (
            None,
            _verdict(
                Reason.ERROR,
                f"cannot read {filename}: {exc.strerror}",
                f"无法读取 {filename}：{exc.strerror}",
            ),
            b"",
        )
    if len(data) > MAX_SUBMISSION_BYTES:
        return (
            None,
            _verdict(
                Reason.ERROR,
                f"{filename} is too large ({len(data)} bytes; the limit is {MAX_SUBMISSION_BYTES})",
                f"{filename} 太大（{len(data)} 字节；上限为 {MAX_SUBMISSION_BYTES}）",
            ),
            data,
        )
    if b"\x00" in data:
        return (
            None,
            _verdict(
                Reason.ERROR,
                f"{filename} is a binary file, not Python source",
                f"{filename} 是二进制文件，不是 Python 源代码",
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
                f"{filename} is not valid UTF-8 (line {line}); save it as UTF-8",
                f"{filename} 不是有效的 UTF-8 编码（第 {line} 行）；请以 UTF-8 保存",
                line,
            ),
            data,
        )
    if not text.strip():
        return text, None, data
    return text, None, data


def compile_submission(text: str, filename: str, allow: tuple[str, ...]) -> tuple[Any, dict | None]:
    """Compile under the policy; a syntax error or a policy violation is a verdict for every check."""
    from grader.sandbox import policy

    try:
        return policy.compile_submission(text, filename, allow=allow), None
    except SyntaxError as exc:
        where = f"line {exc.lineno}, column {exc.offset}" if exc.lineno else "unknown line"
        where_zh = f"第 {exc.lineno} 行第 {exc.offset} 列" if exc.lineno else "未知位置"
        return None, _verdict(
            Reason.ERROR,
            f"syntax error in {filename} at {where}: {exc.msg}",
            f"{filename} 有语法错误，位于{where_zh}：{exc.msg}",
            exc.lineno,
        )
    except policy.PolicyViolation as exc:
        found = getattr(exc, "all", None) or [exc]
        en = "\n".join(v.en for v in found)
        zh = "\n".join(v.zh for v in found)
        return None, _verdict(Reason.POLICY, en, zh, getattr(found[0], "lineno", None))
    except (RecursionError, MemoryError):
        # Python's own parser gives up on deeply nested code (e.g. thousands of chained `1+`):
        # the learner's file cannot be compiled, which is a graded result, not a grader fault.
        return None, _verdict(
            Reason.ERROR,
            f"{filename} cannot be compiled: its code is nested too deeply for Python's parser",
            f"{filename} 无法编译：代码嵌套过深，超出了 Python 解析器的能力",
        )


class Loop:
    """A pytest plugin that replaces the test loop: one forked child per check."""

    def __init__(self, req: GradeRequest, send: Send, verdict: dict[str, Any] | None) -> None:
        self.req = req
        self.send = send
        self.verdict = verdict
        self.results: list[dict[str, Any]] = []
        self.layers: list[tuple[str, ...]] = []
        self.outputs: list[tuple[str, str]] = []
        self.collect_errors: list[str] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool:
        items = list(session.items)
        counts = Counter((item.module.__name__, item.originalname) for item in items)  # type: ignore[attr-defined]
        scratch_root = make_scratch_root()
        self.send({"event": "progress", "done": 0, "total": len(items), "name": ""})
        try:
            if self.verdict is not None:
                verdicts = ((i, dict(self.verdict, duration=0.0)) for i in range(len(items)))
            else:
                verdicts = run_checks(items, self.req, scratch_root)
            for index, outcome in verdicts:
                item = items[index]
                points = (
                    _points(item, self.req.kind)
                    / counts[
                        (item.module.__name__, item.originalname)  # type: ignore[attr-defined]
                    ]
                )
                if outcome.get("layers") is not None:
                    self.layers.append(tuple(outcome["layers"]))
                if outcome.get("output"):
                    self.outputs.append((item.name, outcome["output"]))
                reason = Reason(outcome["reason"])
                message = outcome["message"]
                if not isinstance(message, Message):
                    message = Message(**message)
                self.results.append(
                    {
                        "name": item.name,
                        "max_score": points,
                        "score": points if reason is Reason.PASSED else 0.0,
                        "reason": str(reason),
                        "messages": message.to_dict(),
                        "traceback": outcome.get("traceback", ""),
                        "line": outcome.get("line"),
                        "duration": outcome.get("duration", 0.0),
                    }
                )
                self.send(
                    {"event": "progress", "done": index + 1, "total": len(items), "name": item.name}
                )
        finally:
            remove_tree(scratch_root)
        return True

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid}: {report.longreprtext[-2000:]}")


def _points(item: pytest.Item, kind: str) -> float:
    marker = item.get_closest_marker("points")
    if marker is not None and marker.args:
        return float(marker.args[0])
    return 1.0 if kind == "public" else 0.0


def _preload_for(text: str, check_files: tuple[str, ...]) -> None:
    """Import what every check child would otherwise import again, once, before forking them.

    The first optimizer of a process imports torch._dynamo (~1 s); a warm worker has it already,
    a cold CLI run imports it here only when the submission or the checks use torch.optim.
    """
    import sys

    if "torch._dynamo" in sys.modules:
        return
    needs = "optim" in text
    for name in check_files:
        try:
            needs = needs or "optim" in Path(name).read_text(encoding="utf-8")
        except OSError:
            pass
    if needs:
        import torch._dynamo  # noqa: F401


def _hide_course(req: GradeRequest) -> None:
    """Keep the graded course's exercises and solutions unreadable by the check children, even
    when it is installed inside a folder the sandbox grants (e.g. a course package in
    site-packages): the worker hid only the course that was active when it started."""
    try:
        from grader.sandbox import layers
    except ImportError:  # the OS layer is optional (e.g. on macOS)
        return
    exercises = Path(req.exercise_dir).parent
    layers.hide([exercises, exercises.parent / "solutions", *req.check_files])


def grade_in_process(req: GradeRequest, send: Send) -> None:
    """Runs in the grading process (a fork of the warm worker)."""
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    started = time.monotonic()
    sub_path = Path(req.submission_path)
    text, verdict, raw = read_submission(sub_path, req.filename)
    empty = text is not None and not text.strip()
    code = None
    if req.skip_reason_en:
        verdict = _verdict(Reason.SKIPPED, req.skip_reason_en, req.skip_reason_zh)
    elif verdict is None and text is not None:
        code, verdict = compile_submission(text, req.filename, req.allow)
    _preload_for(text or "", req.check_files)
    _hide_course(req)
    plugin.CONTEXT = plugin.RunContext(
        source=text or "",
        filename=req.filename,
        device=req.device,
        allow=req.allow,
        code=code,
    )
    loop = Loop(req, send, verdict)
    args = [
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
        "grader.runner.plugin",
        "-p",
        "no:tmpdir",
        "-p",
        "grader.runner.scratch_fixtures",
        "--assert=plain",
        "--import-mode=importlib",
        "-s",
        "-q",
    ]
    os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    pytest.main(args, plugins=[loop])
    if loop.collect_errors or not loop.results:
        detail = "\n".join(loop.collect_errors) or "no checks were collected"
        send({"event": "error", "message": f"the exercise's checks could not be loaded: {detail}"})
        return
    summary = Message("", "")
    if verdict is not None:
        summary = verdict["message"]
    elif empty:
        summary = Message(f"{req.filename} is empty", f"{req.filename} 是空文件")
    layers = sorted(set.intersection(*(set(x) for x in loop.layers))) if loop.layers else []
    output = "\n".join(f"── {name} ──\n{text_out}" for name, text_out in loop.outputs)
    versions = python_versions()
    send(
        {
            "event": "result",
            "result": {
                "exercise": req.exercise_id,
                "kind": req.kind,
                "tests": loop.results,
                "execution_time": time.monotonic() - started,
                "summary": summary.to_dict(),
                "learner_output": output,
                "provenance": {
                    "grader_version": __version__,
                    "exercise_hash": req.exercise_hash,
                    "checks_hash": req.checks_hash,
                    "submission_hash": hashlib.sha256(raw).hexdigest(),
                    "torch_version": versions["torch"],
                    "numpy_version": versions["numpy"],
                    "python_version": versions["python"],
                    "device": req.device,
                    "sandbox_layers": layers,
                },
            },
        }
    )
