"""Shared by the CI tests: the grader's wheel, built once per session (no network:
``pip wheel --no-build-isolation`` with the hatchling installed here), and an interpreter where
that wheel can be installed the way a user installs it, offline."""

from __future__ import annotations

from pathlib import Path

import pytest


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
