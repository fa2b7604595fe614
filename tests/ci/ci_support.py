"""Helpers of the CI tests (imported as a plain module): a user's venv that sees the grader's
dependencies but not the grader, and the environment of a shell in it with no index reachable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make_user_venv(folder: Path, deps: Path) -> Path:
    """A new venv (with pip) that sees ``deps``; returns its bin/ folder."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True, timeout=300)
    # ensurepip's setuptools is older than torch requires; the one in ``deps`` is used instead.
    subprocess.run(
        [str(folder / "bin" / "python"), "-m", "pip", "uninstall", "-q", "-y", "setuptools"],
        check=True,
        capture_output=True,
        timeout=300,
    )
    purelib = next((folder / "lib").glob("python3*/site-packages"))
    (purelib / "_test_deps.pth").write_text(f"{deps}\n", encoding="utf-8")
    return folder / "bin"


def offline_env(bin_dir: Path) -> dict[str, str]:
    """The environment of a user's shell in that venv, with pip unable to reach any index."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GRADER_", "VIRTUAL_ENV"))}
    env.pop("PYTHONPATH", None)
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(bin_dir.parent),
        PIP_NO_INDEX="1",
        PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    return env


def run_step(
    script: str, cwd: Path, env: dict[str, str], timeout: float = 900
) -> subprocess.CompletedProcess[str]:
    """Run a shell script the way a GitHub runner runs a `run:` step (bash, -eo pipefail)."""
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
