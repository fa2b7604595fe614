"""Where each character of a YAML text value comes from: its line, and which spaces YAML made.

A lint that flags a character must name its line, and a space that YAML *made* from a line
break (``>`` folding, or a quoted or plain value written over several lines) needs another fix
than a space the author typed. ``scalar_text`` re-reads a scalar's source, replays YAML's line
folding on it and keeps, for every character of the value, the line it was written on. The replay
is checked against the parser's own value: where they differ (an explicit indentation indicator,
an unusual escape) the text keeps only the value's first line and no fold information, rather
than guess.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from yaml.nodes import ScalarNode

__all__ = ["ScalarText", "scalar_text"]

_BREAK = re.compile(r"\r\n|\r|\n")
_HEADER = re.compile(r"([|>])([-+]?)([1-9]?)([-+]?)")
_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX = {"x": 2, "u": 4, "U": 8}


@dataclass(frozen=True, slots=True)
class ScalarText:
    """A scalar's value with the source line of each character."""

    value: str
    """The value, as the parser built it."""
    style: str
    """``plain``, ``single`` or ``double`` (quoted), ``literal`` (``|``) or ``folded`` (``>``)."""
    header: str
    """A block scalar's indicator as written (``>-``, ``|``); empty for the other styles."""
    line: int
    """1-based line of the value's first character (a block's first content line)."""
    starts: tuple[int, ...] = ()
    """Value indices where a new source line begins (ascending), paired with ``lines``."""
    lines: tuple[int, ...] = ()
    """The 1-based source line of the characters from the matching ``starts`` index on."""
    folds: frozenset[int] = frozenset()
    """Indices of the spaces YAML made by folding a line break."""

    def line_at(self, index: int) -> int:
        """The source line of ``value[index]`` (``line`` where the origin is unknown)."""
        if not self.starts:
            return self.line
        at = bisect.bisect_right(self.starts, index) - 1
        return self.lines[max(at, 0)]

    @property
    def multiline(self) -> bool:
        """Whether the value was written over more than one line."""
        return len(set(self.lines)) > 1


class _Out:
    """The value being rebuilt: characters with the line each came from."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.lines: list[int] = []
        self.folds: set[int] = set()

    def add(self, text: str, line: int) -> None:
        if not text:
            return
        if not self.lines or self.lines[-1] != line:
            self.starts.append(len(self.chars))
            self.lines.append(line)
        self.chars.extend(text)

    def fold(self, line: int) -> None:
        self.folds.add(len(self.chars))
        self.add(" ", line)

    @property
    def value(self) -> str:
        return "".join(self.chars)


def scalar_text(node: ScalarNode, source: str) -> ScalarText:
    """The origin of ``node``'s value in ``source`` (the text the node was parsed from)."""
    style = {"|": "literal", ">": "folded", "'": "single", '"': "double"}.get(
        node.style or "", "plain"
    )
    start, end = node.start_mark, node.end_mark
    raw = source[start.index : end.index]
    first = start.line + 1
    if style in ("literal", "folded"):
        header_line = _BREAK.split(raw, maxsplit=1)[0]
        header = header_line.split("#", 1)[0].strip()
        out = _block(raw, first, folded=style == "folded")
        line = first + 1
    else:
        header = ""
        line = first
        out = None if start.line == end.line else _flow(raw, first, style)
    if out is None or out.value != node.value:
        return ScalarText(node.value, style, header, line)
    if style in ("literal", "folded") and out.lines:
        line = out.lines[0]
    return ScalarText(
        node.value, style, header, line, tuple(out.starts), tuple(out.lines), frozenset(out.folds)
    )


def _block(raw: str, first: int, *, folded: bool) -> _Out | None:
    """Replay a ``|`` or ``>`` block: ``raw`` starts with the header line; ``first`` is its line."""
    rows = _BREAK.split(raw)
    match = _HEADER.match(rows[0].strip())
    if match is None or match.group(3):  # an explicit indentation indicator: not replayed
        return None
    chomp = match.group(2) or match.group(4)
    body = rows[1:]
    if body and not body[-1].strip():  # what follows the last line break: not the scalar's
        body.pop()
    indent = next((len(r) - len(r.lstrip(" ")) for r in body if r.strip()), None)
    out = _Out()
    if indent is None:
        return out
    previous: str | None = None  # "text" or "more" (more indented), None before any content
    empties = 0
    last_line = first
    for offset, row in enumerate(body):
        number = first + 1 + offset
        content = row[indent:] if len(row) > indent else ""
        if not content.strip(" ") and not (content and not folded):
            empties += 1
            continue
        kind = "more" if content[:1] in (" ", "\t") else "text"
        if previous is None:
            _breaks(out, number - empties, empties)
        elif folded and previous == "text" and kind == "text":
            if empties:  # the break is dropped; each empty line is a newline
                _breaks(out, last_line + 1, empties)
            else:
                out.fold(last_line)
        else:
            _breaks(out, last_line, empties + 1)
        out.add(content, number)
        previous, empties, last_line = kind, 0, number
    if chomp == "+":
        _breaks(out, last_line, empties + 1)
    elif chomp != "-":
        out.add("\n", last_line)
    return out


def _breaks(out: _Out, first: int, count: int) -> None:
    """``count`` newlines, ending lines ``first``, ``first + 1``, ..."""
    for offset in range(count):
        out.add("\n", first + offset)


def _flow(raw: str, first: int, style: str) -> _Out | None:
    """Replay a plain or quoted scalar written over several lines."""
    if style != "plain":
        raw = raw[1:-1]
    rows = _BREAK.split(raw)
    last = len(rows) - 1
    out = _Out()
    index = 0
    while index <= last:
        row = rows[index]
        number = first + index
        if index > 0:
            row = row.lstrip(" \t")
        escaped_break = False
        if index < last:
            if style == "double" and _ends_with_escape(row):
                row, escaped_break = row[:-1], True
            else:
                row = row.rstrip(" \t")
        text = _unescape(row, style)
        if text is None:
            return None
        out.add(text, number)
        if index == last:
            break
        following = index + 1
        while following < last and not rows[following].strip(" \t"):
            following += 1
        empties = following - index - 1
        if empties:
            out.add("\n" * empties, number)
        elif not escaped_break:
            out.fold(number)
        index = following
    return out


def _ends_with_escape(row: str) -> bool:
    """Whether a double-quoted line ends with an unescaped backslash (a line continuation)."""
    count = len(row) - len(row.rstrip("\\"))
    return count % 2 == 1


def _unescape(text: str, style: str) -> str | None:
    """A quoted line's text as the value holds it (None for an escape not replayed)."""
    if style == "single":
        return text.replace("''", "'")
    if style != "double" or "\\" not in text:
        return text
    parts: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "\\":
            parts.append(char)
            index += 1
            continue
        code = text[index + 1 : index + 2]
        if code in _ESCAPES:
            parts.append(_ESCAPES[code])
            index += 2
        elif code in _HEX:
            digits = text[index + 2 : index + 2 + _HEX[code]]
            try:
                parts.append(chr(int(digits, 16)))
            except ValueError:
                return None
            index += 2 + _HEX[code]
        else:
            return None
    return "".join(parts)
