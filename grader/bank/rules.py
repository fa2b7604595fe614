"""Rules the schema alone cannot express, checked on a question that passed the schema.

Each rule returns ``(loc, message)`` pairs; ``loc`` is relative to the question (``()`` for the
question as a whole) and is turned into a line by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from grader.bank.answers import layout_free_output, normalise_output
from grader.bank.model import (
    CodeOutputQuestion,
    FillQuestion,
    MultipleQuestion,
    OrderQuestion,
    QuestionBase,
    SingleQuestion,
    VerifyBlock,
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


_FULL = 100.0
_SLACK = 0.01
"""Credits are percentages; Moodle writes thirds as 33.33333, so sums may miss 100 by this."""


def _pct(value: float) -> str:
    return f"{value:g} %"


def _credit_length(credit: Sequence[float], n: int) -> list[Finding]:
    if len(credit) == n:
        return []
    return [
        (
            ("credit",),
            f"credit lists {len(credit)} value{'s' if len(credit) != 1 else ''} for {n} options; "
            "give one percentage per option, in the order of options",
        )
    ]


def _single_credit(q: SingleQuestion) -> list[Finding]:
    credit = q.credit
    if credit is None or not 0 <= q.answer < len(q.options):
        return []
    found = _credit_length(credit, len(q.options))
    if found:
        return found
    if abs(credit[q.answer] - _FULL) > 1e-9:
        found.append(
            (
                ("credit", q.answer),
                f"the answer (option {q.answer}) has credit {_pct(credit[q.answer])}, so the "
                "question can never reach 100 %; give the answer 100",
            )
        )
    for i, value in enumerate(credit):
        if i != q.answer and value >= _FULL - 1e-9:
            found.append(
                (
                    ("credit", i),
                    f"option {i} also gives {_pct(value)}: only the answer (option {q.answer}) "
                    "gives full credit; lower its credit, or use a multiple question",
                )
            )
    return found


def _single(q: SingleQuestion) -> list[Finding]:
    found = _in_range(q.answer, len(q.options), ("answer",)) + _duplicate_options(q.options)
    return found + _single_credit(q)


def _multiple_credit(q: MultipleQuestion) -> list[Finding]:
    credit = q.credit
    if credit is None:
        return []
    found = _credit_length(credit, len(q.options))
    if q.partial_credit:
        found.append(
            (
                ("partial_credit",),
                "partial_credit and credit are both given: credit already sets what each option "
                "is worth; remove partial_credit",
            )
        )
    if len(credit) != len(q.options):
        return found
    right = {i for i in q.answer if 0 <= i < len(q.options)}
    for i, value in enumerate(credit):
        if i in right and value <= 0:
            found.append(
                (
                    ("credit", i),
                    f"option {i} is in answer but has credit {_pct(value)}: a correct option "
                    "needs a positive credit",
                )
            )
        elif i not in right and value > 0:
            found.append(
                (
                    ("credit", i),
                    f"option {i} has credit {_pct(value)} but is not in answer: add it to "
                    "answer, or give it 0 or a negative credit",
                )
            )
    best = sum(value for value in credit if value > 0)
    if best < _FULL - _SLACK:
        found.append(
            (
                ("credit",),
                f"credits can never reach 100 %: choosing every correct option scores "
                f"{_pct(round(best, 5))}; the positive credits must add up to 100",
            )
        )
    elif best > _FULL + _SLACK:
        found.append(
            (
                ("credit",),
                f"the positive credits add up to {_pct(round(best, 5))}, over 100 %: a learner "
                "would get full credit without choosing every correct option; make them add "
                "up to 100",
            )
        )
    return found


def _multiple(q: MultipleQuestion) -> list[Finding]:
    found: list[Finding] = []
    n = len(q.options)
    seen: set[int] = set()
    for i, index in enumerate(q.answer):
        found += _in_range(index, n, ("answer", i))
        if index in seen:
            found.append((("answer", i), f"answer lists option {index} twice"))
        seen.add(index)
    return found + _duplicate_options(q.options) + _multiple_credit(q)


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
    # Options are compared as answers are checked: one that differs from the answer only in
    # alignment spacing would be marked right.
    answer = layout_free_output(q.answer)
    matches = [i for i, option in enumerate(q.options) if layout_free_output(option) == answer]
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


def _verify_block(block: VerifyBlock, i: int) -> list[Finding]:
    """A verify block runs code with exactly one expectation, or names where it was read."""
    here = ("verify", i)
    if block.code is None:
        extra = [k for k in ("output", "raises", "match") if getattr(block, k) is not None]
        extra += ["requires"] if block.requires else []
        if extra:
            return [
                (
                    (*here, extra[0]),
                    f"verify[{i}] has '{extra[0]}' but no 'code': add the code that it checks",
                )
            ]
        if block.reference is None or block.claim is None:
            return [
                (
                    here,
                    f"verify[{i}] needs 'code' and 'output' or 'raises'; a claim that cannot run "
                    "here is declared with 'claim' and 'reference' (where it was read)",
                )
            ]
        return []
    if (block.output is None) == (block.raises is None):
        which = (
            "both 'output' and 'raises'"
            if block.raises is not None
            else "neither 'output' nor 'raises'"
        )
        return [
            (
                here,
                f"verify[{i}] has {which}: give exactly one, the expected output or the "
                "exception the code raises",
            )
        ]
    if block.match is not None:
        if block.raises is None:
            return [((*here, "match"), f"verify[{i}]: 'match' needs 'raises'")]
        try:
            re.compile(block.match)
        except re.error as exc:
            where = f" at position {exc.pos}" if exc.pos is not None else ""
            return [((*here, "match"), f"verify[{i}]: invalid regex in 'match': {exc.msg}{where}")]
    return []


def _common(q: QuestionBase) -> list[Finding]:
    found: list[Finding] = []
    for i, block in enumerate(q.verify):
        found += _verify_block(block, i)
    if q.hint is not None and q.hints:
        found.append(
            (
                ("hints",),
                "both 'hint' and 'hints' are given: write one hint as 'hint', several as "
                "'hints' (a list, shown in order)",
            )
        )
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
