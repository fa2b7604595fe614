"""``grader doctor``: which sandbox layers work on this machine, and which Python, torch and GPU."""

from __future__ import annotations

import json
from typing import Any

import click

from grader.errors import ExitCode


def _render_text(report: dict[str, Any]) -> None:
    uid = report["platform"]["uid"]
    who = "root" if uid == 0 else f"uid {uid}"
    click.echo(f"Sandbox layers / 沙箱层 (probed in throwaway children, running as {who}):")
    width = max(len(layer["name"]) for layer in report["layers"])
    for layer in report["layers"]:
        state = "active" if layer["active"] else f"unavailable: {layer['reason']}"
        click.echo(f"  {layer['name']:<{width}}  {state}")
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
    for note in report["notes"]:
        click.echo(f"note: {note['en']}")
        click.echo(f"注意：{note['zh']}")
    if not report["complete"]:
        click.echo(
            "The sandbox is incomplete here; `grader grade --require-sandbox` would refuse to grade.\n"
            "此机器上的沙箱不完整；`grader grade --require-sandbox` 将拒绝评分。"
        )


@click.command("doctor", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="A report for people, or JSON for scripts.",
)
@click.option(
    "--require-sandbox",
    is_flag=True,
    help="Exit with status 4 when any sandbox layer (or a sandboxed smoke test) is missing.",
)
@click.option(
    "--no-smoke",
    is_flag=True,
    help="Skip the smoke tests that import torch in a hardened child (a few seconds).",
)
def doctor(fmt: str, require_sandbox: bool, no_smoke: bool) -> None:
    """Probe each sandbox layer in a throwaway child and print what is active, with reasons.

    Also prints the Python, torch and numpy versions and whether CUDA is present (detected
    without initialising CUDA in this process), then imports torch in a hardened child to prove
    the sandbox leaves enough of the runtime readable.

    Exit status: 0, or 4 with --require-sandbox when a layer is missing.
    """
    from grader.sandbox.os.diagnose import diagnose

    report = diagnose(smoke=not no_smoke)
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _render_text(report)
    if require_sandbox and not report["complete"]:
        raise SystemExit(int(ExitCode.GRADER_ERROR))
