"""The batch progress bar: done/total, throughput and time left, on stderr; on Ray, also how
many actors are busy and on how many nodes. Its words are in English or Chinese."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Protocol

from grader.i18n import Text

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


_WORDS = {
    "grading": Text(zh="评分中", en="grading"),
    "left": Text(zh="剩余", en="left"),
    "rate": Text(zh="每秒 {rate:.2f} 份", en="{rate:.2f} submissions/s"),
    "reused": Text(zh="沿用 {n} 份", en="{n} reused"),
    "errors": Text(zh="评分器出错 {n} 份", en="{n} grader errors"),
    "busy": Text(
        zh="{all_nodes} 个节点中的 {nodes} 个上有 {busy}/{slots} 个 actor 在忙",
        en="{busy}/{slots} actors busy on {nodes} of {all_nodes} nodes",
    ),
    "comma": Text(zh="，", en=", "),
}
"""The bar's words (``grader batch --lang``, else ``grader --lang``)."""


def busy_text(busy: Busy | None, lang: str = "en") -> str:
    """``3/4 actors busy on 2 of 2 nodes`` (empty for the local backend)."""
    if busy is None:
        return ""
    return (
        _WORDS["busy"]
        .get(lang)
        .format(busy=busy.busy, slots=busy.slots, nodes=busy.nodes, all_nodes=busy.all_nodes)
    )


class _RichBar:
    """A rich progress bar; rich prints only the final state when stderr is not a terminal."""

    def __init__(self, total: int, reused: int, lang: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self._words = {key: text.get(lang) for key, text in _WORDS.items()}
        self._lang = lang
        self._bar = Progress(
            TextColumn(self._words["grading"]),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn(self._words["left"]),
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
        shown = self._words["rate"].format(rate=rate)
        self._bar.update(self._task, completed=self._done, rate=shown)
        self._show_notes()

    def _show_notes(self) -> None:
        notes = [self._busy] if self._busy else []
        if self._reused:
            notes.append(self._words["reused"].format(n=self._reused))
        if self._errors:
            notes.append(self._words["errors"].format(n=self._errors))
        self._bar.update(self._task, notes=self._words["comma"].join(notes))

    def busy(self, busy: Busy | None) -> None:
        text = busy_text(busy, self._lang)
        if text != self._busy:
            self._busy = text
            self._show_notes()

    def close(self) -> None:
        self._bar.stop()


def progress_bar(total: int, reused: int, show: bool, lang: str = "en") -> ProgressBar:
    """A bar over ``total`` submissions to grade (``reused`` come from the journal), in
    ``lang``."""
    if not show or total == 0:
        return _Silent()
    return _RichBar(total, reused, lang)
