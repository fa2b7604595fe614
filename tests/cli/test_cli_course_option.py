"""One ``--course`` and one ``--format`` (grader.cli.options) for every command: a course path that
does not exist, or a file, is a usage error before the command starts."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import click
import pytest
from cli_support import run_grader

from grader.cli import COMMANDS, cli

CLI = Path(__file__).resolve().parents[2] / "grader" / "cli"
SUBMISSION = Path(__file__).resolve().parents[2] / "solutions" / "module-mlp.py"


def grader(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"GRADER_DATA_DIR": str(tmp_path / "data"), "GRADER_LANG": "en"}
    return run_grader(*args, cwd=tmp_path, env=env)


@pytest.mark.parametrize(
    ("args", "what", "message"),
    [
        (("stats",), "no-such-course", "does not exist"),
        (("exercises",), "notes.txt", "is a file"),
        (("grade", "module-mlp", str(SUBMISSION)), "no-such-course", "does not exist"),
    ],
    ids=["stats-missing", "exercises-file", "grade-missing"],
)
def test_a_bad_course_path_is_a_usage_error(
    args: tuple[str, ...], what: str, message: str, tmp_path: Path
) -> None:
    """`--course` naming nothing, or a file, exits 2 with click's message naming the option and
    the path, and prints nothing on stdout (the command never starts)."""
    (tmp_path / "notes.txt").write_text("not a course\n", encoding="utf-8")
    path = tmp_path / what
    done = grader(*args, "--course", str(path), tmp_path=tmp_path)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Invalid value for '--course'" in done.stderr
    assert f"'{path}' {message}" in " ".join(done.stderr.split())
    assert done.stdout == ""


def _commands() -> list[tuple[str, click.Command]]:
    found = []
    for name in sorted(COMMANDS):
        command = cli.get_command(click.Context(cli), name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in sorted(command.commands.items())]
        else:
            found.append((name, command))
    return found


def test_every_course_option_is_the_shared_one() -> None:
    """Every command that takes --course reads an existing folder, with the same help."""
    courses = {
        name: param
        for name, command in _commands()
        for param in command.params
        if "--course" in getattr(param, "opts", ())
    }
    assert {"quiz", "validate", "list", "grade", "check", "batch", "progress reset"} <= set(courses)
    for name, param in courses.items():
        kind = param.type
        assert isinstance(kind, click.Path), name
        assert (kind.exists, kind.file_okay, kind.dir_okay) == (True, False, True), name
    assert len({param.help for param in courses.values()}) == 1


def test_only_the_options_module_spells_the_shared_options() -> None:
    """No command module declares --course, --data-dir or --format itself."""
    spelled = []
    for path in sorted(CLI.glob("*.py")):
        if path.name == "options.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in (
                "--course",
                "--data-dir",
                "--format",
            ):
                spelled.append(f"{path.name}:{node.lineno} {node.value}")
    assert spelled == []
