"""Shared by the CI tests: the grader's wheel, built once per session (no network:
``pip wheel --no-build-isolation`` with the hatchling installed here), and an interpreter where
that wheel can be installed the way a user installs it, offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def grader_wheel(tmp_path_factory) -> Path:
    """A freshly built torch_grader wheel (with the bundled course, as `pip wheel` makes it)."""
    pytest.importorskip("hatchling", reason="building the grader wheel needs hatchling")
    from grader.gradescope import build_wheel

    return build_wheel(tmp_path_factory.mktemp("wheel"))


def _site_packages() -> Path:
    import sysconfig

    return Path(sysconfig.get_paths()["purelib"])


@pytest.fixture(scope="session")
def deps_view(tmp_path_factory) -> Path:
    """A folder of links to every installed distribution except the grader itself: put on a new
    venv's path (a .pth file), it makes the grader's dependencies (torch included) installed
    there, so pip installs the wheel without the network and never touches this venv."""
    view = tmp_path_factory.mktemp("deps")
    for entry in _site_packages().iterdir():
        name = entry.name
        if name.startswith(("torch_grader", "_editable_impl_torch_grader", "__editable__")):
            continue
        if name in ("grader", "pip") or name.startswith("pip-") or name.endswith(".pth"):
            continue
        (view / name).symlink_to(entry)
    return view


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
