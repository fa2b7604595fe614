"""``grader doctor``: which sandbox layers work on this machine, and which Python, torch and GPU."""

from __future__ import annotations

import json
from typing import Any

import click

from grader.cli.options import SandboxCommand, format_option, require_sandbox_option
from grader.errors import ExitCode


def _render_text(report: dict[str, Any], lang: str) -> None:
    """The report for people. English keeps its few bilingual lines (the header, the log, the
    notes, the verdict); Chinese (``grader --lang zh``) is Chinese throughout, except what the
    probes themselves say (why a layer is unavailable, what it needs, a smoke test's failure)."""

    def say(*, zh: str, en: str) -> None:
        click.echo(zh if lang == "zh" else en)

    uid = report["platform"]["uid"]
    who = "root" if uid == 0 else f"uid {uid}"
    say(
        zh=f"沙箱层（在用完即弃的子进程中探测，以 {who} 身份运行）：",
        en=f"Sandbox layers / 沙箱层 (probed in throwaway children, running as {who}):",
    )
    width = max(len(layer["name"]) for layer in report["layers"])
    for essential in (True, False):
        if essential:
            say(
                zh="  必需层（--require-sandbox 要求每一层都启用）：",
                en="  essential (--require-sandbox needs each one):",
            )
        else:
            say(
                zh="  附加层（纵深防御；--require-sandbox=all 也要求这些层）：",
                en="  extra (defence in depth; --require-sandbox=all needs these too):",
            )
        for layer in report["layers"]:
            if layer["essential"] != essential:
                continue
            if layer["active"]:
                state = "已启用" if lang == "zh" else "active"
            elif lang == "zh":
                state = f"不可用：{layer['reason']}（需要 {layer['needs']}）"
            else:
                state = f"unavailable: {layer['reason']} (needs {layer['needs']})"
            click.echo(f"    {layer['name']:<{width}}  {state}")
    python = report["python"]
    say(
        zh=f"Python {python['version']}（{python['executable']}）",
        en=f"Python {python['version']} ({python['executable']})",
    )
    facts = report["torch"]
    if "torch" in facts:
        cuda = report["cuda"]
        gpus = ", ".join(facts.get("devices") or []) or "?"
        say(
            zh=f"torch {facts['torch']}（CUDA 构建：{facts.get('cuda_build') or '无'}）；CUDA："
            + (f"可用（{gpus}）" if cuda["available"] else "不可用"),
            en=f"torch {facts['torch']} (CUDA build: {facts.get('cuda_build') or 'none'}); CUDA: "
            + (f"available ({gpus})" if cuda["available"] else "not available"),
        )
    else:
        error = facts.get("torch_error", "unknown error")
        say(zh=f"torch：无法导入（{error}）", en=f"torch: not importable ({error})")
    if "numpy" in facts:
        click.echo(f"numpy {facts['numpy']}")
    scratch = report.get("scratch")
    if scratch:
        mib, files = scratch["quota_bytes"] >> 20, scratch["quota_files"]
        private = scratch["private_tmpfs"]
        say(
            zh=f"执行器临时空间配额：{mib} MiB、{files} 个文件"
            + ("（私有的 noexec tmpfs）" if private else "（在两次检查之间统计）"),
            en=f"Executor scratch quota: {mib} MiB, {files} files "
            + ("(a private noexec tmpfs)" if private else "(counted between checks)"),
        )
    say(
        zh="执行器中的可执行内存：在 CPU 上由 seccomp 拒绝（执行器和评测进程中都关闭了 oneDNN；"
        "冒烟测试在该过滤器下运行 conv2d 和一次 1024² 的矩阵乘法）",
        en="Executable memory in the executor: refused by seccomp on CPU (oneDNN is off there and in "
        "the judge; the smoke test runs conv2d and a 1024² matmul under the filter)",
    )
    for device, result in report["smoke"].items():
        if result["ok"]:
            say(
                zh=f"沙箱冒烟测试（{device}）：通过——torch 在加固的子进程中完成了前向和反向传播、"
                f"conv2d 和一次大矩阵乘法（{result['seconds']:.2f} 秒）",
                en=f"Sandboxed smoke test ({device}): ok — torch ran forward/backward, conv2d and a "
                f"large matmul in a hardened child ({result['seconds']:.2f} s)",
            )
        else:
            say(
                zh=f"沙箱冒烟测试（{device}）：失败——{result['reason']}",
                en=f"Sandboxed smoke test ({device}): FAILED — {result['reason']}",
            )
        for name, why in sorted(result.get("failures", {}).items()):
            say(
                zh=f"  探测时 {name} 层可用，但它在该子进程中失败了：{why}",
                en=f"  layer {name} failed in that child although the probe found it: {why}",
            )
    for note in report["notes"]:
        if lang != "zh":
            click.echo(f"note: {note['en']}")
        click.echo(f"注意：{note['zh']}")
    for problem in report["problems"]:
        say(zh=f"问题：{problem}", en=f"PROBLEM: {problem}")
    _render_log(report["log"], lang)
    if not report["essential_complete"]:
        say(
            zh="此机器缺少必需的沙箱层，或 torch 无法在沙箱中运行；"
            "`grader grade --require-sandbox` 将拒绝评分。",
            en="An essential layer is missing or torch cannot run sandboxed here; "
            "`grader grade --require-sandbox` would refuse to grade.\n"
            "此机器缺少必需的沙箱层，或 torch 无法在沙箱中运行；"
            "`grader grade --require-sandbox` 将拒绝评分。",
        )
    elif not report["complete"]:
        say(
            zh="必需的沙箱层均已启用；部分附加层不可用，只有 `--require-sandbox=all` 会拒绝评分。",
            en="The essential layers are active; some extra layers are not, so only "
            "`--require-sandbox=all` would refuse to grade.\n"
            "必需的沙箱层均已启用；部分附加层不可用，只有 `--require-sandbox=all` 会拒绝评分。",
        )


def _render_log(log: dict[str, Any], lang: str) -> None:
    if log["path"] is None:
        return
    if log["error"] is None:
        if lang == "zh":
            click.echo(f"日志：{log['path']}（debug 级别；报告问题时请附上）")
        else:
            click.echo(
                f"Log / 日志: {log['path']} (debug level; attach it to a bug report / "
                "报告问题时请附上)"
            )
    elif lang == "zh":
        click.echo(f"日志：未写入——{log['error']}")
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
    The text report follows `grader --lang` (GRADER_LANG); in Chinese, what the probes report
    (why a layer is unavailable, what it needs from the kernel) stays in English.

    Exit status: 0; 4 with --require-sandbox when an essential layer is missing, torch cannot be
    imported or the sandboxed smoke test fails (with --require-sandbox=all: any layer).
    """
    from grader.i18n import default_lang
    from grader.sandbox.os.diagnose import diagnose

    report = diagnose(smoke=not no_smoke)
    report["log"] = _log_facts()
    if fmt == "json":
        click.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _render_text(report, default_lang())
    key = "complete" if require_sandbox == "all" else "essential_complete"
    if require_sandbox and not report[key]:
        raise SystemExit(int(ExitCode.GRADER_ERROR))
