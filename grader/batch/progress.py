"""The batch progress bar: done/total, throughput and time left, on stderr; on Ray, also how
many actors are busy and on how many nodes."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from grader.batch.backends.base import Busy


class ProgressBar(Protocol):
    def advance(self, status: str) -> None: ...

    def busy(self, busy: Busy | None) -> None: ...

    def close(self) -> None: ...


class _Silent:
    def advance(self, status: str) -> None:
        pass

    def busy(self, busy: Busy | None) -> None:
        pass

    def close(self) -> None:
        pass


def busy_text(busy: Busy | None) -> str:
    """``3/4 actors busy on 2 of 2 nodes`` (empty for the local backend)."""
    if busy is None:
        return ""
    return f"{busy.busy}/{busy.slots} actors busy on {busy.nodes} of {busy.all_nodes} nodes"


class _RichBar:
    """A rich progress bar; rich prints only the final state when stderr is not a terminal."""

    def __init__(self, total: int, reused: int) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._bar = Progress(
            TextColumn("grading"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[notes]}"),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._bar.add_task("grading", total=total, rate="", notes="")
        self._busy = ""
        self._reused = reused
        self._done = 0
        self._errors = 0
        self._started = time.monotonic()
        self._bar.start()

    def advance(self, status: str) -> None:
        self._done += 1
        self._errors += status == "grader-error"
        rate = self._done / max(1e-6, time.monotonic() - self._started)
        self._bar.update(self._task, completed=self._done, rate=f"{rate:.2f} submissions/s")
        self._show_notes()

    def _show_notes(self) -> None:
        notes = [self._busy] if self._busy else []
        if self._reused:
            notes.append(f"{self._reused} reused")
        if self._errors:
            notes.append(f"{self._errors} grader errors")
        self._bar.update(self._task, notes=", ".join(notes))

    def busy(self, busy: Busy | None) -> None:
        text = busy_text(busy)
        if text != self._busy:
            self._busy = text
            self._show_notes()

    def close(self) -> None:
        self._bar.stop()


def progress_bar(total: int, reused: int, show: bool) -> ProgressBar:
    """A bar over ``total`` submissions to grade (``reused`` come from the journal)."""
    if not show or total == 0:
        return _Silent()
    return _RichBar(total, reused)
