"""Reading GIFT, Moodle's plain-text question format, into drafts (or skips that say why).

The rules are Moodle's (``question/format/gift/format.php``): questions are separated by blank
lines; a line starting with ``//`` is a comment; ``$CATEGORY: path`` switches the category;
``::title::`` names a question; ``[markdown]`` (``[html]``, ``[plain]``, ``[moodle]``) gives a
text's format; the answers sit between the first ``{`` and the first ``}``. In them:

- ``=right ~wrong``, ``~%50%half`` and ``~%-100%penalised`` (weights, negative allowed): a
  choice question, single-answer when one answer has ``=``, else multiple-answer;
- ``{T}``/``{F}`` (``TRUE``/``FALSE``): true or false;
- ``{=a =b}`` or ``{a}``: accepted answers of a fill question;
- ``{#3.14:0.01}``, ``{#1..5}``, ``{#=%100%3:0.5 =%50%3:2}``: a number with a tolerance or a range;
- ``{>N ALL VERTICAL ALL_OR_NOTHING SHOW`` then one item per line ``}``: Moodle's ordering;
- ``{}``: an essay; ``#feedback`` after an answer, ``####general feedback`` last.

A backslash makes ``\\=``, ``\\~``, ``\\{``, ``\\}``, ``\\:`` and ``\\#`` literal, ``\\\\`` is a
backslash and ``\\n`` a line break. Matching (``=a -> b``) and descriptions (no braces) are
skipped with a reason; a brace that is never closed, or a choice question with one answer, is a
broken file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from grader.interop.draft import (
    FALSE_LABEL,
    OTHER_LABEL,
    TRUE_LABEL,
    Category,
    Draft,
    Origin,
    Skip,
    Slot,
    feedback_list,
)
from grader.interop.errors import BrokenFile
from grader.interop.moodle_xml import wildcard_regex

__all__ = ["read_gift"]

_ESCAPES = {"\\:": ":", "\\#": "#", "\\=": "=", "\\{": "{", "\\}": "}", "\\~": "~"}
_HOLD = {key: chr(0xE000 + i) for i, key in enumerate(_ESCAPES)}
_BACK = {hold: _ESCAPES[key] for key, hold in _HOLD.items()}
_BACKSLASH = "\ue010"
_NEWLINE = "\ue011"
_WEIGHT = re.compile(r"^%(-?\d+(?:\.\d*)?)%")
_FORMAT = re.compile(r"^\[(html|moodle|plain|markdown)\]", re.I)


def _hold(text: str) -> str:
    """Escaped characters become placeholders, as Moodle's ``escapedchar_pre``."""
    text = text.replace("\\\\", _BACKSLASH)
    for key, hold in _HOLD.items():
        text = text.replace(key, hold)
    return text.replace("\\n", _NEWLINE).replace(_BACKSLASH, "\\")


def _release(text: str) -> str:
    for hold, char in _BACK.items():
        text = text.replace(hold, char)
    return text.replace(_NEWLINE, "\n")


def _formatted(text: str, default: str) -> Slot:
    text = text.strip()
    match = _FORMAT.match(text)
    if match:
        return Slot(_release(text[match.end() :]).strip(), match.group(1).lower())
    return Slot(_release(text).strip(), default)


