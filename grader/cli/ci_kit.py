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

    kit = write_kit(dest, wheel=wheel, torch_spec=torch_spec, per_job=students_per_job, force=force)
    click.echo(f"wrote {kit.wheel.path} (sha256 {kit.wheel.sha256})", err=True)
    click.echo(f"wrote {kit.workflow}", err=True)
    click.echo(
        f"next: git add {kit.workflow.relative_to(dest)} {kit.wheel.path.parent.relative_to(dest)}"
        " && git commit, then see templates/README.md",
        err=True,
    )
