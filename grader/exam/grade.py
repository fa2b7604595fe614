"""Provides ``grader exam grade``: the key and the collected answers files into results.

Writes ``gradebook.csv`` (UTF-8 with BOM, as ``grader batch`` does), one report per student in
both languages (``students/<id>.md`` and ``.json``: each answer, the right answer, the
explanation), ``summary.json``, ``manual.csv`` (the ``short`` answers, for the instructor to
credit and read back with ``--manual``), and the item analysis (``analysis.md``, ``.csv``,
``.html``).

Checks: a student with no readable answers file is a row with status ``missing`` (never a
crash); a file whose exam id or student does not match the key is rejected with its reason; a
duplicate submission keeps the latest (by its ``submitted_at``, then the file's time) and is
reported.

A parametrised item (``grader.exam.build``) is graded, for each student, against that student's
own instance in the key; the item analysis treats it as one item over every student.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from grader.bank.answers import check_answer
from grader.bank.model import (
    CodeOutputQuestion,
    FillQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    Question,
    QuestionBase,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)
from grader.errors import UsageError
from grader.exam.build import KEY_FORMAT
from grader.exam.student_file import ANSWERS_FORMAT, read_document
from grader.i18n import Text, say

__all__ = ["ExamKey", "GradeResult", "grade_exam", "read_key"]

_QUESTION = TypeAdapter(Question)

_THE_KEY = Text(zh="教师答案文件", en="the key")
_A_KEY = Text(zh="考试答案文件", en="an exam key")
_NO_FOLDER = Text(zh="{folder}：没有这个答卷文件夹", en="{folder}: no such folder of answers files")
_NOT_ANSWERS = Text(zh="不是本应用写出的答卷文件", en="not an answers file written by the app")
_NO_ANSWERS = Text(zh="其中没有答案列表", en="it has no list of answers")
_UNREADABLE = Text(zh="无法读取：{why}", en="unreadable: {why}")
_OTHER_EXAM = Text(
    zh="考试 id {theirs!r} 不是本答案文件的 {ours!r}（另一场考试的答卷）",
    en="exam id {theirs!r} is not this key's {ours!r} (an answers file of another exam)",
)
_NOT_ON_ROSTER = Text(
    zh="学生 {student!r} 不在本场考试的名单上",
    en="student {student!r} is not on this exam's roster",
)
_NAMED_FOR_OTHER = Text(
    zh="文件以 {stem!r} 命名，却是 {student!r} 的答卷",
    en="the file is named for {stem!r} but holds the answers of {student!r}",
)
_NO_FILE = Text(zh="没有答卷文件", en="no answers file")
_AWAIT = Text(zh="{n} 道简答题等待人工评分", en="{n} short answer(s) await manual grading")
_SHEET_UNREADABLE = Text(
    zh="{path}：无法读取人工评分表：{why}", en="{path}: cannot read the manual-grading sheet: {why}"
)
_BAD_CREDIT = Text(
    zh="{where}：credit {raw!r} 必须是 0 到 1 之间的数",
    en="{where}: credit {raw!r} must be a number from 0 to 1",
)
_KEY_DAMAGED = Text(
    zh="{path}：答案文件中的一道题已损坏：{why}",
    en="{path}: a question of the key is damaged: {why}",
)


@dataclass(frozen=True)
class ExamKey:
    exam_id: str
    questions: dict[str, QuestionBase]
    """Item label -> question (as it was when the exam was built)."""
    banks: dict[str, str]
    students: dict[str, dict[str, Any]]
    instances: dict[str, dict[str, QuestionBase]] = field(default_factory=dict)
    """Student -> parametrised item label -> that student's instance."""
    parametrised: frozenset[str] = frozenset()
    """The labels of the parametrised items."""

    def question(self, student: str, label: str) -> QuestionBase:
        """The question ``student`` answered as ``label``: their own instance of a
        parametrised item, else the item's question."""
        return self.instances.get(student, {}).get(label) or self.questions[label]


def read_key(path: Path) -> ExamKey:
    """Read an instructor key.

    Raises:
        UsageError: unreadable, or not a key written by ``grader exam build``.
    """
    data = read_document(path, KEY_FORMAT, _THE_KEY, _A_KEY, "grader exam build")
    try:
        questions: dict[str, QuestionBase] = {
            label: _QUESTION.validate_python(entry["question"])
            for label, entry in data["questions"].items()
        }
        instances: dict[str, dict[str, QuestionBase]] = {
            sid: {
                item["item"]: _QUESTION.validate_python(item["question"])
                for item in info["items"]
                if "question" in item
            }
            for sid, info in data["students"].items()
        }
    except (KeyError, TypeError, ValidationError) as exc:
        raise UsageError(say(_KEY_DAMAGED, path=path, why=exc)) from None
    return ExamKey(
        exam_id=data["exam_id"],
        questions=questions,
        banks={label: entry["bank"] for label, entry in data["questions"].items()},
        students=data["students"],
        instances=instances,
        parametrised=frozenset(
            label for label, entry in data["questions"].items() if entry.get("parametrised")
        ),
    )


