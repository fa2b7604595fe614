"""Reading Moodle XML: categories and questions into drafts (or skips that say why).

The types that fit (``questions/README.md``, "Coming from Moodle"): ``multichoice`` (one answer:
``single``; several: ``multiple`` with the fractions as per-option credit), ``truefalse``,
``shortanswer`` (``fill``), ``numerical`` (``numeric``), ``ordering`` (``order``) and ``essay``
(``short``, ``graderinfo`` the model answer). Every question keeps its ``generalfeedback`` as the
explanation (with any per-answer feedback after it), its hints, ``defaultgrade`` as points and
``penalty``. Tags named ``grader-...`` carry what Moodle has no field for, as our export writes
them (``grader-type:code_output``, ``grader-difficulty:3``, ...); every other tag is a tag.

Element names and defaults follow Moodle's own reader (``question/format/xml/format.php``):
texts are stripped, ``fraction`` is a percentage, ``single`` defaults to true.
"""

from __future__ import annotations

import html
import math
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
    as_html,
    feedback_list,
)
from grader.interop.errors import BrokenFile
from grader.interop.xmltree import Element, parse_xml

__all__ = ["UNSUPPORTED", "read_moodle_xml", "tag_meta", "wildcard_regex"]

UNSUPPORTED: dict[str, str] = {
    "calculated": "a calculated question computes its numbers from a formula that Moodle "
    "evaluates; no question type here does",
    "calculatedsimple": "a calculated question computes its numbers from a formula that Moodle "
    "evaluates; no question type here does",
    "calculatedmulti": "a calculated question computes its numbers from a formula that Moodle "
    "evaluates; no question type here does",
    "multianswer": "a cloze question embeds several sub-questions in one text; a question here "
    "has one answer",
    "cloze": "a cloze question embeds several sub-questions in one text; a question here has "
    "one answer",
    "match": "a matching question pairs items with answers; there is no matching type here yet",
    "matching": "a matching question pairs items with answers; there is no matching type here yet",
    "randomsamatch": "a random short-answer matching question draws other questions when the "
    "quiz runs; there is no matching type here yet",
    "ddwtos": "drag-and-drop into text has no counterpart here",
    "gapselect": "select missing words has no counterpart here",
    "ddimageortext": "drag-and-drop onto an image has no counterpart here",
    "ddmarker": "drag-and-drop markers have no counterpart here",
    "description": "a description is text between questions, not a question",
    "random": "a random question is a placeholder Moodle fills from a category when the quiz runs",
}
"""Moodle types that are listed in the report and skipped, with why."""

_TRUE = ("true", "1", "yes")


def tag_meta(tags: list[str]) -> tuple[list[str], dict[str, str]]:
    """Plain tags, and the ``grader-KEY:VALUE`` tags as ``{KEY: VALUE}``."""
    plain: list[str] = []
    meta: dict[str, str] = {}
    for tag in tags:
        if tag.startswith("grader-"):
            key, _, value = tag[len("grader-") :].partition(":")
            meta[key] = value
        elif tag and tag not in plain:
            plain.append(tag)
    return plain, meta


def _slot(element: Element, tag: str, default_fmt: str = "html") -> Slot:
    found = element.text_of(tag)
    if found is None:
        return Slot("", default_fmt)
    return Slot(found[0], found[1] or default_fmt)


def _float(text: str, default: float) -> float:
    try:
        value = float(text)
    except ValueError:
        return default
    return value if math.isfinite(value) else default


class _Answer:
    def __init__(self, element: Element, default_fmt: str) -> None:
        self.line = element.line
        inner = element.find("text")
        self.raw = inner.text if inner is not None else element.text
        self.text = self.raw.strip()
        self.fmt = element.attrs.get("format", default_fmt)
        self.fraction = _float(element.attrs.get("fraction", "0"), 0.0)
        self.feedback = _slot(element, "feedback", default_fmt)
        self.tolerance = _float(element.child_text("tolerance", "0"), 0.0)

    @property
    def slot(self) -> Slot:
        return Slot(self.text, self.fmt)


