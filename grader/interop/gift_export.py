"""Writing GIFT: one language per file, texts as Markdown (``[markdown]``), ids as titles.

GIFT has no field for tags, difficulty, source, hints, points, penalty, a fill question's regex
or case sensitivity, or a question's type beyond Moodle's, and it has ordering only as the
ordering plugin's ``{>...}`` extension, whose items Moodle reads as they are written (no
escapes, one line each, no explanation). A short answer holding ``->`` cannot be written
either: Moodle takes ``=`` with ``->`` for a matching question, and GIFT has no escape for
either character. Each question that loses something says what in the
export report; what every question loses is said once. The id is written as the question's
title (``::id::``), which our import reads back as its id.

Escaping is Moodle's ``repchar``: ``\\``, ``#``, ``=``, ``~``, ``{``, ``}`` and ``:`` get a
backslash, and a line break is written ``\\n``, so each question is one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from grader.bank.answers import normalise_output
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
from grader.interop.grades import snap_grade
from grader.interop.moodle_export import format_number

__all__ = ["GiftWriter", "gift_escape"]

_RESERVED = {"\\": "\\\\", "#": "\\#", "=": "\\=", "~": "\\~", "{": "\\{", "}": "\\}", ":": "\\:"}


def gift_escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped and line breaks written ``\\n``."""
    out = "".join(_RESERVED.get(c, c) for c in text.replace("\r", ""))
    return out.replace("\n", "\\n")


