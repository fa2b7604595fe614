"""Rules the schema alone cannot express, checked on a question that passed the schema.

Each rule returns ``(loc, message)`` pairs; ``loc`` is relative to the question (``()`` for the
question as a whole) and is turned into a line by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from grader.bank.answers import normalise_output
from grader.bank.model import (
    CodeOutputQuestion,
    FillQuestion,
    MultipleQuestion,
    OrderQuestion,
    QuestionBase,
    SingleQuestion,
)
from grader.bank.source import Loc
from grader.i18n import Text

__all__ = ["Finding", "check_question"]

Finding = tuple[Loc, str]


def _duplicate_options(options: Sequence[Text]) -> list[Finding]:
    found: list[Finding] = []
    seen: dict[str, dict[str, int]] = {"zh": {}, "en": {}}
    for i, option in enumerate(options):
        for lang in ("zh", "en"):
            text = " ".join(getattr(option, lang).split())
            first = seen[lang].setdefault(text, i)
            if first != i:
                found.append(
                    (
                        ("options", i, lang),
                        f"option {i} duplicates option {first} ({lang}: '{text}')",
                    )
                )
                break
    return found


def _in_range(index: int, n: int, loc: Loc) -> list[Finding]:
    if 0 <= index < n:
        return []
    return [(loc, f"answer {index} is out of range ({n} options: 0..{n - 1})")]


def _single(q: SingleQuestion) -> list[Finding]:
    return _in_range(q.answer, len(q.options), ("answer",)) + _duplicate_options(q.options)


def _multiple(q: MultipleQuestion) -> list[Finding]:
    found: list[Finding] = []
    n = len(q.options)
    seen: set[int] = set()
    for i, index in enumerate(q.answer):
        found += _in_range(index, n, ("answer", i))
        if index in seen:
            found.append((("answer", i), f"answer lists option {index} twice"))
        seen.add(index)
    return found + _duplicate_options(q.options)


def _order(q: OrderQuestion) -> list[Finding]:
    return _duplicate_options(q.options)


def _fill(q: FillQuestion) -> list[Finding]:
    if q.regex is None:
        return []
    try:
        re.compile(q.regex, 0 if q.case_sensitive else re.IGNORECASE)
    except re.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        return [(("regex",), f"invalid regex: {exc.msg}{where}")]
    return []


def _code_output(q: CodeOutputQuestion) -> list[Finding]:
    if q.options is None:
        return []
    answer = normalise_output(q.answer)
    matches = [i for i, option in enumerate(q.options) if normalise_output(option) == answer]
    found: list[Finding] = []
    if not matches:
        found.append((("options",), "no option equals the answer; exactly one must"))
    elif len(matches) > 1:
        listed = ", ".join(str(i) for i in matches)
        found.append((("options",), f"options {listed} all equal the answer; exactly one must"))
    seen: dict[tuple[str, ...], int] = {}
    for i, option in enumerate(q.options):
        first = seen.setdefault(normalise_output(option), i)
        if first != i and i not in matches:
            found.append((("options", i), f"option {i} duplicates option {first}"))
    return found


def _common(q: QuestionBase) -> list[Finding]:
    found: list[Finding] = []
    seen: set[str] = set()
    for i, tag in enumerate(q.tags):
        if tag in seen:
            found.append((("tags", i), f"tag '{tag}' is listed twice"))
        seen.add(tag)
    return found


_RULES: dict[str, Callable[..., list[Finding]]] = {
    "single": _single,
    "multiple": _multiple,
    "order": _order,
    "fill": _fill,
    "code_output": _code_output,
}


def check_question(question: QuestionBase) -> list[Finding]:
    """Every rule violation of one schema-valid question."""
    rule = _RULES.get(question.type)
    return _common(question) + (rule(question) if rule else [])
