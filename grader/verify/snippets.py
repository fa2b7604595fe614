"""Execute every ``code_output`` snippet and ``verify`` block and compare with what is declared.

Snippets run bank by bank in warm interpreters (``_runner.py``): torch is imported once per run,
each bank runs in its own child forked from that interpreter (one interpreter per bank and run
where the OS cannot fork), and every snippet is exec()'d in a fresh namespace; after a snippet
times out, the rest of its bank runs in a fresh process (the timed-out one may hold a
half-imported module). Everything runs
TWICE, with different ``PYTHONHASHSEED`` values, different seeds for the random generators and
each bank's snippets in reverse order. A snippet is a problem when it raises or times out, when
its output differs between the two runs, when the output shows a memory address or a timing, or
when it differs from the declared answer under the answer-checking rule
(``grader.bank.answers.normalise_output``: line by line, trailing whitespace and trailing blank
lines ignored). Snippets run on the CPU (``CUDA_VISIBLE_DEVICES`` is emptied) with one thread, so
answers do not depend on the machine.

A question's ``verify`` blocks (``grader.bank.model.VerifyBlock``) run in the same interpreters,
twice, beside the bank's snippets. A block with ``output`` is judged like a snippet; one with
``raises`` must raise that exception (or a subclass) in both runs, with a message that
``match`` (a regular expression) is found in, if given. A block whose ``requires`` names a module
that is not installed is skipped, and the report counts it; a block without ``code`` (checked by
reading its ``reference``) is only counted. Problems read ``path:line: id: verify[i]: ...``, the
line of the block.

This module never imports torch; the versions verified against come back from the runner.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.bank.answers import normalise_output
from grader.bank.loader import LoadedBank, load_banks
from grader.bank.model import Bank, CodeOutputQuestion
from grader.bank.problems import Problem
from grader.bank.source import decode, parse

_RUNNER = Path(__file__).resolve().with_name("_runner.py")
_ADDRESS = re.compile(r"0x[0-9a-f]{6,}", re.IGNORECASE)
_TIMING = re.compile(
    r"(?<![\w.])\d+(?:\.\d+)?(?:e-?\d+)?\s?(?:ns|us|µs|ms|s|sec|secs|seconds)\b",
)
_STARTUP_ALLOWANCE = 120.0
"""Seconds granted to an interpreter for importing torch, on top of the per-snippet timeouts."""
_RUNS = (1, 2)
"""PYTHONHASHSEED (and generator seed) of the two runs; the second runs each bank in reverse."""
_BANK_MARGIN = 5.0
"""Seconds a bank gets on top of its snippets' timeouts (as in ``_runner.BANK_MARGIN``)."""
_SHOWN = 160
"""Characters of an output shown in a problem message."""


