"""Reading a YAML file into plain data *and* its node tree, so every value keeps its line.

Banks are read with libyaml's C parser when PyYAML has it (``CSafeLoader``), composed into a node
tree (``node.start_mark.line + 1`` is a value's line) and turned into plain Python data by a small
constructor of our own that also reports duplicate keys, which PyYAML silently drops.

Scalars are resolved with the YAML 1.2 *core* schema rather than PyYAML's YAML 1.1 rules: only
``true``/``false`` are booleans (``yes``, ``no``, ``on``, ``off`` stay strings, so a fill-in answer
``no`` is the word "no"), and ``1e-3`` is a number.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml's C parser and composer when PyYAML was built with it
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

__all__ = [
    "LIBYAML",
    "Document",
    "Issue",
    "Loc",
    "decode",
    "gc_paused",
    "is_blank",
    "parse",
    "source_lines",
    "syntax_issue",
]

LIBYAML: bool = _BaseLoader.__name__.startswith("C")
"""True when libyaml's C parser is in use."""

Loc = Sequence[str | int]
"""A path into the data: mapping keys and sequence indices."""

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"


_RESOLVERS: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _tag, _pattern, _first in (
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    (
        _FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        list("-+.0123456789"),
    ),
    (_MERGE, r"^<<$", ["<"]),
):
    for _char in _first:
        _RESOLVERS.setdefault(_char, []).append((_tag, re.compile(_pattern)))


class _CoreLoader(_BaseLoader):
    """The C loader with YAML 1.2 core-schema tag resolution (and no path resolvers, which banks
    never use: the default resolver costs a Python call per node on top)."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, regexp in _RESOLVERS.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found while reading a file: a 1-based line (or None) and a message.

    A syntax error also carries the 1-based ``column`` of the place to edit and the ``excerpt``
    (that line as written), so it can be shown with a caret under the column.
    """

    line: int | None
    message: str
    column: int | None = None
    excerpt: str | None = None
    kind: str = "data"
    """``"syntax"`` (the file does not parse), ``"alias"`` (an alias ``*x`` with no anchor
    ``&x`` before it) or ``"data"`` (it parses, but a value is refused)."""
    name: str | None = None
    """For an ``"alias"`` issue, the alias's name (``x``)."""


