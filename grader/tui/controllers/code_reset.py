"""Provides CodeReset: F9 puts the exercise's starter code back, once the learner confirms.

Only the code is reset: the learner's runs and scores are kept. It is refused while a job is
grading the file.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.tui.controllers.code_file import CodeFile
from grader.tui.screens.base import LocalizedScreen

__all__ = ["CodeReset"]


class CodeReset:
    """Asks, then resets the learner's file to the starter.

    Args:
        screen: The screen that asks (over it, the confirmation).
        code: The learner's file.
        busy: True while a grading job runs.
    """

    def __init__(self, screen: LocalizedScreen, code: CodeFile, *, busy: Callable[[], bool]):
        self.screen = screen
        self.code = code
        self.busy = busy

    def ask(self) -> None:
        """Open the confirmation; on "Reset", put the starter back in the file and the editor."""
        screen = self.screen
        if self.busy():
            screen.notify(screen.t("ex_busy"), severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.code.reset()
                screen.notify(screen.t("ex_reset_done"))
                self.code.editor.focus()

        screen.app.open_screen(
            "confirm", "ex_confirm_reset", None, "ex_reset_yes", "ex_reset_no", callback=confirmed
        )
