"""``grader gradescope``: build a Gradescope autograder bundle for one exercise."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import course_option, torch_option


@click.command()
@click.argument("exercise")
@click.argument("out", type=click.Path(path_type=Path))
@course_option
@click.option(
    "--wheel",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A grader wheel to bundle (default: build one from this checkout; needs hatchling).",
)
@torch_option("setup.sh")
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the feedback students read on Gradescope, and of this command's messages "
    "[default of the messages: grader --lang].",
)
def gradescope(
    exercise: str,
    out: Path,
    course: Path | None,
    wheel: Path | None,
    torch_spec: str | None,
    lang: str,
) -> None:
    """Write OUT (a .zip) to upload as a Gradescope autograder for EXERCISE.

    The zip holds setup.sh (installs Python, a CPU build of torch and the bundled grader
    wheel), run_autograder, and the exercise with its hidden checks. Students submit
    `<exercise-id>.py`; each grade goes to /autograder/results/results.json. A CUDA exercise
    is refused: Gradescope has no GPU.
    """
    from click.core import ParameterSource

    from grader.course import resolve_course
    from grader.errors import UsageError
    from grader.exercises.loader import find_exercise
    from grader.gradescope import build_bundle
    from grader.i18n import Text, default_lang

    given = click.get_current_context().get_parameter_source("lang") is ParameterSource.COMMANDLINE
    shown = lang if given else default_lang()
    if out.suffix != ".zip":
        not_zip = Text(
            zh="{out}：这个包是 zip 文件，请命名为 <名称>.zip",
            en="{out}: the bundle is a zip file; name it <something>.zip",
        )
        raise UsageError(not_zip.get(shown).format(out=out))
    active = resolve_course(course)
    ex = find_exercise(exercise, active.exercises, active.solutions)
    if active.bundled_exercises:
        from grader.batch.run import BUNDLED_WARNING

        click.echo(f"warning: {BUNDLED_WARNING}", err=True)
    build_bundle(ex, out, wheel=wheel, torch_spec=torch_spec, lang=lang)  # type: ignore[arg-type]
    wrote = Text(
        zh="已写出 {out}：把它上传为 '{id}' 的 autograder",
        en="wrote {out}: upload it as the autograder of '{id}'",
    )
    click.echo(wrote.get(shown).format(out=out, id=ex.id), err=True)
