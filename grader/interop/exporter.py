"""``grader export``: banks of a course to one Moodle XML or GIFT file, with a report.

    report = export_banks(load_banks([course.questions]).banks, Path("quiz.xml"), "moodle", "both")

Questions with problems (``grader validate``) are not loaded, so they are not exported either.
A parametrised question (one with ``params``, the variants issue) is skipped with a report line:
its numbers are drawn per learner and its answers computed by running the code against torch, so
N fixed instances would be N questions to memorise and share, which is what parametrising is
for avoiding, and neither format can compute new ones.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from grader.bank.loader import LoadedBank, LoadResult, load_banks
from grader.bank.model import QuestionBase
from grader.course import Course
from grader.errors import UsageError, did_you_mean
from grader.i18n import Text, default_lang
from grader.interop.gift_export import GiftWriter
from grader.interop.moodle_export import MoodleWriter
from grader.interop.report import ExportReport, Line

__all__ = ["CARRIED", "FORMATS", "export_banks", "select_banks"]

FORMATS = ("moodle", "gift")

_GIFT_BOTH = Text(
    zh="GIFT 只能容纳一种语言（它没有多语言的写法）：请用 --lang zh 或 --lang en",
    en="GIFT holds one language (it has no multilang convention): give --lang zh or --lang en",
)


def _no_bank(name: str, questions: Path, known: list[str]) -> str:
    """The usage error of a bank name that is not in the course, in the command's language."""
    if default_lang() != "zh":
        return f"no bank '{name}' in {questions}{did_you_mean(name, known)}"
    return f"{questions} 中没有题库 '{name}'{did_you_mean(name, known, 'zh')}"


def select_banks(course: Course, names: Sequence[str]) -> tuple[list[LoadedBank], LoadResult]:
    """The banks ``names`` (bank ids, or bank files) name, all of the course's without names.

    Raises:
        UsageError: a name is neither a bank of the course nor a bank file.
    """
    files = [Path(n) for n in names if n.endswith((".yaml", ".yml"))]
    result = load_banks(
        [course.questions, *files] if not names or len(files) < len(names) else files
    )
    by_id = {b.id: b for b in result.banks}
    chosen: list[LoadedBank] = []
    for name in names:
        if name.endswith((".yaml", ".yml")):
            target = Path(name).resolve()
            found = [b for b in result.banks if b.path.resolve() == target]
        else:
            found = [by_id[name]] if name in by_id else []
        if not found:
            raise UsageError(_no_bank(name, course.questions, list(by_id)))
        chosen += [b for b in found if b not in chosen]
    return (chosen or list(result.banks)), result


def _parametrised(question: QuestionBase) -> bool:
    return bool(getattr(question, "params", None))


CARRIED = frozenset(
    {
        "id",
        "type",
        "difficulty",
        "tags",
        "source",
        "prompt",
        "hint",
        "hints",
        "explanation",
        "points",
        "penalty",
        "options",
        "answer",
        "shuffle",
        "credit",
        "partial_credit",
        "regex",
        "case_sensitive",
        "tolerance",
        "rel_tolerance",
        "code",
        "reference",
        "key_points",
        "params",
    }
)
"""The question fields the writers know. A field added to the model later is reported as not
exported until a writer carries it (learners' content first: a maintainer's ``verify`` block,
say, has no place in Moodle)."""


def _uncarried(question: QuestionBase) -> list[str]:
    return [
        name
        for name, info in type(question).model_fields.items()
        if name not in CARRIED and getattr(question, name) != info.get_default()
    ]


def export_banks(
    banks: Sequence[LoadedBank], out: str | os.PathLike[str], fmt: str, lang: str
) -> ExportReport:
    """Write ``banks`` to ``out`` in ``fmt`` (``moodle``, ``gift``) and ``lang`` (``zh``,
    ``en``, ``both``; GIFT holds one language)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format '{fmt}'{did_you_mean(fmt, FORMATS)}")
    if fmt == "gift" and lang == "both":
        raise UsageError(_GIFT_BOTH.get(default_lang()))
    report = ExportReport(out=str(out), format=fmt, lang=lang, banks=[b.id for b in banks])
    text = _moodle(banks, lang, report) if fmt == "moodle" else _gift(banks, lang, report)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    Path(out).write_text(text, encoding="utf-8")
    if fmt == "gift" and report.exported:
        report.losses.insert(
            0,
            Line(
                "every question",
                "tags, difficulty and source (GIFT has no field for them); the id is kept as "
                "the question's title",
            ),
        )
    return report


def _questions(bank: LoadedBank, report: ExportReport) -> list[QuestionBase]:
    kept = []
    for question in bank.questions:
        if _parametrised(question):
            report.skipped.append(
                Line(
                    question.id,
                    "parametrised: its numbers are drawn per learner and its answers computed "
                    "by torch; fixed instances would be memorised and shared, and Moodle "
                    "cannot compute new ones",
                )
            )
        else:
            kept.append(question)
            for name in _uncarried(question):
                report.losses.append(Line(question.id, f"'{name}' (no place for it in the file)"))
    return kept


def _moodle(banks: Sequence[LoadedBank], lang: str, report: ExportReport) -> str:
    writer = MoodleWriter(lang)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n']
    for bank in banks:
        model = bank.bank
        parts.append(writer.category(model.bank, model.title, model.description))
        for question in _questions(bank, report):
            parts.append(writer.question(question))
            report.exported += 1
    parts.append("</quiz>\n")
    report.roundings += [Line(qid, what) for qid, what in writer.roundings]
    report.losses += [Line(qid, what) for qid, what in writer.losses]
    return "".join(parts)


def _gift(banks: Sequence[LoadedBank], lang: str, report: ExportReport) -> str:
    writer = GiftWriter(lang)
    parts = []
    for bank in banks:
        title = bank.bank.title.get(lang).replace("/", "//")
        parts.append(f"// {bank.id}\n$CATEGORY: $course$/top/{title}\n\n")
        for question in _questions(bank, report):
            written = writer.question(question)
            if written is not None:
                parts.append(written + "\n")
                report.exported += 1
    report.roundings += [Line(qid, what) for qid, what in writer.roundings]
    report.losses += [Line(qid, what) for qid, what in writer.losses]
    report.skipped += [Line(qid, what) for qid, what in writer.skipped]
    return "".join(parts)
