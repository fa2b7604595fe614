"""Writing a bank file: the YAML an author would write, which the loader reads back as written.

Keys come in the order of ``questions/README.md``; a short text is one line (``{zh: ..., en:
...}``), a longer one a mapping; a text with line breaks is a ``|`` block, so that no line break
is folded into a space (which the typography lint would rightly report). Scalars are quoted by
PyYAML wherever plain YAML could read them as something else.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

__all__ = ["QUESTION_KEYS", "dump_bank"]

QUESTION_KEYS = (
    "id",
    "type",
    "difficulty",
    "tags",
    "source",
    "points",
    "penalty",
    "prompt",
    "code",
    "options",
    "answer",
    "credit",
    "shuffle",
    "partial_credit",
    "regex",
    "case_sensitive",
    "tolerance",
    "rel_tolerance",
    "reference",
    "key_points",
    "hint",
    "hints",
    "explanation",
)
"""Every question key, in the order they are written."""

_WIDTH = 100
_LANG_KEYS = ("zh", "en")
_FLAGS = ("gives_away",)


# Plain only where every YAML reader agrees: pure-Python PyYAML (YAML 1.1) ends a plain scalar
# in a flow collection at any ':' or '?', where libyaml reads on, so those texts are quoted.
_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^\n\t,\[\]{}:?]*")
_NOT_PLAIN = re.compile(
    r": |:$| #|^[-+.]?\d|^[-+]?\.(?:inf|nan)$|^(?:y|n|yes|no|on|off|true|false|null|~)$",
    re.I,
)


def _flow(value: Any) -> str:
    """``value`` as a YAML flow node (safe inside ``[...]`` and ``{...}``); a float with no
    fraction is written as a whole number (``2``, not ``2.0``), which reads back as that float."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, str):
        return _flow_text(value)
    text = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**9)
    return text.strip()[1:-1].strip()


def _flow_text(value: str) -> str:
    """A one-line text: plain when YAML reads it back as that text, else single-quoted (which
    holds any printable character, a quote written twice); PyYAML's double quotes otherwise."""
    if value.isprintable():
        if value == value.strip() and _PLAIN.fullmatch(value) and not _NOT_PLAIN.search(value):
            return value
        return "'" + value.replace("'", "''") + "'"
    text = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**9)
    return text.strip()[1:-1].strip()


def _is_text(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) <= {*_LANG_KEYS, *_FLAGS}


def _block_scalar(text: str, indent: int) -> list[str] | None:
    """A ``|`` block for a text with line breaks (None when YAML cannot hold it as one)."""
    if any(c in text for c in "\r\x85\u2028\u2029") or any(
        ord(c) < 32 and c not in "\n\t" for c in text
    ):
        return None
    body = text.rstrip("\n")
    trailing = len(text) - len(body)
    chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
    lines = body.split("\n")
    if any(line != line.rstrip(" ") for line in lines):
        return None
    head = "|" + ("2" if lines[0].startswith(" ") else "") + chomp
    pad = " " * indent
    out = [head] + [f"{pad}{line}" if line else "" for line in lines]
    out += [""] * (trailing - 1)
    return out


def _scalar_lines(value: Any, indent: int) -> list[str]:
    """A scalar as the rest of a ``key: `` line (and, for a block, the lines after it)."""
    if isinstance(value, str) and "\n" in value:
        block = _block_scalar(value, indent)
        if block is not None:
            return block
    return [_flow(value)]


def _text_lines(key: str, text: Mapping[str, Any], indent: int, item: bool) -> list[str]:
    pad = " " * indent
    lead = f"{pad}- " if item else f"{pad}{key}: "
    if not text:
        return [f"{lead}{{}}"]
    single = all(not isinstance(v, str) or "\n" not in v for v in text.values())
    if single:
        flow = "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in _ordered(text)) + "}"
        if len(lead) + len(flow) <= _WIDTH:
            return [lead + flow]
    inner = indent + 2 if item else indent + 2
    out: list[str] = [] if item else [f"{pad}{key}:"]
    first = True
    for k, v in _ordered(text):
        prefix = f"{pad}- " if item and first else " " * inner
        first = False
        rest = _scalar_lines(v, inner + 2)
        out.append(f"{prefix}{k}: {rest[0]}")
        out.extend(rest[1:])
    return out


def _ordered(text: Mapping[str, Any]) -> list[tuple[str, Any]]:
    return [(k, text[k]) for k in (*_LANG_KEYS, *_FLAGS) if k in text]


def _value_lines(key: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if _is_text(value):
        return _text_lines(key, value, indent, item=False)
    if isinstance(value, Sequence) and not isinstance(value, str):
        if value and all(_is_text(v) for v in value):
            out = [f"{pad}{key}:"]
            for v in value:
                out += _text_lines(key, v, indent + 2, item=True)
            return out
        if all(not isinstance(v, str) or "\n" not in v for v in value):
            flow = "[" + ", ".join(_flow(v) for v in value) + "]"
            if len(pad) + len(key) + 2 + len(flow) <= _WIDTH or not value:
                return [f"{pad}{key}: {flow}"]
        out = [f"{pad}{key}:"]
        for v in value:
            rest = _scalar_lines(v, indent + 4)
            out.append(f"{pad}  - {rest[0]}")
            out.extend(rest[1:])
        return out
    rest = _scalar_lines(value, indent + 2)
    return [f"{pad}{key}: {rest[0]}", *rest[1:]]


def dump_bank(bank: Mapping[str, Any]) -> str:
    """The YAML text of a bank: ``bank``, ``title``, ``description``, then ``questions``."""
    lines: list[str] = []
    for key in ("bank", "title", "description"):
        if key in bank:
            lines += _value_lines(key, bank[key], 0)
    lines.append("questions:")
    for question in bank["questions"]:
        keys = [k for k in QUESTION_KEYS if k in question]
        keys += [k for k in question if k not in QUESTION_KEYS]
        for n, key in enumerate(keys):
            chunk = _value_lines(key, question[key], 4)
            if n == 0:
                chunk[0] = "  - " + chunk[0][4:]
            lines += chunk
    return "\n".join(lines) + "\n"