@dataclass(frozen=True)
class Snippet:
    """One ``code_output`` question to execute."""

    path: str
    """The bank file as given (or ``<bank id>`` for an in-memory bank)."""
    line: int | None
    """1-based line of the question's ``id`` in the file; None when unknown."""
    id: str
    code: str
    answer: str

    @property
    def key(self) -> str:
        """The name it runs under."""
        return self.id

    @property
    def requires(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class Block:
    """One ``verify`` block with code to execute."""

    path: str
    line: int | None
    """1-based line of the block (its ``- `` item) in the file; else the question's line."""
    id: str
    """The question's id."""
    index: int
    """The block's index in the question's ``verify`` list."""
    code: str
    output: str | None
    raises: str | None
    match: str | None
    requires: tuple[str, ...]

    @property
    def key(self) -> str:
        """The name it runs under: ``question-id#verify[i]``."""
        return f"{self.id}#verify[{self.index}]"


Job = Snippet | Block


@dataclass(frozen=True)
class SnippetReport:
    """The outcome of :func:`verify_snippets`."""

    problems: tuple[Problem, ...]
    """Every problem: those of the snippets, then those the bank loader found in the files."""
    snippets: int
    """Number of snippets executed (each twice)."""
    banks: int
    """Number of banks holding at least one snippet."""
    torch_version: str | None
    """torch version the snippets ran against (None when no snippet ran or torch is missing)."""
    numpy_version: str | None
    python_version: str | None
    seconds: float
    """Wall-clock time of the whole verification."""
    outputs: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    """Question id (``id#verify[i]`` for a block) -> what it printed in the first run (for
    writing answers)."""
    blocks: int = 0
    """Number of verify blocks with code (each run twice, unless skipped)."""
    skipped: tuple[tuple[str, str], ...] = ()
    """``(id#verify[i], module)`` of each block skipped because ``module`` is not installed."""
    read_only: int = 0
    """Number of verify blocks without code: claims checked by reading their ``reference``."""

    @property
    def ok(self) -> bool:
        """True when every snippet printed its declared answer, deterministically."""
        return not self.problems

    def format(self) -> str:
        """Problems one per line, then a summary line naming the versions verified against."""
        return "\n".join([*(str(p) for p in self.problems), self.summary()])

    def summary(self, lang: str = "en") -> str:
        """The summary line (the last of :meth:`format`); in Chinese when ``lang`` is ``zh``."""
        if lang == "zh":
            return self._summary_zh()
        versions = f"torch {self.torch_version or '?'}, numpy {self.numpy_version or '?'}"
        blocks = f" and {self.blocks} verify blocks" if self.blocks else ""
        summary = (
            f"verified {self.snippets} code_output snippets{blocks} in {self.banks} banks against "
            f"{versions} (2 runs each, {self.seconds:.1f} s): {len(self.problems)} problems"
        )
        if self.skipped:
            missing = ", ".join(sorted({module for _, module in self.skipped}))
            n = len(self.skipped)
            summary += (
                f"; {n} verify block{'s' if n != 1 else ''} skipped ({missing} not installed)"
            )
        if self.read_only:
            n = self.read_only
            summary += f"; {n} claim{'s' if n != 1 else ''} checked by reading only (not run)"
        return summary

    def _summary_zh(self) -> str:
        versions = f"torch {self.torch_version or '?'}、numpy {self.numpy_version or '?'}"
        blocks = f"和 {self.blocks} 个 verify 块" if self.blocks else ""
        summary = (
            f"已用 {versions} 验证 {self.banks} 个题库中的 {self.snippets} 个 code_output 片段"
            f"{blocks}（每个运行 2 次，用时 {self.seconds:.1f} 秒）：{len(self.problems)} 个问题"
        )
        if self.skipped:
            missing = "、".join(sorted({module for _, module in self.skipped}))
            summary += f"；跳过 {len(self.skipped)} 个 verify 块（未安装 {missing}）"
        if self.read_only:
            summary += f"；{self.read_only} 条说法只经阅读核对（未运行）"
        return summary

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary."""
        return {
            "ok": self.ok,
            "snippets": self.snippets,
            "blocks": self.blocks,
            "skipped": [{"block": key, "missing": module} for key, module in self.skipped],
            "read_only": self.read_only,
            "banks": self.banks,
            "torch": self.torch_version,
            "numpy": self.numpy_version,
            "python": self.python_version,
            "seconds": round(self.seconds, 3),
            "problems": [
                {"path": p.path, "line": p.line, "id": p.id, "message": p.message}
                for p in self.problems
            ],
        }


def output_lines(text: str) -> list[str]:
    """The answer-checking normal form (``grader.bank.answers.normalise_output``) as a list."""
    return list(normalise_output(text))


def _shown(text: str) -> str:
    joined = "\n".join(output_lines(text))
    if len(joined) > _SHOWN:
        joined = joined[:_SHOWN] + "…"
    return repr(joined)


def _block_lines(path: Path) -> dict[str, list[int]]:
    """Line of each verify block in the bank file ``path``, by question id (empty when the file
    cannot be read: the questions' lines are used then)."""
    try:
        text, _ = decode(path.read_bytes())
    except OSError:
        return {}
    doc = parse(text)[0] if text is not None else None
    items = doc.data.get("questions") if doc is not None and isinstance(doc.data, dict) else None
    if doc is None or not isinstance(items, list):
        return {}
    lines: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        if isinstance(item, dict) and isinstance(item.get("verify"), list):
            blocks = range(len(item["verify"]))
            lines[str(item.get("id"))] = [
                doc.line_of(("questions", i, "verify", j)) for j in blocks
            ]
    return lines


def _jobs(bank: LoadedBank) -> tuple[list[Job], int]:
    """The snippets and verify blocks of one bank, question by question, and the number of
    blocks without code."""
    jobs: list[Job] = []
    read_only = 0
    block_lines: dict[str, list[int]] | None = None
    for q in bank.questions:
        line = bank.lines.get(q.id)
        if isinstance(q, CodeOutputQuestion):
            jobs.append(Snippet(str(bank.path), line, q.id, q.code, q.answer))
        if not q.verify:
            continue
        if block_lines is None:
            block_lines = _block_lines(bank.path) if bank.lines else {}
        here = block_lines.get(q.id, [])
        for i, block in enumerate(q.verify):
            if block.code is None:
                read_only += 1
                continue
            block_line = here[i] if i < len(here) else line
            jobs.append(
                Block(
                    str(bank.path),
                    block_line,
                    q.id,
                    i,
                    block.code,
                    block.output,
                    block.raises,
                    block.match,
                    block.requires,
                )
            )
    return jobs, read_only


def _collect(
    banks_or_paths: Iterable[str | os.PathLike[str] | LoadedBank | Bank],
) -> tuple[list[list[Job]], int, list[Problem]]:
    """Group the snippets and verify blocks by bank, and count the blocks without code; paths
    go through the bank loader (its problems come back)."""
    items = list(banks_or_paths)
    paths = [item for item in items if not isinstance(item, LoadedBank | Bank)]
    loaded = load_banks(paths) if paths else None
    banks: list[LoadedBank] = []
    for item in items:
        if isinstance(item, LoadedBank):
            banks.append(item)
        elif isinstance(item, Bank):
            banks.append(LoadedBank(bank=item, path=Path(f"<bank {item.bank}>"), lines={}))
    if loaded is not None:
        banks.extend(loaded.banks)
    groups = []
    read_only = 0
    for bank in banks:
        group, unrun = _jobs(bank)
        read_only += unrun
        if group:
            groups.append(group)
    return groups, read_only, list(loaded.problems) if loaded is not None else []


@dataclass
class _RunResult:
    """What one run of one bank produced."""

    versions: dict[str, Any]
    done: dict[str, dict[str, Any]]
    """Finished snippets by id: their stdout, error and seconds."""
    running: str | None
    """The snippet that had started but not finished when the bank stopped, if any."""
    failure: str | None
    """Why the bank stopped early (killed, crashed), or None."""


def _can_fork() -> bool:
    return os.name == "posix" and hasattr(os, "fork")


def _read_bank(path: Path) -> tuple[dict[str, dict[str, Any]], str | None]:
    done: dict[str, dict[str, Any]] = {}
    running = None
    if path.exists():
        for raw in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(raw)
            except json.JSONDecodeError:
                break
            if record["event"] == "start":
                running = record["id"]
            elif record["event"] == "done":
                done[record["id"]] = record
                running = None
    return done, running


def _run_job(
    banks: Sequence[Sequence[Job]], seed: int, timeout: float, fork: bool
) -> list[_RunResult]:
    """Run ``banks`` in one interpreter started with PYTHONHASHSEED=seed (one result per bank).

    With ``fork`` each bank runs in a child forked from that warm interpreter.
    """
    env = dict(os.environ)
    env.update(
        PYTHONHASHSEED=str(seed),
        CUDA_VISIBLE_DEVICES="",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
        OPENBLAS_NUM_THREADS="1",
        PYTHONIOENCODING="utf-8",
        PYTHONDONTWRITEBYTECODE="1",
    )
    job = {
        "seed": seed,
        "timeout": timeout,
        "fork": fork,
        "banks": [
            [{"id": s.key, "code": s.code, "requires": list(s.requires)} for s in bank]
            for bank in banks
        ],
    }
    limit = _STARTUP_ALLOWANCE + sum(timeout * len(bank) + _BANK_MARGIN for bank in banks)
    with tempfile.TemporaryDirectory(prefix="grader-verify-") as work:
        folder = Path(work)
        failure = None
        returncode, output = _run_runner(folder, json.dumps(job), env, limit)
        if returncode is None:
            failure = f"the interpreter was killed after {limit:g} s"
        elif returncode != 0:
            tail = output.strip().splitlines()[-3:]
            failure = f"the interpreter exited with status {returncode}: " + " | ".join(tail)
        versions_file = folder / "versions.json"
        versions = json.loads(versions_file.read_text()) if versions_file.exists() else {}
        statuses: dict[int, str] = {}
        status_file = folder / "status.jsonl"
        if status_file.exists():
            for raw in status_file.read_text(encoding="utf-8").splitlines():
                record = json.loads(raw)
                statuses[int(record["bank"])] = record["status"]
        results = []
        for index in range(len(banks)):
            done, running = _read_bank(folder / f"bank-{index}.jsonl")
            status = statuses.get(index)
            why = None if status == "ok" else (status or failure or "the bank did not run")
            results.append(_RunResult(versions, done, running, why))
    return results


def _run_runner(
    folder: Path, job: str, env: dict[str, str], limit: float
) -> tuple[int | None, str]:
    """Run ``_runner.py`` on ``job`` in its own process group; return its exit status (None when
    it was killed after ``limit`` seconds) and what it printed.

    Its output goes to files, not pipes, and the whole group is killed once it ends: a process a
    snippet started (a DDP worker stuck in its exit, say) may outlive the runner, and a pipe it
    kept open would make the wait for the runner's output last forever.
    """
    job_file = folder / "job.json"
    job_file.write_text(job, encoding="utf-8")
    log_file = folder / "runner.log"
    with open(job_file, "rb") as stdin, open(log_file, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, str(_RUNNER), str(folder)],
            stdin=stdin,
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=folder,
            env=env,
            process_group=0,  # a group of its own; a new session (setsid) hung the gloo DDP snippets
        )
        try:
            returncode: int | None = proc.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            returncode = None
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)  # the runner and whatever it left behind
            proc.wait()
    return returncode, log_file.read_text(encoding="utf-8", errors="replace")


