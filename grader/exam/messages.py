"""The messages ``grader exam build`` and ``grader exam grade`` print, in the language of the run.

Each message is a :class:`~grader.i18n.Text`; :func:`say` renders it in
:func:`grader.i18n.default_lang`, which ``grader --lang zh|en`` sets (through ``GRADER_LANG``)
for every command, so a summary, a warning and an error follow the same choice.
"""

from __future__ import annotations

from typing import Any

from grader.i18n import Text, default_lang

__all__ = ["say"]


def say(text: Text, /, **values: Any) -> str:
    """``text`` in the language of this run, with ``str.format(**values)`` applied."""
    return text.get(default_lang()).format(**values)
