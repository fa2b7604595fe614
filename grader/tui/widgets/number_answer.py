"""Provides NumberAnswer: a text box that takes only what a number can be made of."""

from __future__ import annotations

from grader.tui.widgets.text_answer import TextAnswer

__all__ = ["NumberAnswer"]


class NumberAnswer(TextAnswer):
    """A number box for ``numeric`` questions: digits (full-width too), sign, point, exponent and
    ``/`` for fractions; the bank engine parses what is typed (``0.5``, ``1/3``, ``１．５``)."""

    placeholder_key = "numeric_placeholder"
    restrict = r"[0-9０-９.．,eE+\-−/_ ]*"