def decode(raw: bytes) -> tuple[str | None, Issue | None]:
    """Decode a file's bytes as UTF-8 (a BOM is allowed); say clearly when it is not UTF-8.

    The issue names line 1 for a file in another Unicode encoding, else the line of the first
    byte that cannot be decoded (no excerpt: that line cannot be shown as it is).
    """
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return None, Issue(
            1, "file is UTF-32, not UTF-8; re-save it as UTF-8 (in Notepad: Save as > Encoding)"
        )
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Issue(
            1, "file is UTF-16, not UTF-8; re-save it as UTF-8 (in Notepad: Save as > Encoding)"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        guess = ""
        try:
            raw.decode("gb18030")
            guess = " (it looks like GBK/GB18030, which Windows uses for Chinese)"
        except UnicodeDecodeError:
            pass
        return None, Issue(
            line,
            f"file is not UTF-8: byte 0x{raw[exc.start]:02x} cannot be decoded{guess}; "
            "re-save it as UTF-8 (in Notepad: Save as > Encoding > UTF-8)",
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, None


_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")


def source_lines(text: str) -> list[str]:
    """The lines of ``text`` as YAML numbers them (CR LF, CR, LF, NEL, LS and PS end a line)."""
    lines = _BREAK.split(text)
    if lines[-1] == "":
        lines.pop()
    return lines


def is_blank(row: str) -> bool:
    """Whether a line holds nothing but whitespace or a comment."""
    stripped = row.strip()
    return not stripped or stripped.startswith("#")


@dataclass(slots=True)
class Document:
    """A parsed YAML document: plain data and the node tree it was built from."""

    data: Any
    """Plain Python data: dict, list, str, int, float, bool, None."""
    root: Node
    """The composed node tree; ``node.start_mark.line + 1`` is a value's line."""

    def node_at(self, loc: Loc) -> tuple[Node, int]:
        """The node at ``loc`` (or its deepest existing ancestor) and how many steps were walked."""
        node = self.root
        for depth, step in enumerate(loc):
            child = _child(node, step)
            if child is None:
                return node, depth
            node = child
        return node, len(loc)

    def line_of(self, loc: Loc) -> int:
        """Line of the value at ``loc``, or of its deepest existing ancestor."""
        return self.node_at(loc)[0].start_mark.line + 1

    def key_line(self, loc: Loc) -> int | None:
        """Line of the mapping *key* ``loc[-1]`` in the mapping at ``loc[:-1]`` (None if absent)."""
        parent, walked = self.node_at(loc[:-1])
        if walked != len(loc) - 1 or not isinstance(parent, MappingNode):
            return None
        for key_node, _ in parent.value:
            if isinstance(key_node, ScalarNode) and _same_key(key_node.value, loc[-1]):
                return key_node.start_mark.line + 1
        return None

    def plain_scalar_text(self, loc: Loc) -> str | None:
        """The text as written of an unquoted scalar at ``loc`` (e.g. ``1.0`` read as a float)."""
        node, walked = self.node_at(loc)
        if walked == len(loc) and isinstance(node, ScalarNode) and not node.style:
            return str(node.value)
        return None


def _same_key(written: str, key: Any) -> bool:
    """Whether a key as written in YAML is the constructed key ``key`` (``true`` is True)."""
    if isinstance(key, bool):
        return written.lower() == str(key).lower()
    return written == str(key)


def _child(node: Node, step: str | int) -> Node | None:
    if isinstance(node, SequenceNode) and isinstance(step, int):
        return node.value[step] if 0 <= step < len(node.value) else None
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and _same_key(key_node.value, step):
                return value_node
    return None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (loading makes many objects and no garbage cycles).

    A collection is triggered every ~700 new container objects and walks every live object, so
    building 10,000 questions with it running costs a quarter to a half more time.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def parse(text: str, offset: int = 0) -> tuple[Document | None, list[Issue]]:
    """Parse one YAML document. Syntax errors (tabs included) come back as issues with a line.

    An empty document (nothing but comments or whitespace) gives ``(None, [])``. A syntax error
    gives ``(None, [issue])``; its line and column are where the author has to edit (see
    ``syntax_issue``), with that line as the excerpt. ``offset``: ``text`` starts after that many
    lines of its file; the issues (not the nodes) name the file's lines.
    """
    with gc_paused():
        loader = _CoreLoader(text)
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            return None, [syntax_issue(exc, source_lines(text), offset)]
        except yaml.YAMLError as exc:  # pragma: no cover - libyaml errors are always marked
            return None, [Issue(1, f"YAML error: {exc}", kind="syntax")]
        finally:
            loader.dispose()
        if root is None:
            return None, []
        builder = _Builder(offset)
        try:
            data = builder.build(root)
        except RecursionError:
            line = root.start_mark.line + 1 + offset
            return None, [Issue(line, "an alias refers to itself (&x ... *x)", kind="syntax")]
        issues = builder.issues
        if issues:  # show the line of each duplicate key or unsupported tag
            lines = source_lines(text)
            issues = [
                replace(i, excerpt=lines[i.line - 1 - offset])
                if i.line is not None and i.line - offset <= len(lines)
                else i
                for i in issues
            ]
        return Document(data, root), issues


def syntax_issue(exc: yaml.MarkedYAMLError, lines: Sequence[str], offset: int = 0) -> Issue:
    """A YAML error as an issue at the line and column where the author has to edit.

    PyYAML's marks are 0-based and name where the parser *noticed* the mistake, which for the
    common mistakes is past it. The rules below were worked out mistake by mistake (the cases are
    in tests/unit/test_bank_syntax.py):

    - a quote never closed: the parser runs to the end of the file; the context mark is the
      opening quote, which is where to edit;
    - a key without ``: `` (``difficulty 1``, ``difficulty:1``): noticed on the next line; the
      context mark is the key;
    - a flow ``[``/``{`` never closed: noticed at the first token of the next line; the closer
      belongs at the end of the last line with content before it (the opener's line for a
      one-line list);
    - ``key: value: value`` and a line indented deeper than its neighbours both give "mapping
      values are not allowed" at the second colon: the first keeps the caret there and says to
      quote the value, the second points at the start of the line and says to fix the indent;
    - a tab in the indentation, text after a closing quote or bracket, a dedented key, ``-x``:
      the problem mark is right.

    - a ``[`` closed by ``}`` (or ``{`` by ``]``): the problem mark, at the wrong closer.

    Anything else keeps the problem mark (or, past the last line, the context mark or the end of
    the last line with content), with PyYAML's own wording.
    """
    problem = exc.problem or "invalid YAML"
    context = exc.context or ""
    pmark, cmark = exc.problem_mark, exc.context_mark
    count = len(lines)

    def row(index: int) -> str:
        return lines[index] if 0 <= index < count else ""

    def at(index: int, column: int, message: str, kind: str = "syntax", **extra: Any) -> Issue:
        index = max(0, min(index, count - 1)) if count else 0
        text = row(index)
        column = max(0, min(column, len(text)))
        return Issue(index + 1 + offset, message, column + 1, text, kind, **extra)

    def last_content(before: int, floor: int = 0) -> int | None:
        for index in range(min(before, count) - 1, floor - 1, -1):
            if not is_blank(row(index)):
                return index
        return None

    pline = pmark.line if pmark is not None else None
    pcol = pmark.column if pmark is not None else 0
    cline = cmark.line if cmark is not None else None
    ccol = cmark.column if cmark is not None else 0

    if problem.startswith("found undefined alias") and pline is not None:
        found = re.match(r"\*([^\s,\[\]{}]+)", row(pline)[pcol:])
        name = found.group(1) if found else None
        shown = f"'*{name}' " if name else ""
        return at(
            pline,
            pcol,
            f"alias {shown}is not defined: no anchor '&{name or '...'}' before it",
            kind="alias",
            name=name,
        )
    if pline is not None and "\ufeff" in row(pline)[: pcol + 1]:
        return at(
            pline,
            row(pline).index("\ufeff"),
            "an invisible byte-order mark (U+FEFF) in the middle of the file; delete it "
            "(it comes with text pasted or joined from another file)",
        )
    if pline is not None:
        text = row(pline)
        lead = text[: len(text) - len(text.lstrip(" \t"))]
        tab = "tab" in problem or text[pcol : pcol + 1] == "\t"
        if "\t" in lead or (tab and "\t" in text):
            column = lead.index("\t") if "\t" in lead else text.index("\t")
            return at(
                pline,
                column,
                "tab character in indentation: YAML indents with spaces only; "
                "replace the tab with spaces",
            )
    if (
        cline is not None
        and "quoted scalar" in context
        and ("end of stream" in problem or "document indicator" in problem)
    ):
        quote = row(cline)[ccol : ccol + 1] or '"'
        return at(
            cline,
            ccol,
            f"YAML syntax error: the quote {quote} opened here is never closed; "
            f"add the closing {quote}",
        )
    if cline is not None and "simple key" in context and "':'" in problem:
        return at(
            cline,
            ccol,
            "YAML syntax error: this key is not followed by ': '; write 'key: value', "
            "with a space after the colon",
        )
    flow = re.search(r"flow (sequence|mapping)", context)
    if flow and cline is not None and pline == cline and "','" in problem:
        opener, closer = ("[", "]") if flow.group(1) == "sequence" else ("{", "}")
        char = row(pline)[pcol : pcol + 1]
        if char in ("]", "}") and char != closer:
            return at(
                pline,
                pcol,
                f"YAML syntax error: the '{opener}' at column {ccol + 1} is closed with "
                f"'{char}'; close it with '{closer}' first",
            )
    if flow and cline is not None and pline is not None and pline > cline and "','" in problem:
        opener, closer = ("[", "]") if flow.group(1) == "sequence" else ("{", "}")
        index = last_content(pline, floor=cline)
        index = cline if index is None else index
        where = "on this line" if index == cline else f"opened at line {cline + 1 + offset}"
        goes_on = "" if index == cline else f" (or ',' if the {flow.group(1)} goes on)"
        return at(
            index,
            _content_end(row(index)),
            f"YAML syntax error: the '{opener}' {where} is never closed; "
            f"add '{closer}' at the end of this line{goes_on}",
        )
    if problem.startswith("mapping values are not allowed") and pline is not None:
        text = row(pline)
        if re.search(r":(\s|$)", text[:pcol]):
            return at(
                pline,
                pcol,
                "YAML syntax error: a second ': ' on this line; put the value in quotes "
                "if it contains ': ' (e.g. answer: \"a: b\")",
            )
        return at(
            pline,
            len(text) - len(text.lstrip()),
            "YAML syntax error: this line is read as the rest of the value above it "
            "(mapping values are not allowed here); indent it like the keys around it",
        )
    if pline is not None and "<document start>" in problem:
        index = last_content(pline + 1)
        if index is not None and row(index).startswith("%"):
            return at(
                index,
                0,
                "YAML syntax error: a line starting with % is read as a YAML directive; "
                "indent it, put it in quotes or remove it",
            )
    if pline is not None and "another document" in problem:
        marker = "'---' " if row(pline).startswith("---") else ""
        return at(
            pline,
            0,
            "YAML syntax error: a second YAML document starts here; a bank file is one "
            f"document (remove this {marker}line)",
        )
    if pline is not None and "cannot start any token" in problem:
        char = row(pline)[pcol : pcol + 1]
        if char in ("@", "`", "%"):
            return at(
                pline,
                pcol,
                f"YAML syntax error: a plain value cannot start with {char}; put it in quotes "
                f'(e.g. answer: "{char}x")',
            )
    if (
        pline is not None
        and pline < count
        and (
            "expected key" in problem
            or "expected <block end>" in problem
            or "'-' indicator" in problem
            or "<document start>" in problem
        )
    ):
        before = row(pline)[:pcol].rstrip()
        seen = sorted({_indent(row(n)) for n in range(cline or 0, pline) if not is_blank(row(n))})
        if not before and seen and pcol not in seen:  # the line starts where no line above does
            others = (
                ", ".join(str(n) for n in seen[:-1]) + f" or {seen[-1]}"
                if seen[1:]
                else str(seen[0])
            )
            return at(
                pline,
                pcol,
                f"YAML syntax error: this line is indented by {pcol} "
                f"space{'s' if pcol != 1 else ''}, unlike the lines above it ({others}); "
                "indent it like the keys it belongs with",
            )
        if before and before[-1] in "\"']}":
            closing = before[-1]
            hint = " (inside '...', write a ' as '')" if closing == "'" else ""
            return at(pline, pcol, f"YAML syntax error: text after the closing {closing}{hint}")

    if pline is None or pline >= count or (pline == count - 1 and not row(pline).strip()):
        # past the last line ("end of stream"): the context mark, else the end of the content
        if cline is not None and cline < count:
            index, column = cline, ccol
        else:
            index = last_content(count)
            index = count - 1 if index is None else index
            column = _content_end(row(index))
    else:
        index, column = pline, pcol
    message = f"YAML syntax error: {problem}"
    if context:
        started = (
            f" started at line {cline + 1 + offset}" if cline is not None and cline != index else ""
        )
        message += f" ({context}{started})"
    return at(index, column, message)


def _indent(row: str) -> int:
    return len(row) - len(row.lstrip(" "))


def _content_end(row: str) -> int:
    """Index just past a line's last character of content, a trailing ``# comment`` left out."""
    end = 0
    quote = ""
    index = 0
    while index < len(row):
        char = row[index]
        if quote:
            if char == "\\" and quote == '"':
                index += 1
            elif char == quote:
                quote = ""
            end = index + 1
        elif char == "#" and (index == 0 or row[index - 1] in " \t"):
            break
        else:
            if char in "\"'" and (index == 0 or row[index - 1] in " \t[{,"):
                quote = char
            if not char.isspace():
                end = index + 1
        index += 1
    return min(end, len(row))


class _Builder:
    """Node tree -> plain data, reporting duplicate keys and unsupported tags."""

    __slots__ = ("issues", "offset")

    def __init__(self, offset: int = 0) -> None:
        self.issues: list[Issue] = []
        self.offset = offset
        """Lines of the file before the parsed text (added to every line reported)."""

    def build(self, node: Node) -> Any:
        kind = type(node)
        if kind is ScalarNode:
            if node.tag == _STR:
                return node.value
            return self._scalar(node)  # type: ignore[arg-type]
        if kind is SequenceNode:
            if node.tag != _SEQ:
                self._tag_issue(node)
            build = self.build
            return [build(child) for child in node.value]
        if node.tag != _MAP:
            self._tag_issue(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode or key_node.tag == _MERGE:
                mark = key_node.start_mark
                if key_node.tag == _MERGE:
                    message = "merge keys (<<) are not supported; write the keys out"
                else:
                    message = "a mapping key must be a plain value"
                self.issues.append(Issue(mark.line + 1 + self.offset, message, mark.column + 1))
                continue
            key = key_node.value if key_node.tag == _STR else self._scalar(key_node)
            if key in mapping:
                first = self._first_line(cast(MappingNode, node), key)
                self.issues.append(
                    Issue(
                        key_node.start_mark.line + 1 + self.offset,
                        f"duplicate key '{key}' (first at line {first + self.offset})",
                        key_node.start_mark.column + 1,
                    )
                )
                continue
            mapping[key] = self.build(value_node)
        return mapping

    @staticmethod
    def _first_line(node: MappingNode, key: Any) -> int:
        for key_node, _ in node.value:
            if type(key_node) is ScalarNode and _same_key(key_node.value, key):
                return int(key_node.start_mark.line) + 1
        return int(node.start_mark.line) + 1  # pragma: no cover - the key was seen

    def _scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        value: str = node.value
        if tag == _STR:
            return value
        if tag == _INT:
            if value.startswith("0o"):
                return int(value[2:], 8)
            return int(value, 16) if value.startswith("0x") else int(value)
        if tag == _FLOAT:
            lowered = value.lower()
            if lowered.endswith(".inf"):
                return float("-inf") if lowered.startswith("-") else float("inf")
            return float("nan") if lowered == ".nan" else float(value)
        if tag == _BOOL:
            return value.lower() == "true"
        if tag == _NULL:
            return None
        self._tag_issue(node)
        return value

    def _tag_issue(self, node: Node) -> None:
        self.issues.append(
            Issue(
                node.start_mark.line + 1 + self.offset,
                f"unsupported YAML tag '{node.tag}'; remove it (banks use plain values)",
                node.start_mark.column + 1,
            )
        )
