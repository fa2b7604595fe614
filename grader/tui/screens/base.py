"""Provides LocalizedScreen, the base of every screen: the current language, the strings table,
and footer key descriptions that follow the language."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len
from textual import events
from textual.binding import ActiveBinding, Binding
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer

from grader.tui.strings import STRINGS, t

if TYPE_CHECKING:
    from grader.tui.app import QuizApp

__all__ = [
    "DIGIT_BINDINGS",
    "LANG_BINDINGS",
    "LocalizedModal",
    "LocalizedScreen",
    "localize_bindings",
]

COMPACT_FOOTER_BELOW = 100
"""Terminal width (columns) below which footers drop their spacing."""

LANG_BINDINGS = [Binding("f2", "app.switch_lang", "中文", id="lang", priority=True)]
"""The language key, first in every screen's footer so it shows on narrow terminals too."""

DIGIT_BINDINGS = [Binding(str(d), f"pick({d})", show=False) for d in range(1, 10)]
"""Digits 1-9 pick an option (they type into text boxes instead when one has focus)."""


def localize_bindings(node: DOMNode, lang: str) -> None:
    """Give each binding of ``node`` whose ``id`` is a key of STRINGS its text in ``lang``."""
    table = node._bindings.key_to_bindings
    for key, bindings in list(table.items()):
        if any(b.id in STRINGS for b in bindings):
            table[key] = [
                replace(b, description=t(b.id, lang)) if b.id in STRINGS else b for b in bindings
            ]


class _Localized:
    """Mixin for screens: ``lang``, ``t()`` and language switching."""

    if TYPE_CHECKING:  # Textual's ``app``, typed as this application

        @property
        def app(self) -> QuizApp: ...

    @property
    def lang(self) -> str:
        return self.app.lang

    def t(self, key: str, **values: Any) -> str:
        """The text ``key`` in the current language."""
        return t(key, self.app.lang, **values)

    def apply_lang(self, lang: str) -> None:
        """Re-label everything on the screen in ``lang`` (subclasses extend this)."""

    def on_resize(self, event: events.Resize) -> None:
        self.app.check_size()
        self.fit_footer()

    FOOTER_SPARE: ClassVar[tuple[str, ...]] = ()
    """Ids of bindings the footer leaves out, first one first, while a narrow terminal cannot
    show every key; their keys keep working. The quit key, last, then always stays in sight."""

    def fit_footer(self) -> None:
        """Use the compact footer below 100 columns, so every key still fits, and leave out the
        spare keys that still do not (the footer recomposes only when that set changes)."""
        for footer in self.query(Footer):  # type: ignore[attr-defined]
            footer.compact = self.app.size.width < COMPACT_FOOTER_BELOW
        if self.FOOTER_SPARE:
            left_out = self._left_out(super().active_bindings)  # type: ignore[misc]
            if left_out != getattr(self, "_footer_left_out", frozenset()):
                self.refresh_bindings()  # type: ignore[attr-defined]

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's bindings, less the spare ones a footer of this width has no room for."""
        bindings: dict[str, ActiveBinding] = super().active_bindings  # type: ignore[misc]
        left_out = self._left_out(bindings) if self.FOOTER_SPARE else frozenset()
        self._footer_left_out = left_out  # what the footer was last given, for fit_footer
        if not left_out:
            return bindings
        return {
            key: active._replace(binding=replace(active.binding, show=False))
            if active.binding.id in left_out
            else active
            for key, active in bindings.items()
        }

    def _left_out(self, bindings: dict[str, ActiveBinding]) -> frozenset[str]:
        """The ids of the spare bindings a footer as wide as the app has no room for."""
        width = self.app.size.width
        compact = width < COMPACT_FOOTER_BELOW
        # One footer item per action, as Footer groups them, with the cells it takes: compact,
        # "key desc" items one space apart; else " key " + "desc " side by side.
        items: dict[str, tuple[str | None, int]] = {}
        for active in bindings.values():
            binding = active.binding
            if binding.show and binding.action not in items:
                cells = cell_len(self.app.get_key_display(binding)) + cell_len(binding.description)
                items[binding.action] = (binding.id, cells + (2 if compact else 3))
        needed = sum(cells for _, cells in items.values()) - (1 if compact else 0)
        left_out: set[str] = set()
        for spare in self.FOOTER_SPARE:
            if needed <= width:
                break
            for action, (binding_id, cells) in list(items.items()):
                if binding_id == spare:
                    del items[action]
                    needed -= cells
                    left_out.add(spare)
        return frozenset(left_out)


# The mixin's ``app`` is a QuizApp (an App[None]); MessagePump types it App[object], and App is
# invariant in its return type, so mypy calls the two incompatible although the object is the same.
class LocalizedScreen(_Localized, Screen[Any]):  # type: ignore[misc]
    """A screen whose texts follow the app's language."""

    def on_mount(self) -> None:
        self.app.localize_node_tree(self)
        self.fit_footer()


class LocalizedModal(_Localized, ModalScreen[Any]):  # type: ignore[misc]  # as LocalizedScreen
    """A modal screen whose texts follow the app's language."""

    def on_mount(self) -> None:
        self.app.localize_node_tree(self)
