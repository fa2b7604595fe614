"""Answer checking: pure functions, one per question type, each returning a ``Score``.

The response each type expects (``check_answer`` dispatches on the question's type):

============  ==========================================================================
type          response
============  ==========================================================================
single        ``int``: index of the chosen option in ``question.options``
multiple      ``set``/``list``/``tuple`` of ``int``: indices of the chosen options
true_false    ``bool``
fill          ``str``: what the learner typed
numeric       ``str`` as typed (``" 0.5 "``, ``"１．５"``, ``"1e-3"``, ``"1/3"``) or an ``int``/``float``
order         ``list`` of option indices in the learner's order (``options`` are written in
              the correct order, so ``[0, 1, ..., n-1]`` is right)
code_output   ``str``: the typed output, or the chosen candidate's text (an ``int`` index
              into ``question.options`` is accepted too)
short         ``"full"`` / ``"partial"`` / ``"none"``: the learner's self-rating
============  ==========================================================================

What a learner types never raises: text that is not a number scores 0 on a numeric question. A
response of the wrong *kind* for the type (a caller's bug, e.g. a ``str`` for ``single``) raises
``TypeError``; an ``order`` response that is not a permutation raises ``ValueError``.

A ``single`` or ``multiple`` question with ``credit`` scores the chosen options' percentages
(Moodle's answer fractions); :func:`after_wrong_tries` applies a question's ``penalty`` to a retry.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from grader.bank.model import (
    CodeOutputQuestion,
    FillQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    QuestionBase,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)

__all__ = [
    "SELF_RATINGS",
    "Score",
    "after_wrong_tries",
    "check_answer",
    "check_code_output",
    "layout_free_output",
    "check_fill",
    "check_multiple",
    "check_numeric",
    "check_order",
    "check_short",
    "check_single",
    "check_true_false",
    "normalise_output",
    "normalise_text",
    "parse_number",
]

SELF_RATINGS: dict[str, float] = {"full": 1.0, "partial": 0.5, "none": 0.0}
"""Self-ratings of a ``short`` answer and their scores."""

# Punctuation a Chinese keyboard produces that NFKC leaves alone.
_CJK_PUNCT = str.maketrans(
    {
        "。": ".",
        "、": ",",
        "“": '"',
        "”": '"',
        "‘": "'",
        "’": "'",
        "【": "[",
        "】": "]",
        "《": "<",
        "》": ">",
        "\u2212": "-",  # MINUS SIGN
        "\u3000": " ",  # IDEOGRAPHIC SPACE (NFKC maps it too; kept for clarity)
    }
)


@dataclass(frozen=True, slots=True)
class Score:
    """The result of checking one answer."""

    value: float
    """In [0, 1]; 1 is full marks."""
    correct: bool
    """True only for full marks."""

    @classmethod
    def of(cls, value: float) -> Score:
        """A score clamped to [0, 1]; ``correct`` when it is (within rounding) 1."""
        value = min(1.0, max(0.0, float(value)))
        return cls(value, value >= 1.0 - 1e-12)


RIGHT = Score(1.0, True)
WRONG = Score(0.0, False)


def normalise_text(text: str, *, case_sensitive: bool = False) -> str:
    """The form fill answers are compared in.

    NFKC (full-width ``（）``, ``，``, digits and letters from a Chinese keyboard become ASCII), then
    ``。、“”‘’【】《》`` and the minus sign ``−`` become ASCII too, whitespace is trimmed and
    inner runs collapse to one space, and unless ``case_sensitive`` the text is case-folded.
    """
    text = unicodedata.normalize("NFKC", text).translate(_CJK_PUNCT)
    text = " ".join(text.split())
    return text if case_sensitive else text.casefold()


def parse_number(text: str) -> float | None:
    """A learner's number: ``" 0.5 "``, ``"１．５"``, ``"-1e-3"``, ``"1/4"``, ``"1_000"``.

    Returns None for anything else (including ``nan`` and infinities).
    """
    cleaned = normalise_text(text).replace(" ", "")
    if not cleaned:
        return None
    try:
        if "/" in cleaned:
            num, _, den = cleaned.partition("/")
            value = float(Fraction(num) / Fraction(den))
        else:
            value = float(cleaned)
    except (ValueError, ZeroDivisionError):
        return None
    return value if math.isfinite(value) else None


def normalise_output(text: str) -> tuple[str, ...]:
    """Printed output as compared: lines with trailing whitespace stripped, trailing blank lines
    dropped (leading whitespace and blank lines inside the output count)."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    return tuple(lines)


