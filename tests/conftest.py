"""Suite-wide hooks: a private data directory, and ``@pytest.mark.gpu`` tests skipped without CUDA.

Every ``grader`` run writes its log to the data directory, so the suite points
``GRADER_DATA_DIR`` at a temporary folder (unless it is set already) instead of the user's own.
CUDA is detected in a throwaway interpreter (NVML only, as ``grader doctor`` does), so this
process never initialises CUDA: the sandbox tests fork children from it.
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile

import pytest

_OWN_DATA_DIR: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get("GRADER_DATA_DIR", "").strip():
        folder = tempfile.mkdtemp(prefix="grader-tests-data-")
        _OWN_DATA_DIR.append(folder)
        os.environ["GRADER_DATA_DIR"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    while _OWN_DATA_DIR:
        shutil.rmtree(_OWN_DATA_DIR.pop(), ignore_errors=True)


@functools.cache
def _cuda_missing() -> str | None:
    """Why there is no usable CUDA device here, or None when there is one."""
    from grader.sandbox.os.diagnose import torch_facts

    facts = torch_facts()
    if "torch_error" in facts:
        return f"torch cannot be imported: {facts['torch_error']}"
    if not facts.get("cuda_available"):
        return f"no CUDA device (torch {facts.get('torch')}, CUDA build {facts.get('cuda_build')})"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    gpu_tests = [item for item in items if item.get_closest_marker("gpu") is not None]
    if not gpu_tests:
        return
    reason = _cuda_missing()
    if reason is None:
        return
    for item in gpu_tests:
        item.add_marker(pytest.mark.skip(reason=f"needs CUDA: {reason}"))


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium (a Playwright ``Browser``) per test module; skipped without
    Chromium, failed on CI (tests/browser_support.py).

    Not one per session: Playwright's sync API keeps an asyncio event loop running on this
    thread while it is open, and every later ``asyncio.run`` (the Pilot tests) would fail with
    "cannot be called from a running event loop". Closed with its module, it leaves none.
    A module that uses it should hold browser tests only."""
    from browser_support import launched_browser

    with launched_browser() as launched:
        yield launched
