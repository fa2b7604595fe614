"""Checking one bank file: bytes in, a ``FileReport`` (the valid questions + every problem) out.

The steps, each reporting with the offending value's line: decode (UTF-8), parse (YAML syntax,
tabs, duplicate keys), shape of the top level, the bank header against ``Bank``, each question
against the question union (pydantic errors translated by ``schema_errors``), then the cross-field
``rules``. A question with any problem is left out of the report's bank, so the app never sees it.
A file that does not parse is cut into its header and items, each parsed on its own
(``recovery``), so one syntax error does not hide the problems of the other questions.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from pydantic import ConfigDict, TypeAdapter, ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from grader.bank.model import Bank, Question, QuestionBase
from grader.bank.problems import Problem
from grader.bank.recovery import recover
from grader.bank.rules import check_question
from grader.bank.schema_errors import translate_errors
from grader.bank.source import Document, Issue, decode, parse
from grader.errors import did_you_mean

__all__ = ["FileReport", "QUESTION_ADAPTER", "QuestionInfo", "check_bank_bytes"]

QUESTION_ADAPTER: TypeAdapter[Any] = TypeAdapter(Question, config=ConfigDict(defer_build=True))
"""Validates one question mapping into its type's model."""


class QuestionInfo(NamedTuple):
    """What listing and filtering need of a question, without building its model."""

    id: str
    type: str
    difficulty: int
    tags: tuple[str, ...]
    source: str | None


@dataclass(slots=True)
class FileReport:
    """What checking one bank file found. Picklable: this is what the cache stores.

    A fresh report holds the validated ``bank``; the cached form (``for_cache``) holds ``data``, a
    plain dump of it, instead: unpickling plain data is ~10x faster than unpickling models, and
    the loader only builds the models of a bank when they are asked for.
    """

    bank: Bank | None
    """The bank with its valid questions only; None when unusable or in the cached form."""
    lines: dict[str, int] = field(default_factory=dict)
    """Line of each valid question, by id."""
    ids: list[tuple[str, int]] = field(default_factory=list)
    """Every distinct question id written in the file (valid question or not), in order, with
    the line of its first ``id:`` value; repeats within the file are already reported."""
    problems: list[Problem] = field(default_factory=list)
    """Problems of this file alone (duplicates across files are found by the loader)."""
    bank_line: int | None = None
    """Line of the ``bank:`` value."""
    info: list[QuestionInfo] = field(default_factory=list)
    """The valid questions' id, type, difficulty, tags and source, in file order."""
    source_lines: dict[str, int] = field(default_factory=dict)
    """Line of each valid question's ``source:`` value, by id (checked against the seeds)."""
    data: dict[str, Any] | None = None
    """The cached form's plain dump of ``bank``."""

    def for_cache(self) -> FileReport:
        """The form stored in the cache: the bank as plain data."""
        data = self.bank.model_dump(exclude_defaults=True) if self.bank is not None else None
        return replace(self, bank=None, data=data)

    def with_path(self, path: str) -> FileReport:
        """The same report with its problems naming ``path`` (also inside "first defined at")."""
        moved = [
            replace(
                p,
                path=path,
                message=p.message.replace(
                    f"(first defined at {p.path}:", f"(first defined at {path}:"
                ),
            )
            for p in self.problems
        ]
        return replace(self, problems=moved)