_LAYOUT_SPACE = re.compile(r" ?([\[\](){},]) ?")


def layout_free_output(text: str) -> tuple[str, ...]:
    """Printed output as a typed answer is compared: :func:`normalise_output`, then without the
    spacing torch adds to line up columns. Each line loses its indentation, runs of spaces become
    one, and spaces beside brackets and commas go, so ``tensor([[ 2., -3.],\n        [ 4.,  5.]])``
    equals ``tensor([[2., -3.],\n[4., 5.]])``. Every other character, line break and the
    separation between two words still counts."""
    return tuple(
        _LAYOUT_SPACE.sub(r"\1", " ".join(line.split())) for line in normalise_output(text)
    )


def _index(response: Any, what: str) -> int:
    if isinstance(response, bool) or not isinstance(response, int):
        raise TypeError(f"{what}: expected an option index (int), got {type(response).__name__}")
    return response


def check_single(question: SingleQuestion, response: int) -> Score:
    """Right when ``response`` is the index of the correct option; with ``credit``, the chosen
    option's percentage (floored at 0)."""
    chosen = _index(response, "single")
    if chosen == question.answer:
        return RIGHT
    if question.credit is None or not 0 <= chosen < len(question.credit):
        return WRONG
    return Score.of(question.credit[chosen] / 100)


def check_multiple(question: MultipleQuestion, response: Iterable[int]) -> Score:
    """All-or-nothing by default; with ``partial_credit`` Moodle-style: with k correct options,
    each chosen correct option adds 1/k and each chosen wrong option takes 1/k, floored at 0.

    With ``credit``, the sum of the chosen options' percentages, from 0 to 100 % (the sum is
    taken relative to the positive credits, which add up to 100 give or take Moodle's rounding of
    thirds, so choosing every correct option and no negative one is full credit)."""
    if isinstance(response, str | bytes) or not isinstance(response, Iterable):
        raise TypeError(
            f"multiple: expected a set of option indices, got {type(response).__name__}"
        )
    chosen = {_index(i, "multiple") for i in response}
    correct = set(question.answer)
    if chosen == correct:
        return RIGHT
    if question.credit is not None:
        credit = question.credit
        best = sum(value for value in credit if value > 0)
        total = sum(credit[i] for i in chosen if 0 <= i < len(credit))
        return Score.of(round(total / best, 12)) if best > 0 else WRONG
    if not question.partial_credit:
        return WRONG
    k = len(correct)
    right = len(chosen & correct)
    wrong = len(chosen - correct)
    return Score.of((right - wrong) / k)


def check_true_false(question: TrueFalseQuestion, response: bool) -> Score:
    """Right when ``response`` equals the answer."""
    if not isinstance(response, bool):
        raise TypeError(f"true_false: expected a bool, got {type(response).__name__}")
    return RIGHT if response == question.answer else WRONG


@lru_cache(maxsize=512)
def _fill_regex(pattern: str, case_sensitive: bool) -> re.Pattern[str]:
    return re.compile(pattern, 0 if case_sensitive else re.IGNORECASE)