def _category(element: Element) -> Category:
    path = element.find("category")
    raw = path.child_text("text") if path is not None else ""
    parts = [p.replace("//", "/").strip() for p in re.split(r"(?<!/)/(?!/)", raw)]
    parts = [p for p in parts if p]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0] == "top":
        parts = parts[1:]
    info = element.text_of("info")
    return Category(
        tuple(parts),
        element.child_text("idnumber") or None,
        Slot(info[0], info[1]) if info is not None and info[0] else None,
    )


def read_moodle_xml(data: bytes, path: str) -> tuple[list[Draft | Skip], list[Category]]:
    """The questions of a Moodle XML file, in file order, and its categories.

    Raises:
        BrokenFile: not well-formed XML, or not a Moodle quiz (the root is not ``<quiz>``).
    """
    root = parse_xml(data, path)
    if root.tag != "quiz":
        raise BrokenFile(
            path,
            root.line,
            f"not a Moodle XML question file: the root element is <{root.tag}>, not <quiz>",
        )
    items: list[Draft | Skip] = []
    categories: list[Category] = []
    current: Category | None = None
    position = 0
    for element in root.findall("question"):
        qtype = element.attrs.get("type", "").strip().lower()
        if qtype == "category":
            current = _category(element)
            categories.append(current)
            continue
        position += 1
        name_element = element.find("name")
        name = name_element.child_text("text") if name_element is not None else ""
        origin = Origin(path, element.line, position, html.unescape(name))
        read = _READERS.get(qtype)
        if read is None:
            reason = UNSUPPORTED.get(
                qtype, f"Moodle question type '{qtype}' has no counterpart here"
            )
            items.append(Skip(origin, qtype, reason))
            continue
        item = read(element, origin)
        if isinstance(item, Draft):
            item.category = current
            _common(element, item)
        items.append(item)
    return items, categories


def _common(element: Element, draft: Draft) -> None:
    """Tags, points, penalty, hints and id number: the fields every type has."""
    tags_element = element.find("tags")
    raw_tags = [t.child_text("text") for t in tags_element.findall("tag")] if tags_element else []
    tags, meta = tag_meta(raw_tags)
    fields = draft.fields
    fields["tags"] = tags
    difficulty = meta.get("difficulty", "")
    fields["difficulty"] = int(difficulty) if difficulty in ("1", "2", "3", "4", "5") else None
    if meta.get("source"):
        fields["source"] = meta["source"]
    points = _float(element.child_text("defaultgrade", "1"), 1.0)
    if points > 0:
        fields["points"] = points
    else:
        draft.notes.append(
            f"defaultgrade {points:g}: a question is worth more than 0 here; 1 point"
        )
    penalty = _float(element.child_text("penalty", "0"), 0.0)
    if abs(penalty - 0.3333333) < 0.005:
        penalty = 0.3333333  # Moodle's own fix for old files
    if not 0 <= penalty <= 1:
        draft.notes.append(f"penalty {penalty:g} is outside 0..1; 0 is used")
        penalty = 0.0
    fields["penalty"] = penalty
    hints = []
    for hint in element.findall("hint"):
        inner = hint.find("text")
        text = (inner.text if inner is not None else hint.text).strip()
        if text:
            hints.append(Slot(text, hint.attrs.get("format", "html")))
    fields["hints"] = hints
    if element.child_text("hidden") == "1":
        draft.notes.append("hidden in Moodle; imported like any other question")
    draft.idnumber = element.child_text("idnumber") or None
    draft.meta = meta


def _explanation(element: Element, feedback: list[tuple[Slot | str, Slot]]) -> Slot:
    """``generalfeedback``, then each answer's feedback as a list (``answer``: feedback)."""
    return feedback_list(_slot(element, "generalfeedback"), feedback)


def _answers(element: Element, fmt: str) -> list[_Answer]:
    return [_Answer(a, fmt) for a in element.findall("answer")]


def _prompt(element: Element) -> Slot:
    """The question text; a Moodle 1.9 ``<image>`` beside it (no longer shown by Moodle, but
    still in old files) is added as an image, so that it becomes a note, not a silent loss."""
    prompt = _slot(element, "questiontext")
    image = element.child_text("image").strip()
    if not image:
        return prompt
    return Slot(as_html(prompt) + f'<p><img src="{html.escape(image)}" alt=""></p>', "html")


