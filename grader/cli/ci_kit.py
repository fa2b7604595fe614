"""``grader ci-kit``: pin the grader in a private grading repository and write its workflow."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import torch_option


@click.command("ci-kit")
@click.argument("dest", type=click.Path(path_type=Path, file_okay=False), default=".")
@click.option(
    "--wheel",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A grader wheel to pin (default: build one from this checkout; needs hatchling).",
)
@torch_option("the workflow")
@click.option(
    "--students-per-job",
    type=int,
    default=25,
    show_default=True,
    help="Students graded by one job (GitHub runs at most 256 jobs per matrix).",
)
@click.option("--force", is_flag=True, help="Replace a workflow file that is not this template.")
def ci_kit(
    dest: Path, wheel: Path | None, torch_spec: str | None, students_per_job: int, force: bool
) -> None:
    """Write the GitHub Actions grading kit into DEST (your private grading repository).

    DEST gets ci/torch_grader-<version>-py3-none-any.whl with its .sha256 (the grader without
    the bundled course) and .github/workflows/grade-class.yml with the wheel's path and sha256
    filled in: the workflow checks the hash before it installs that file, and never installs
    the grader by an index name. Commit both, then follow templates/README.md. Run it again
    after upgrading the grader.
    """
    from grader.ci_kit import write_kit
    from grader.i18n import Text, default_lang

    lang = default_lang()
    kit = write_kit(dest, wheel=wheel, torch_spec=torch_spec, per_job=students_per_job, force=force)
    wrote = Text(zh="已写出 {path}", en="wrote {path}")
    hashed = Text(zh="{path}（sha256 {sha256}）", en="{path} (sha256 {sha256})")
    wheel_line = hashed.get(lang).format(path=kit.wheel.path, sha256=kit.wheel.sha256)
    click.echo(wrote.get(lang).format(path=wheel_line), err=True)
    click.echo(wrote.get(lang).format(path=kit.workflow), err=True)
    add = f"git add {kit.workflow.relative_to(dest)} {kit.wheel.path.parent.relative_to(dest)}"
    then = Text(
        zh="下一步：{add} && git commit，然后参看 templates/README.md",
        en="next: {add} && git commit, then see templates/README.md",
    )
    click.echo(then.get(lang).format(add=add), err=True)