def _not_run(key: str, run: _RunResult) -> str:
    if run.running == key and run.failure:
        return run.failure
    if run.failure:
        return f"not run: {run.failure}"
    return "not run"


def _judge(snippet: Snippet, first: _RunResult, second: _RunResult) -> list[Problem]:
    """The problems of one snippet, given both runs of its bank."""

    def problem(message: str) -> Problem:
        return Problem(snippet.path, snippet.line, snippet.id, message)

    expected = _shown(snippet.answer)
    for run in (first, second):
        record = run.done.get(snippet.key)
        if record is None:
            return [problem(f"expected {expected} got no output ({_not_run(snippet.key, run)})")]
        if record["error"]:
            return [problem(f"expected {expected} got an exception: {record['error']}")]
    out1 = first.done[snippet.key]["stdout"]
    out2 = second.done[snippet.key]["stdout"]
    return _judge_output(problem, snippet.answer, out1, out2)


def _judge_output(
    problem: Callable[[str], Problem], answer: str, out1: str, out2: str
) -> list[Problem]:
    """The problems of an output (``out1``, ``out2``: the two runs') that should be ``answer``."""
    expected = _shown(answer)
    found: list[Problem] = []
    for pattern, what in ((_ADDRESS, "a memory address"), (_TIMING, "a timing")):
        if match := pattern.search(out1) or pattern.search(out2):
            found.append(
                problem(f"output contains {what} ({match.group()!r}), which varies: {_shown(out1)}")
            )
    if found:
        return found
    if output_lines(out1) != output_lines(out2):
        return [
            problem(
                f"output differs between two runs (seed the random generators and avoid "
                f"set/dict-order or clock dependence): {_shown(out1)} vs {_shown(out2)}"
            )
        ]
    if output_lines(out1) != output_lines(answer):
        found.append(problem(f"expected {expected} got {_shown(out1)}"))
    return found