def _base(element: Element, origin: Origin, qtype: str) -> tuple[Draft, str]:
    prompt = _prompt(element)
    draft = Draft(origin, qtype, {"prompt": prompt})
    return draft, prompt.fmt


def _split_code(raw: str) -> tuple[str, str] | None:
    """``(text before, code)`` of a text that ends with a ``<pre>`` block (our export's
    ``code_output`` layout), else None."""
    start = raw.rfind("<pre")
    code = _pre_text(raw[start:]) if start >= 0 else None
    return None if code is None else (raw[:start], code)


def _pre_text(raw: str) -> str | None:
    match = re.fullmatch(r"\s*<pre\b[^>]*>(?:<code\b[^>]*>)?(.*?)(?:</code>)?</pre>\s*", raw, re.S)
    return html.unescape(match.group(1)) if match else None


def _code_output(
    element: Element, origin: Origin, answer: str | None, options: list[str] | None
) -> Draft | Skip:
    prompt = _slot(element, "questiontext")
    split = _split_code(prompt.raw)
    if split is None or answer is None:
        return Skip(
            origin,
            element.attrs.get("type", ""),
            "tagged grader-type:code_output, but its code block or output is missing",
        )
    fields: dict[str, object] = {"prompt": Slot(split[0], prompt.fmt), "code": split[1]}
    fields["answer"] = answer
    if options is not None:
        fields["options"] = options
    fields["explanation"] = _slot(element, "generalfeedback")
    return Draft(origin, "code_output", fields, content=prompt.raw + answer)


def _meta(element: Element) -> dict[str, str]:
    tags_element = element.find("tags")
    raw = [t.child_text("text") for t in tags_element.findall("tag")] if tags_element else []
    return tag_meta(raw)[1]


def _multichoice(element: Element, origin: Origin) -> Draft | Skip:
    draft, fmt = _base(element, origin, "single")
    answers = _answers(element, fmt)
    if len(answers) < 2:
        return Skip(origin, "multichoice", "fewer than 2 answers")
    single = element.child_text("single", "true").lower() in _TRUE
    meta = _meta(element)
    if meta.get("type") == "code_output":
        texts = [_pre_text(a.text) for a in answers]
        winners = [a for a in answers if a.fraction >= 100 - 1e-3]
        if any(t is None for t in texts) or len(winners) != 1:
            return Skip(
                origin,
                "multichoice",
                "tagged grader-type:code_output, but its options "
                "are not code blocks with one right output",
            )
        return _code_output(element, origin, _pre_text(winners[0].text), [t or "" for t in texts])
    fractions = [a.fraction for a in answers]
    draft.fields["options"] = [a.slot for a in answers]
    draft.fields["shuffle"] = element.child_text("shuffleanswers", "false").lower() in _TRUE
    draft.content = draft.fields["prompt"].raw + "".join(a.text for a in answers)
    if single:
        full = [i for i, f in enumerate(fractions) if abs(f - 100) <= 1e-3]
        if len(full) != 1:
            why = (
                "no answer is worth 100 %"
                if not full
                else f"answers {', '.join(str(i + 1) for i in full)} are all worth 100 %: a "
                "single-choice question here has one right answer"
            )
            return Skip(origin, "multichoice", why)
        draft.fields["answer"] = full[0]
        if any(abs(f) > 1e-9 for i, f in enumerate(fractions) if i != full[0]):
            draft.fields["credit"] = fractions
    else:
        draft.type = "multiple"
        right = [i for i, f in enumerate(fractions) if f > 0]
        if not right:
            return Skip(origin, "multichoice", "no answer has a positive grade")
        best = sum(f for f in fractions if f > 0)
        if abs(best - 100) > 0.01:
            return Skip(
                origin, "multichoice", f"the positive grades add up to {best:g} %, not 100 %"
            )
        draft.fields["answer"] = right
        k = len(right)
        share = round(100 / k, 5)
        pattern = all(
            abs(f - (share if i in right else -share)) <= 0.01 for i, f in enumerate(fractions)
        )
        if "all-or-nothing" in meta:
            draft.fields["partial_credit"] = False
        elif pattern:
            draft.fields["partial_credit"] = True
        else:
            draft.fields["credit"] = fractions
    draft.fields["explanation"] = _explanation(element, [(a.slot, a.feedback) for a in answers])
    return draft


