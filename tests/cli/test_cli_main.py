"""The `grader` command itself: help for every command, suggestions, no-terminal behaviour, docs."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import COMMANDS, cli

ROOT = Path(__file__).resolve().parents[2]
GRADER = shutil.which("grader")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_text(name):
    """Each registered command exists, has a docstring-based help and documents its options."""
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert f"Usage: cli {name}" in result.output or f"Usage: grader {name}" in result.output
    body = result.output.split("\n\n", 2)
    assert len(body) >= 2 and body[1].strip(), f"`grader {name} --help` has no description"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_appears_in_the_readme(name):
    """The README's command table names every command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"`grader {re.escape(name)}\b", readme), f"README does not document {name}"


def test_top_level_help_lists_every_command():
    """`grader --help` lists every command with its summary and explains exit codes."""
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name, (_, summary) in COMMANDS.items():
        assert name in result.output
        assert summary.split()[0] in result.output
    assert "Exit status" in result.output


def test_unknown_command_suggests_the_nearest():
    """A typo is a usage error (exit 2) that suggests the nearest command."""
    result = CliRunner().invoke(cli, ["valdate"])
    assert result.exit_code == 2
    assert "Did you mean 'validate'?" in result.output


@pytest.mark.skipif(GRADER is None, reason="the grader console script is not installed")
def test_no_terminal_prints_help_instead_of_hanging():
    """`grader` with no terminal attached prints help and exits 0 at once."""
    proc = subprocess.run(
        [GRADER], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "Usage: grader" in proc.stdout


def test_python_dash_m_grader_works():
    """`python -m grader --version` runs the same command."""
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "--version"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0
    assert "grader, version" in proc.stdout


def test_package_exports_are_sorted_and_small():
    """The package root exports a short, sorted __all__ and imports nothing heavy."""
    import grader

    assert grader.__all__ == sorted(grader.__all__)
    code = "import grader, sys; print(any(m in sys.modules for m in ('torch', 'textual', 'yaml')))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "False"
