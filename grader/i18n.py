"""Bilingual text: every learner-facing string exists in Chinese (``zh``) and English (``en``)."""

from __future__ import annotations

import locale
import os
from typing import Literal

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")


def default_lang() -> Lang:
    """The language from the environment: ``GRADER_LANG``, else the locale (``zh*`` -> zh), else en."""
    forced = os.environ.get("GRADER_LANG", "").strip().lower()
    if forced in LANGS:
        return forced  # type: ignore[return-value]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:
        loc = ""
    return "zh" if loc.lower().startswith("zh") else "en"


def pick(text: dict[str, str] | str | None, lang: Lang) -> str:
    """The text in ``lang`` (falling back to the other language, then to '')."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    return text.get(lang) or text.get("en") or text.get("zh") or ""