@dataclass
class Submission:
    path: Path
    data: dict[str, Any]
    stamp: tuple[str, float]


@dataclass
class GradeResult:
    rows: list[dict[str, Any]]
    rejected: list[dict[str, str]]
    duplicates: list[dict[str, Any]]
    pending_manual: int
    item_scores: dict[str, dict[str, float]] = field(default_factory=dict)
    """Student -> item -> credit in [0, 1] (only the items the student's exam had)."""
    picks: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Student -> item -> the option picked (original index) for choice questions."""
    pending: dict[str, set[str]] = field(default_factory=dict)
    """Student -> items awaiting manual grading (left out of the item analysis)."""


def _collect(
    key: ExamKey, answers_dir: Path
) -> tuple[dict[str, Submission], list[dict[str, str]], list[dict[str, Any]], dict[str, str]]:
    found: dict[str, list[Submission]] = {}
    rejected: list[dict[str, str]] = []
    unreadable: dict[str, str] = {}
    paths = sorted(answers_dir.glob("*.json")) if answers_dir.is_dir() else []
    if not answers_dir.is_dir():
        raise UsageError(say(_NO_FOLDER, folder=answers_dir))
    for path in paths:
        stem = path.name.removesuffix(".json").removesuffix(".answers")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("format") != ANSWERS_FORMAT:
                raise ValueError(say(_NOT_ANSWERS))
            if not isinstance(data.get("answers"), list):
                raise ValueError(say(_NO_ANSWERS))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = say(_UNREADABLE, why=exc)
            unreadable[stem] = reason
            rejected.append({"file": path.name, "reason": reason})
            continue
        student = str(data.get("student"))
        if data.get("exam_id") != key.exam_id:
            rejected.append(
                {
                    "file": path.name,
                    "reason": say(_OTHER_EXAM, theirs=data.get("exam_id"), ours=key.exam_id),
                }
            )
            continue
        if student not in key.students:
            rejected.append({"file": path.name, "reason": say(_NOT_ON_ROSTER, student=student)})
            continue
        if stem != student and stem in key.students:
            rejected.append(
                {
                    "file": path.name,
                    "reason": say(_NAMED_FOR_OTHER, stem=stem, student=student),
                }
            )
            continue
        stamp = (str(data.get("submitted_at") or ""), path.stat().st_mtime)
        found.setdefault(student, []).append(Submission(path, data, stamp))
    chosen: dict[str, Submission] = {}
    duplicates: list[dict[str, Any]] = []
    for student, subs in found.items():
        subs.sort(key=lambda s: s.stamp)
        chosen[student] = subs[-1]
        if len(subs) > 1:
            duplicates.append(
                {
                    "student": student,
                    "kept": subs[-1].path.name,
                    "ignored": [s.path.name for s in subs[:-1]],
                }
            )
    return chosen, rejected, duplicates, unreadable


def to_bank_response(question: QuestionBase, order: list[int] | None, response: Any) -> Any:
    """A response as the student file showed the options -> the bank engine's terms.

    Raises:
        ValueError: a response of the wrong shape for its question (the item scores 0).
    """
    if response is None:
        return None
    if isinstance(question, SingleQuestion):
        return order[int(response)] if order else int(response)
    if isinstance(question, MultipleQuestion | OrderQuestion):
        if not isinstance(response, list):
            raise ValueError("expected a list of options")
        mapped = [order[int(k)] if order else int(k) for k in response]
        return mapped if isinstance(question, OrderQuestion) else sorted(mapped)
    if isinstance(question, CodeOutputQuestion):
        if isinstance(response, int) and not isinstance(response, bool) and order:
            return order[response]
        return str(response)
    if isinstance(question, TrueFalseQuestion):
        if not isinstance(response, bool):
            raise ValueError("expected true or false")
        return response
    if isinstance(question, FillQuestion | NumericQuestion | ShortQuestion):
        return str(response)
    return response


def read_manual(path: Path) -> dict[tuple[str, str], float]:
    """Credits of a filled manual-grading sheet: ``(student, item) -> credit in [0, 1]``.

    Raises:
        UsageError: unreadable, or a credit that is not a number from 0 to 1 (``file:line``).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(say(_SHEET_UNREADABLE, path=path, why=exc.strerror)) from None
    credits: dict[tuple[str, str], float] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        raw = (row.get("credit") or "").strip()
        if not raw:
            continue
        try:
            value = float(raw)
        except ValueError:
            value = -1.0
        if not 0.0 <= value <= 1.0:
            raise UsageError(say(_BAD_CREDIT, where=f"{path}:{number}", raw=raw))
        credits[(str(row.get("student")), str(row.get("item")))] = value
    return credits