def _split_feedback(answer: str, fmt: str) -> tuple[Slot, Slot]:
    text, _, feedback = answer.partition("#")
    return _formatted(text, fmt), _formatted(feedback, fmt)


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """``(first line number, lines)`` of each blank-line-separated block (comments blanked)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            if current:
                blocks.append((start, current))
                current = []
            continue
        if line.strip().startswith("//"):
            if current:
                current.append(" ")
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        blocks.append((start, current))
    return blocks


def read_gift(text: str, path: str) -> tuple[list[Draft | Skip], list[Category]]:
    """The questions of a GIFT file, in file order, and its categories.

    Raises:
        BrokenFile: a question's braces do not match, or its answers cannot be read.
    """
    items: list[Draft | Skip] = []
    categories: list[Category] = []
    current: Category | None = None
    position = 0
    for line, lines in _blocks(text):
        block = _hold("\n".join(lines).strip())
        if block.startswith("$CATEGORY:"):
            raw = _release(block[len("$CATEGORY:") :]).strip()
            parts = [p.strip() for p in re.split(r"(?<!/)/(?!/)", raw) if p.strip()]
            if parts and parts[0].startswith("$") and parts[0].endswith("$"):
                parts = parts[1:]
            if parts and parts[0] == "top":
                parts = parts[1:]
            current = Category(tuple(p.replace("//", "/") for p in parts))
            categories.append(current)
            continue
        position += 1
        item = _question(block, line, position, path)
        if isinstance(item, Draft):
            item.category = current
        items.append(item)
    return items, categories


def _question(block: str, line: int, position: int, path: str) -> Draft | Skip:
    title = ""
    if block.startswith("::"):
        end = block.find("::", 2)
        if end >= 0:
            title = _release(block[2:end]).strip()
            block = block[end + 2 :].strip()
        else:  # no closing '::': Moodle drops the opening one and takes no title
            block = block[2:].strip()
    start, finish = block.find("{"), block.find("}")
    name_guess = title or re.sub(r"\s+", " ", _release(block.split("{", 1)[0]))[:60].strip()
    origin = Origin(path, line, position, name_guess)
    if start < 0 and finish < 0:
        return Skip(
            origin, "description", "a description is text between questions, not a question"
        )
    if finish < 0:
        raise BrokenFile(
            path, line, f"question #{position}: the '{{' of the answers is never closed"
        )
    if start < 0 or finish < start:
        raise BrokenFile(path, line, f"question #{position}: a '}}' without a '{{' before it")
    answers = block[start + 1 : finish].strip()
    if block.rstrip().endswith("}"):
        text = block[:start] + block[finish + 1 :]
    else:
        text = block[:start] + "_____" + block[finish + 1 :]
    general = ""
    if "####" in answers:
        at = answers.rfind("####")
        answers, general = answers[:at].strip(), answers[at + 4 :]
    prompt = _formatted(text, "moodle")
    fmt = prompt.fmt
    explanation = _formatted(general, fmt)
    fields: dict[str, object] = {"prompt": prompt}
    content = prompt.raw + answers

    def draft(qtype: str, **more: object) -> Draft:
        fields.update(more)
        fields.setdefault("explanation", explanation)
        return Draft(origin, qtype, fields, content=content)

    if answers.startswith(">"):
        return _ordering(answers, draft, fmt, origin)
    if not answers:
        if explanation.blank:
            return Skip(
                origin,
                "essay",
                "a GIFT essay carries no model answer; a short question "
                "needs one (import the Moodle XML export instead)",
            )
        made = draft("short", reference=explanation, key_points=[explanation])
        made.notes.append(
            "GIFT essay: its general feedback is the model answer, the one key "
            "point and the explanation; edit them"
        )
        return made
    if answers.startswith("#"):
        return _numerical(answers[1:], draft, fmt, origin, path, line, explanation)
    if "~" in answers:
        return _choice(answers, draft, fmt, origin, path, line, explanation)
    if "=" in answers and "->" in answers:
        return Skip(
            origin,
            "matching",
            "a matching question pairs items with answers; there is no matching type here yet",
        )
    check = answers.split("#", 1)[0].strip()
    if check in ("T", "TRUE", "F", "FALSE"):
        parts = answers.split("#", 2)
        value = check in ("T", "TRUE")
        feedback = [_formatted(p, fmt) for p in parts[1:]]
        items = []
        if len(feedback) >= 1 and not feedback[0].blank:
            items.append((not value, feedback[0]))
        if len(feedback) >= 2 and not feedback[1].blank:
            items.append((value, feedback[1]))
        made = draft("true_false", answer=value)
        labelled: list[tuple[Slot | str, Slot]] = [
            (TRUE_LABEL if v else FALSE_LABEL, f) for v, f in items
        ]
        made.fields["explanation"] = feedback_list(explanation, labelled)
        return made
    return _short_answer(answers, draft, fmt, origin, path, line, explanation)


Make = Callable[..., Draft]
"""Builds the question's draft from its type and fields."""


