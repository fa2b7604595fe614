"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click
from click.decorators import FC

course_option = click.option(
    "--course",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Course folder with questions/ or exercises/ (default: $GRADER_COURSE, the current "
    "folder, or the bundled content).",
)
"""``--course DIR``: the course folder, resolved by grader.course.resolve_course. Every command
reads the course and none creates it, so a path that does not exist, or a file, is a usage error
(exit 2) before the command starts."""

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where progress is stored (default: GRADER_DATA_DIR, else the user data directory).",
)
"""``--data-dir DIR``: where progress is kept (per course); created when missing."""


def format_option(
    choices: Sequence[str] = ("text", "json"),
    default: str = "text",
    help: str = "A report for people, or JSON for scripts.",
) -> Callable[[FC], FC]:
    """``--format``, one of ``choices``; the command gets ``fmt``. ``help`` says what each
    format is when the default does not say enough."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help=help,
    )


def torch_option(installer: str) -> Callable[[FC], FC]:
    """``--torch SPEC``: the torch requirement that ``installer`` (setup.sh, the workflow, the
    handout's README) installs as a CPU build; the command gets ``torch_spec``."""
    return click.option(
        "--torch",
        "torch_spec",
        default=None,
        help=f"The torch {installer} installs (CPU build), e.g. torch==2.13.0 "
        "[default: torch==<installed>].",
    )


_LEVEL_OPTION = "--require-sandbox-level"
ESSENTIAL_LAYER_NAMES = ("rlimits", "no-new-privs", "cap-drop", "landlock-fs", "seccomp")
"""For the help text only, so `--help` does not import the sandbox; a test keeps it equal to
``grader.sandbox.os.layers.ESSENTIAL_LAYERS``."""


class SandboxCommand(click.Command):
    """A command with ``--require-sandbox[=all]``.

    ``--require-sandbox`` is a flag (the essential layers), so ``--require-sandbox EXERCISE`` keeps
    EXERCISE an argument; ``--require-sandbox=all`` (or ``=essential``) names the level. Click has
    no flag with an optional ``=value``, so the ``=`` form is rewritten to a hidden option.
    """

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        rewritten: list[str] = []
        for index, arg in enumerate(args):
            if arg == "--":  # what follows is arguments, as they are
                rewritten.extend(args[index:])
                break
            if arg.startswith("--require-sandbox="):
                level = arg.split("=", 1)[1]
                if level not in ("essential", "all"):
                    from grader.i18n import Text, default_lang

                    levels = Text(
                        zh="{arg}：请用 --require-sandbox（必需层）或 --require-sandbox=all（所有层）",
                        en="{arg}: use --require-sandbox (the essential layers) or "
                        "--require-sandbox=all (every layer)",
                    )
                    raise click.UsageError(levels.get(default_lang()).format(arg=arg), ctx)
                rewritten += [_LEVEL_OPTION, level]
            else:
                rewritten.append(arg)
        return super().parse_args(ctx, rewritten)


def require_sandbox_option(what: str) -> Callable[[FC], FC]:
    """``--require-sandbox[=all]``; the command gets ``require_sandbox``: None, ``essential`` or
    ``all``. Use with ``cls=SandboxCommand``. ``what`` says what is refused (for the help)."""

    def merge(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        flag = ctx.params.pop("require_sandbox_flag", False)
        return value or ("essential" if flag else None)

    def decorate(func: FC) -> FC:
        func = click.option(
            _LEVEL_OPTION,
            "require_sandbox",
            type=click.Choice(["essential", "all"]),
            default=None,
            hidden=True,
            callback=merge,
            is_eager=False,
        )(func)
        return click.option(
            "--require-sandbox",
            "require_sandbox_flag",
            is_flag=True,
            is_eager=True,
            expose_value=True,
            help=f"{what} (exit 4) unless the essential sandbox layers are active "
            f"({', '.join(ESSENTIAL_LAYER_NAMES)}); --require-sandbox=all requires every layer. "
            "See `grader doctor`.",
        )(func)

    return decorate
