"""Authoring: run an exercise's checks under plain pytest, as ``grader grade`` runs them::

    pytest -p grader.runner.plugin --grader-submission solutions/backward-linear.py \
        exercises/backward-linear/hidden

This plugin starts an executor template before anything else, imports the submission there under
the same policy and layers the grader uses, and gives the same verdicts (pass or fail) as
``grader grade``. It wires a judge to an executor, as the runner's engine does: the fixtures, the
``points`` marker and the resets are the judge's own plugin (:mod:`grader.judge.plugin`), which
it loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from grader.judge.plugin import RunContext

# pytest imports (and assertion-rewrites) the judge's plugin itself: this module must not import
# it first, so grader.judge.plugin is imported below only inside hooks, once pytest has loaded it.
pytest_plugins = ["grader.judge.plugin"]


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
    from grader.judge import plugin

    path = config.getoption("--grader-submission", default=None)
    if plugin.CONTEXT is None and path:
        plugin.CONTEXT = _authoring_context(config, Path(path))


def _authoring_context(config: pytest.Config, path: Path) -> RunContext:
    """Plain pytest with ``--grader-submission``: a template, an executor link, the proxy."""
    from grader.executor.template import fork_template
    from grader.judge.executor_link import ExecutorLink
    from grader.judge.plugin import RunContext
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
