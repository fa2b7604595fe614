"""The ``grader`` command: a thin shell over the library.

Each subcommand lives in its own module (``grader/cli/<name>.py``) and is imported only when it
runs, so ``grader --help`` and the quiz never pay for torch. Register a new command in ``COMMANDS``.
"""

from __future__ import annotations

import logging
import os
import shlex
import sys
from importlib import import_module
from typing import Any

import click

from grader import __version__
from grader.errors import ExitCode, GraderError, closest

log = logging.getLogger(__name__)

#: command name -> "module:attribute" of its click command, and a one-line summary for --help.
COMMANDS: dict[str, tuple[str, str]] = {
    "quiz": ("grader.cli.quiz:quiz", "Open the terminal app on a quiz (practice, exam or review)."),
    "serve": ("grader.cli.serve:serve", "Serve the app in a web browser (one learner's progress)."),
    "validate": ("grader.cli.validate:validate", "Lint question banks and exercises (no torch)."),
    "verify": (
        "grader.cli.verify:verify",
        "Execute code_output snippets, verify blocks, solutions, starters and variants.",
    ),
    "show": (
        "grader.cli.show:show",
        "Show one instance of a parametrised question, reproduced from its seed.",
    ),
    "list": (
        "grader.cli.listing:list_banks",
        "List banks with question counts per type and difficulty.",
    ),
    "check": ("grader.cli.grading:check", "Run an exercise's public checks on a submission."),
    "grade": ("grader.cli.grading:grade", "Run an exercise's hidden checks on a submission."),
    "exercises": ("grader.cli.exercises:exercises", "List the course's code exercises."),
    "doctor": ("grader.cli.doctor:doctor", "Probe the sandbox layers and devices on this machine."),
    "stats": ("grader.cli.stats:stats", "Show a learner's progress: answers, accuracy, streak."),
    "progress": ("grader.cli.progress:progress", "Export, import or reset a learner's progress."),
    "batch": ("grader.cli.batch:batch", "Grade a whole class's submissions into a gradebook."),
    "merge": ("grader.cli.merge:merge", "Merge several batch outputs (CI shards) into one."),
    "gradescope": ("grader.cli.gradescope:gradescope", "Build a Gradescope autograder bundle."),
    "ci-kit": (
        "grader.cli.ci_kit:ci_kit",
        "Pin the grader wheel and write the GitHub Actions grading workflow.",
    ),
    "export-student": ("grader.cli.handout:export_student", "Write the student handout."),
    "import": (
        "grader.cli.importing:import_questions",
        "Import Moodle XML or GIFT questions into a bank file.",
    ),
    "export": (
        "grader.cli.exporting:export_questions",
        "Export question banks to Moodle XML or GIFT.",
    ),
    "exam": (
        "grader.cli.exam:exam",
        "Build, sit and grade a class exam (no answers in its files).",
    ),
    "analyze": ("grader.cli.analyze:analyze", "Item analysis of many learners' progress exports."),
}


class LazyGroup(click.Group):
    """A click group that imports each command on first use and suggests the nearest name."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [name for name in COMMANDS if _available(name)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS or not _available(cmd_name):
            return None
        target, _ = COMMANDS[cmd_name]
        module_name, attr = target.split(":")
        command: click.Command = getattr(import_module(module_name), attr)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:
            close = closest(name, self.list_commands(ctx))
            hint = f" Did you mean '{close}'?" if close else ""
            raise click.UsageError(f"No such command '{name}'.{hint}", ctx)
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _available(name: str) -> bool:
    """True when the module behind a command exists (commands land one issue at a time)."""
    from importlib.util import find_spec

    module_name = COMMANDS[name][0].split(":")[0]
    return find_spec(module_name) is not None


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="grader")
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Also print the log (debug level) to stderr. The log file is always written: "
    "`grader doctor` shows where.",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of the app and of what commands print for people (as GRADER_LANG=zh|en "
    "does); a command's own --lang still wins. JSON, CSV, JUnit and problem lines keep one form; "
    "README.md lists what stays English. Default: GRADER_LANG, else the locale.",
)
@click.pass_context
def cli(ctx: click.Context, verbose: bool, lang: str | None) -> None:
    """Learn and examine PyTorch: bilingual quizzes and sandboxed code exercises.

    Run without a command in a terminal to open the app; without a terminal, this help is printed.

    Exit status: 0 success (full marks); 1 graded or validated with failures; 2 usage or input
    error; 3 incomplete (checks skipped, e.g. no GPU); 4 grader error.
    """
    if lang is not None:
        # Every command's default (grader.i18n.default_lang) and every process it starts read it.
        os.environ["GRADER_LANG"] = lang
    _start_log(verbose)
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty() and sys.stdout.isatty() and "quiz" in COMMANDS and _available("quiz"):
        ctx.invoke(LazyGroup.get_command(cli, ctx, "quiz"))  # type: ignore[arg-type]
    else:
        click.echo(ctx.get_help())


def _start_log(verbose: bool) -> None:
    """The log file in the data directory (and stderr with --verbose), then this run's facts."""
    import platform

    from grader.logs import configure
    from grader.study.paths import data_dir

    configure(data_dir(), verbose=verbose)
    log.debug(
        "grader %s, Python %s, pid %d: %s",
        __version__,
        platform.python_version(),
        os.getpid(),
        shlex.join(sys.argv),
    )


def _error_prefix(message: str) -> str:
    """``错误：`` before a message written in Chinese, else ``error: ``. The message decides, not
    GRADER_LANG: a command's own --lang may have chosen its language, and a message not (yet)
    translated stays English. Chinese only quoted (a bank's name in 'single quotes') does not
    make an English message Chinese."""
    import re

    unquoted = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”", "", message)
    return "错误：" if re.search("[\u4e00-\u9fff]", unquoted) else "error: "


def main(argv: list[str] | None = None) -> Any:
    """Entry point of the ``grader`` console script; maps errors to exit codes."""
    try:
        return cli.main(args=argv, prog_name="grader", standalone_mode=True)
    except GraderError as exc:
        # A grader fault (exit 4) keeps its traceback in the log, for a bug report.
        fault = exc.exit_code == ExitCode.GRADER_ERROR
        log.log(
            logging.ERROR if fault else logging.DEBUG,
            "exit %d (%s): %s",
            int(exc.exit_code),
            type(exc).__name__,
            exc.message,
            exc_info=fault,
        )
        click.echo(f"{_error_prefix(exc.message)}{exc.message}", err=True)
        sys.exit(int(exc.exit_code))
    except KeyboardInterrupt:
        log.debug("interrupted")
        from grader.i18n import default_lang

        click.echo("已中断" if default_lang() == "zh" else "interrupted", err=True)
        sys.exit(130)
    except Exception:
        log.critical("unexpected error", exc_info=True)
        raise


__all__ = ["COMMANDS", "ExitCode", "cli", "main"]