def _weight(answer: str) -> tuple[float | None, str]:
    match = _WEIGHT.match(answer)
    if match is None:
        return None, answer
    return float(match.group(1)), answer[match.end() :]


def _choice(
    answers: str, draft: Make, fmt: str, origin: Origin, path: str, line: int, explanation: Slot
) -> Draft | Skip:
    single = "=" in answers
    parts = [p.strip() for p in answers.replace("=", "~=").split("~")]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        raise BrokenFile(
            path, line, f"question #{origin.position}: a choice question needs at least 2 answers"
        )
    options: list[Slot] = []
    fractions: list[float] = []
    feedback: list[tuple[Slot | str, Slot]] = []
    for part in parts:
        if part.startswith("="):
            fraction, part = 100.0, part[1:].strip()
        else:
            weight, part = _weight(part)
            fraction = weight if weight is not None else 0.0
        text, fb = _split_feedback(part, fmt)
        options.append(text)
        fractions.append(fraction)
        feedback.append((text, fb))
    fields: dict[str, object] = {"options": options}
    if single:
        full = [i for i, f in enumerate(fractions) if f >= 100 - 1e-3]
        if len(full) != 1:
            return Skip(
                origin,
                "multichoice",
                "several answers are marked right ('='): a "
                "single-choice question here has one right answer",
            )
        fields["answer"] = full[0]
        if any(abs(f) > 1e-9 for i, f in enumerate(fractions) if i != full[0]):
            fields["credit"] = fractions
        made = draft("single", **fields)
    else:
        right = [i for i, f in enumerate(fractions) if f > 0]
        if not right:
            return Skip(origin, "multichoice", "no answer has a positive weight")
        best = sum(f for f in fractions if f > 0)
        if abs(best - 100) > 0.01:
            return Skip(
                origin, "multichoice", f"the positive weights add up to {best:g} %, not 100 %"
            )
        fields["answer"] = right
        share = round(100 / len(right), 5)
        if all(abs(f - (share if i in right else -share)) <= 0.01 for i, f in enumerate(fractions)):
            fields["partial_credit"] = True
        else:
            fields["credit"] = fractions
        made = draft("multiple", **fields)
    made.fields["explanation"] = feedback_list(explanation, feedback)
    return made


def _short_answer(
    answers: str, draft: Make, fmt: str, origin: Origin, path: str, line: int, explanation: Slot
) -> Draft | Skip:
    parts = [p.strip() for p in answers.split("=")]
    parts = [p for p in parts if p]
    if not parts:
        raise BrokenFile(path, line, f"question #{origin.position}: no answer between the braces")
    accepted: list[str] = []
    feedback: list[tuple[Slot | str, Slot]] = []
    notes: list[str] = []
    for part in parts:
        weight, part = _weight(part)
        text, fb = part.partition("#")[0], _formatted(part.partition("#")[2], fmt)
        value = _release(text).strip()
        feedback.append((f"<code>{html.escape(value)}</code>", fb))
        if weight is None or weight >= 100 - 1e-3:
            accepted.append(value)
        elif weight > 0:
            notes.append(
                f"answer '{value}' was worth {weight:g} %: a fill question is right or "
                "wrong, so it is not accepted"
            )
    if not accepted:
        return Skip(origin, "shortanswer", "no answer is worth 100 %")
    literal = [a for a in accepted if not re.search(r"(?<!\\)\*", a)]
    wild = [a for a in accepted if re.search(r"(?<!\\)\*", a)]
    made = draft("fill", answer=[a.replace("\\*", "*") for a in (literal or wild[:1])])
    if wild:
        made.fields["regex"] = wildcard_regex(wild)
        notes.append("Moodle's * wildcard became a regex")
    made.fields["explanation"] = feedback_list(explanation, feedback)
    made.notes += notes
    return made


def _number(text: str, path: str, line: int, position: int) -> float:
    try:
        return float(text)
    except ValueError:
        raise BrokenFile(path, line, f"question #{position}: '{text}' is not a number") from None


