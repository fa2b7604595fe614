"""What a test needs to know about the machine it runs on: CI or not, and how to hide a GPU.

Imported as a plain module (``tests/conftest.py`` puts this folder on ``sys.path``).
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def on_ci() -> bool:
    """True on a CI machine (``CI=true``, as GitHub Actions, GitLab and most CI services set)."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1")


def skip_or_fail_on_ci(reason: str) -> NoReturn:
    """Skip the calling test here; on CI fail instead, so that a moved folder or a shallow clone
    can never switch a check off without anyone seeing it."""
    if on_ci():
        pytest.fail(
            f"{reason}; on CI (CI=true) this check must run, so it fails instead of skipping"
        )
    pytest.skip(reason)


def without_gpu(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (default: this process's environment) with every CUDA device hidden, so a grader
    subprocess behaves as on a machine without a GPU whatever this machine has."""
    hidden = dict(os.environ if env is None else env)
    hidden["CUDA_VISIBLE_DEVICES"] = ""
    return hidden


def process_alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (dead, not yet reaped) or a gone process is not."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