def check_fill(question: FillQuestion, response: str) -> Score:
    """Right when the normalised response equals a normalised accepted answer, or when it matches
    ``regex`` in full (the regex sees the normalised response)."""
    if not isinstance(response, str):
        raise TypeError(f"fill: expected a str, got {type(response).__name__}")
    cs = question.case_sensitive
    given = normalise_text(response, case_sensitive=cs)
    if not given:
        return WRONG
    if any(given == normalise_text(a, case_sensitive=cs) for a in question.answer):
        return RIGHT
    if question.regex is not None and _fill_regex(question.regex, cs).fullmatch(given):
        return RIGHT
    return WRONG


def check_numeric(question: NumericQuestion, response: str | float) -> Score:
    """Right when |x - answer| <= tolerance or |x - answer| <= rel_tolerance * |answer|.

    A rounding slack of 1e-9 (relative) is allowed on top, so ``0.51`` is within ``0.01`` of
    ``0.5``. Text that is not a number scores 0.
    """
    if isinstance(response, bool):
        raise TypeError("numeric: expected a str or number, got bool")
    if isinstance(response, int | float):
        value: float | None = float(response) if math.isfinite(response) else None
    elif isinstance(response, str):
        value = parse_number(response)
    else:
        raise TypeError(f"numeric: expected a str or number, got {type(response).__name__}")
    if value is None:
        return WRONG
    target = question.answer
    diff = abs(value - target)
    slack = 1e-9 * max(abs(target), abs(value), 1e-300)
    bound = max(question.tolerance, question.rel_tolerance * abs(target))
    return RIGHT if diff <= bound + slack else WRONG


def check_order(question: OrderQuestion, response: Iterable[int]) -> Score:
    """Exact order only by default; with ``partial_credit`` the fraction of items at their
    correct position."""
    order = [_index(i, "order") for i in response]
    n = len(question.options)
    if sorted(order) != list(range(n)):
        raise ValueError(f"order: expected a permutation of 0..{n - 1}, got {order}")
    at_place = sum(1 for position, item in enumerate(order) if position == item)
    if at_place == n:
        return RIGHT
    return Score.of(at_place / n) if question.partial_credit else WRONG


def check_code_output(question: CodeOutputQuestion, response: str | int) -> Score:
    """Right when the output matches line by line, apart from trailing blank lines and the
    spacing torch uses to align columns (:func:`layout_free_output`)."""
    if isinstance(response, int) and not isinstance(response, bool):
        if question.options is None or not 0 <= response < len(question.options):
            return WRONG
        response = question.options[response]
    if not isinstance(response, str):
        raise TypeError(f"code_output: expected a str, got {type(response).__name__}")
    return RIGHT if layout_free_output(response) == layout_free_output(question.answer) else WRONG


def check_short(question: ShortQuestion, response: str) -> Score:
    """The learner's self-rating: ``full`` 1.0, ``partial`` 0.5, ``none`` 0.0."""
    if response not in SELF_RATINGS:
        raise ValueError(f"short: expected one of {', '.join(SELF_RATINGS)}, got {response!r}")
    return Score.of(SELF_RATINGS[response])


def after_wrong_tries(credit: float, penalty: float, wrong_tries: int) -> float:
    """The credit a try keeps after ``wrong_tries`` earlier tries without full credit, each of
    which costs ``penalty`` (a fraction of the question's credit, Moodle's penalty factor):
    ``max(0, credit - penalty x wrong_tries)``."""
    if wrong_tries <= 0 or penalty <= 0:
        return credit
    return max(0.0, credit - penalty * wrong_tries)


_CHECKERS: dict[str, Callable[[Any, Any], Score]] = {
    "single": check_single,
    "multiple": check_multiple,
    "true_false": check_true_false,
    "fill": check_fill,
    "numeric": check_numeric,
    "order": check_order,
    "code_output": check_code_output,
    "short": check_short,
}


def check_answer(question: QuestionBase, response: Any) -> Score:
    """Check ``response`` against ``question`` with the checker of its type (see module doc)."""
    return _CHECKERS[question.type](question, response)
