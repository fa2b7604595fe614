"""``grader grade`` (hidden checks) and ``grader check`` (public checks)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Literal

import click

from grader.cli.options import (
    SandboxCommand,
    course_option,
    format_option,
    require_sandbox_option,
)
from grader.errors import UsageError
from grader.i18n import Text, default_lang


def _options(func: click.decorators.FC) -> click.decorators.FC:
    for option in reversed(
        [
            click.argument("exercise"),
            click.argument("submission", type=click.Path(path_type=Path)),
            format_option(
                ("text", "json", "junit"),
                help="text for people, json (Gradescope results.json shape) or junit XML.",
            ),
            click.option(
                "--device",
                type=click.Choice(["auto", "cpu", "cuda"]),
                default="auto",
                show_default=True,
                help="auto uses CUDA when present for exercises that allow it.",
            ),
            click.option(
                "--timeout",
                type=float,
                default=None,
                help="Cap the per-check time limit (seconds); never raises the "
                "exercise's own limit.",
            ),
            click.option(
                "--lang",
                type=click.Choice(["zh", "en"]),
                default=None,
                help="Language of messages (default: from the locale).",
            ),
            course_option,
            require_sandbox_option("Refuse to grade"),
            click.option(
                "--output",
                "-o",
                type=click.Path(path_type=Path),
                default=None,
                help="Also write the report to this file.",
            ),
            click.option(
                "--json",
                "json_path",
                type=click.Path(path_type=Path),
                default=None,
                help="Also write the JSON report to this file (same grading run).",
            ),
            click.option(
                "--junit",
                "junit_path",
                type=click.Path(path_type=Path),
                default=None,
                help="Also write the JUnit XML report to this file (same grading run).",
            ),
        ]
    ):
        func = option(func)
    return func


def _run(kind: Literal["hidden", "public"], options: dict[str, Any]) -> None:
    """Grade with the parsed command-line options and exit with the result's status."""
    from grader.runner.api import grade_file
    from grader.runner.reports import render_json, render_junit, render_text

    submission: Path = options["submission"]
    chosen = options["lang"] or default_lang()
    if not submission.exists():
        missing = Text(zh="提交文件 {path} 不存在", en="submission file {path} does not exist")
        raise UsageError(missing.get(chosen).format(path=submission))
    if submission.is_dir():
        folder = Text(
            zh="{path} 是文件夹；请给出提交的 .py 文件",
            en="{path} is a folder; pass the submission's .py file",
        )
        raise UsageError(folder.get(chosen).format(path=submission))
    result = grade_file(
        options["exercise"],
        submission,
        kind=kind,
        course=options["course"],
        device=options["device"],
        timeout=options["timeout"],
        require_sandbox=options["require_sandbox"],
    )
    fmt = options["fmt"]
    if fmt == "json":
        text = render_json(result, chosen) + "\n"
    elif fmt == "junit":
        text = render_junit(result, chosen) + "\n"
    else:
        text = render_text(result, chosen, color=sys.stdout.isatty())
    sys.stdout.write(text)
    if options["output"] is not None:
        options["output"].write_text(text, encoding="utf-8")
    if options["json_path"] is not None:
        options["json_path"].write_text(render_json(result, chosen) + "\n", encoding="utf-8")
    if options["junit_path"] is not None:
        options["junit_path"].write_text(render_junit(result, chosen) + "\n", encoding="utf-8")
    sys.exit(int(result.exit_code))


@click.command(cls=SandboxCommand)
@_options
def grade(**options: Any) -> None:
    """Run EXERCISE's hidden checks on SUBMISSION (a .py file) in the sandbox.

    Exit status: 0 full marks; 1 graded, not full (anything wrong inside the submission);
    2 usage error (unknown exercise, missing file); 3 incomplete (e.g. a CUDA exercise without
    a GPU); 4 grader error (e.g. --require-sandbox and a layer is missing).
    """
    _run("hidden", options)


@click.command(cls=SandboxCommand)
@_options
def check(**options: Any) -> None:
    """Run EXERCISE's public checks on SUBMISSION: what a learner runs while working.

    Passing the public checks does not mean full marks: `grader grade` runs the hidden ones.
    Exit status as for `grader grade`.
    """
    _run("public", options)