def check_bank_bytes(raw: bytes, path: str) -> FileReport:
    """Check one bank file's content; problems name ``path``."""
    report = FileReport(bank=None)
    problems = report.problems

    def file_problem(line: int | None, message: str) -> FileReport:
        problems.append(Problem(path, line, None, message))
        return report

    if not raw.strip():
        return file_problem(1, f"file is empty; {_A_BANK_NEEDS}")
    text, issue = decode(raw)
    if issue is not None or text is None:
        assert issue is not None
        problems.append(_problem(path, None, issue))
        return report
    doc, issues = parse(text)
    if doc is None:
        if not issues:
            return file_problem(1, f"file is empty (nothing but comments); {_A_BANK_NEEDS}")
        return _check_unparsed(text, path, issues[0], report)
    data = doc.data
    if not isinstance(data, dict):
        got = "a list" if isinstance(data, list) else f"'{data}'"
        hint = (
            "; put the questions under 'questions:' and add 'bank:' and 'title:'"
            if isinstance(data, list)
            else ""
        )
        return file_problem(
            doc.line_of(()),
            f"the top level must be a mapping (bank, title, questions), got {got}{hint}",
        )

    item_nodes = _question_nodes(doc)
    item_lines = [n.start_mark.line + 1 for n in item_nodes]
    for issue in issues:  # duplicate keys, tags: name the question they fall in
        idx = bisect.bisect_right(item_lines, issue.line or 0) - 1
        qid = _question_id(data, idx) if idx >= 0 and issue.line else None
        problems.append(_problem(path, qid, issue))

    header = _check_header(data, doc, path, problems)
    report.bank_line = doc.line_of(("bank",)) if "bank" in data else None
    raw_questions = data.get("questions")
    valid: list[QuestionBase] = []
    if "questions" not in data:
        if not did_you_mean("questions", [str(k) for k in data]):  # else: "unknown key ..."
            file_problem(doc.line_of(()), "missing key 'questions' (the list of questions)")
    elif not isinstance(raw_questions, list):
        kind = {type(None): "nothing", dict: "a mapping"}.get(type(raw_questions))
        file_problem(
            doc.line_of(("questions",)),
            f"questions must be a list of questions ('- id: ...'), got {kind or repr(raw_questions)}",
        )
    elif not raw_questions:
        file_problem(doc.line_of(("questions",)), "the bank has no questions")
    else:
        seen_ids: dict[str, int] = {}
        for i, (item, node) in enumerate(zip(raw_questions, item_nodes, strict=True)):
            question = _check_question(i, item, node, doc, path, report, seen_ids)
            if question is not None:
                valid.append(question)
    if header is not None:
        report.bank = header.model_copy(update={"questions": tuple(valid)})
    return report


_A_BANK_NEEDS = "a bank needs 'bank:', 'title:' and 'questions:'"


def _problem(path: str, qid: str | None, issue: Issue) -> Problem:
    return Problem(path, issue.line, qid, issue.message, issue.column, issue.excerpt)


def _check_unparsed(text: str, path: str, error: Issue, report: FileReport) -> FileReport:
    """A file that does not parse: its syntax errors, and the problems of what still parses.

    ``recovery.recover`` cuts the file into header and items and says which pieces can be
    trusted (its docstring says why that is honest). When the pieces explain the error, each
    broken piece reports its own syntax error and the whole-file ``error`` is left out; else the
    whole-file error is reported once (naming no question: the cut may not match the mistake)
    and only the pieces before it are checked. The pieces that parse are checked like a file
    that parses, and the bank keeps their valid questions (when its header is valid), so the
    app can still serve them while the author fixes the file.
    """
    recovered = recover(text, error)
    if recovered is None or not recovered.explained:
        report.problems.append(_problem(path, None, error))
    if recovered is None:
        return report
    header: Bank | None = None
    valid: list[QuestionBase] = []
    seen_ids: dict[str, int] = {}
    for piece in recovered.pieces:
        doc = piece.doc
        if piece.index is None:
            for issue in piece.issues:
                report.problems.append(_problem(path, None, issue))
            if doc is not None and isinstance(doc.data, dict):
                header = _check_header(doc.data, doc, path, report.problems)
                report.bank_line = doc.line_of(("bank",)) if "bank" in doc.data else None
            continue
        if doc is None:
            qid = piece.written_id or f"questions[{piece.index}]"
            for issue in piece.issues:
                report.problems.append(_problem(path, qid, issue))
            continue
        item = doc.data[0]
        written = item.get("id") if isinstance(item, dict) else None
        qid = written if isinstance(written, str) and written else f"questions[{piece.index}]"
        for issue in piece.issues:
            report.problems.append(_problem(path, qid, issue))
        node = doc.root.value[0]
        question = _check_question(piece.index, item, node, doc, path, report, seen_ids, base=(0,))
        if question is not None:
            valid.append(question)
    if header is not None:
        report.bank = header.model_copy(update={"questions": tuple(valid)})
    return report


