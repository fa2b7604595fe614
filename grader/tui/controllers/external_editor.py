"""Provides ExternalEditor: Ctrl+O edits the learner's file in ``$VISUAL`` / ``$EDITOR``.

The file is saved first, the app suspends (the editor gets the terminal) until the editor
exits, and then the file is read back as after any outside change. A terminal that cannot
suspend (Textual Web, a headless driver) gets a notice to use another window with watch mode.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable

from textual.app import SuspendNotSupported

from grader.tui.controllers.code_file import CodeFile
from grader.tui.screens.base import LocalizedScreen

__all__ = ["ExternalEditor"]


class ExternalEditor:
    """Runs the learner's own editor on their file.

    Args:
        screen: The screen that launches it (its app suspends; its notices).
        code: The learner's file.
        after: Called once the editor has exited, to pick up what it changed.
    """

    def __init__(
        self, screen: LocalizedScreen, code: CodeFile, *, after: Callable[[], None]
    ) -> None:
        self.screen = screen
        self.code = code
        self.after = after

    @staticmethod
    def command() -> str | None:
        """The editor's command line: ``$VISUAL``, else ``$EDITOR``, else None."""
        return os.environ.get("VISUAL") or os.environ.get("EDITOR")

    def launch(self) -> None:
        """Edit the file in the learner's editor; the app suspends until it exits."""
        screen = self.screen
        editor = self.command()
        if not editor:
            screen.notify(screen.t("ex_editor_missing"), severity="warning")
            return
        self.code.save_now()
        path = self.code.path
        try:
            with screen.app.suspend():
                subprocess.run([*shlex.split(editor), str(path)], check=False)
        except SuspendNotSupported:
            screen.notify(screen.t("ex_no_suspend", path=str(path)), severity="warning")
            return
        except (OSError, ValueError) as exc:
            screen.notify(screen.t("ex_editor_failed", editor=editor, error=exc), severity="error")
            return
        self.after()
