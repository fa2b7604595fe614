"""The pytest plugin that every check run uses: ``submission`` and ``device`` fixtures, points, resets.

Checks run in the judge; ``submission`` is a proxy whose every use is a request to the executor,
where the learner's file was imported once under the sandbox (see ``grader/judge/remote.py``).
Inside the grader the judge sets :data:`CONTEXT` before the checks run. For authoring, the plugin
also works from the command line::

    pytest -p grader.runner.plugin --grader-submission solutions/backward-linear.py \
        exercises/backward-linear/hidden

which starts an executor template before anything else, imports the submission there under the
same policy and layers the grader uses, and gives the same verdicts (pass or fail) as
``grader grade``.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch


@dataclass
class RunContext:
    """What the judge hands the fixtures of one check run."""

    session: Any
    """The :class:`grader.judge.remote.RemoteSession` of the submission (None: nothing to run)."""
    filename: str
    device: str = "cpu"
    """'cpu' or 'cuda': where the exercise runs."""
    authoring: Any = None
    """The executor link when the plugin runs under plain pytest (begin/end each check here)."""


CONTEXT: RunContext | None = None


def reset_global_state() -> None:
    """Undo global state an earlier check could have changed (in the judge)."""
    # Each setter is called only when the state differs: use_deterministic_algorithms() imports
    # torch._dynamo (~1 s) on every call.
    if not torch.is_grad_enabled():
        torch.set_grad_enabled(True)
    if torch.get_default_dtype() != torch.float32:
        torch.set_default_dtype(torch.float32)
    if torch.are_deterministic_algorithms_enabled():
        torch.use_deterministic_algorithms(False)
    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    if torch.backends.mkldnn.enabled:
        # The executor runs CPU convolutions without oneDNN (its seccomp filter refuses the
        # executable memory oneDNN's JIT needs): the judge's references use the same kernels.
        torch.backends.mkldnn.enabled = False  # type: ignore[assignment]  # typed as ContextProp
    random.seed(0)
    np.random.seed(0)
    torch.default_generator.manual_seed(0)
    if torch.cuda.is_initialized():
        torch.cuda.manual_seed_all(0)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grader", "torch-grader checks")
    group.addoption("--grader-submission", help="the submission file the checks grade")
    group.addoption("--grader-device", default="cpu", choices=["cpu", "cuda"])
    group.addoption("--grader-allow", action="append", default=[], help="extra allowed module")
    group.addoption(
        "--grader-deny", action="append", default=[], help="an API the exercise forbids (deny:)"
    )
    group.addoption(
        "--grader-time-limit", type=float, default=10.0, help="seconds per check (default 10)"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): how many points a check is worth")
    global CONTEXT
    path = config.getoption("--grader-submission", default=None)
    if CONTEXT is None and path:
        CONTEXT = _authoring_context(config, Path(path))


def _authoring_context(config: pytest.Config, path: Path) -> RunContext:
    """Plain pytest with ``--grader-submission``: a template, an executor link, the proxy."""
    from grader.executor.template import fork_template
    from grader.judge.executor_link import ExecutorLink
    from grader.judge.remote import RemoteSession

    source = path.read_text(encoding="utf-8")
    deny = tuple(config.getoption("--grader-deny"))
    if deny:  # the judge's static scan, as `grader grade` runs it before anything else
        from grader.denylist import DenyError
        from grader.denylist import resolve as resolve_deny
        from grader.judge.deny_scan import deny_verdict

        try:
            verdict = deny_verdict(source, path.name, resolve_deny(deny))
        except DenyError as exc:
            raise pytest.UsageError(f"--grader-deny: {exc}") from None
        if verdict is not None:
            raise pytest.UsageError(f"{path.name} cannot run: {verdict['message'].en}")
    template = fork_template()
    limit = float(config.getoption("--grader-time-limit"))
    device = config.getoption("--grader-device")
    problem = template.send_job(
        {
            "source": source,
            "filename": path.name,
            "allow": list(config.getoption("--grader-allow")),
            "deny": list(deny),
            "device": device,
            "cpu_seconds": 3600.0,
            "memory_mb": 2048,
        },
        [str(Path(a).resolve()) for a in config.args],
    )
    config.add_cleanup(template.wait)
    if problem is not None:
        raise pytest.UsageError(f"{path.name} cannot run: {problem.get('en')}")
    link = ExecutorLink(template, limit, 1e9, device)  # no whole-submission budget while authoring
    config.add_cleanup(link.close)  # cleanups run last-in first-out: the link before the template
    return RunContext(
        session=RemoteSession(link), filename=path.name, device=device, authoring=link
    )


@pytest.fixture(autouse=True)
def _grader_reset_state() -> Iterator[None]:
    reset_global_state()
    link = CONTEXT.authoring if CONTEXT is not None else None
    if link is not None:
        link.begin_check()
    yield
    if link is not None:
        log = link.end_check()
        if log.violations:
            v = log.violations[0]
            pytest.fail(f"policy violation (line {v['line']}): {v['en']}", pytrace=False)


@pytest.fixture
def submission() -> Any:
    """The learner's module: a proxy to the file imported once in the sandboxed executor."""
    if CONTEXT is None or CONTEXT.session is None:
        raise RuntimeError(
            "no submission: run the checks through `grader` or pass --grader-submission"
        )
    from grader.judge.remote import SubmissionProxy

    return SubmissionProxy.of(CONTEXT.session)


@pytest.fixture
def device() -> torch.device:
    """The device the exercise runs on (``cpu`` or ``cuda``)."""
    return torch.device(CONTEXT.device if CONTEXT is not None else "cpu")
