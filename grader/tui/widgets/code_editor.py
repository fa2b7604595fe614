"""Provides CodeEditor: the built-in Python editor of the exercise screen (a Textual TextArea with
line numbers, indentation on Tab, and Python highlighting where tree-sitter is installed)."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea
from textual.widgets.text_area import LanguageDoesNotExist, Selection

__all__ = ["CodeEditor"]


class CodeEditor(TextArea, inherit_bindings=False):
    """A Python editor; Escape leaves it (so letter keys act on the screen again).

    Python highlighting needs the ``tree-sitter`` and ``tree-sitter-python`` packages (Textual's
    ``syntax`` extra); without them the code is shown as plain text. TextArea's keys are kept
    except F6 ("select line"), which the exercise screen uses for Submit.
    """

    BINDINGS = [
        binding
        for bindings in TextArea._merge_bindings().key_to_bindings.values()
        for binding in bindings
        if binding.key != "f6"
    ]

    def __init__(self, text: str, *, id: str | None = "editor") -> None:
        options = dict(
            soft_wrap=False,
            tab_behavior="indent",
            show_line_numbers=True,
            theme="monokai",
            id=id,
        )
        try:
            super().__init__(text, language="python", **options)  # type: ignore[arg-type]
        except LanguageDoesNotExist:
            super().__init__(text, language=None, **options)  # type: ignore[arg-type]

    async def _on_key(self, event: events.Key) -> None:
        """Escape while the screen runs a job goes to the screen (which cancels the job), not
        to TextArea, which would only move the focus on: one Esc cancels, as the footer says."""
        if event.key == "escape" and getattr(self.screen, "running", None) is not None:
            event.stop()
            event.prevent_default()
            await self.run_action("screen.back")  # the screen's Esc: cancel the running job
            return
        await super()._on_key(event)

    def replace_text(self, text: str) -> None:
        """Show ``text`` instead of the current text, keeping the cursor on its line (or the
        last line, when the new text is shorter)."""
        row = self.cursor_location[0]
        self.load_text(text)
        self.move_cursor((min(row, self.document.line_count - 1), 0))

    def go_to_line(self, line: int) -> None:
        """Put the cursor at the start of the 1-based ``line`` (clamped to the file), select
        that line, and show it."""
        last = max(self.document.line_count - 1, 0)
        row = min(max(line - 1, 0), last)
        end = len(self.document.get_line(row))
        self.selection = Selection((row, end), (row, 0))
        self.scroll_cursor_visible(center=True, animate=False)
