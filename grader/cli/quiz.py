"""``grader quiz``: open the terminal app (home screen, or straight into a quiz)."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterable
from typing import Any

import click

from grader.cli.options import course_option, data_dir_option
from grader.errors import UsageError, did_you_mean
from grader.i18n import Text

__all__ = ["quiz", "run_quiz"]


LISTED_NAMES = 20
"""Up to this many known names are listed in an unknown-name error; more are only counted."""


_KINDS_ZH = {"bank": "题库", "tag": "标签", "question": "题目"}


def _check_names(kind: str, given: Iterable[str], known: list[str], lang: str = "en") -> None:
    for name in given:
        if name in known:
            continue
        if lang == "zh":
            what = _KINDS_ZH.get(kind, kind)
            hint = did_you_mean(name, known, "zh")
            if len(known) <= LISTED_NAMES:
                listing = f"本课程有：{'、'.join(known) or '（无）'}"
            else:
                listing = f"本课程有 {len(known)} 个{what}（`grader list` 可列出题库）"
            raise UsageError(f"未知的{what} '{name}'{hint}；{listing}")
        if len(known) <= LISTED_NAMES:
            listing = f"the course has: {', '.join(known) or 'none'}"
        else:  # hundreds of question ids would bury the suggestion
            listing = f"the course has {len(known)} {kind}s (`grader list` shows its banks)"
        raise UsageError(f"unknown {kind} '{name}'{did_you_mean(name, known)}; {listing}")


def run_quiz(
    *,
    mode: str | None = None,
    banks: tuple[str, ...] = (),
    tags: tuple[str, ...] = (),
    questions: tuple[str, ...] = (),
    lang: str | None = None,
    count: int | None = None,
    time_limit: str | None = None,
    seed: int | None = None,
    course: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
    workspace: str | os.PathLike[str] | None = None,
) -> None:
    """Open the app (the Python API behind ``grader quiz``; options as the command's).

    The cyclic garbage collector is paused until the app has drawn its first screen: the start
    builds many objects (the modules, the catalog's models, the widgets) and few garbage cycles,
    and the collections it would run on the way cost ~50 ms, an eighth of the launch. Once it
    is back on, one collection of the young objects (10-30 ms here) runs while the first
    question waits for a key."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        _run_quiz(
            mode=mode,
            banks=banks,
            tags=tags,
            questions=questions,
            lang=lang,
            count=count,
            time_limit=time_limit,
            seed=seed,
            course=course,
            data_dir=data_dir,
            workspace=workspace,
            collecting=collecting,
        )
    finally:
        if collecting:
            gc.enable()


def _run_quiz(
    *,
    mode: str | None,
    banks: tuple[str, ...],
    tags: tuple[str, ...],
    questions: tuple[str, ...],
    lang: str | None,
    count: int | None,
    time_limit: str | None,
    seed: int | None,
    course: str | os.PathLike[str] | None,
    data_dir: str | os.PathLike[str] | None,
    workspace: str | os.PathLike[str] | None,
    collecting: bool,
) -> None:
    from grader.course import resolve_course
    from grader.i18n import default_lang
    from grader.study.context import Study
    from grader.study.duration import parse_duration

    shown = lang or default_lang()
    time_limit_s: float | None = None
    if time_limit is not None:
        if mode not in (None, "exam"):
            exam_only = Text(
                zh="--time 设置的是考试的时限；请与 --mode exam 一起使用",
                en="--time sets an exam's time limit; use it with --mode exam",
            )
            raise UsageError(exam_only.get(shown))
        try:
            time_limit_s = float(parse_duration(time_limit))
        except ValueError as exc:
            raise UsageError(f"--time: {exc}") from None
        mode = "exam"
    active_course = resolve_course(course)
    study = Study.open(active_course, data_dir)
    if study.catalog.problems:
        click.echo(
            f"warning: {len(study.catalog.problems)} problem(s) in the question banks; "
            "those questions are left out (run `grader validate`)",
            err=True,
        )
    _check_names("bank", banks, study.catalog.bank_ids, shown)
    _check_names("tag", tags, study.catalog.tags, shown)
    _check_names("question", questions, list(study.catalog.questions), shown)
    from grader.tui.app import QuizApp, StartOptions
    from grader.tui.grading_job import GradingService

    start = StartOptions(
        mode=mode,  # type: ignore[arg-type]
        banks=banks,
        tags=tags,
        questions=questions,
        count=count,
        time_limit_s=time_limit_s,
        seed=seed,
    )
    grading = GradingService()
    app: QuizApp | None = None

    def warn(message: str) -> None:
        if app is not None:
            app.notify(message, severity="warning", timeout=8)

    def exercises() -> Any:
        # loaded when a screen first needs them (the home screen), not before the first question
        return _open_exercises(active_course, study, workspace, data_dir, warn=warn)

    try:
        app = QuizApp(
            study,
            lang=lang or default_lang(),
            start=start,
            exercises=exercises,
            grading=grading,
            after_first_paint=gc.enable if collecting else None,
        )
        app.run()
    finally:
        if app is not None:
            app.exam_lock.release()
        grading.close()
        study.close()


def _open_exercises(
    course: Any,
    study: Any,
    workspace: str | os.PathLike[str] | None,
    data_dir: str | os.PathLike[str] | None,
    *,
    warn: Callable[[str], None] | None = None,
) -> Any:
    """The course's code exercises for the app, or None (with a warning, on stderr unless
    ``warn`` takes it) when they cannot load."""
    from grader.errors import BankError
    from grader.study.exercise_study import ExerciseStudy

    try:
        exercises = ExerciseStudy.open(
            course, study.store, workspace=workspace, data_dir=data_dir, clock=study.clock
        )
    except BankError as exc:
        message = f"warning: code exercises left out: {exc.message}"
        if warn is None:
            click.echo(message, err=True)
        else:
            warn(message)
        return None
    return exercises if exercises.exercises else None


@click.command("quiz", context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--mode",
    type=click.Choice(["practice", "exam", "review"]),
    default=None,
    help="Start this quiz at once (default: the home screen, to choose).",
)
@click.option("--bank", "banks", multiple=True, metavar="BANK", help="Only this bank (repeatable).")
@click.option(
    "--tag", "tags", multiple=True, metavar="TAG", help="Only questions with this tag (repeatable)."
)
@click.option(
    "--question",
    "questions",
    multiple=True,
    metavar="ID",
    help="Only this question (repeatable); e.g. to try a question you just wrote.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language (default: GRADER_LANG, else the locale); the l key switches it in the app.",
)
@click.option(
    "--count",
    type=click.IntRange(min=1),
    default=None,
    help="Questions per session (default 10; review 20).",
)
@click.option(
    "--time",
    "time_limit",
    metavar="DURATION",
    default=None,
    help="Exam time limit (implies --mode exam; default 90 s per question).",
)
@click.option(
    "--seed", type=int, default=None, help="Seed for question selection and option order."
)
@click.option(
    "--workspace",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for your code-exercise files (default: workspace/ beside the progress in the "
    "data directory).",
)
@click.option(
    "--exam",
    "exam_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="Sit a class exam file from your instructor (as `grader exam take FILE`).",
)
@course_option
@data_dir_option
def quiz(**options: Any) -> None:
    """Open the terminal app: practice, timed exams and spaced review.

    \b
    Synopsis:
      grader quiz [--mode practice|exam|review] [--bank B ...] [--tag T ...]
                  [--question ID ...] [--lang zh|en] [--count N] [--time DURATION] [--seed S]
                  [--course DIR] [--data-dir DIR] [--workspace DIR]

    \b
    DURATION is 45 (minutes), 90s, 30m, 1h, 1h30m, 2m30s, or clock
    notation 1:30:00 / 45:00.

    \b
    Keys: digits pick an option, Enter submits, n / p next and previous,
    ? hint, l switch language (only while focus is not in a text box);
    the footer shows the Ctrl- and function-key equivalents.

    Practice and review grade each answer at once; an exam is graded when you
    submit it or its time runs out, and resumes after a crash with its answers
    and remaining time. Every answer is saved the moment it is given. Review
    schedules questions with FSRS: a wrong answer rates Again, a right one Good,
    partial credit (or a "partly right" self-rating) Hard.

    Code exercises (F4 or e on the home screen): write the code in the built-in
    editor, in $EDITOR (Ctrl+O), or in any editor with watch mode on (F8: the
    public checks run whenever the file is saved). F5 runs the public checks,
    F6 submits for the hidden checks in the sandbox, Esc cancels a running job.
    Your files are kept in the workspace folder (--workspace).
    """
    served = "web_driver" in os.environ.get("TEXTUAL_DRIVER", "")  # a tab of `grader serve`
    exam_file = options.pop("exam_file")
    if exam_file is not None:
        from pathlib import Path

        from grader.exam.student_file import read_exam_file

        read_exam_file(Path(exam_file))  # a damaged file is named first, terminal or not
    if not served and not (sys.stdin.isatty() and sys.stdout.isatty()):
        from grader.i18n import default_lang

        no_tty = Text(
            zh="grader quiz 需要终端（标准输入和标准输出都必须是 TTY）",
            en="grader quiz needs a terminal (stdin and stdout must be a TTY)",
        )
        raise UsageError(no_tty.get(options.get("lang") or default_lang()))
    if exam_file is not None:
        from grader.cli.exam import run_exam_file

        run_exam_file(Path(exam_file), lang=options["lang"], data_dir=options["data_dir"])
        return
    run_quiz(**options)
