"""An imported question before it is written: where it came from, its fields, its texts.

Both readers (Moodle XML and GIFT) turn each question of a file into a :class:`Draft`, or into a
:class:`Skip` that says why it does not fit. A draft's texts are still Moodle's (:class:`Slot`:
the raw text and its format); :func:`resolve` decides their languages, for the whole question
at once, and converts them to Markdown:

- a question with language blocks anywhere (either multilang syntax) is bilingual: each text is
  split by language, and text outside the blocks belongs to every language, as Moodle shows it;
  a text whose blocks lack one of our languages lacks that translation;
- a question without any block is in one language: Chinese when any of its texts has Chinese,
  else English. Each text is then that language only, unless it reads the same in every
  language (code, numbers: :func:`grader.interop.html_markdown.is_language_neutral`).

A missing translation is never invented: the text is written without it, and ``grader
validate`` (and the import report) lists it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from grader.i18n import LANGS, Text
from grader.interop.html_markdown import (
    has_cjk,
    is_language_neutral,
    markdown_to_html,
    text_to_markdown,
)
from grader.interop.multilang import has_blocks, split_languages

__all__ = [
    "FALSE_LABEL",
    "OTHER_LABEL",
    "TRUE_LABEL",
    "Category",
    "Draft",
    "Origin",
    "Resolved",
    "Skip",
    "Slot",
    "as_html",
    "feedback_list",
    "resolve",
]

TRUE_LABEL = "\ue020"
"""Stands for the word 'true' in a text until its language is known (then 正确 or True)."""
FALSE_LABEL = "\ue021"
"""Stands for 'false' (错误 or False)."""
OTHER_LABEL = "\ue022"
"""Stands for 'any other answer' (Moodle's ``*`` answer, GIFT's ``~`` after the numbers)."""
_WORDS = {
    TRUE_LABEL: Text(zh="正确", en="True"),
    FALSE_LABEL: Text(zh="错误", en="False"),
    OTHER_LABEL: Text(zh="其他答案", en="Any other answer"),
}


@dataclass(frozen=True)
class Origin:
    """Where a question is in its file."""

    path: str
    line: int
    position: int
    """1-based position among the file's questions (categories not counted)."""
    name: str
    """Moodle's question name (GIFT's title), as written."""

    def __str__(self) -> str:
        name = f" '{self.name}'" if self.name else ""
        return f"{self.path}:{self.line}: question #{self.position}{name}"


@dataclass(frozen=True)
class Slot:
    """A Moodle text: the raw text (language blocks and all) and its Moodle format."""

    raw: str
    fmt: str = "html"

    @property
    def blank(self) -> bool:
        return not self.raw.strip()


@dataclass(frozen=True)
class Category:
    """A Moodle question category (GIFT's ``$CATEGORY``)."""

    path: tuple[str, ...]
    """The category's path below the course or context (``top`` left out)."""
    idnumber: str | None = None
    info: Slot | None = None

    @property
    def name(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass
class Draft:
    """An imported question: YAML keys to values, texts as :class:`Slot` (or lists of them)."""

    origin: Origin
    type: str
    fields: dict[str, Any]
    idnumber: str | None = None
    category: Category | None = None
    notes: list[str] = field(default_factory=list)
    """What did not fit exactly, for the report."""
    meta: dict[str, str] = field(default_factory=dict)
    """What ``grader-KEY:VALUE`` tags (our export's) said: ``type``, ``difficulty``, ..."""
    content: str = ""
    """The question's own text and answers, raw: what a hash-based id is made from."""


@dataclass(frozen=True)
class Skip:
    """A question that does not fit any type here."""

    origin: Origin
    qtype: str
    reason: str


@dataclass
class Resolved:
    """A draft's fields with texts as ``{lang: markdown}`` and what resolving found."""

    fields: dict[str, Any]
    missing: list[tuple[str, str]] = field(default_factory=list)
    """``(field, lang)`` of every text without that language."""
    notes: list[str] = field(default_factory=list)
    dropped_langs: set[str] = field(default_factory=set)


def as_html(slot: Slot) -> str:
    """A slot's text as HTML, whatever its format (to join texts of different formats)."""
    fmt = slot.fmt.lower()
    if fmt == "html":
        return slot.raw
    if fmt == "markdown":
        return markdown_to_html(slot.raw)
    text = html.escape(slot.raw, quote=False) if fmt in ("plain_text", "plain") else slot.raw
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "".join(f"<p>{p.strip().replace(chr(10), '<br>')}</p>" for p in paragraphs if p)


def _inline_html(slot: Slot) -> str:
    """A slot as HTML with one enclosing paragraph removed (to sit inside a list item)."""
    body = as_html(slot).strip()
    inner = re.fullmatch(r"<p>(.*)</p>", body, re.S)
    return inner.group(1) if inner and "<p>" not in inner.group(1) else body


def feedback_list(general: Slot, items: list[tuple[Slot | str, Slot]]) -> Slot:
    """An explanation: ``general``, then each answer's feedback as ``- **answer**: feedback``
    (an answer given as a string is HTML already)."""
    parts = [as_html(general)] if not general.blank else []
    rows = []
    for label, feedback in items:
        if feedback.blank:
            continue
        text = label if isinstance(label, str) else _inline_html(label)
        rows.append(f"<li><strong>{text}</strong>: {_inline_html(feedback)}</li>")
    if rows:
        parts.append(f"<ul>{''.join(rows)}</ul>")
    return Slot("".join(parts), "html")


def _slots(value: Any) -> list[Slot]:
    if isinstance(value, Slot):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _slots(item)]
    return []


def _plain(raw: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


def resolve(draft: Draft, lang_map: Mapping[str, str]) -> Resolved:
    """Convert every slot of ``draft`` to ``{lang: markdown}`` (see the module docstring)."""
    slots = [s for value in draft.fields.values() for s in _slots(value)]
    marked = any(has_blocks(s.raw) for s in slots)
    single = "zh" if any(has_cjk(_plain(s.raw)) for s in slots) else "en"
    result = Resolved(fields={})

    def convert(slot: Slot, where: str) -> dict[str, str]:
        split = split_languages(slot.raw, lang_map)
        result.dropped_langs |= split.dropped
        texts: dict[str, str] = {}
        if split.marked:
            sources = split.texts
        elif marked:
            sources = {lang: split.common for lang in LANGS}
        else:
            sources = {single: split.common}
        for lang, raw in sources.items():
            converted = text_to_markdown(raw, slot.fmt, lang)
            if converted.markdown.strip():
                markdown = converted.markdown
                for token, words in _WORDS.items():
                    markdown = markdown.replace(token, words.get(lang))
                texts[lang] = markdown
                result.notes += [f"{where} ({lang}): {n}" for n in converted.notes]
        if not split.marked and not marked and len(texts) == 1:
            only = next(iter(texts.values()))
            if is_language_neutral(only):
                texts = {lang: only for lang in LANGS}
        for lang in LANGS:
            if lang not in texts:
                result.missing.append((where, lang))
        return {lang: texts[lang] for lang in LANGS if lang in texts}

    for key, value in draft.fields.items():
        if isinstance(value, Slot):
            result.fields[key] = convert(value, key)
        elif isinstance(value, list) and value and all(isinstance(v, Slot) for v in value):
            result.fields[key] = [convert(v, f"{key}[{i}]") for i, v in enumerate(value)]
        else:
            result.fields[key] = value
    return result
