"""Bilingual text: every learner-facing string exists in Chinese (``zh``) and English (``en``).

:class:`Text` is the one type of a bilingual text in this project: bank questions, exercise
specs, check failures, result messages, policy messages and every string table (the app's, the
reports') hold ``Text(zh=..., en=...)``.

Why this shape:

- **Keyword-only.** Five forms used to coexist with two orders (``(zh, en)`` in the app's
  tables, ``(en, zh)`` in results, checks and policy messages), and a swapped pair was a bug no
  test saw. ``Text("a", "b")`` is a ``TypeError``: every text says which language is which where
  it is written. (``tests/content/test_text_languages.py`` checks that the ``en`` slot of every
  table, policy message and bundled bank text holds no Chinese and the ``zh`` slot holds some.)
- **A frozen, slotted stdlib dataclass.** Texts are values (hashable, comparable, picklable,
  small: the sandbox's policy builds one per violation), and this module stays a bottom layer:
  it imports no other grader module and nothing outside the standard library, so the executor
  and the quiz path can use it alike. Pydantic validates a stdlib dataclass as a field type, so
  the bank models use this class too: ``grader.bank.model.BankText`` is the subclass whose two
  texts must not be blank and whose mapping admits no other key (``__pydantic_config__``).
- **Empty texts are allowed here.** A passed check has no message (:data:`EMPTY`); whether a
  text may be blank is the caller's rule (banks say no).
- **``to_dict()`` is ``{"en": ..., "zh": ...}``**, the shape result JSON has always had, and
  :meth:`Text.from_dict` reads it back.
"""

from __future__ import annotations

import locale
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["EMPTY", "LANGS", "Lang", "Text", "default_lang"]

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


@dataclass(frozen=True, kw_only=True, slots=True, eq=False)
class Text:
    """A text in Chinese and English: ``Text(zh="通过", en="passed")``."""

    zh: str
    """Chinese."""
    en: str
    """English."""

    def get(self, lang: str) -> str:
        """The text in ``lang`` (``"zh"``; anything else is English)."""
        return self.zh if lang == "zh" else self.en

    def format(self, **values: Any) -> Text:
        """Both texts with ``str.format(**values)`` applied."""
        return Text(zh=self.zh.format(**values), en=self.en.format(**values))

    def to_dict(self) -> dict[str, str]:
        """``{"en": ..., "zh": ...}``, the form in result documents."""
        return {"en": self.en, "zh": self.zh}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Text:
        """The text of a mapping with ``zh`` and ``en`` keys (a missing one is empty; other keys
        are ignored, e.g. a violation's ``rule`` and ``line``).

        Raises:
            TypeError: ``data`` is not a mapping, or a language's value is not a string.
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"a text is a mapping with 'zh' and 'en', got {type(data).__name__}")
        zh, en = data.get("zh", ""), data.get("en", "")
        if type(zh) is not str or type(en) is not str:
            raise TypeError(
                f"'zh' and 'en' must be strings, got {type(zh).__name__} and {type(en).__name__}"
            )
        return cls(zh=zh, en=en)

    def __bool__(self) -> bool:
        """True when either language has text (a passed check's message is empty)."""
        return bool(self.zh or self.en)

    def __eq__(self, other: object) -> bool:
        # Not the dataclass's generated __eq__, which requires the very same class: a bank's
        # validated text (a subclass) equals the plain text with the same strings.
        if not isinstance(other, Text):
            return NotImplemented
        return self.zh == other.zh and self.en == other.en

    def __hash__(self) -> int:
        return hash((self.zh, self.en))


EMPTY = Text(zh="", en="")
"""No text in either language (the message of a passed check)."""


def default_lang() -> Lang:
    """The language from the environment: ``GRADER_LANG``, else the locale (``zh*`` -> zh), else en."""
    forced = os.environ.get("GRADER_LANG", "").strip().lower()
    if forced in LANGS:
        return forced
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else "en"


def say(text: Text, /, **values: Any) -> str:
    """``text`` in the language of this run (:func:`default_lang`, which ``grader --lang``
    sets), with ``str.format(**values)`` applied: the one way a command prints a message."""
    return text.get(default_lang()).format(**values)
