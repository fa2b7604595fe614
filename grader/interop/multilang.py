"""Several languages in one Moodle text, and back.

Moodle keeps the languages of a bilingual site in one field, in either of two syntaxes:

- the multilang filter: ``<span lang="zh_cn" class="multilang">…</span><span lang="en"
  class="multilang">…</span>`` (and its old form ``<lang lang="en">…</lang>``);
- multi-language content v2 (filter_multilang2): ``{mlang zh_cn}…{mlang}{mlang en}…{mlang}``,
  where one block may name several languages (``{mlang en,en_us}``) or ``other``.

Text outside every block is shown in every language, as both filters do. Language codes are
Moodle's (``zh_cn``, ``zh_tw``, ``en``, ``en_us``, ...): by default any code starting with ``zh``
is our Chinese and any starting with ``en`` our English; ``--lang-map`` names others (``other``,
a site's own packs). A block in a language that maps to neither is left out, and said so.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from grader.errors import UsageError
from grader.i18n import LANGS, Text, default_lang

__all__ = [
    "EXPORT_CODES",
    "Split",
    "has_blocks",
    "multilang_spans",
    "parse_lang_map",
    "split_languages",
]

EXPORT_CODES: Mapping[str, str] = {"zh": "zh_cn", "en": "en"}
"""The Moodle language pack each of our languages is written as on export."""

_START = re.compile(
    r"<span\b(?=[^>]*\bclass\s*=\s*[\"']multilang[\"'])(?=[^>]*\blang\s*=\s*[\"']([^\"']+)[\"'])"
    r"[^>]*>"
    r"|<lang\s+lang\s*=\s*[\"']([^\"']+)[\"']\s*>"
    r"|\{mlang\s+([^}]+)\}",
    re.I,
)
_SPAN_TAG = re.compile(r"<(/?)span\b[^>]*?(/?)>", re.I)
_LANG_END = re.compile(r"</lang\s*>", re.I)
_MLANG_END = re.compile(r"\{mlang\}", re.I)


@dataclass(frozen=True)
class _Block:
    start: int
    end: int
    codes: str
    inner: str


def _span_end(raw: str, after: int) -> tuple[int, int] | None:
    """Where the ``</span>`` closing a span opened before ``after`` starts and ends: spans
    inside it (a colour, a ``lang`` of its own) are skipped over, not taken for its end."""
    depth = 1
    for tag in _SPAN_TAG.finditer(raw, after):
        if tag.group(2):  # <span/>
            continue
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.start(), tag.end()
    return None


def _blocks(raw: str) -> list[_Block]:
    """The language blocks of ``raw``, in order, none inside another."""
    found: list[_Block] = []
    position = 0
    while (start := _START.search(raw, position)) is not None:
        if start.group(1) is not None:
            end = _span_end(raw, start.end())
            codes = start.group(1)
        else:
            closing = (_LANG_END if start.group(2) is not None else _MLANG_END).search(
                raw, start.end()
            )
            end = (closing.start(), closing.end()) if closing else None
            codes = start.group(2) if start.group(2) is not None else start.group(3)
        if end is None:  # never closed: not a block
            position = start.end()
            continue
        found.append(_Block(start.start(), end[1], codes, raw[start.end() : end[0]]))
        position = end[1]
    return found


def parse_lang_map(spec: str | None) -> dict[str, str]:
    """``zh_cn=zh,en=en`` -> ``{"zh_cn": "zh", "en": "en"}`` (codes compared lowercase).

    Raises:
        UsageError: an entry is not ``code=zh`` or ``code=en``.
    """
    found: dict[str, str] = {}
    for entry in (spec or "").split(","):
        if not entry.strip():
            continue
        code, sep, ours = (part.strip() for part in entry.partition("="))
        if not sep or not code or ours not in LANGS:
            message = Text(
                zh="--lang-map：'{entry}' 不是 CODE=zh 或 CODE=en 的形式"
                "（例如 --lang-map zh_tw=zh,other=en）",
                en="--lang-map: '{entry}' is not CODE=zh or CODE=en "
                "(e.g. --lang-map zh_tw=zh,other=en)",
            )
            raise UsageError(message.get(default_lang()).format(entry=entry.strip()))
        found[code.lower()] = ours
    return found


def _ours(code: str, lang_map: Mapping[str, str]) -> str | None:
    code = code.strip().lower().replace("-", "_")
    if code in lang_map:
        return lang_map[code]
    for lang in LANGS:
        if code == lang or code.startswith(f"{lang}_"):
            return lang
    return None


@dataclass
class Split:
    """One field's text by language."""

    marked: bool
    """The text has language blocks."""
    texts: dict[str, str] = field(default_factory=dict)
    """Our language -> its text (common text included), for each language it has a block of.
    Empty when the text is unmarked (see ``common``)."""
    common: str = ""
    """The text outside every block (all of it when unmarked)."""
    dropped: set[str] = field(default_factory=set)
    """Moodle language codes of blocks that map to neither of our languages."""


def split_languages(raw: str, lang_map: Mapping[str, str]) -> Split:
    """``raw`` split into our languages (see the module docstring)."""
    matches = _blocks(raw)
    if not matches:
        return Split(marked=False, common=raw)
    split = Split(marked=True)
    present: set[str] = set()
    blocks: list[tuple[_Block, set[str]]] = []
    for match in matches:
        langs: set[str] = set()
        for code in match.codes.split(","):
            lang = _ours(code, lang_map)
            if lang is not None:
                langs.add(lang)
        if not langs:
            split.dropped.add(match.codes.strip().lower())
        present |= langs
        blocks.append((match, langs))
    pieces: list[str] = []
    position = 0
    for match, _ in blocks:
        pieces.append(raw[position : match.start])
        position = match.end
    pieces.append(raw[position:])
    split.common = "".join(pieces)
    for lang in LANGS:
        if lang not in present:
            continue
        out: list[str] = []
        position = 0
        for match, langs in blocks:
            out.append(raw[position : match.start])
            if lang in langs:
                out.append(match.inner)
            position = match.end
        out.append(raw[position:])
        split.texts[lang] = "".join(out)
    return split


def has_blocks(raw: str) -> bool:
    """Whether ``raw`` holds a language block of either syntax."""
    return bool(_blocks(raw))


def multilang_spans(texts: Mapping[str, str]) -> str:
    """The multilang filter's spans of ``texts`` (our language -> HTML), Chinese first."""
    return "".join(
        f'<span lang="{EXPORT_CODES[lang]}" class="multilang">{texts[lang]}</span>'
        for lang in LANGS
        if lang in texts
    )
