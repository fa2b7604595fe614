"""``grader verify``: execute the content against the installed torch (what `validate` cannot)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from grader.cli.options import course_option, format_option
from grader.course import resolve_course
from grader.i18n import Text

_EXERCISES_VERIFIED = Text(
    zh="已验证 {n} 个练习：{problems} 个问题", en="verified {n} exercises: {problems} problems"
)
"""The summary line of the solutions and starters graded (stderr)."""


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@course_option
@click.option(
    "--snippets/--no-snippets",
    default=True,
    show_default=True,
    help="Run every code_output snippet and verify block (twice, different PYTHONHASHSEED).",
)
@click.option(
    "--exercises/--no-exercises",
    "check_exercises",
    default=True,
    show_default=True,
    help="Grade every solution (must get full marks) and starter (must not).",
)
@click.option(
    "--variants/--no-variants",
    "check_variants",
    default=True,
    show_default=True,
    help="Check variants/<id>/manifest.yaml beside exercises/ and grade every variant it lists "
    "(correct: full marks; buggy: loses points in exactly its `fails` checks, and scores > 0).",
)
@click.option(
    "--instances",
    type=click.IntRange(min=0),
    default=20,
    show_default=True,
    help="Instances (seeds 0..N-1) of every parametrised question (questions/generated/) to "
    "render and execute; 0 renders none (their verify blocks still run).",
)
@format_option()
def verify(
    paths: tuple[Path, ...],
    course: Path | None,
    snippets: bool,
    check_exercises: bool,
    check_variants: bool,
    instances: int,
    fmt: str,
) -> None:
    """Execute the content: code_output answers, verify blocks, solutions, starters and variants.

    PATHS are bank files or folders and exercise folders; by default the active course's
    questions/ and exercises/. The variants of the exercises checked are read from the course's
    variants/ folder (beside exercises/; see exercises/README.md, "Checking your hidden checks
    with variants"); CUDA exercises are skipped without a GPU, as the summary says. A question's
    verify blocks must print their `output` or raise their `raises` (questions/README.md,
    "Verified claims"); one that needs a module not installed is skipped, as the summary says.
    Every parametrised question (questions/generated/) is rendered and executed for
    --instances seeds; a failing instance names the seed that reproduces it. Their verify
    blocks run as a bank's do.
    Every problem is printed as `path:line: id: message`, then a summary on stderr.
    The summaries follow `grader --lang` (GRADER_LANG); the problem lines keep their
    `path:line: id: message` form, with the message in English.
    Exit status: 0 all verified, 1 problems found, 2 a path does not exist.
    """
    from grader.errors import UsageError
    from grader.exercises.loader import load_exercise
    from grader.i18n import default_lang
    from grader.runner.client import WarmWorker
    from grader.verify.exercises import verify_exercises
    from grader.verify.snippets import verify_snippets
    from grader.verify.variants import verify_variants

    lang = default_lang()
    active = resolve_course(course)
    for p in paths:
        if not p.exists():
            raise UsageError(Text(zh="{p} 不存在", en="{p} does not exist").get(lang).format(p=p))
    bank_paths = [
        p
        for p in paths
        if not (p / "exercise.yaml").is_file()
        and not (p.is_dir() and any(p.glob("*/exercise.yaml")))
    ]
    ex_dirs = [p for p in paths if (p / "exercise.yaml").is_file()]
    for p in paths:
        if p.is_dir() and not (p / "exercise.yaml").is_file() and any(p.glob("*/exercise.yaml")):
            ex_dirs.extend(sorted(d.parent for d in p.glob("*/exercise.yaml")))
    if not paths:
        bank_paths = [active.questions] if active.questions.is_dir() else []
        ex_dirs = sorted(d.parent for d in active.exercises.glob("*/exercise.yaml"))
    lines: list[str] = []
    report = None
    plain_banks = [p for p in bank_paths if p.name != "generated" and p.parent.name != "generated"]
    if snippets and plain_banks:
        report = verify_snippets(plain_banks)
        lines.extend(str(p) for p in report.problems)
    params_report = None
    param_folders = [p for p in bank_paths if p.is_dir() or p.parent.name == "generated"]
    if snippets and param_folders:  # with --instances 0 only their verify blocks run
        from grader.verify.params import verify_params

        params_report = verify_params(param_folders, instances)
        lines.extend(str(p) for p in params_report.problems)
    ex_problems = []
    variant_report = None
    if (check_exercises or check_variants) and ex_dirs:
        exercises = [load_exercise(d, active.solutions) for d in ex_dirs]
        with WarmWorker() as worker:  # one warm worker grades solutions, starters and variants
            if check_exercises:
                ex_problems = verify_exercises(exercises, worker=worker)
                lines.extend(str(p) for p in ex_problems)
            if check_variants:
                variant_report = verify_variants(exercises, worker=worker)
                lines.extend(str(p) for p in variant_report.problems)
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "ok": not lines,
                    "snippets": report.to_dict() if report else None,
                    "exercises": {
                        "checked": len(ex_dirs) if check_exercises else 0,
                        "problems": [str(p) for p in ex_problems],
                    },
                    "variants": variant_report.to_dict() if variant_report else None,
                    "params": params_report.to_dict() if params_report else None,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        for line in lines:
            click.echo(line)
        if report is not None:
            click.echo(report.summary(lang), err=True)
        if params_report is not None:
            click.echo(params_report.summary(lang), err=True)
        if check_exercises:
            counts = {"n": len(ex_dirs), "problems": len(ex_problems)}
            click.echo(_EXERCISES_VERIFIED.get(lang).format(**counts), err=True)
        if variant_report is not None:
            click.echo(variant_report.summary(lang), err=True)
    sys.exit(1 if lines else 0)