_TF_LABEL = {"true": TRUE_LABEL, "false": FALSE_LABEL}


def _truefalse(element: Element, origin: Origin) -> Draft | Skip:
    draft, fmt = _base(element, origin, "true_false")
    answers = _answers(element, fmt)
    by_text = {a.text.lower(): a for a in answers}
    if "true" in by_text:
        value = by_text["true"].fraction >= 100 - 1e-3
    elif "false" in by_text:
        value = by_text["false"].fraction < 100 - 1e-3
    elif len(answers) == 2:  # an old file: true first, then false (as Moodle assumes)
        value = answers[0].fraction >= 100 - 1e-3
        by_text = {"true": answers[0], "false": answers[1]}
    else:
        return Skip(origin, "truefalse", "no 'true' or 'false' answer")
    draft.fields["answer"] = value
    feedback: list[tuple[Slot | str, Slot]] = [
        (_TF_LABEL[k], a.feedback) for k, a in by_text.items() if k in _TF_LABEL
    ]
    draft.fields["explanation"] = _explanation(element, feedback)
    draft.content = draft.fields["prompt"].raw + str(value)
    return draft


def wildcard_regex(patterns: list[str]) -> str:
    """A regex accepting what Moodle's short-answer ``*`` wildcard patterns accept."""
    parts = []
    for pattern in patterns:
        pieces = re.split(r"(?<!\\)\*", pattern)
        parts.append(".*".join(re.escape(p.replace("\\*", "*")) for p in pieces))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _shortanswer(element: Element, origin: Origin) -> Draft | Skip:
    draft, fmt = _base(element, origin, "fill")
    answers = _answers(element, fmt)
    meta = _meta(element)
    accepted = [a for a in answers if a.fraction >= 100 - 1e-3]
    if not accepted:
        return Skip(origin, "shortanswer", "no answer is worth 100 %")
    if meta.get("type") == "code_output":
        return _code_output(element, origin, accepted[0].text.replace("\\*", "*"), None)
    for a in answers:
        if 0 < a.fraction < 100 - 1e-3:
            draft.notes.append(
                f"answer '{a.text}' was worth {a.fraction:g} %: a fill question is right or "
                "wrong, so it is not accepted"
            )
    literal = [a.text for a in accepted if not re.search(r"(?<!\\)\*", a.text)]
    wild = [a.text for a in accepted if re.search(r"(?<!\\)\*", a.text)]
    shown = literal or wild[:1]
    draft.fields["answer"] = [t.replace("\\*", "*") for t in shown]
    if meta.get("regex"):
        draft.fields["regex"] = meta["regex"]
    elif wild:
        draft.fields["regex"] = wildcard_regex(wild)
        draft.notes.append("Moodle's * wildcard became a regex")
    if element.child_text("usecase", "0") == "1":
        draft.fields["case_sensitive"] = True
    feedback: list[tuple[Slot | str, Slot]] = [
        (f"<code>{html.escape(a.text)}</code>", a.feedback) for a in answers
    ]
    draft.fields["explanation"] = _explanation(element, feedback)
    draft.content = draft.fields["prompt"].raw + "|".join(a.text for a in answers)
    return draft


