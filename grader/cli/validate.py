"""``grader validate``: lint question banks and exercises (no torch)."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import course_option
from grader.errors import ExitCode
from grader.i18n import Text

_ADDED = Text(zh="已把 {n} 个 id 加入 {registry}", en="added {n} id{s} to {registry}")
"""What ``--update-ids`` did to one registry (stderr)."""


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def display_path(path: Path) -> Path:
    """``path`` relative to the current folder when it lies inside it (shorter messages)."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


@click.command(
    "validate",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit status: 0 clean, 1 problems found, 2 a path does not exist.",
)
@click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path), metavar="[PATH]..."
)
@course_option
@click.option(
    "--update-ids",
    is_flag=True,
    help="Add the ids of valid questions to each questions folder's ids.txt (created if missing).",
)
@click.option("--no-cache", is_flag=True, help="Re-check every bank file, ignoring the cache.")
@click.option(
    "--no-typography",
    is_flag=True,
    help="Skip the CJK typography lint of question and exercise texts (for a course with "
    "conventions of its own); every other check still runs.",
)
def validate(
    paths: tuple[Path, ...],
    course: Path | None,
    update_ids: bool,
    no_cache: bool,
    no_typography: bool,
) -> None:
    """Lint question banks and exercises: schema, translations, answers, ids, points.

    PATH may be a bank file, a folder of banks, an exercise folder, a folder of exercises or a
    course folder. Without PATH, the active course's questions/ and exercises/ are checked.
    Every problem is printed on its own line as `path:line: id: message`; a YAML syntax error
    is followed by the line as written, with a ^ under the place to edit. A file that does not
    parse still has its other questions checked.

    Every text a learner reads (a bank's title, description, prompt, hint, explanation, options,
    reference, key points, the parametrised questions of questions/generated/ included; an
    exercise's title, statement and hints) is linted too. It must not
    cite the seed notes ("the seed's", 种子文档), which learners never see; and, unless
    --no-typography, it must follow CJK typography: no space beside full-width punctuation (one
    made by YAML folding a line break included), no line break inside a Chinese paragraph
    (Markdown shows it as a space), “…” rather than ASCII quotes around Chinese text, no
    full-width letters or digits in code, no half-width punctuation in a sentence with full-width
    punctuation. Code spans, code blocks and URLs are not read as prose. Such problems fail the
    run, but the question is still served in quizzes.

    An explanation that claims an error, in-place behaviour or memory sharing needs a `verify:`
    block, which `grader verify` runs (questions/README.md, "Verified claims"); for the banks
    listed in the questions folder's verify_pending.txt this is a warning, which does not fail
    the run.

    The summary on stderr follows `grader --lang` (GRADER_LANG); the problem lines keep their
    `path:line: id: message` form, with the message in English.
    """
    from grader.i18n import default_lang
    from grader.validate import validate_paths

    if not paths:
        from grader.course import resolve_course

        active = resolve_course(course)
        paths = tuple(
            display_path(folder)
            for folder in (active.questions, active.exercises)
            if folder.is_dir()
        )
    report = validate_paths(
        paths, update_ids=update_ids, cache=not no_cache, typography=not no_typography
    )
    lang = default_lang()
    for registry, added in report.ids_added.items():
        click.echo(
            _ADDED.get(lang).format(n=len(added), s=_s(len(added)), registry=registry), err=True
        )
    for problem in report.problems:
        click.echo(problem.render())
    for warning in report.warnings:
        click.echo(warning.render())
    click.echo(report.summary(lang), err=True)
    raise SystemExit(int(ExitCode.OK if report.ok else ExitCode.FAILED))
