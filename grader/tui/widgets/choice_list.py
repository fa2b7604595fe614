"""Provides ChoiceList: options as wrapped rows with a radio ``(•)`` or check ``[x]`` marker.

Long Chinese options wrap between ideographs under their own text (hanging indent), which
Textual's RadioSet and SelectionList do not do (they cut a long label with an ellipsis).

Keys: ↑/↓ move the cursor, Space toggles the option under it, Enter submits (choosing the
option under the cursor first when nothing is chosen in a single-choice list); digits are
forwarded by the screen to :meth:`ChoiceList.toggle`. A click toggles the clicked option.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Static

__all__ = ["ChoiceList", "ChoiceRow"]


class ChoiceRow(Horizontal):
    """One option: a marker column and the wrapped option text."""

    def __init__(self, index: int, label: Content, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="choice-row")
        self.index = index
        self._label = label

    def compose(self) -> ComposeResult:
        yield Static("", classes="choice-marker")
        yield Static(self._label, classes="choice-text")

    def show(self, marker: str, label: Content | None = None) -> None:
        """Update the marker (and the label when given)."""
        self.query_one(".choice-marker", Static).update(Content(marker))
        if label is not None:
            self._label = label
            self.query_one(".choice-text", Static).update(label)


class ChoiceList(Widget, can_focus=True):
    """A single- or multiple-choice list of options.

    Args:
        labels: The option labels, in the order shown.
        multiple: Check boxes (any number chosen) instead of radio buttons (one chosen).
        selected: Positions chosen at the start.
    """

    BINDINGS = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("space", "toggle_cursor", show=False),
        Binding("enter", "submit", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    @dataclass
    class Changed(Message):
        """The set of chosen options changed."""

        choice_list: ChoiceList
        selected: tuple[int, ...]

    @dataclass
    class Submitted(Message):
        """Enter was pressed on the list."""

        choice_list: ChoiceList

    def __init__(
        self,
        labels: Sequence[Content],
        *,
        multiple: bool = False,
        selected: Sequence[int] = (),
        id: str | None = None,
    ) -> None:
        wide = " -wide" if len(labels) >= 10 else ""  # two-digit numbers need a wider marker
        super().__init__(id=id, classes=("multiple" if multiple else "single") + wide)
        self.labels = list(labels)
        self.multiple = multiple
        self.selected: set[int] = set(selected)

    def compose(self) -> ComposeResult:
        for index, label in enumerate(self.labels):
            yield ChoiceRow(index, label, id=f"choice-{index + 1}")

    def on_mount(self) -> None:
        self._refresh_rows()

    @property
    def rows(self) -> list[ChoiceRow]:
        """The option rows in display order."""
        return list(self.query(ChoiceRow))

    def _marker(self, index: int) -> str:
        on = index in self.selected
        box = ("[x]" if on else "[ ]") if self.multiple else ("(•)" if on else "( )")
        pointer = "›" if index == self.cursor else " "
        return f"{pointer}{box} {index + 1}."

    def _refresh_rows(self) -> None:
        for row in self.rows:
            row.show(self._marker(row.index))
            row.set_class(row.index == self.cursor, "-cursor")
            row.set_class(row.index in self.selected, "-selected")

    def watch_cursor(self) -> None:
        if self.is_mounted:
            self._refresh_rows()
            rows = self.rows
            if 0 <= self.cursor < len(rows):
                rows[self.cursor].scroll_visible(animate=False)

    def set_labels(self, labels: Sequence[Content]) -> None:
        """Replace the option labels (same options, e.g. in another language)."""
        self.labels = list(labels)
        for row, label in zip(self.rows, self.labels, strict=False):
            row.show(self._marker(row.index), label)

    def toggle(self, index: int) -> None:
        """Choose (or, in a multiple-choice list, un-choose) the option at ``index``."""
        if not 0 <= index < len(self.labels):
            return
        if self.multiple:
            self.selected ^= {index}
        else:
            self.selected = {index}
        self.cursor = index
        self._refresh_rows()
        self.post_message(self.Changed(self, tuple(sorted(self.selected))))

    def action_move(self, step: int) -> None:
        """Move the cursor (wrapping around)."""
        if self.labels:
            self.cursor = (self.cursor + step) % len(self.labels)

    def action_toggle_cursor(self) -> None:
        self.toggle(self.cursor)

    def action_submit(self) -> None:
        if not self.multiple and not self.selected:
            self.toggle(self.cursor)
        self.post_message(self.Submitted(self))

    def on_click(self, event: events.Click) -> None:
        node = event.widget
        while node is not None and not isinstance(node, ChoiceRow):
            node = node.parent  # type: ignore[assignment]
        if isinstance(node, ChoiceRow):
            event.stop()
            self.focus()
            self.toggle(node.index)
