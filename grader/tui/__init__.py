"""The terminal app (Textual): home, practice, exam, review, report and stats screens.

Entry points: ``grader.cli.quiz.run_quiz(...)`` (what ``grader quiz`` runs) and
``grader.tui.app.QuizApp(study, lang=..., start=StartOptions(...)).run()``. Importing this
package loads nothing heavy; ``QuizApp`` and ``StartOptions`` load Textual on first use.

Layout: ``app.py`` (the App and the screen registry ``SCREENS``), ``app.tcss`` (styles),
``screens/`` (one screen per module), ``widgets/`` (one widget per module), ``controllers/``
(a screen's non-visual parts, one job per module), ``strings.py`` (every UI text in Chinese and
English), ``cjk.py`` (CJK line breaking, the only patch of Textual/Rich), ``markup.py``
(question content as Markdown and labels).
"""

from __future__ import annotations

from typing import Any

__all__ = ["QuizApp", "StartOptions"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from grader.tui import app

        return getattr(app, name)
    raise AttributeError(f"module 'grader.tui' has no attribute {name!r}")
