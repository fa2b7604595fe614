"""What can still be checked in a bank file that does not parse as a whole.

A YAML syntax error stops the parser: without this module one mistake in question 7 hides every
problem of the other questions of its file. ``recover`` cuts the text the way an author reads it,
the header (every line outside the ``questions:`` list) and one piece per top-level item (a line
``- `` at the items' indentation up to the next one), and parses each piece *on its own*, keeping
the file's line numbers.

What is reported, and why it is honest:

- A piece that parses on its own is what its author wrote: its text does not depend on the other
  pieces (a block value cannot reach back out to the items' indentation, and YAML has no
  construct that continues an item past the next ``- `` at that indentation other than a
  broken one). Its questions are validated like any other; a valid one is kept.
- A piece that fails on its own holds a mistake of its own: its syntax error is reported, with
  the line worked out from that piece alone. That is *more* precise than the whole-file error: a
  quote left open in question 2 runs on in the whole file until some later quote closes it, and
  the parser only complains there; alone, question 2 runs to its end and the parser names the
  opening quote.
- When the whole-file parser stops at the first line of an item and no piece before it fails,
  that line is the mistake (an item indented unlike the others, ``-id:`` without a space) even
  if the item parses alone: the item reports the whole-file error, said for what the line shows.
- An alias ``*x`` whose anchor ``&x`` is in another piece fails on its own for no fault of its
  own: that piece is neither reported nor validated (it is checked again once the file parses).
- A line indented less than the items inside the list (column 0 included, while questions
  follow) stays in the item above it, so that item fails on its own at that line, instead of
  ending the list and leaving a "missing key" for the item and a late error for the rest.
- The pieces are trusted only when they explain the whole-file error: some piece that starts at
  or before the line where the whole-file parser stopped fails on its own (a parser notices a
  mistake at or after it, never before). Then every piece's outcome is reported, and the
  whole-file error is not (the failing pieces say it better). When they do not explain it (the
  mistake is in the structure between pieces, say a ``---``, or the cut is wrong), only the
  whole-file error is reported, and only the pieces that end before it are used: the parser read
  those lines the same way in the whole file before it stopped.
- A file without a block ``questions:`` list at the top level (no ``questions:`` line, a flow
  list ``questions: [...]``, several documents, directives) is not cut at all: only the
  whole-file error is reported.

A top-level ``key:`` after the list whose own list of ``- key:`` items starts on the next line
ends the list (it is another key, however unknown to a bank), so its items are not taken for
questions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from yaml.nodes import MappingNode, Node, SequenceNode

from grader.bank.source import Document, Issue, is_blank, parse, source_lines

__all__ = ["Piece", "Recovery", "recover"]

_QUESTIONS = re.compile(r"questions[ \t]*:[ \t]*(?:#.*)?")
_ITEM = re.compile(r"( *)-(?:[ \t]|$)")
_ITEM_NO_SPACE = re.compile(r"( *)-(?=[^\s-])")
_QUESTION_ITEM = re.compile(r"( *)-[ \t]+[\w\"']+[ \t]*:(?:[ \t]|$)")
_EMPTY_KEY = re.compile(r"[^\s#'\"-][^:#]*:[ \t]*(?:#.*)?")
_STRUCTURE = re.compile(r"(?:---|\.\.\.)(?:[ \t]|$)|%")
_ID = re.compile(r"[ \t]*(?:-[ \t]+)?id[ \t]*:[ \t]*(['\"]?)([A-Za-z0-9][\w.-]*)\1[ \t]*(?:#.*)?")


@dataclass(frozen=True, slots=True)
class Piece:
    """The header or one item of a bank, parsed on its own (lines are the file's)."""

    index: int | None
    """The item's 0-based index in ``questions``; None for the header."""
    first: int
    """1-based line where the piece starts."""
    last: int
    """1-based line of the piece's last content (comments and blank lines left out)."""
    doc: Document | None
    """The piece parsed alone (an item's root is a one-item list), or None when it fails."""
    issues: list[Issue]
    """Its syntax error when ``doc`` is None, else duplicate keys and tags found in it."""
    written_id: str | None = None
    """The ``id:`` an item's text gives, read without parsing (to name a broken item)."""


@dataclass(frozen=True, slots=True)
class Recovery:
    """The pieces to use, in file order, and whether they explain the whole-file error."""

    pieces: list[Piece]
    explained: bool
    """True: report the pieces' own problems instead of the whole-file error."""


def recover(text: str, error: Issue) -> Recovery | None:
    """Cut a bank that does not parse into header and items and parse each alone (see above).

    Returns None when the text has no block ``questions:`` list to cut.
    """
    lines = source_lines(text)
    cut = _cut(lines)
    if cut is None:
        return None
    header_rows, items = cut
    pieces = [_header_piece(lines, header_rows)]
    pieces += [_item_piece(lines, index, start, end) for index, (start, end) in enumerate(items)]
    pieces = [p for p in pieces if not _not_its_fault(text, p)]
    stop = error.line
    if stop is not None and not any(p.doc is None and p.first < stop for p in pieces):
        # The whole-file parser stopped at the first line of an item and nothing before it is
        # broken: that line is the mistake (an item indented unlike the others, "-id:"), even
        # when the item parses on its own.
        indent = len(lines[items[0][0]]) - len(lines[items[0][0]].lstrip(" "))
        pieces = [
            replace(p, doc=None, issues=[_item_line_issue(error, lines[stop - 1], indent)])
            if p.index is not None and p.first == stop
            else p
            for p in pieces
        ]
    # a piece that parses, but not as one item: the cut is wrong there; leave it out
    pieces = [p for p in pieces if p.doc is None or p.index is None or _one_item(p.doc)]
    explained = stop is not None and any(p.doc is None and p.first <= stop for p in pieces)
    if explained:
        chosen = pieces
    else:
        chosen = [p for p in pieces if p.doc is not None and stop is not None and p.last < stop]
    return Recovery(chosen, explained)


def _cut(lines: list[str]) -> tuple[list[int], list[tuple[int, int]]] | None:
    """(0-based header lines, ``[start, end)`` of each item) or None when there is nothing to cut.

    The list is the lines after a top-level ``questions:`` whose first content line is an item;
    it ends at the next top-level key: a content line at column 0 that is not an item, with no
    question item (``- key: ...`` at the items' indentation) after it, or a ``key:`` whose own
    list of such items follows at once. A line indented less
    than the items (column 0 included, when questions follow it), or with a tab in its
    indentation, stays with the item above: that is its mistake, and the item then fails on its
    own. An item line indented less than the first, or with no space after its ``-``, starts an
    item: that is the mistake a parser stops at.
    """
    if any(_STRUCTURE.match(row) for row in lines):
        return None
    heads = [n for n, row in enumerate(lines) if _QUESTIONS.fullmatch(row)]
    if len(heads) != 1:
        return None
    head = heads[0]
    body = head + 1
    while body < len(lines) and is_blank(lines[body]):
        body += 1
    first = _ITEM.match(lines[body]) if body < len(lines) else None
    if first is None:
        return None
    indent = len(first.group(1))
    last_question = max(
        (n for n in range(body, len(lines)) if _question_item(lines[n], indent)), default=body
    )
    starts: list[int] = []
    end = len(lines)
    for n in range(body, len(lines)):
        row = lines[n]
        if is_blank(row):
            continue
        spaces = len(row) - len(row.lstrip(" "))
        if row[spaces : spaces + 1] == "\t":
            continue
        item = _ITEM.match(row) or _ITEM_NO_SPACE.match(row)
        if item is not None and len(item.group(1)) <= indent:
            starts.append(n)  # an item (indented less than the others or "-id:": its mistake)
        elif spaces == 0 and (n > last_question or _key_of_a_list(lines, n, indent)):
            end = n
            break
    bounds = list(zip(starts, [*starts[1:], end], strict=True))
    header = list(range(0, body)) + list(range(end, len(lines)))
    return header, bounds


def _key_of_a_list(lines: list[str], n: int, indent: int) -> bool:
    """Whether line ``n`` is a top-level ``key:`` whose value is a list of ``- key:`` items at
    the items' indentation (another top-level key after ``questions:``, not a misplaced line)."""
    if not _EMPTY_KEY.fullmatch(lines[n]):
        return False
    following = next((row for row in lines[n + 1 :] if not is_blank(row)), "")
    return _question_item(following, indent)


def _question_item(row: str, indent: int) -> bool:
    found = _QUESTION_ITEM.match(row)
    return found is not None and len(found.group(1)) == indent


def _header_piece(lines: list[str], rows: list[int]) -> Piece:
    """The header: the file with the items' lines blanked (one parse, the file's line numbers)."""
    keep = set(rows)
    text = "\n".join(row if n in keep else "" for n, row in enumerate(lines)) + "\n"
    doc, issues = parse(text)
    content = [n for n in rows if not is_blank(lines[n])]
    return Piece(None, 1, content[-1] + 1 if content else 1, doc, issues)


def _item_piece(lines: list[str], index: int, start: int, end: int) -> Piece:
    """One item parsed from its own lines; its marks and issues are moved to the file's lines.

    (Padding each item with blank lines instead would cost the whole file's length per item.)
    """
    rows = lines[start:end]
    doc, issues = parse("\n".join(rows) + "\n", offset=start)
    if doc is not None:
        _shift(doc.root, start)
    content = [n for n in range(start, end) if not is_blank(lines[n])]
    written = next((m.group(2) for m in map(_ID.fullmatch, rows) if m is not None), None)
    return Piece(index, start + 1, content[-1] + 1, doc, issues, written)


class _Mark:
    """A node position moved by a line offset (only ``line`` and ``column`` are ever read)."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line = line
        self.column = column


def _shift(root: Node, offset: int) -> None:
    for node in _walk(root):
        node.start_mark = _Mark(node.start_mark.line + offset, node.start_mark.column)
        node.end_mark = _Mark(node.end_mark.line + offset, node.end_mark.column)


def _walk(root: Node) -> Iterator[Node]:
    """Every node of a tree once (an alias puts the same node in two places)."""
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def _not_its_fault(text: str, piece: Piece) -> bool:
    """An alias whose anchor is in another piece: not checkable alone, and not a mistake."""
    issue = piece.issues[0] if piece.doc is None and piece.issues else None
    return issue is not None and issue.kind == "alias" and _anchored(text, issue.name)


def _item_line_issue(error: Issue, row: str, indent: int) -> Issue:
    """The whole-file error at the first line of an item, said for what that line shows."""
    spaces = len(row) - len(row.lstrip(" "))
    if spaces != indent:
        return replace(
            error,
            column=spaces + 1,
            message=f"YAML syntax error: this item is indented by {spaces} "
            f"space{'s' if spaces != 1 else ''}, the items before it by {indent}; "
            "indent it like them",
        )
    if row[spaces + 1 : spaces + 2] not in ("", " ", "\t"):
        return replace(
            error,
            column=spaces + 1,
            message="YAML syntax error: a list item needs a space after '-' (- id: ...)",
        )
    return error


def _one_item(doc: Document) -> bool:
    return isinstance(doc.root, SequenceNode) and len(doc.root.value) == 1


def _anchored(text: str, name: str | None) -> bool:
    """Whether the text defines the anchor ``&name`` anywhere."""
    return (
        name is not None and re.search(rf"&{re.escape(name)}(?=[\s,\[\]{{}}]|$)", text) is not None
    )