def _answer_text(question: QuestionBase, lang: str) -> str:
    if isinstance(question, SingleQuestion):
        return question.options[question.answer].get(lang)
    if isinstance(question, MultipleQuestion):
        return "; ".join(question.options[i].get(lang) for i in question.answer)
    if isinstance(question, OrderQuestion):
        return " → ".join(o.get(lang) for o in question.options)
    if isinstance(question, TrueFalseQuestion):
        return {"zh": "对" if question.answer else "错"}.get(lang, str(question.answer).lower())
    if isinstance(question, FillQuestion):
        return " / ".join(question.answer)
    if isinstance(question, NumericQuestion):
        return f"{question.answer:g}"
    if isinstance(question, CodeOutputQuestion):
        return question.answer
    if isinstance(question, ShortQuestion):
        return question.reference.get(lang)
    return ""


def _response_text(question: QuestionBase, response: Any, lang: str) -> str:
    if response is None:
        return "—"
    options = getattr(question, "options", None)
    if isinstance(question, SingleQuestion) and options:
        return options[response].get(lang)
    if isinstance(question, MultipleQuestion) and options:
        return "; ".join(options[i].get(lang) for i in response)
    if isinstance(question, OrderQuestion) and options:
        return " → ".join(options[i].get(lang) for i in response)
    if isinstance(question, CodeOutputQuestion) and isinstance(response, int) and options:
        return options[response]
    return str(response)


