"""Provides HintsPanel: an exercise's hints, revealed one at a time (F1 or the button under them)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Button, Markdown

from grader.exercises.model import Exercise
from grader.tui.cjk import protect_inline_code
from grader.tui.strings import t

__all__ = ["HintsPanel"]


class HintsPanel(Vertical):
    """The hints shown so far and a button for the next one (hidden once every hint is shown).

    Args:
        exercise: The exercise whose hints these are.
        lang: "zh" or "en".
    """

    class Revealed(Message):
        """One more hint is shown (from F1 or the button); ``shown`` counts them."""

        def __init__(self, shown: int) -> None:
            super().__init__()
            self.shown = shown

    def __init__(self, exercise: Exercise, lang: str, *, id: str | None = "hints-panel") -> None:
        super().__init__(id=id)
        self.exercise = exercise
        self.lang = lang
        self.shown = 0
        """How many hints are revealed."""

    def compose(self) -> ComposeResult:
        yield Markdown("", id="hints")
        yield Button("", id="show-hint", compact=True)

    @property
    def total(self) -> int:
        return len(self.exercise.spec.hints)

    def reveal_next(self) -> bool:
        """Reveal one more hint; when every hint is already shown, say so and return False."""
        if self.shown >= self.total:
            self.notify(t("ex_no_more_hints", self.lang))
            return False
        self.shown += 1
        self.post_message(self.Revealed(self.shown))
        self._refresh()
        self.query_one("#hints", Markdown).scroll_visible(animate=False)
        return True

    @on(Button.Pressed, "#show-hint")
    def _show_hint_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.reveal_next()

    def apply_lang(self, lang: str) -> None:
        self.lang = lang
        self._refresh()

    def _markdown(self) -> str:
        colon = "：" if self.lang == "zh" else ": "  # outside the ** (see strings.md_label)
        parts = [
            f"**{t('ex_hint_n', self.lang, i=i + 1, n=self.total)}**{colon}" + hint.get(self.lang)
            for i, hint in enumerate(self.exercise.spec.hints[: self.shown])
        ]
        return protect_inline_code("\n\n".join(parts))

    def _refresh(self) -> None:
        hints = self.query_one("#hints", Markdown)
        hints.update(self._markdown())
        hints.display = self.shown > 0
        button = self.query_one("#show-hint", Button)
        button.label = t("ex_hint_button", self.lang, shown=self.shown, n=self.total)
        button.display = self.shown < self.total