def _numerical(
    answers: str, draft: Make, fmt: str, origin: Origin, path: str, line: int, explanation: Slot
) -> Draft | Skip:
    answers, _, wrong = answers.partition("~")
    parts = [p.strip() for p in answers.split("=")]
    parts = [p for p in parts if p]
    if not parts:
        raise BrokenFile(
            path, line, f"question #{origin.position}: a numeric question needs a number"
        )
    found: list[tuple[float, float, float]] = []
    feedback: list[tuple[Slot | str, Slot]] = []
    for part in parts:
        weight, part = _weight(part)
        text = _release(part.partition("#")[0]).strip()
        feedback.append(
            (f"<code>{html.escape(text)}</code>", _formatted(part.partition("#")[2], fmt))
        )
        if ".." in text:
            low, _, high = text.partition("..")
            lo = _number(low.strip(), path, line, origin.position)
            hi = _number(high.strip(), path, line, origin.position)
            value, tolerance = (lo + hi) / 2, abs(hi - lo) / 2
        elif ":" in text:
            value_text, _, tol_text = text.partition(":")
            value = _number(value_text.strip(), path, line, origin.position)
            tolerance = abs(_number(tol_text.strip(), path, line, origin.position))
        else:
            value, tolerance = _number(text, path, line, origin.position), 0.0
        found.append((100.0 if weight is None else weight, value, tolerance))
    full = [f for f in found if f[0] >= 100 - 1e-3]
    if not full:
        return Skip(origin, "numerical", "no number is worth 100 %")
    _, value, tolerance = full[0]
    fields: dict[str, object] = {"answer": value}
    if tolerance:
        fields["tolerance"] = tolerance
    made = draft("numeric", **fields)
    if wrong.strip():  # Moodle reads only its feedback: for any other number
        feedback.append((OTHER_LABEL, _formatted(wrong.partition("#")[2], fmt)))
    made.fields["explanation"] = feedback_list(explanation, feedback)
    for weight, other, tol in found:
        if (weight, other, tol) != full[0] and weight > 0:
            made.notes.append(
                f"answer {other:g} (±{tol:g}, {weight:g} %) dropped: a numeric "
                "question here has one answer"
            )
    return made


_ORDER_HEAD = re.compile(
    r"^>\s*(\d+)?\s*(ALL|EXACT|RANDOM|REL|CONTIGUOUS|CONTIG)?\s*"
    r"(HORIZONTAL|HORI|H|1|VERTICAL|VERT|V|0)?\s*"
    r"(ALL_OR_NOTHING|ABSOLUTE_POSITION|ABSOLUTE|ABS|RELATIVE_NEXT_EXCLUDE_LAST|"
    r"RELATIVE_NEXT_INCLUDE_LAST|RELATIVE_ONE_PREVIOUS_AND_NEXT|RELATIVE_ALL_PREVIOUS_AND_NEXT|"
    r"RELATIVE_TO_CORRECT|LONGEST_ORDERED_SUBSET|LONGEST_CONTIGUOUS_SUBSET|RELATIVE|REL)?\s*"
    r"(SHOW|TRUE|YES|HIDE|FALSE|NO)?[ \t]*",
    re.I,
)


def _ordering(answers: str, draft: Make, fmt: str, origin: Origin) -> Draft | Skip:
    head = _ORDER_HEAD.match(answers)
    assert head is not None  # every part is optional
    items = [_formatted(item, fmt) for item in answers[head.end() :].split("\n")]
    items = [i for i in items if not i.blank]
    if len(items) < 2:
        return Skip(origin, "ordering", "fewer than 2 items")
    grading = (head.group(4) or "RELATIVE_NEXT_EXCLUDE_LAST").upper()
    made = draft("order", options=items, partial_credit=grading != "ALL_OR_NOTHING")
    if grading not in ("ALL_OR_NOTHING", "ABSOLUTE_POSITION", "ABSOLUTE", "ABS"):
        made.notes.append(
            f"grading type {grading} became partial credit by absolute position "
            "(the only partial grading here)"
        )
    return made