def grade_exam(
    key_path: Path, answers_dir: Path, out: Path, manual: Path | None = None
) -> GradeResult:
    """Grade every student of the key; write the results into ``out``."""
    key = read_key(key_path)
    chosen, rejected, duplicates, unreadable = _collect(key, answers_dir)
    credits = read_manual(manual) if manual is not None else {}
    out.mkdir(parents=True, exist_ok=True)
    (out / "students").mkdir(exist_ok=True)
    labels = list(key.questions)
    rows: list[dict[str, Any]] = []
    manual_rows: list[dict[str, Any]] = []
    result = GradeResult(rows=rows, rejected=rejected, duplicates=duplicates, pending_manual=0)
    max_points = {
        sid: sum(key.question(sid, i["item"]).points for i in info["items"])
        for sid, info in key.students.items()
    }
    for sid, info in key.students.items():
        sub = chosen.get(sid)
        if sub is None:
            note = unreadable.get(sid, say(_NO_FILE))
            rows.append(
                {
                    "student": sid,
                    "name": info.get("name", ""),
                    "status": "missing",
                    "points": "",
                    "max_points": max_points[sid],
                    "percent": "",
                    "note": note,
                    **{label: "" for label in labels},
                }
            )
            continue
        given = {
            a.get("item"): a.get("response") for a in sub.data["answers"] if isinstance(a, dict)
        }
        scores: dict[str, float] = {}
        picks: dict[str, Any] = {}
        report_items = []
        pending = 0
        for entry in info["items"]:
            label, order = entry["item"], entry["order"]
            question = key.question(sid, label)
            note = ""
            try:
                response = to_bank_response(question, order, given.get(label))
            except (ValueError, TypeError, IndexError):
                response, note = None, "unreadable response"
            if isinstance(question, ShortQuestion):
                credit = credits.get((sid, label))
                manual_rows.append(
                    {
                        "student": sid,
                        "item": label,
                        "question": question.id,
                        "response": response or "",
                        "credit": "" if credit is None else credit,
                    }
                )
                if credit is None:
                    pending += 1
                    note = "awaiting manual grading"
                score = credit or 0.0
            elif response is None:
                score = 0.0
            else:
                try:
                    score = check_answer(question, response).value
                except (TypeError, ValueError):
                    score, note = 0.0, "unreadable response"
            scores[label] = score
            if note == "awaiting manual grading":
                result.pending.setdefault(sid, set()).add(label)
            if (
                isinstance(question, SingleQuestion | CodeOutputQuestion)
                and getattr(question, "options", None)
                and label not in key.parametrised  # each student's options differ
            ):
                picks[label] = (
                    response
                    if isinstance(response, int)
                    else (
                        question.options.index(response)
                        if question.options and response in question.options
                        else None
                    )
                )
            report_items.append(
                {
                    "item": label,
                    "question": question.id,
                    "type": question.type,
                    "points": question.points,
                    "credit": score,
                    "note": note,
                    "prompt": {"zh": question.prompt.zh, "en": question.prompt.en},
                    # the code the student was asked about (their own, for a parametrised one)
                    **({"code": question.code} if isinstance(question, CodeOutputQuestion) else {}),
                    "your_answer": {
                        lang: _response_text(question, response, lang) for lang in ("zh", "en")
                    },
                    "right_answer": {lang: _answer_text(question, lang) for lang in ("zh", "en")},
                    "explanation": {"zh": question.explanation.zh, "en": question.explanation.en},
                }
            )
        result.pending_manual += pending
        result.item_scores[sid] = scores
        result.picks[sid] = picks
        points = sum(scores[i] * key.question(sid, i).points for i in scores)
        rows.append(
            {
                "student": sid,
                "name": info.get("name", ""),
                "status": "pending" if pending else "graded",
                "points": round(points, 3),
                "max_points": max_points[sid],
                "percent": round(100 * points / max_points[sid], 1) if max_points[sid] else 0.0,
                "note": say(_AWAIT, n=pending) if pending else "",
                **{label: round(scores[label], 3) if label in scores else "" for label in labels},
            }
        )
        _write_student_report(out / "students", sid, sub, report_items, points, max_points[sid])
    fields = ["student", "name", "status", "points", "max_points", "percent", "note", *labels]
    with (out / "gradebook.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    with (out / "manual.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(
            fh, fieldnames=["student", "item", "question", "response", "credit"]
        )
        writer.writeheader()
        writer.writerows(manual_rows)
    summary = {
        "exam_id": key.exam_id,
        "graded_at": datetime.now().astimezone().isoformat(),
        "students": len(key.students),
        "graded": sum(r["status"] == "graded" for r in rows),
        "pending": sum(r["status"] == "pending" for r in rows),
        "missing": [r["student"] for r in rows if r["status"] == "missing"],
        "rejected": rejected,
        "duplicates": duplicates,
        "pending_manual": result.pending_manual,
    }
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    write_analysis(key, result, out)
    return result


def _write_student_report(
    folder: Path,
    sid: str,
    sub: Submission,
    items: list[dict[str, Any]],
    points: float,
    total: float,
) -> None:
    data = {
        "student": sid,
        "points": round(points, 3),
        "max_points": total,
        "time_used_s": sub.data.get("time_used_s"),
        "items": items,
    }
    (folder / f"{sid}.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    lines = [f"# {sid}: {points:g} / {total:g}", ""]
    for item in sorted(items, key=lambda i: i["item"]):
        lines += [
            f"## {item['item']} ({item['credit'] * item['points']:g} / {item['points']:g})",
            "",
            item["prompt"]["zh"],
            "",
            item["prompt"]["en"],
            "",
            *(["```python", item["code"].rstrip("\n"), "```", ""] if "code" in item else []),
            f"- 你的答案 / Your answer: {item['your_answer']['zh']} / {item['your_answer']['en']}",
            f"- 正确答案 / Right answer: {item['right_answer']['zh']} / {item['right_answer']['en']}",
            f"- 解析: {item['explanation']['zh']}",
            f"- Explanation: {item['explanation']['en']}",
            "",
        ]
    (folder / f"{sid}.md").write_text("\n".join(lines), encoding="utf-8")


def choice_info(question: QuestionBase) -> tuple[list[str], list[int]] | None:
    """(option labels, right options) of a one-answer choice question, else None."""
    if isinstance(question, SingleQuestion):
        return [o.en for o in question.options], [question.answer]
    if isinstance(question, CodeOutputQuestion) and question.options:
        opts = list(question.options)
        return opts, [opts.index(question.answer)] if question.answer in opts else []
    return None


def write_analysis(key: ExamKey, result: GradeResult, out: Path) -> None:
    """The item analysis of a graded exam (``analysis.md``, ``.csv``, ``.html`` in ``out``)."""
    from grader.exam.analysis import analyse
    from grader.exam.report_html import write_reports

    info = {
        label: ci
        for label, q in key.questions.items()
        if label not in key.parametrised and (ci := choice_info(q)) is not None
    }
    scores = {
        sid: {i: v for i, v in row.items() if i not in result.pending.get(sid, set())}
        for sid, row in result.item_scores.items()
    }
    exam, items = analyse(
        scores,
        items=list(key.questions),
        picks=result.picks,
        choice_info=info,
        question_ids={label: q.id for label, q in key.questions.items()},
        types={label: q.type for label, q in key.questions.items()},
    )
    write_reports(out, f"Item analysis 试题分析: {key.exam_id}", exam, items)