def _question_nodes(doc: Document) -> list[Node]:
    node, walked = doc.node_at(("questions",))
    if walked == 1 and isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _question_id(data: dict[str, Any], index: int) -> str:
    items = data.get("questions")
    item = items[index] if isinstance(items, list) and index < len(items) else None
    qid = item.get("id") if isinstance(item, dict) else None
    return qid if isinstance(qid, str) and qid else f"questions[{index}]"


def _check_header(
    data: dict[str, Any], doc: Document, path: str, problems: list[Problem]
) -> Bank | None:
    header = {k: v for k, v in data.items() if k != "questions"}
    header["questions"] = ()
    try:
        return Bank.model_validate(header)
    except ValidationError as exc:
        for issue in translate_errors(exc.errors(), doc=doc, base=(), root=Bank):
            problems.append(Problem(path, issue.line, None, issue.message))
        return None


def _value_line(node: Node, key: str) -> int:
    """Line of ``key``'s value in a question's mapping node (the question's line if absent)."""
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return int(value_node.start_mark.line) + 1
    return int(node.start_mark.line) + 1


def _check_question(
    index: int,
    item: Any,
    node: Node,
    doc: Document,
    path: str,
    report: FileReport,
    seen_ids: dict[str, int],
    base: tuple[str | int, ...] | None = None,
) -> QuestionBase | None:
    """Check question ``index``; ``base`` is where it sits in ``doc`` (``questions[index]`` by
    default; ``(0,)`` for an item parsed on its own)."""
    base = ("questions", index) if base is None else base
    line = node.start_mark.line + 1
    qid_raw = item.get("id") if isinstance(item, dict) else None
    qid = qid_raw if isinstance(qid_raw, str) and qid_raw else f"questions[{index}]"
    duplicate = False
    if isinstance(qid_raw, str) and qid_raw:
        id_line = _value_line(node, "id")
        first = seen_ids.get(qid_raw)
        if first is None:
            seen_ids[qid_raw] = id_line
            report.ids.append((qid_raw, id_line))
        else:
            duplicate = True
            report.problems.append(
                Problem(
                    path, id_line, qid, f"duplicate id '{qid}' (first defined at {path}:{first})"
                )
            )
    if not isinstance(item, dict):
        report.problems.append(
            Problem(path, line, qid, "a question must be a mapping of keys (- id: ..., type: ...)")
        )
        return None
    try:
        question: QuestionBase = QUESTION_ADAPTER.validate_python(item)
    except ValidationError as exc:
        errors = exc.errors()
        if _use_written_text(errors, item, doc, base):
            try:
                question = QUESTION_ADAPTER.validate_python(item)
            except ValidationError as again:
                errors = again.errors()
            else:
                errors = []
        if errors:
            for issue in translate_errors(errors, doc=doc, base=base, root=None, tagged=True):
                report.problems.append(Problem(path, issue.line, qid, issue.message))
            return None
    findings = check_question(question)
    if findings:
        for loc, message in findings:
            report.problems.append(Problem(path, doc.line_of(base + tuple(loc)), qid, message))
        return None
    if duplicate:
        return None
    report.lines[question.id] = line
    report.info.append(
        QuestionInfo(
            question.id, question.type, question.difficulty, question.tags, question.source
        )
    )
    if question.source is not None:
        report.source_lines[question.id] = _value_line(node, "source")
    return question


def _use_written_text(
    errors: list[Any], item: dict[str, Any], doc: Document, base: tuple[Any, ...]
) -> bool:
    """Where a text was expected but YAML read a number or boolean (``answer: 1.0``), use the text
    as written. Returns True when anything was replaced."""
    changed = False
    for err in errors:
        if (
            err["type"] != "string_type"
            or err.get("input") is None
            or isinstance(err["input"], str)
        ):
            continue
        rel = tuple(err["loc"])[1:]  # drop the type tag
        text = doc.plain_scalar_text(base + rel)
        if text is None and rel and rel[-1] == 0:  # ``answer: 42`` on a fill question
            rel = rel[:-1]
            text = doc.plain_scalar_text(base + rel)
        if text is None or not rel:
            continue
        target: Any = item
        for step in rel[:-1]:
            target = target[step]
        if isinstance(target, dict | list):
            target[rel[-1]] = text
            changed = True
    return changed
