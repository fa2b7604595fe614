"""Provides CodeFile: the learner's file in the workspace, kept in step with the built-in editor.

What the learner types is written to the workspace a moment after the last keystroke (and at
once when the screen is left or covered), so it survives restarts; a change made by another
program is noticed by comparing fingerprints, and shown in the editor.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.dom import DOMNode
from textual.timer import Timer

from grader.exercises.model import Exercise
from grader.study.exercise_study import ExerciseStudy
from grader.study.workspace import fingerprint
from grader.tui.widgets.code_editor import CodeEditor

__all__ = ["SAVE_DELAY_S", "CodeFile"]

SAVE_DELAY_S = 0.4
"""Seconds after the last keystroke before the editor's text is written to the workspace."""


class CodeFile:
    """The workspace file of one exercise and the editor that shows it.

    Args:
        exercises: The course's exercises, workspace and progress.
        exercise: The exercise whose file this is.
        host: The screen: it runs the save timer and holds the :class:`CodeEditor`.
        on_saved: Called after the editor's text was written (the first change makes the
            exercise "in progress").
    """

    def __init__(
        self,
        exercises: ExerciseStudy,
        exercise: Exercise,
        host: DOMNode,
        *,
        on_saved: Callable[[], None],
    ) -> None:
        self.exercises = exercises
        self.exercise = exercise
        self.host = host
        self.on_saved = on_saved
        self._disk_print = ""
        """The fingerprint of the file as last read or written here."""
        self._save_timer: Timer | None = None
        self._pending_text: str | None = None
        """The editor's text not yet written to the workspace."""

    @property
    def path(self) -> Path:
        return self.exercises.workspace.path(self.exercise)

    @property
    def editor(self) -> CodeEditor:
        return self.host.query_one(CodeEditor)

    @property
    def typing(self) -> bool:
        """True while the editor has text that is about to be written."""
        return self._save_timer is not None

    def open(self) -> str:
        """The file's text (the starter, copied into the workspace, the first time)."""
        code = self.exercises.open_code(self.exercise)
        self._disk_print = fingerprint(code)
        return code

    def edited(self, text: str) -> None:
        """The learner changed the editor's text: write it once they pause."""
        self._pending_text = text
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.host.set_timer(SAVE_DELAY_S, self.save_now)

    def save_now(self) -> None:
        """Write the editor's text to the workspace (when it differs from the file)."""
        self._stop_timer()
        text, self._pending_text = self._pending_text, None
        if text is not None and fingerprint(text) != self._disk_print:
            self.exercises.save_code(self.exercise, text)
            self._disk_print = fingerprint(text)
            self.on_saved()

    def changed_outside(self) -> str | None:
        """The file's text when another program changed it since it was last read or written
        here; None when it did not (or while the learner is typing here: their text wins)."""
        if self.typing:
            return None
        text = self.exercises.workspace.read(self.exercise)
        return None if fingerprint(text) == self._disk_print else text

    def show(self, text: str) -> None:
        """Show ``text`` in the editor as the file's contents (keeping the cursor's line)."""
        self._disk_print = fingerprint(text)
        self.editor.replace_text(text)
        self._stop_timer()
        self._pending_text = None

    def reset(self) -> None:
        """Put the starter back in the workspace and in the editor."""
        self.show(self.exercises.reset_code(self.exercise))

    def _stop_timer(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
