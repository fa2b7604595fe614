"""The prose of a Markdown text: what the text lints read, with code and URLs set apart.

A lint of learner-facing text must not read code as prose: `` `torch.manual_seed(0)` `` is not
a citation, and a full-width comma inside a Chinese string literal is not a typography mistake.
``Prose`` marks code spans (CommonMark backtick strings), fenced code blocks (```` ``` ```` or
``~~~``) and URLs; ``masked`` is the text with each of those characters replaced by ``MASK`` (same
length, so indices still match the value). It also knows the Markdown structure the typography
lint needs: the list, heading and quote markers that start a line (their spaces are syntax), and
which line breaks are *soft* (inside a paragraph, where Markdown shows a space).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

__all__ = ["MASK", "Prose", "Span"]

MASK = "\x00"
"""What a masked character (code or URL) reads as in ``Prose.masked``."""

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_TICKS = re.compile(r"`+")
_URL = re.compile(r"(?:https?|ftp)://[^\s<>`\"“”‘’（）「」，。]+|www\.[^\s<>`\"“”‘’（）「」，。]+")
_URL_TAIL = ".,;:!?)]'"
_BLOCK_START = re.compile(r"[ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#{1,6}[ \t]|>|\||`{3}|~{3})")
_MARKERS = re.compile(r"[ \t]*(?:(?:[-*+]|\d{1,9}[.)]|#{1,6}|>)[ \t]+)*")
_RULE = re.compile(r"[ \t]*(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")


@dataclass(frozen=True, slots=True)
class Span:
    """A code span or a fenced block's content: ``text[start:end]``."""

    start: int
    end: int
    block: bool
    """True for a fenced code block, False for an inline code span."""


class Prose:
    """One Markdown text with its code spans, code blocks and URLs located."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.code: list[Span] = []
        """Code spans and fenced blocks (the content, without the backticks or fences)."""
        self.urls: list[tuple[int, int]] = []
        """``(start, end)`` of every URL outside code."""
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        """Index of the first character of each line of the text."""
        self._masked = list(text)
        self._fence_lines: set[int] = set()
        self._scan()
        self.masked = "".join(self._masked)
        """The text with code (backticks and fences included) and URLs replaced by ``MASK``
        (line breaks are kept)."""

    def _mask(self, start: int, end: int) -> None:
        for index in range(start, end):
            if self.text[index] != "\n":
                self._masked[index] = MASK

    def _scan(self) -> None:
        text = self.text
        lines = text.split("\n")
        position = 0
        fence: tuple[str, int, int] | None = None  # (char, length, content start)
        paragraph_start: int | None = None
        for number, line in enumerate(lines):
            end = position + len(line)
            opener = _FENCE.match(line)
            if fence is not None:
                self._fence_lines.add(number)
                if (
                    opener is not None
                    and opener.group(1)[0] == fence[0]
                    and len(opener.group(1)) >= fence[1]
                    and not line[opener.end() :].strip()
                ):
                    self.code.append(Span(fence[2], position, True))
                    self._mask(position, end)
                    fence = None
                else:
                    self._mask(position, end)
            elif opener is not None:
                self._fence_lines.add(number)
                if paragraph_start is not None:
                    self._inline(paragraph_start, position)
                    paragraph_start = None
                fence = (opener.group(1)[0], len(opener.group(1)), min(end + 1, len(text)))
                self._mask(position, end)
            elif not line.strip():  # a blank line ends a paragraph (and any code span in it)
                if paragraph_start is not None:
                    self._inline(paragraph_start, position)
                    paragraph_start = None
            elif paragraph_start is None:
                paragraph_start = position
            position = end + 1
        if fence is not None:
            self.code.append(Span(fence[2], len(text), True))
        elif paragraph_start is not None:
            self._inline(paragraph_start, len(text))
        self.code.sort(key=lambda s: s.start)

    def _inline(self, start: int, end: int) -> None:
        """Code spans and URLs of the lines ``text[start:end]`` (no fence among them)."""
        text = self.text
        runs = list(_TICKS.finditer(text, start, end))
        taken = -1
        for i, opener in enumerate(runs):
            if opener.start() < taken:
                continue
            size = len(opener.group())
            closer = next((r for r in runs[i + 1 :] if len(r.group()) == size), None)
            if closer is None:
                continue
            self.code.append(Span(opener.end(), closer.start(), False))
            self._mask(opener.start(), closer.end())
            taken = closer.end()
        code_masked = "".join(self._masked[start:end])
        for match in _URL.finditer(code_masked):
            url_start, url_end = start + match.start(), start + match.end()
            while url_end > url_start and text[url_end - 1] in _URL_TAIL:
                url_end -= 1
            self.urls.append((url_start, url_end))
            self._mask(url_start, url_end)

    def line_of(self, index: int) -> int:
        """0-based line (of the text) holding ``index``."""
        return bisect.bisect_right(self.line_starts, index) - 1

    def markup_end(self, line: int) -> int:
        """Index just past the list, heading or quote markers (and their spaces) that start
        ``line`` (0-based); the line's start when it has none."""
        start = self.line_starts[line]
        row = self._row(line)
        if line in self._fence_lines:
            return start
        match = _MARKERS.match(row)
        return start + (match.end() if match else 0)

    def is_soft_break(self, index: int) -> bool:
        """Whether the ``\\n`` at ``index`` is a break inside a paragraph (shown as a space).

        Not soft: a blank line on either side, a fence, a heading or a hard break (two
        trailing spaces or a backslash) before it, or a line after it that starts a block (a
        list item, heading, quote, table row, fence or rule).
        """
        line = self.line_of(index)
        if line + 1 >= len(self.line_starts):
            return False
        before, after = self._row(line), self._row(line + 1)
        if not before.strip() or not after.strip():
            return False
        if line in self._fence_lines or line + 1 in self._fence_lines:
            return False
        if before.endswith(("  ", "\\")) or re.match(r"[ \t]*#{1,6}[ \t]", before):
            return False
        return not (_BLOCK_START.match(after) or _RULE.match(after))

    def _row(self, line: int) -> str:
        start = self.line_starts[line]
        end = self.line_starts[line + 1] - 1 if line + 1 < len(self.line_starts) else len(self.text)
        return self.text[start:end]
