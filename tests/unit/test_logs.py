"""grader.logs in-process: the size cap, a log folder that vanishes mid-run, reconfiguring."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader import logs


@pytest.fixture(autouse=True)
def _unconfigure() -> Iterator[None]:
    yield
    logs.configure(None)  # this test process logs nowhere afterwards


def test_the_log_is_rotated_at_its_size_cap(tmp_path: Path, monkeypatch) -> None:
    """Past MAX_BYTES the log moves to grader.log.1 and a new one starts; BACKUPS old file is kept,
    so the log never takes more than (BACKUPS + 1) * MAX_BYTES."""
    monkeypatch.setattr(logs, "MAX_BYTES", 2000)
    logs.configure(tmp_path)
    log = logging.getLogger("grader.test")
    for n in range(200):
        log.debug("record %03d %s", n, "x" * 50)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["grader.log", "grader.log.1"]
    assert all((tmp_path / name).stat().st_size <= 2000 for name in names)
    assert "record 199" in (tmp_path / "grader.log").read_text(encoding="utf-8")


def test_a_log_folder_removed_mid_run_drops_records_quietly(tmp_path: Path, capsys) -> None:
    """The data directory disappears after start-up: logging goes on without raising or printing,
    and status() says why nothing is written."""
    folder = tmp_path / "data"
    status = logs.configure(folder)
    assert status.error is None and status.path == folder / logs.LOG_FILENAME
    shutil.rmtree(folder)
    logging.getLogger("grader.test").warning("after the folder went away")
    assert capsys.readouterr().err == ""
    error = logs.status().error
    assert error is not None and error.startswith(
        f"cannot write {folder / logs.LOG_FILENAME}: errno 2"
    )


def test_configure_again_replaces_the_handlers(tmp_path: Path, capsys) -> None:
    """A second configure() (another command in the same process) does not log twice, and drops
    stderr when it is no longer verbose."""
    logs.configure(tmp_path, verbose=True)
    logs.configure(tmp_path, verbose=False)
    logging.getLogger("grader.test").debug("once")
    assert capsys.readouterr().err == ""
    text = (tmp_path / logs.LOG_FILENAME).read_text(encoding="utf-8")
    assert text.count("once") == 1
