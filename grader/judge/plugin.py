"""The judge's pytest plugin: ``submission`` and ``device`` fixtures, the ``points`` marker, resets.

Checks run in the judge; ``submission`` is a proxy whose every use is a request to the executor,
where the learner's file was imported once under the sandbox (see ``grader/judge/remote.py``).
The judge sets :data:`CONTEXT` before the checks run (``grader.judge.grading``). Under plain
pytest, :mod:`grader.runner.plugin` loads this plugin and sets :data:`CONTEXT` itself, after it
has started an executor for the submission (authoring: ``pytest -p grader.runner.plugin``).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
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
    """The executor link when the checks run under plain pytest (begin/end each check here)."""


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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "points(n): how many points a check is worth")


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
            "no submission: run the checks through `grader`, or under pytest with "
            "-p grader.runner.plugin --grader-submission FILE"
        )
    from grader.judge.remote import SubmissionProxy

    return SubmissionProxy.of(CONTEXT.session)


@pytest.fixture
def device() -> torch.device:
    """The device the exercise runs on (``cpu`` or ``cuda``)."""
    return torch.device(CONTEXT.device if CONTEXT is not None else "cpu")
