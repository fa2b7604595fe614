"""Provides CJK-aware line breaking for Textual and Rich: the one place this is patched.

Textual and Rich break lines only at spaces, so an unspaced Chinese run is one "word": it jumps
whole to the next line, and an identifier inside it is cut mid-token (``loss.backwa|rd()``).
:func:`install` replaces the word splitter both use (``rich._wrap.words``, which Rich's ``Text``
and Textual's ``Content`` wrap with, and ``textual._wrap.re_chunk``, which ``TextArea`` wraps
with) by :func:`words`, whose units are:

- one CJK character (ideograph, kana, hangul, full-width letter or digit), so lines break
  between ideographs;
- one Latin token: a run of anything that is neither whitespace nor CJK (``loss.backward()``,
  ``x.grad``, ``3.14``), kept whole;
- closing punctuation (``，。：；）、！？」`` ...) glued to the unit before it, so no line starts
  with it; opening brackets (``（「《`` ...) glued to the unit after it;
- trailing whitespace, as before.

A unit wider than a whole line is folded by :func:`chop_cells`, which never starts a piece with
closing punctuation either (rich's ``chop_cells`` in ``rich._wrap`` is replaced for this).

Inline code is kept whole by :func:`protect_inline_code`, which turns the spaces inside short
backtick spans into no-break spaces (U+00A0), which :func:`words` does not break at.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["chop_cells", "install", "installed", "protect_inline_code", "words", "wrap"]

# One CJK character that may stand alone on either side of a break.
_CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u309f\u30a1-\u30fa\u30fd-\u30ff"
    "\u3100-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7af\uf900-\ufaff\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
    "\uff66-\uff9f\U00020000-\U0003ffff"
)
# Punctuation that must not start a line (full-width and CJK forms).
_CLOSE_FW = "，。、：；！？）］｝」』】〕〗〙》〉”’…‥・ー～％\u3001\u3002\uff0c\uff0e"
# Punctuation that must not end a line.
_OPEN_FW = "（［｛「『【〔〖〘《〈“‘"
_ASCII_CLOSE = r",.:;!?)\]}%"
_ASCII_OPEN = r"(\[{"
# Whitespace we break at: Python's \s without the no-break spaces (U+00A0, U+2007, U+202F).
_WS = "\t\n\x0b\x0c\r \x1c-\x1f\x85\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000"

_UNIT = (
    rf"[{_OPEN_FW}{_ASCII_OPEN}]*"
    rf"(?:[{_CJK}]|[^{_WS}{_CJK}{_OPEN_FW}{_CLOSE_FW}]+)"
    rf"(?:[{_CLOSE_FW}]|[{_ASCII_CLOSE}](?!\w))*"
)
_WORD = re.compile(rf"[{_WS}]*(?:{_UNIT}|[^{_WS}])[{_WS}]*")
_CHUNK = re.compile(rf"(?:{_UNIT}|[^{_WS}])[{_WS}]*|[{_WS}]+")
_INLINE_CODE = re.compile(r"(?<!`)`([^`\n]{1,40})`(?!`)")

_NO_LINE_START = frozenset(_CLOSE_FW)

_installed = False


def words(text: str) -> Iterable[tuple[int, int, str]]:
    """Yield ``(start, end, word)`` for each unbreakable unit of ``text`` with its trailing space.

    Same contract as ``rich._wrap.words``: the spans are contiguous and cover the text.
    """
    position = 0
    match = _WORD.match(text, position)
    while match is not None:
        start, end = match.span()
        yield start, end, match.group(0)
        match = _WORD.match(text, end)


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` cells, as the patched widgets break it.

    Installs the patch (see :func:`install`) if it is not installed yet.
    """
    install()
    from rich._wrap import divide_line

    lines: list[str] = []
    for paragraph in text.split("\n"):
        offsets = [0, *divide_line(paragraph, width), len(paragraph)]
        lines.extend(paragraph[a:b].rstrip() for a, b in zip(offsets, offsets[1:], strict=False))
    return lines


def chop_cells(text: str, width: int) -> list[str]:
    """Fold a unit too wide for any line into pieces of at most ``width`` cells.

    Like ``rich.cells.chop_cells``, except that a piece never starts with closing punctuation:
    the character before it moves down with it (so ``optimizer.step()。`` folds as
    ``optimizer.step(`` / ``)。`` rather than leave ``。`` alone at the start of a line).
    """
    from rich.cells import get_character_cell_size

    lines: list[list[str]] = [[]]
    used = 0
    for char in text:
        size = get_character_cell_size(char)
        if used + size > width and lines[-1]:
            carry = [lines[-1].pop()] if char in _NO_LINE_START and len(lines[-1]) > 1 else []
            lines.append(carry)
            used = sum(get_character_cell_size(c) for c in carry)
        lines[-1].append(char)
        used += size
    return ["".join(line) for line in lines]


def protect_inline_code(markdown: str) -> str:
    """Make the spaces inside short inline code spans no-break spaces, so the span stays whole."""
    return _INLINE_CODE.sub(lambda m: "`" + m.group(1).replace(" ", "\u00a0") + "`", markdown)


def install() -> None:
    """Patch Rich's and Textual's word splitters (idempotent)."""
    global _installed
    if _installed:
        return
    import rich._wrap
    import textual._wrap

    rich._wrap.words = words  # type: ignore[assignment]
    rich._wrap.chop_cells = chop_cells  # type: ignore[assignment]
    textual._wrap.re_chunk = _CHUNK
    _installed = True


def installed() -> bool:
    """True once :func:`install` has run."""
    return _installed
