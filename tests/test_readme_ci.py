"""The README's first code block is what CI runs: `.ci/run` extracts its second line and runs it.

The block must hold exactly the two command lines the README describes below it (install and open
the app; install the test tools and run every check), and the line `.ci/run` extracts, with its
own awk/sed pipeline, must be the README's second line.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
CI_RUN = ROOT / ".ci" / "run"


def _first_code_block(text: str) -> list[str]:
    """The lines between the README's first fence and the next one."""
    lines = text.splitlines()
    fences = [i for i, line in enumerate(lines) if line.startswith("```")]
    assert len(fences) >= 2, "README.md has no fenced code block"
    return lines[fences[0] + 1 : fences[1]]


def _extracted_by_ci_run(root: Path = ROOT) -> str:
    """What `.ci/run` would run: its own extraction line, executed in ``root``."""
    script = CI_RUN.read_text(encoding="utf-8")
    found = re.findall(r"^test_cmd=\$\(.*\)$", script, flags=re.MULTILINE)
    assert len(found) == 1, f"{CI_RUN} no longer has one `test_cmd=$(...)` line"
    done = subprocess.run(
        ["bash", "-c", f'set -euo pipefail\n{found[0]}\nprintf "%s" "$test_cmd"'],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_first_code_block_holds_exactly_two_commands() -> None:
    """Two command lines, no blank, comment or fence line inside the block."""
    block = _first_code_block(README.read_text(encoding="utf-8"))
    assert len(block) == 2, f"README's first code block has {len(block)} lines: {block}"
    for line in block:
        assert line.strip() and line == line.strip(), f"blank or indented line: {line!r}"
        assert not line.startswith(("#", "```", "~~~")), f"not a command line: {line!r}"


def test_first_line_installs_and_opens_the_app() -> None:
    """The first line ends by starting the app: its last command is `grader`."""
    first = _first_code_block(README.read_text(encoding="utf-8"))[0]
    assert first.split("&&")[-1].strip() == "grader", first


def test_ci_runs_the_readme_second_line() -> None:
    """`.ci/run`'s extraction yields exactly the README's second line, which runs pytest."""
    second = _first_code_block(README.read_text(encoding="utf-8"))[1]
    assert _extracted_by_ci_run() == second
    assert any(part.split()[:1] == ["pytest"] for part in second.split("&&")), second


def test_a_line_added_to_the_block_changes_what_ci_runs(tmp_path: Path) -> None:
    """Why the block must stay two lines: a comment line on top makes `.ci/run` run the first
    command (install and open the app) instead of the tests."""
    first, second = _first_code_block(README.read_text(encoding="utf-8"))
    (tmp_path / "README.md").write_text(
        f"# x\n\n```bash\n# set-up\n{first}\n{second}\n```\n", encoding="utf-8"
    )
    assert _extracted_by_ci_run(tmp_path) == first


def test_the_ci_line_runs_the_linters_and_the_type_checker() -> None:
    """CI runs only this line, so each check CI must run is a command of it: ruff's lint and
    format checks over the whole tree, mypy (its configuration is in pyproject.toml), pytest."""
    second = _first_code_block(README.read_text(encoding="utf-8"))[1]
    commands = [part.strip() for part in second.split("&&")]
    for wanted in ("ruff check .", "ruff format --check .", "mypy"):
        assert wanted in commands, f"README's test command does not run `{wanted}`: {second}"
