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
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml's C parser and composer when PyYAML was built with it
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

__all__ = ["LIBYAML", "Document", "Issue", "Loc", "decode", "gc_paused", "parse"]

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


class _CoreLoader(_BaseLoader):  # type: ignore[misc,valid-type]
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
    """A problem found while reading a file: a 1-based line (or None) and a message."""

    line: int | None
    message: str


def decode(raw: bytes) -> tuple[str | None, Issue | None]:
    """Decode a file's bytes as UTF-8 (a BOM is allowed); say clearly when it is not UTF-8."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Issue(
            None, "file is UTF-16, not UTF-8; re-save it as UTF-8 (in Notepad: Save as > Encoding)"
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


def parse(text: str) -> tuple[Document | None, list[Issue]]:
    """Parse one YAML document. Syntax errors (tabs included) come back as issues with a line.

    An empty document (nothing but comments or whitespace) gives ``(None, [])``.
    """
    with gc_paused():
        loader = _CoreLoader(text)
        try:
            root = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            return None, [_syntax_issue(exc, text)]
        except yaml.YAMLError as exc:  # pragma: no cover - libyaml errors are always marked
            return None, [Issue(None, f"YAML error: {exc}")]
        finally:
            loader.dispose()
        if root is None:
            return None, []
        builder = _Builder()
        try:
            data = builder.build(root)
        except RecursionError:
            return None, [Issue(root.start_mark.line + 1, "an alias refers to itself (&x ... *x)")]
        return Document(data, root), builder.issues


def _syntax_issue(exc: yaml.MarkedYAMLError, text: str) -> Issue:
    lines = text.splitlines()
    problem = exc.problem or "invalid YAML"
    mark = exc.problem_mark
    line = mark.line + 1 if mark is not None else None
    context_line = exc.context_mark.line + 1 if exc.context_mark is not None else None
    if line is not None and line > len(lines):  # "end of stream": point at where it started
        line = context_line if context_line is not None else (len(lines) or None)
    for candidate in (line, context_line):
        if candidate is not None and candidate <= len(lines):
            row = lines[candidate - 1]
            indent = row[: len(row) - len(row.lstrip(" \t"))]
            if "\t" in indent or ("tab" in problem and "\t" in row):
                return Issue(
                    candidate,
                    "tab character in indentation: YAML indents with spaces only; "
                    "replace the tab with spaces",
                )
    message = f"YAML syntax error: {problem}"
    if exc.context:
        started = (
            f" started at line {context_line}"
            if context_line is not None and context_line != line
            else ""
        )
        message += f" ({exc.context}{started})"
    return Issue(line, message)


class _Builder:
    """Node tree -> plain data, reporting duplicate keys and unsupported tags."""

    __slots__ = ("issues",)

    def __init__(self) -> None:
        self.issues: list[Issue] = []

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
                line = key_node.start_mark.line + 1
                if key_node.tag == _MERGE:
                    message = "merge keys (<<) are not supported; write the keys out"
                else:
                    message = "a mapping key must be a plain value"
                self.issues.append(Issue(line, message))
                continue
            key = key_node.value if key_node.tag == _STR else self._scalar(key_node)
            if key in mapping:
                first = self._first_line(node, key)
                self.issues.append(
                    Issue(
                        key_node.start_mark.line + 1,
                        f"duplicate key '{key}' (first at line {first})",
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
                node.start_mark.line + 1,
                f"unsupported YAML tag '{node.tag}'; remove it (banks use plain values)",
            )
        )
