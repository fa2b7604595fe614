"""``grader doctor``: which sandbox layers work on this machine, and which Python, torch and GPU."""

from __future__ import annotations

import json
from typing import Any

import click

from grader.cli.options import SandboxCommand, format_option, require_sandbox_option
from grader.errors import ExitCode


def _render_text(report: dict[str, Any]) -> None:
    uid = report["platform"]["uid"]
    who = "root" if uid == 0 else f"uid {uid}"
    click.echo(f"Sandbox layers / 沙箱层 (probed in throwaway children, running as {who}):")
    width = max(len(layer["name"]) for layer in report["layers"])
    for essential in (True, False):
        click.echo(
            "  essential (--require-sandbox needs each one):"
            if essential
            else "  extra (defence in depth; --require-sandbox=all needs these too):"
        )
        for layer in report["layers"]:
            if layer["essential"] != essential:
                continue
            if layer["active"]:
                state = "active"
            else:
                state = f"unavailable: {layer['reason']} (needs {layer['needs']})"
            click.echo(f"    {layer['name']:<{width}}  {state}")
    python = report["python"]
    click.echo(f"Python {python['version']} ({python['executable']})")
    facts = report["torch"]
    if "torch" in facts:
        build = facts.get("cuda_build") or "none"
        cuda = report["cuda"]
        if cuda["available"]:
            gpus = ", ".join(facts.get("devices") or []) or "?"
            gpu = f"available ({gpus})"
        else:
            gpu = "not available"
        click.echo(f"torch {facts['torch']} (CUDA build: {build}); CUDA: {gpu}")
    else:
        click.echo(f"torch: not importable ({facts.get('torch_error', 'unknown error')})")
    if "numpy" in facts:
        click.echo(f"numpy {facts['numpy']}")
    scratch = report.get("scratch")
    if scratch:
        quota = f"{scratch['quota_bytes'] >> 20} MiB, {scratch['quota_files']} files"
        how = "a private noexec tmpfs" if scratch["private_tmpfs"] else "counted between checks"
        click.echo(f"Executor scratch quota: {quota} ({how})")
    click.echo(
        "Executable memory in the executor: refused by seccomp on CPU (oneDNN is off there and in "
        "the judge; the smoke test runs conv2d and a 1024² matmul under the filter)"
    )
    for device, result in report["smoke"].items():
        if result["ok"]:
            click.echo(
                f"Sandboxed smoke test ({device}): ok — torch ran forward/backward, conv2d and a "
                f"large matmul in a hardened child ({result['seconds']:.2f} s)"
            )
        else:
            click.echo(f"Sandboxed smoke test ({device}): FAILED — {result['reason']}")
        for name, why in sorted(result.get("failures", {}).items()):
            click.echo(f"  layer {name} failed in that child although the probe found it: {why}")
    for note in report["notes"]:
        click.echo(f"note: {note['en']}")
        click.echo(f"注意：{note['zh']}")
    for problem in report["problems"]:
        click.echo(f"PROBLEM: {problem}")
    _render_log(report["log"])
    if not report["essential_complete"]:
        click.echo(
            "An essential layer is missing or torch cannot run sandboxed here; "
            "`grader grade --require-sandbox` would refuse to grade.\n"
            "此机器缺少必需的沙箱层，或 torch 无法在沙箱中运行；"
            "`grader grade --require-sandbox` 将拒绝评分。"
        )
    elif not report["complete"]:
        click.echo(
            "The essential layers are active; some extra layers are not, so only "
            "`--require-sandbox=all` would refuse to grade.\n"
            "必需的沙箱层均已启用；部分附加层不可用，只有 `--require-sandbox=all` 会拒绝评分。"
        )


def _render_log(log: dict[str, Any]) -> None:
    if log["path"] is None:
        return
    if log["error"] is None:
        click.echo(
            f"Log / 日志: {log['path']} (debug level; attach it to a bug report / 报告问题时请附上)"
        )
    else:
        click.echo(f"Log / 日志: not written / 未写入 — {log['error']}")


def _log_facts() -> dict[str, Any]:
    """Where this run's log goes, for the report (``grader.logs`` knows; the sandbox does not)."""
    from grader.logs import status

    now = status()
    return {"path": None if now.path is None else str(now.path), "error": now.error}


@click.command(
    "doctor", cls=SandboxCommand, context_settings={"help_option_names": ["-h", "--help"]}
)
@format_option()
@require_sandbox_option("Exit with status 4 when torch cannot run sandboxed here, or")
@click.option(
    "--no-smoke",
    is_flag=True,
    help="Skip the smoke tests that import torch in a hardened child (a few seconds).",
)
def doctor(fmt: str, require_sandbox: str | None, no_smoke: bool) -> None:
    """Probe each sandbox layer in a throwaway child and print what is active, with reasons.

    Also prints the Python, torch and numpy versions and whether CUDA is present (detected
    without initialising CUDA in this process), then imports torch in a hardened child to prove
    the sandbox leaves enough of the runtime readable.

    Layers are essential (integrity and containment rest on each) or extra (defence in depth,
    also enforced by an essential one); each layer's line says what it needs from the kernel.
    It also says where the log file is (attach it, and this report, to a bug report).

    Exit status: 0; 4 with --require-sandbox when an essential layer is missing, torch cannot be
    imported or the sandboxed smoke test fails (with --require-sandbox=all: any layer).
    """
    from grader.sandbox.os.diagnose import diagnose

    report = diagnose(smoke=not no_smoke)
    report["log"] = _log_facts()
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _render_text(report)
    key = "complete" if require_sandbox == "all" else "essential_complete"
    if require_sandbox and not report[key]:
        raise SystemExit(int(ExitCode.GRADER_ERROR))