def _weight(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


@dataclass
class GiftWriter:
    """Writes questions in one language."""

    lang: str
    roundings: list[tuple[str, str]] = field(default_factory=list)
    losses: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def text(self, q: QuestionBase, attr: str) -> str:
        return gift_escape(getattr(q, attr).get(self.lang))

    def _lose(self, q: QuestionBase, what: str) -> None:
        self.losses.append((q.id, what))

    def _grade(self, q: QuestionBase, index: int, percent: float) -> str:
        # Moodle's reader takes %100% and %-100% too: its pattern's two digits are followed
        # by an optional point and any digits, and the weight is read up to the closing %.
        snapped = snap_grade(percent).value
        if abs(snapped - percent) > 0.001:
            self.roundings.append((q.id, f"option {index}: {percent:g} % written as {snapped:g} %"))
        return f"%{_weight(snapped)}%"

    def question(self, q: QuestionBase) -> str | None:
        """The GIFT of ``q`` (None when GIFT cannot hold it; ``skipped`` says why)."""
        if q.all_hints:
            self._lose(q, f"{len(q.all_hints)} hint{'s' if len(q.all_hints) != 1 else ''}")
        if q.points != 1:
            self._lose(q, f"points {q.points:g}")
        if q.penalty:
            self._lose(q, f"penalty {q.penalty:g}")
        prompt = self.text(q, "prompt")
        if isinstance(q, CodeOutputQuestion):
            prompt += gift_escape(f"\n\n```python\n{q.code.rstrip()}\n```")
            self._lose(q, "the type code_output (a re-import gives Moodle's type)")
        body = _WRITERS[q.type](self, q)
        if body is None:
            return None
        return f"// {q.id}\n::{gift_escape(q.id)}::[markdown]{prompt}{body}\n"

    def general(self, q: QuestionBase) -> str:
        return f"\t####{self.text(q, 'explanation')}\n"


def _choices(w: GiftWriter, q: SingleQuestion | MultipleQuestion, marks: list[str]) -> str:
    lines = [
        f"\t{mark}{gift_escape(option.get(w.lang))}\n"
        for mark, option in zip(marks, q.options, strict=True)
    ]
    return "{\n" + "".join(lines) + w.general(q) + "}"


def _single(w: GiftWriter, q: QuestionBase) -> str:
    assert isinstance(q, SingleQuestion)
    marks = []
    for i in range(len(q.options)):
        credit = q.credit[i] if q.credit is not None else (100.0 if i == q.answer else 0.0)
        if i == q.answer:
            marks.append("=")
        elif abs(credit) < 1e-9:
            marks.append("~")
        else:
            marks.append("~" + w._grade(q, i, credit))
    return _choices(w, q, marks)


def _multiple(w: GiftWriter, q: QuestionBase) -> str:
    assert isinstance(q, MultipleQuestion)
    right = set(q.answer)
    share = 100 / len(right)
    if q.credit is not None:
        credits = list(q.credit)
    else:
        credits = [share if i in right else -share for i in range(len(q.options))]
        if not q.partial_credit:
            w._lose(q, "all-or-nothing: written with partial credit, as GIFT has no other")
    if len(right) == 1:
        w._lose(q, "one right option: GIFT makes it a single-choice question")
        marks = [
            "=" if i in right else ("~" if abs(c) < 1e-9 else "~" + w._grade(q, i, c))
            for i, c in enumerate(credits)
        ]
    else:
        marks = ["~" if abs(c) < 1e-9 else "~" + w._grade(q, i, c) for i, c in enumerate(credits)]
    return _choices(w, q, marks)


def _true_false(w: GiftWriter, q: QuestionBase) -> str:
    assert isinstance(q, TrueFalseQuestion)
    return "{" + ("TRUE" if q.answer else "FALSE") + w.general(q).strip("\t\n") + "}"


_ARROW_SKIP = (
    "an accepted answer holds '->', which makes Moodle read the question as matching (GIFT "
    "has no escape for it)"
)


def _fill(w: GiftWriter, q: QuestionBase) -> str | None:
    assert isinstance(q, FillQuestion)
    if any("->" in a for a in q.answer):
        w.skipped.append((q.id, _ARROW_SKIP))
        return None
    if q.regex is not None:
        w._lose(q, f"regex {q.regex!r}: Moodle accepts only the listed answers")
    if q.case_sensitive:
        w._lose(q, "case sensitivity: GIFT answers ignore case")
    answers = "".join(f"\t={gift_escape(a.replace('*', chr(92) + '*'))}\n" for a in q.answer)
    return "{\n" + answers + w.general(q) + "}"


def _numeric(w: GiftWriter, q: QuestionBase) -> str:
    assert isinstance(q, NumericQuestion)
    tolerance = max(q.tolerance, q.rel_tolerance * abs(q.answer))
    if q.rel_tolerance:
        w._lose(q, f"relative tolerance {q.rel_tolerance:g} written as ±{tolerance:g}")
    tol = f":{format_number(tolerance)}" if tolerance else ""
    return "{#\n\t=" + format_number(q.answer) + tol + "\n" + w.general(q) + "}"


def _order(w: GiftWriter, q: QuestionBase) -> str | None:
    assert isinstance(q, OrderQuestion)
    items = [o.get(w.lang) for o in q.options]
    if any("\n" in item or "}" in item for item in items) or "{" in q.prompt.get(w.lang):
        w.skipped.append(
            (
                q.id,
                "GIFT's ordering extension holds neither a '{' in the question nor a line "
                "break or '}' in an item",
            )
        )
        return None
    if any(item.strip().startswith("//") for item in items):
        w.skipped.append((q.id, "an item starts with '//', which GIFT reads as a comment line"))
        return None
    w._lose(q, "the explanation (GIFT's ordering extension has no general feedback)")
    grading = "ABSOLUTE_POSITION" if q.partial_credit else "ALL_OR_NOTHING"
    head = f"{{>{len(items)} ALL VERTICAL {grading} SHOW\n"
    return head + "".join(f"{item}\n" for item in items) + "}"


def _short(w: GiftWriter, q: QuestionBase) -> str:
    assert isinstance(q, ShortQuestion)
    w._lose(q, "the key points and the explanation (a GIFT essay's feedback holds the reference)")
    return "{####" + gift_escape(q.reference.get(w.lang)) + "}"


def _code_output(w: GiftWriter, q: QuestionBase) -> str | None:
    assert isinstance(q, CodeOutputQuestion)
    right = normalise_output(q.answer)
    if q.options is not None:
        marks = []
        for option in q.options:
            mark = "=" if normalise_output(option) == right else "~"
            fence = gift_escape(f"```\n{option.rstrip(chr(10))}\n```")
            marks.append(f"\t{mark}{fence}\n")
        return "{\n" + "".join(marks) + w.general(q) + "}"
    if len(right) <= 1:
        answer = right[0] if right else ""
        if "->" in answer:
            w.skipped.append((q.id, _ARROW_SKIP))
            return None
        return "{\n\t=" + gift_escape(answer.replace("*", "\\*")) + "\n" + w.general(q) + "}"
    w._lose(q, "the verified output goes to the explanation (a GIFT essay has no marker's notes)")
    output = "\n".join(right)
    feedback = f"{q.explanation.get(w.lang)}\n\n```\n{output}\n```"
    return "{####" + gift_escape(feedback) + "}"


_WRITERS: dict[str, Callable[[GiftWriter, QuestionBase], str | None]] = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "fill": _fill,
    "numeric": _numeric,
    "order": _order,
    "short": _short,
    "code_output": _code_output,
}
