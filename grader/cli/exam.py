"""``grader exam build|take|grade``: a class exam, from the spec to the gradebook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from grader.cli.options import course_option, data_dir_option
from grader.errors import UsageError

__all__ = ["exam"]


@click.group("exam", context_settings={"help_option_names": ["-h", "--help"]})
def exam() -> None:
    """A class exam: build per-student files without answers, sit it in the app, grade it.

    \b
    grader exam build SPEC.yaml --students roster.csv --out exam/
    grader exam take exam/alice.exam          (the student)
    grader exam grade exam/key.json answers/ --out results/ [--manual sheet.csv]

    Keep key.json to yourself: it holds the answers and every student's orders.
    """


@exam.command("build")
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the student files and key.json: new or empty (a build that fails "
    "leaves nothing in it).",
)
@click.option(
    "--students",
    "roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Roster CSV with a 'student' (or 'id') column and an optional "
    "'name': one exam file per student (default: one shared class.exam).",
)
@click.option(
    "--allow-public-bank",
    is_flag=True,
    help="Build from the bundled course anyway (its answers are public).",
)
@course_option
def build_cmd(
    spec: Path, out: Path, roster: Path | None, allow_public_bank: bool, course: Path | None
) -> None:
    """Draw the exam of SPEC and write one exam file per student and the instructor key.

    A parametrised question (questions/generated/) gets its own numbers for every student;
    its instances are computed now, by running their code against the installed torch, and
    their answers go into the key only.
    """
    from grader.course import resolve_course
    from grader.exam.build import build_exam, read_generated, read_roster
    from grader.exam.spec import load_spec
    from grader.study.content import load_catalog

    parsed = load_spec(spec)
    active = resolve_course(course)
    if active.bundled and not allow_public_bank:
        raise UsageError(
            "refusing to build a class exam from the bundled course: anyone can pip-install it, "
            "answers included, so students could look every answer up. Use your own course "
            "(--course DIR or GRADER_COURSE), or pass --allow-public-bank for a practice run."
        )
    catalog = load_catalog(active)
    rows = read_roster(roster) if roster is not None else None
    generated, problems = read_generated(active.questions)
    if problems:
        click.echo(
            f"note: {len(problems)} problem(s) in {active.questions / 'generated'} left some "
            f"parametrised questions out (first: {problems[0]}); run `grader validate`",
            err=True,
        )
    result = build_exam(parsed, catalog, out, rows, generated=generated)
    click.echo(
        f"wrote {len(result.student_files)} exam file(s) of {result.item_count} question(s) "
        f"to {out}/"
    )
    click.echo(f"instructor key: {result.key_path} (keep it private: it holds the answers)")


@exam.command("take")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language.")
@data_dir_option
def take_cmd(file: Path, lang: str | None, data_dir: str | None) -> None:
    """Sit the exam of FILE in the app; submitting writes <student>.answers.json beside it."""
    import sys

    from grader.exam.student_file import read_exam_file

    read_exam_file(file)  # a damaged file is named first, with or without a terminal
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("grader exam take needs a terminal (stdin and stdout must be a TTY)")
    run_exam_file(file, lang=lang, data_dir=data_dir)


def run_exam_file(file: Path, *, lang: str | None = None, data_dir: Any = None) -> None:
    """Open the app on a class exam file (the API behind ``grader exam take``)."""
    from grader.exam.sitting import open_class_exam
    from grader.exam.student_file import read_exam_file
    from grader.i18n import default_lang
    from grader.tui.app import QuizApp, StartOptions

    exam_file = read_exam_file(file)
    study = open_class_exam(exam_file, data_dir)
    done = study.handed_in_file()
    if done is not None:
        study.close()
        raise UsageError(f"this exam was already handed in: {done} (hand in that file)")
    try:
        QuizApp(study, lang=lang or default_lang(), start=StartOptions(mode="exam")).run()
    finally:
        study.close()


@exam.command("grade")
@click.argument("key", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("answers", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for gradebook.csv, students/, summary.json and the analysis.",
)
@click.option(
    "--manual",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The filled manual-grading sheet (manual.csv of an earlier run, "
    "with a credit from 0 to 1 per short answer).",
)
def grade_cmd(key: Path, answers: Path, out: Path, manual: Path | None) -> None:
    """Grade the answers files in ANSWERS with KEY; write the results and item analysis."""
    from grader.exam.grade import grade_exam

    result = grade_exam(key, answers, out, manual)
    graded = sum(r["status"] != "missing" for r in result.rows)
    click.echo(f"graded {graded} of {len(result.rows)} student(s) into {out}/")
    for row in result.rows:
        if row["status"] == "missing":
            click.echo(f"missing: {row['student']} ({row['note']})")
    for rej in result.rejected:
        click.echo(f"rejected: {rej['file']}: {rej['reason']}")
    for dup in result.duplicates:
        click.echo(
            f"duplicate: {dup['student']}: kept {dup['kept']}, ignored {', '.join(dup['ignored'])}"
        )
    if result.pending_manual:
        click.echo(
            f"{result.pending_manual} short answer(s) await manual grading: fill the "
            f"credit column of {out / 'manual.csv'} and rerun with --manual"
        )
