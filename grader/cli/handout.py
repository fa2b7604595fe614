"""``grader export-student``: write what students receive."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import course_option, torch_option


@click.command(name="export-student")
@click.argument("out", type=click.Path(path_type=Path))
@click.option(
    "--answers/--no-answers",
    default=True,
    show_default=True,
    help="Keep question answers and explanations (self-study) or strip them (a graded exam).",
)
@course_option
@click.option(
    "--wheel",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Pin this grader wheel in the handout (e.g. the CI kit's ci/torch_grader-*.whl, so "
    "students install exactly what grades them) [default: build one from this checkout].",
)
@click.option(
    "--no-wheel",
    is_flag=True,
    help="Leave the grader wheel out (the README then says to install the one you hand out).",
)
@torch_option("the README")
def export_student(
    out: Path,
    answers: bool,
    course: Path | None,
    wheel: Path | None,
    no_wheel: bool,
    torch_spec: str | None,
) -> None:
    """Write the student handout to OUT (a new or empty folder): question banks, exercise
    statements, starters and public checks. Hidden checks and solutions are never included.

    Self-study needs the answers (the quiz app gives feedback with them), so they are kept by
    default. For a graded exam use --no-answers: answer, explanation, reference, key_points and
    regex are removed and `order` questions are shuffled; those banks are for reading, not for
    the app.

    The grader itself goes in wheel/ with its sha256 (never the bundled course), and the README
    gives the exact commands that check and install it, then run the public checks.
    """
    from grader.course import resolve_course
    from grader.errors import UsageError
    from grader.handout import export_student as write_handout
    from grader.i18n import Text, default_lang

    lang = default_lang()
    if wheel is not None and no_wheel:
        contradict = Text(
            zh="--wheel 和 --no-wheel 互相矛盾", en="--wheel and --no-wheel contradict each other"
        )
        raise UsageError(contradict.get(lang))
    pinned: Path | bool = False if no_wheel else (wheel if wheel is not None else True)
    report = write_handout(
        resolve_course(course), out, answers=answers, wheel=pinned, torch_spec=torch_spec
    )
    wrote = Text(
        zh="已把 {banks} 个题库（{kept}）和 {exercises} 个练习写到 {out}",
        en="wrote {banks} banks ({kept}) and {exercises} exercises to {out}",
    )
    kept = (
        Text(zh="含答案", en="with answers")
        if answers
        else Text(zh="不含答案", en="without answers")
    )
    counts = {"banks": report.banks, "exercises": report.exercises, "out": out}
    click.echo(wrote.get(lang).format(kept=kept.get(lang), **counts), err=True)
