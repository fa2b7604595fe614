"""One headless Chromium for every browser test: the app served by ``grader serve`` and the
class exam's ``analysis.html`` report.

The README's test command installs Debian's ``chromium`` through apt when it is missing and the
user is root, and pip's ``playwright`` (the test extra) drives it through ``executable_path``:
``playwright install`` would download a browser of its own, which this project's machines cannot.
Set ``GRADER_CHROMIUM`` to use another Chromium build. Without any Chromium the browser tests
skip and say why; on CI (``CI=true``) they fail instead, since the README's command installs one.

Imported as a plain module (``tests/conftest.py`` puts this folder on ``sys.path``); the
``browser`` fixture itself is declared in ``tests/conftest.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from host_support import skip_or_fail_on_ci

CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",  # the tests run as root on CI, where Chromium's own sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # no calls home: the network here is closed
    "--disable-component-update",
    "--disable-sync",
)
"""Flags every launch uses; ``--headless`` is added by each way of launching."""

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
"""Screenshots and other files a browser test keeps for a person to look at (git-ignored)."""


def chromium_path() -> str | None:
    """The Chromium executable: ``GRADER_CHROMIUM``, else ``chromium`` or ``chromium-browser`` on
    ``PATH``; None when there is none."""
    chosen = os.environ.get("GRADER_CHROMIUM", "").strip()
    if chosen:
        return chosen if Path(chosen).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def require_chromium() -> str:
    """The Chromium executable, or skip (fail on CI) saying how to get one."""
    path = chromium_path()
    if path is None:
        skip_or_fail_on_ci(
            "no Chromium found (GRADER_CHROMIUM, chromium or chromium-browser on PATH): install "
            "Debian's chromium (`apt-get install chromium`, which the README's test command "
            "does when you are root) to run the browser tests"
        )
    return path


def artifact(name: str) -> Path:
    """Where a test keeps the file ``name`` for a person to look at (``GRADER_TEST_ARTIFACTS``,
    else ``test-artifacts/`` in the checkout)."""
    folder = Path(os.environ.get("GRADER_TEST_ARTIFACTS", "").strip() or ARTIFACTS)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / name


def _target(page: str | Path) -> str:
    return Path(page).resolve().as_uri() if isinstance(page, Path) else page


def _headless(chromium: str, profile: str, *extra: str, timeout: float) -> str:
    args = [chromium, "--headless", *CHROMIUM_ARGS, f"--user-data-dir={profile}", *extra]
    done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
    if done.returncode != 0:
        raise AssertionError(f"chromium exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return done.stdout


def dump_dom(page: str | Path, *, budget_ms: int = 5000, timeout: float = 60) -> str:
    """The DOM of ``page`` (a URL or a local file) after its scripts ran, as Chromium's
    ``--dump-dom`` prints it."""
    chromium = require_chromium()
    with tempfile.TemporaryDirectory(prefix="grader-chromium-") as profile:
        return _headless(
            chromium,
            profile,
            f"--virtual-time-budget={budget_ms}",
            "--dump-dom",
            _target(page),
            timeout=timeout,
        )


def screenshot(
    page: str | Path, out: Path, *, size: tuple[int, int] = (1280, 900), timeout: float = 60
) -> Path:
    """A PNG of ``page`` (a URL or a local file) at ``size``, written to ``out``."""
    chromium = require_chromium()
    with tempfile.TemporaryDirectory(prefix="grader-chromium-") as profile:
        _headless(
            chromium,
            profile,
            f"--screenshot={out}",
            f"--window-size={size[0]},{size[1]}",
            "--hide-scrollbars",
            _target(page),
            timeout=timeout,
        )
    if not out.is_file() or out.stat().st_size == 0:
        raise AssertionError(f"chromium wrote no screenshot to {out}")
    return out


@contextmanager
def launched_browser() -> Iterator[Any]:
    """A Playwright ``Browser`` on this machine's Chromium (headless), closed afterwards."""
    chromium = require_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the test extra installs it
        skip_or_fail_on_ci("playwright is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=list(CHROMIUM_ARGS)
        )
        try:
            yield browser
        finally:
            browser.close()
