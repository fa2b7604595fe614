"""Provides OrderList: a reorderable list of wrapped rows.

Keys: ↑/↓ move the cursor; Shift+↑/Shift+↓ (or ``[`` / ``]``) move the item under the cursor;
Enter submits. The mouse: click a row to put the cursor on it, click ▲ or ▼ to move it.
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

__all__ = ["OrderList", "OrderRow"]


class OrderRow(Horizontal):
    """One position of the list: its number, the item shown there, and ▲ ▼ handles."""

    def __init__(self, position: int, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="order-row")
        self.position = position

    def compose(self) -> ComposeResult:
        yield Static("", classes="order-number")
        yield Static("", classes="order-text")
        yield Static("▲", classes="order-up")
        yield Static("▼", classes="order-down")

    def show(self, number: str, label: Content) -> None:
        self.query_one(".order-number", Static).update(Content(number))
        self.query_one(".order-text", Static).update(label)


class OrderList(Widget, can_focus=True):
    """Items the learner puts in order.

    Args:
        labels: Label of each item, by item key.
        order: Item keys in the order shown at the start.
    """

    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("shift+up,left_square_bracket", "move(-1)", show=False),
        Binding("shift+down,right_square_bracket", "move(1)", show=False),
        Binding("enter", "submit", show=False),
    ]

    cursor: reactive[int] = reactive(0)

    @dataclass
    class Changed(Message):
        """The order changed."""

        order_list: OrderList
        order: tuple[int, ...]

    @dataclass
    class Submitted(Message):
        """Enter was pressed on the list."""

        order_list: OrderList

    def __init__(
        self, labels: dict[int, Content], order: Sequence[int], *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self.labels = dict(labels)
        self.order = list(order)

    def compose(self) -> ComposeResult:
        for position in range(len(self.order)):
            yield OrderRow(position, id=f"order-{position + 1}")

    def on_mount(self) -> None:
        self._refresh_rows()

    @property
    def rows(self) -> list[OrderRow]:
        return list(self.query(OrderRow))

    def _refresh_rows(self) -> None:
        for row in self.rows:
            pointer = "›" if row.position == self.cursor else " "
            row.show(f"{pointer}{row.position + 1}.", self.labels[self.order[row.position]])
            row.set_class(row.position == self.cursor, "-cursor")

    def watch_cursor(self) -> None:
        if self.is_mounted:
            self._refresh_rows()

    def set_labels(self, labels: dict[int, Content]) -> None:
        """Replace the labels (same items, e.g. in another language)."""
        self.labels = dict(labels)
        self._refresh_rows()

    def move(self, position: int, step: int) -> None:
        """Move the item at ``position`` up (-1) or down (+1); the cursor follows it."""
        target = position + step
        if not (0 <= position < len(self.order) and 0 <= target < len(self.order)):
            return
        self.order[position], self.order[target] = self.order[target], self.order[position]
        self.cursor = target
        self._refresh_rows()
        self.post_message(self.Changed(self, tuple(self.order)))

    def action_cursor(self, step: int) -> None:
        self.cursor = max(0, min(len(self.order) - 1, self.cursor + step))

    def action_move(self, step: int) -> None:
        self.move(self.cursor, step)

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self))

    def on_click(self, event: events.Click) -> None:
        node = event.widget
        handle = ""
        while node is not None and not isinstance(node, OrderRow):
            if node.has_class("order-up"):
                handle = "up"
            elif node.has_class("order-down"):
                handle = "down"
            node = node.parent  # type: ignore[assignment]
        if isinstance(node, OrderRow):
            event.stop()
            self.focus()
            if handle:
                self.move(node.position, -1 if handle == "up" else 1)
            else:
                self.cursor = node.position