def _numerical(element: Element, origin: Origin) -> Draft | Skip:
    draft, fmt = _base(element, origin, "numeric")
    answers = _answers(element, fmt)
    full = [a for a in answers if a.fraction >= 100 - 1e-3 and a.text not in ("", "*")]
    if not full:
        return Skip(origin, "numerical", "no number is worth 100 %")
    try:
        value = float(full[0].text)
    except ValueError:
        return Skip(origin, "numerical", f"the answer '{full[0].text}' is not a number")
    if not math.isfinite(value):
        return Skip(origin, "numerical", f"the answer '{full[0].text}' is not a finite number")
    draft.fields["answer"] = value
    meta = _meta(element)
    tolerance = abs(full[0].tolerance)
    rel = _float(meta.get("rel-tolerance", ""), 0.0)
    if rel > 0:
        draft.fields["rel_tolerance"] = rel
        if tolerance > rel * abs(value) * (1 + 1e-9):
            draft.fields["tolerance"] = tolerance
    elif tolerance:
        draft.fields["tolerance"] = tolerance
    for a in answers:
        if a is not full[0] and a.text not in ("", "*") and a.fraction > 0:
            draft.notes.append(
                f"answer {a.text} (±{a.tolerance:g}, {a.fraction:g} %) dropped: a numeric "
                "question here has one answer"
            )
    units = element.find("units")
    if units is not None and units.findall("unit"):
        draft.notes.append("units dropped: learners type the number alone")
    feedback: list[tuple[Slot | str, Slot]] = [
        (OTHER_LABEL if a.text == "*" else f"<code>{html.escape(a.text)}</code>", a.feedback)
        for a in answers
    ]
    draft.fields["explanation"] = _explanation(element, feedback)
    draft.content = draft.fields["prompt"].raw + full[0].text
    return draft


_GRADING = {"ALL_OR_NOTHING": False, "ABSOLUTE_POSITION": True, "-1": False, "0": True}


def _ordering(element: Element, origin: Origin) -> Draft | Skip:
    draft, fmt = _base(element, origin, "order")
    answers = _answers(element, fmt)
    if len(answers) < 2:
        return Skip(origin, "ordering", "fewer than 2 items")
    order = sorted(range(len(answers)), key=lambda i: (answers[i].fraction, i))
    draft.fields["options"] = [answers[i].slot for i in order]
    grading = element.child_text("gradingtype", "RELATIVE_NEXT_EXCLUDE_LAST").upper()
    partial = _GRADING.get(grading)
    if partial is None:
        partial = True
        draft.notes.append(
            f"grading type {grading} became partial credit by absolute position (the only "
            "partial grading here)"
        )
    draft.fields["partial_credit"] = partial
    select = element.child_text("selecttype", "ALL").upper()
    count = element.child_text("selectcount", "0")
    if select not in ("ALL", "EXACT", "0") and count.isdigit() and 0 < int(count) < len(answers):
        draft.notes.append(f"Moodle shows {count} of the {len(answers)} items; all are shown here")
    draft.fields["explanation"] = _explanation(element, [])
    draft.content = draft.fields["prompt"].raw + "|".join(a.text for a in answers)
    return draft


_KEY_POINTS = re.compile(
    r"<ul\b[^>]*\bclass\s*=\s*[\"'][^\"']*grader-key-points[^\"']*[\"'][^>]*>(.*)</ul>\s*$", re.S
)


def _essay(element: Element, origin: Origin) -> Draft | Skip:
    meta = _meta(element)
    info = _slot(element, "graderinfo")
    if meta.get("type") == "code_output":
        return _code_output(element, origin, _pre_text(info.raw), None)
    draft, _ = _base(element, origin, "short")
    if info.blank:
        return Skip(origin, "essay", "no model answer (graderinfo): a short question needs one")
    match = _KEY_POINTS.search(info.raw)
    if match is not None:
        draft.fields["reference"] = Slot(info.raw[: match.start()], info.fmt)
        points = re.findall(r"<li\b[^>]*>(.*?)</li>", match.group(1), re.S)
        draft.fields["key_points"] = [Slot(p, "html") for p in points]
    else:
        draft.fields["reference"] = info
        draft.fields["key_points"] = [info]
        draft.notes.append("no key points marked: the model answer is the one key point; edit them")
    template = element.text_of("responsetemplate")
    if template is not None and template[0]:
        draft.notes.append("response template dropped")
    draft.fields["explanation"] = _explanation(element, [])
    draft.content = draft.fields["prompt"].raw + info.raw
    return draft


_READERS: dict[str, Callable[[Element, Origin], Draft | Skip]] = {
    "multichoice": _multichoice,
    "truefalse": _truefalse,
    "shortanswer": _shortanswer,
    "numerical": _numerical,
    "ordering": _ordering,
    "essay": _essay,
}
