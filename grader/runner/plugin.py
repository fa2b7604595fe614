"""The pytest plugin that every check run uses: ``submission`` and ``device`` fixtures, points, resets.

Inside the grader the runner sets :data:`CONTEXT` before the checks run. For authoring, the plugin
also works from the command line::

    pytest -p grader.runner.plugin --grader-submission solutions/backward-linear.py \
        exercises/backward-linear/hidden

which loads the submission under the same RestrictedPython policy the grader uses
(``--grader-unrestricted`` skips the policy, for debugging a check only).
"""

from __future__ import annotations

import random
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from grader.checks import CheckFailed


@dataclass
class RunContext:
    """What the runner hands the fixtures of one check run."""

    source: str
    """The submission's source text."""
    filename: str
    """The name shown in tracebacks and policy messages (the learner's file name)."""
    device: str = "cpu"
    """'cpu' or 'cuda': where the exercise runs."""
    allow: tuple[str, ...] = ()
    """Extra modules/names the exercise's policy admits."""
    unrestricted: bool = False
    """Skip the policy (authoring only; the grader never sets this)."""
    code: Any = None
    """The policy-compiled code object, when the runner compiled it already."""
    loaded: list[types.ModuleType] = field(default_factory=list)


CONTEXT: RunContext | None = None


class SubmissionModule(types.ModuleType):
    """The learner's module; a missing name fails the check with a clear bilingual message."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise CheckFailed(
            en=f"your file does not define `{name}`",
            zh=f"你的文件中没有定义 `{name}`",
        )


def load_submission_module(ctx: RunContext) -> types.ModuleType:
    """Compile (if needed) and execute the submission into a fresh module."""
    if ctx.unrestricted:
        module = types.ModuleType("submission")
        module.__file__ = ctx.filename
        import sys

        sys.modules["submission"] = module
        exec(compile(ctx.source, ctx.filename, "exec"), module.__dict__)
    else:
        from grader.sandbox import policy

        code = ctx.code
        if code is None:
            code = policy.compile_submission(ctx.source, ctx.filename, allow=ctx.allow)
        module = policy.load_submission(code, module_name="submission", allow=ctx.allow)
    module.__class__ = SubmissionModule
    ctx.loaded.append(module)
    return module


def reset_global_state() -> None:
    """Undo global state a submission (or an earlier check) could have changed."""
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
    random.seed(0)
    np.random.seed(0)
    torch.manual_seed(0)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grader", "torch-grader checks")
    group.addoption("--grader-submission", help="the submission file the checks grade")
    group.addoption("--grader-device", default="cpu", choices=["cpu", "cuda"])
    group.addoption("--grader-allow", action="append", default=[], help="extra allowed module")
    group.addoption(
        "--grader-unrestricted", action="store_true", help="skip the policy (authoring)"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): how many points a check is worth")
    global CONTEXT
    path = config.getoption("--grader-submission", default=None)
    if CONTEXT is None and path:
        p = Path(path)
        CONTEXT = RunContext(
            source=p.read_text(encoding="utf-8"),
            filename=p.name,
            device=config.getoption("--grader-device"),
            allow=tuple(config.getoption("--grader-allow")),
            unrestricted=bool(config.getoption("--grader-unrestricted")),
        )


@pytest.fixture(autouse=True)
def _grader_reset_state() -> None:
    reset_global_state()


@pytest.fixture
def submission() -> types.ModuleType:
    """The learner's module, freshly executed for this check under the sandbox policy."""
    if CONTEXT is None:
        raise RuntimeError(
            "no submission: run the checks through `grader` or pass --grader-submission"
        )
    return load_submission_module(CONTEXT)


@pytest.fixture
def device() -> torch.device:
    """The device the exercise runs on (``cpu`` or ``cuda``)."""
    return torch.device(CONTEXT.device if CONTEXT is not None else "cpu")