def _judge_block(block: Block, first: _RunResult, second: _RunResult) -> list[Problem] | str:
    """The problems of one verify block, given both runs of its bank; or the module it needs
    that is not installed (it was skipped)."""

    def problem(message: str) -> Problem:
        return Problem(block.path, block.line, block.id, f"verify[{block.index}]: {message}")

    if block.raises is not None:
        expected = block.raises + (f" matching {block.match!r}" if block.match else "")
    else:
        expected = _shown(block.output or "")
    records = []
    for run in (first, second):
        record = run.done.get(block.key)
        if record is None:
            return [problem(f"expected {expected} got no output ({_not_run(block.key, run)})")]
        if record.get("skipped"):
            return str(record["skipped"])
        records.append(record)
    if block.raises is None:
        for record in records:
            if record["error"]:
                return [problem(f"expected {expected} got an exception: {record['error']}")]
        return _judge_output(problem, block.output or "", *(r["stdout"] for r in records))
    for record in records:
        if not record["error"]:
            return [
                problem(f"expected {expected} got no exception (output {_shown(record['stdout'])})")
            ]
        if block.raises not in record.get("error_types", ()):
            return [problem(f"expected {expected} got {record['error']}")]
        if block.match and not re.search(block.match, record.get("error_message", "")):
            return [problem(f"expected {expected} got {record['error']}")]
    return []


