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

Why a patch of private functions, and why rich is pinned
---------------------------------------------------------
Neither library offers a supported hook for line breaking (checked in Textual 8.2.8 and Rich
15.0.0, and in both projects' current sources):

- Textual wraps every ``Content`` (``Static``, ``Label``, the blocks of ``Markdown``, the toasts
  of ``notify()``, ...) in the private ``Content._wrap_and_format``, which calls
  ``rich._wrap.divide_line``; Rich's own ``Text.wrap`` calls the same function. Neither takes a
  word splitter or a break function. The public knobs are the CSS ``text-wrap`` (``wrap`` /
  ``nowrap``) and ``text-overflow`` (``clip`` / ``fold`` / ``ellipsis``), and ``fold`` cuts at
  any cell, inside identifiers too, with no rule for punctuation. ``Content.wrap()`` wraps the
  same way. Rich's maintainer: Rich "will wrap on spaces only" (Textualize/rich#2494).
- ``TextArea``'s soft wrap goes through the private ``WrappedDocument`` and
  ``textual._wrap.compute_wrap_offsets``, which split with the module's ``re_chunk``.

The app's own wrapping widget (a ``render()`` returning text broken here) would cover only the
widgets the app draws itself: Markdown's blocks, toasts, ``TextArea`` and the other widgets that
Textual builds would each need a subclass resting on their internals, a larger private surface
than the three names replaced here. So the patch stays, in this one module, with both libraries
pinned exactly in ``pyproject.toml`` (``textual==8.2.8``, ``rich==15.0.0``), and
``tests/tui/test_tui_cjk.py`` checks what it relies on (the replaced functions' signatures, the
patterns they stand in for, and that ``divide_line``, ``Text``, ``Content`` and ``TextArea``
still reach them), so an upgrade that changes any of it fails loudly instead of silently
breaking Chinese wrapping. To upgrade: bump both pins, run the CJK tests, adapt :func:`words`,
:func:`chop_cells` or ``_CHUNK`` to what changed, then the snapshots.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "REPLACED",
    "chop_cells",
    "install",
    "installed",
    "protect_inline_code",
    "words",
    "wrap",
]

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
# Where a unit too wide for a line is folded, if it has such a character: after it.
_SEAMS = ("\u00a0 ", ",;:", "([{=", "./", "_-")
"""Where a unit too wide for a line is folded, strongest first: after the last character of the
first class that occurs in the line (not at its very end, nor in its first third)."""


def _seam(line: list[str]) -> int:
    """The index after the best seam of ``line`` (0: none, cut at the width)."""
    least = max(2, len(line) // 3)  # a seam near the start would leave a line nearly empty
    for kind in _SEAMS:
        found = [i + 1 for i, c in enumerate(line[:-1]) if c in kind and i + 1 >= least]
        if found:
            return found[-1]
    return 0


# One CJK character as a unit: with the brackets and punctuation glued to it, and its space.
_ONE_CJK = re.compile(rf"[{_OPEN_FW}]*[{_CJK}][{_CLOSE_FW}]*[{_WS}]*")

_installed = False

REPLACED: dict[str, Any] = {}
"""What :func:`install` replaced, by dotted name: the libraries' own objects (for the tests that
check the patch still fits them)."""


def words(text: str) -> Iterable[tuple[int, int, str]]:
    """Yield ``(start, end, word)`` for each unbreakable unit of ``text`` with its trailing space.

    Same contract as ``rich._wrap.words``: the spans are contiguous and cover the text. The last
    two CJK characters of the text are one unit, so a wrapped paragraph never ends with one
    character alone on its last line (``解`` / ``析``): the break moves one character earlier.
    """
    spans: list[tuple[int, int, str]] = []
    match = _WORD.match(text, 0)
    while match is not None:
        start, end = match.span()
        spans.append((start, end, match.group(0)))
        match = _WORD.match(text, end)
    if len(spans) >= 2:
        (start, _, before), (_, end, last) = spans[-2], spans[-1]
        if _ONE_CJK.fullmatch(last) and _ONE_CJK.fullmatch(before) and before == before.rstrip():
            spans[-2:] = [(start, end, before + last)]
    yield from spans


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


def chop_cells(text: str, width: int, unicode_version: str = "auto") -> list[str]:
    """Fold a unit too wide for any line into pieces of at most ``width`` cells.

    Like ``rich.cells.chop_cells`` (same arguments), except that it folds after the last seam
    that fits (a no-break space, ``.``, ``,``, ``(``, ``_`` ...: ``backward(ctx,`` /
    ``grad_output)``, not ``backward(ctx, g`` / ``rad_output)``), and a piece never starts with
    closing punctuation: the character before it moves down with it (so ``optimizer.step()。``
    folds as ``optimizer.step(`` / ``)。`` rather than leave ``。`` alone at the start of a line).
    """
    from rich.cells import get_character_cell_size

    def size(char: str) -> int:
        return get_character_cell_size(char, unicode_version)

    lines: list[list[str]] = [[]]
    used = 0
    for char in text:
        if used + size(char) > width and lines[-1]:
            line = lines[-1]
            # Prefer a seam inside the unit (after a no-break space, `.`, `,`, `(`, `_`, ...)
            # to cutting an identifier: `autograd.` / `Function`, not `Functio` / `n`.
            seam = _seam(line)
            if seam and char not in _NO_LINE_START:
                carry = line[seam:]
                del line[seam:]
            elif char in _NO_LINE_START and len(line) > 1:
                carry = [line.pop()]
            else:
                carry = []
            lines.append(carry)
            used = sum(size(c) for c in carry)
        lines[-1].append(char)
        used += size(char)
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

    REPLACED.update(
        {
            "rich._wrap.words": rich._wrap.words,
            "rich._wrap.chop_cells": rich._wrap.chop_cells,
            "textual._wrap.re_chunk": textual._wrap.re_chunk,
        }
    )
    rich._wrap.words = words
    rich._wrap.chop_cells = chop_cells
    textual._wrap.re_chunk = _CHUNK
    _installed = True


def installed() -> bool:
    """True once :func:`install` has run."""
    return _installed