def _run_twice(
    groups: Sequence[Sequence[Job]], timeout: float, jobs: int | None
) -> list[tuple[_RunResult, _RunResult]]:
    """Both runs of every bank: (first, second) per bank, in the order of ``groups``."""
    backwards = [list(group)[::-1] for group in groups]
    if _can_fork():
        # One warm interpreter per run, each bank in a child forked from it.
        calls = [(groups, _RUNS[0], True), (backwards, _RUNS[1], True)]
    else:
        # No fork: one interpreter per bank and run.
        calls = [([g], _RUNS[0], False) for g in groups]
        calls += [([g], _RUNS[1], False) for g in backwards]
    workers = max(1, min(jobs or os.cpu_count() or 1, len(calls)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(lambda c: _run_job(c[0], c[1], timeout, c[2]), calls))
    if len(outcomes) == 2 and calls[0][2]:
        first, second = outcomes
    else:
        first = [o[0] for o in outcomes[: len(groups)]]
        second = [o[0] for o in outcomes[len(groups) :]]
    return list(zip(first, second, strict=True))


def verify_snippets(
    banks_or_paths: Iterable[str | os.PathLike[str] | LoadedBank | Bank],
    *,
    timeout: float = 10.0,
    jobs: int | None = None,
) -> SnippetReport:
    """Execute every ``code_output`` snippet and ``verify`` block of the given banks and report
    each problem.

    Args:
        banks_or_paths: bank files or folders (read with ``grader.bank.loader.load_banks``; a
            question with a validation problem is not run, and the problem is reported), banks
            already loaded (``LoadedBank``), or bare ``Bank`` models (reported without lines).
        timeout: seconds one snippet may run; each interpreter also gets a fixed allowance for
            importing torch.
        jobs: interpreters run at the same time (default: the number of CPUs). Where the OS can
            fork, the two runs use one warm interpreter each and every bank runs in a child
            forked from it; elsewhere every bank and run gets its own interpreter.

    Returns:
        A :class:`SnippetReport`; problems read ``path:line: id: expected … got …`` (a verify
        block's: ``path:line: id: verify[i]: expected … got …``).

    Raises:
        grader.errors.UsageError: a path does not exist.
    """
    started = time.perf_counter()
    groups, read_only, load_problems = _collect(banks_or_paths)
    problems: list[Problem] = []
    pairs = _run_twice(groups, timeout, jobs) if groups else []
    versions: dict[str, Any] = {}
    outputs: dict[str, str] = {}
    skipped: list[tuple[str, str]] = []
    for group, (first, second) in zip(groups, pairs, strict=True):
        versions = versions or first.versions
        for job in group:
            if isinstance(job, Snippet):
                problems.extend(_judge(job, first, second))
            else:
                judged = _judge_block(job, first, second)
                if isinstance(judged, str):
                    skipped.append((job.key, judged))
                else:
                    problems.extend(judged)
            if job.key in first.done and not first.done[job.key].get("skipped"):
                outputs[job.key] = first.done[job.key]["stdout"]
    return SnippetReport(
        problems=tuple(problems + load_problems),
        snippets=sum(isinstance(job, Snippet) for group in groups for job in group),
        banks=len(groups),
        torch_version=versions.get("torch"),
        numpy_version=versions.get("numpy"),
        python_version=versions.get("python"),
        seconds=time.perf_counter() - started,
        outputs=outputs,
        blocks=sum(isinstance(job, Block) for group in groups for job in group),
        skipped=tuple(skipped),
        read_only=read_only,
    )
