"""Provides ``grader exam build``: per-student exam files and the instructor's key.

Every random choice comes from ``random.Random`` seeded with an HMAC-SHA256 of the spec's secret
seed and a label (``questions`` for the shared draw, ``student:<id>`` for one student's orders),
so a build is reproducible from the seed, and a student who knows their own id and every public
bank still cannot recompute another order without the seed (which is only in the key).

A parametrised question of the course (``questions/generated/``, ``grader.bank.params``) is
drawn like any other, and each student gets an instance of their own: its seed is
``derive_seed(student id, question id, exam label)``, the derivation the quiz uses, where the
exam label is the exam id and a tag of the secret seed (so nobody can compute a student's
numbers from the public exam id). The instances are computed here, at build time, by running
the rendered code in the sandboxed runner ``grader verify`` uses (``grader.verify.params``);
the student's file gets the rendered question without its answer, and the key gets each
student's seed and computed instance, which ``grader exam grade`` grades that student against.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import hmac
import json
import random
import re
import secrets
import shlex
import shutil
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.bank.model import (
    CodeOutputQuestion,
    MultipleQuestion,
    OrderQuestion,
    QuestionBase,
    SingleQuestion,
)
from grader.bank.params import Template, derive_seed, placeholders
from grader.errors import UsageError, did_you_mean
from grader.exam.spec import ExamSpec, spec_summary
from grader.exam.student_file import EXAM_FORMAT, FORMAT_VERSION
from grader.i18n import Text, default_lang, say
from grader.study.content import Catalog

if TYPE_CHECKING:
    from grader.verify.params import Instance

__all__ = [
    "KEY_FORMAT",
    "BuildResult",
    "Generated",
    "build_exam",
    "read_generated",
    "read_roster",
    "student_item",
]

KEY_FORMAT = "torch-grader-exam-key"
SHARED_STUDENT = "class"
"""The student id of the one shared file written when there is no roster."""


@dataclass(frozen=True)
class BuildResult:
    key_path: Path
    student_files: list[Path]
    item_count: int
    drawn: tuple[QuestionBase | Template, ...] = ()
    """Every question drawn (for any student), once, in item order."""


def _rng(seed: str, label: str) -> random.Random:
    digest = hmac.new(seed.encode(), label.encode(), hashlib.sha256).digest()
    return random.Random(int.from_bytes(digest, "big"))


def read_roster(path: Path) -> list[tuple[str, str]]:
    """``(student id, name)`` rows of a roster CSV with a ``student`` (or ``id``) column and an
    optional ``name`` column.

    Raises:
        UsageError: unreadable, no id column, a blank, unsafe or repeated id (``file:line``).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise UsageError(say(_ROSTER_UNREADABLE, at=path, why=exc.strerror)) from None
    reader = csv.DictReader(text.splitlines())
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    column = next((f for f in ("student", "id") if f in fields), None)
    if column is None:
        raise UsageError(say(_ROSTER_NO_COLUMN, at=f"{path}:1"))
    original = (reader.fieldnames or [])[fields.index(column)]
    name_col = next(
        (n for n, f in zip(reader.fieldnames or [], fields, strict=True) if f == "name"), None
    )
    rows: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(reader, start=2):
        sid = (row.get(original) or "").strip()
        if not sid:
            raise UsageError(say(_ROSTER_BLANK, at=f"{path}:{number}"))
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", sid):
            raise UsageError(say(_ROSTER_UNSAFE, at=f"{path}:{number}", sid=sid))
        if sid in seen:
            raise UsageError(say(_ROSTER_AGAIN, at=f"{path}:{number}", sid=sid, line=seen[sid]))
        seen[sid] = number
        rows.append((sid, (row.get(name_col) or "").strip() if name_col else ""))
    if not rows:
        raise UsageError(say(_ROSTER_EMPTY, at=path))
    return rows


_ROSTER_UNREADABLE = Text(zh="{at}：无法读取名单：{why}", en="{at}: cannot read the roster: {why}")
_ROSTER_NO_COLUMN = Text(
    zh="{at}：名单需要一列 'student'（或 'id'）",
    en="{at}: the roster needs a 'student' (or 'id') column",
)
_ROSTER_BLANK = Text(zh="{at}：学生 id 是空的", en="{at}: the student id is blank")
_ROSTER_UNSAFE = Text(
    zh="{at}：学生 id {sid!r} 会成为文件名：只能用字母、数字、'.'、'-' 和 '_'",
    en="{at}: student id {sid!r} becomes a file name: use letters, digits, '.', '-' and '_'",
)
_ROSTER_AGAIN = Text(
    zh="{at}：学生 {sid!r} 已经在第 {line} 行", en="{at}: student {sid!r} is already on line {line}"
)
_ROSTER_EMPTY = Text(zh="{at}：名单上没有学生", en="{at}: the roster lists no student")
_NOT_COMPUTED = Text(zh="它没有被计算出来", en="it was not computed")
_INSTANCE_FAILED = Text(
    zh="{at}：参数化题目 '{id}'：学生 {sid!r} 的实例（随机种子 {seed}）失败：{why}"
    "（复现：grader show {id} --seed {seed}{course}）",
    en="{at}: parametrised question '{id}': the instance of student {sid!r} (seed {seed}) "
    "failed: {why} (reproduce: grader show {id} --seed {seed}{course})",
)


@dataclass(frozen=True)
class Generated:
    """The parametrised questions of the course, each with the id of its bank."""

    templates: tuple[tuple[str, Template], ...] = ()
    files: tuple[tuple[str, str], ...] = ()
    """(question id, the file it is written in), for messages."""

    def where(self, question_id: str) -> str:
        """``file:line`` of a parametrised question (its id when the file is not known)."""
        path = dict(self.files).get(question_id)
        line = next((t.line for _, t in self.templates if t.id == question_id), None)
        return f"{path}:{line}" if path and line else question_id

    @property
    def bank_ids(self) -> list[str]:
        return sorted({bank for bank, _ in self.templates})

    def select(self, bank: str | None, tag: str | None) -> list[Template]:
        return [
            t
            for b, t in self.templates
            if (bank is None or b == bank) and (tag is None or tag in t.fields.get("tags", ()))
        ]

    def bank_of(self, question_id: str) -> str:
        return next(b for b, t in self.templates if t.id == question_id)

    @property
    def tags(self) -> list[str]:
        """Every tag of a parametrised question, sorted."""
        return sorted({str(tag) for _, t in self.templates for tag in t.fields.get("tags", ())})


def read_generated(questions: Path) -> tuple[Generated, list[str]]:
    """The parametrised questions of a course's questions folder (``generated/``), and the
    problems (``file:line: id: message``) that left some of them out (``grader validate``
    reports them too)."""
    from grader.bank.params import load_templates, template_files

    found: list[tuple[str, Template]] = []
    files: list[tuple[str, str]] = []
    problems: list[str] = []
    for path in template_files(questions):
        loaded = load_templates(path, sample=False)
        problems += [str(p) for p in loaded.problems]
        found += [(str(loaded.bank), t) for t in loaded.templates]
        files += [(t.id, str(path)) for t in loaded.templates]
    return Generated(tuple(found), tuple(files)), problems


Drawn = QuestionBase | Template
"""A drawn question: a question of a bank, or a parametrised question (one instance per
student)."""


def _draw(
    spec: ExamSpec, catalog: Catalog, rng: random.Random, generated: Generated
) -> list[Drawn]:
    chosen: list[Drawn] = []
    taken: set[str] = set()
    banks = sorted({*catalog.bank_ids, *generated.bank_ids})
    tags = sorted({*catalog.tags, *generated.tags})
    for draw in spec.draws:
        where = f"{spec.path}:{draw.line}"
        if draw.bank is not None and draw.bank not in banks:
            raise UsageError(
                say(
                    _NO_BANK,
                    where=where,
                    bank=draw.bank,
                    known=", ".join(banks),
                    hint=did_you_mean(draw.bank, banks, default_lang()),
                )
            )
        if draw.tag is not None and draw.tag not in tags:
            raise UsageError(
                say(
                    _NO_TAG,
                    where=where,
                    tag=draw.tag,
                    known=", ".join(tags) or "-",
                    hint=did_you_mean(draw.tag, tags, default_lang()),
                )
            )
        candidates: list[Drawn] = [
            *catalog.select([draw.bank] if draw.bank else (), [draw.tag] if draw.tag else ()),
            *generated.select(draw.bank, draw.tag),
        ]
        pool = [
            q
            for q in candidates
            if q.id not in taken and (not draw.difficulty or _difficulty(q) in draw.difficulty)
        ]
        if len(pool) < draw.count:
            raise UsageError(say(_TOO_FEW, where=where, count=draw.count, found=len(pool)))
        picked = rng.sample(sorted(pool, key=lambda q: q.id), draw.count)
        chosen.extend(picked)
        taken.update(q.id for q in picked)
    return chosen


_NO_BANK = Text(
    zh="{where}：课程中没有题库 '{bank}'{hint}（已有：{known}）",
    en="{where}: no bank '{bank}' in the course{hint} (it has: {known})",
)
_NO_TAG = Text(
    zh="{where}：课程中没有题目带标签 '{tag}'{hint}（已有的标签：{known}）",
    en="{where}: no question of the course has the tag '{tag}'{hint} (its tags: {known})",
)
_TOO_FEW = Text(
    zh="{where}：这一行要抽 {count} 道题，但只有 {found} 道符合（不算上面已抽到的）",
    en="{where}: this draw asks for {count} question(s) but only {found} match "
    "(not counting those drawn above)",
)


def _difficulty(question: Drawn) -> int:
    if isinstance(question, Template):
        return int(question.fields.get("difficulty", 0))
    return question.difficulty


def exam_label(spec: ExamSpec, seed: str) -> str:
    """The third value of a student's ``derive_seed`` in this exam: the exam id and a tag of
    the secret seed."""
    tag = hmac.new(seed.encode(), b"params", hashlib.sha256).hexdigest()[:16]
    return f"exam:{spec.exam}:{tag}"


def _cited_hints(template: Template) -> set[int]:
    """Indices (in ``all_hints`` order) of the hints that cite a computed value (the answer or a
    ``computed`` name): they give the answer away, so a student file leaves them out."""
    computed = {"answer", *template.computed}
    raw = template.fields.get("hints") or (
        [template.fields["hint"]] if template.fields.get("hint") else []
    )
    cited = set()
    for index, hint in enumerate(raw):
        texts = [hint.get(lang, "") for lang in ("zh", "en")] if isinstance(hint, dict) else []
        if any(computed & set(placeholders(str(text))) for text in texts):
            cited.add(index)
    return cited


def _option_order(question: QuestionBase, rng: random.Random) -> list[int] | None:
    options = getattr(question, "options", None)
    if not options:
        return None
    order = list(range(len(options)))
    if isinstance(question, SingleQuestion | MultipleQuestion) and not question.shuffle:
        return order
    if isinstance(question, OrderQuestion):
        # Written in the right order: the order shown must never be the answer itself.
        while order == sorted(order):
            rng.shuffle(order)
        return order
    rng.shuffle(order)
    return order


def _text(value: Any) -> dict[str, str]:
    return {"zh": value.zh, "en": value.en}


def student_item(
    label: str,
    question: QuestionBase,
    order: list[int] | None,
    left_out: Collection[int] = (),
) -> dict[str, Any]:
    """What a student file holds of one question (``student_file.STUDENT_KEYS``): no answer,
    explanation, tolerance, accepted answers, reference or hint that gives the answer away
    (nor the hints at the indices ``left_out``)."""
    item: dict[str, Any] = {
        "item": label,
        "type": question.type,
        "prompt": _text(question.prompt),
        "points": question.points,
    }
    options = getattr(question, "options", None)
    if options and order is not None:
        if isinstance(question, CodeOutputQuestion):
            item["options"] = [options[i] for i in order]
        else:
            item["options"] = [_text(options[i]) for i in order]
    if isinstance(question, CodeOutputQuestion):
        item["code"] = question.code
    hints = [
        _text(h) for i, h in enumerate(question.all_hints) if not h.gives_away and i not in left_out
    ]
    if hints:
        item["hints"] = hints
    return item


Compute = Callable[[Sequence[tuple[Template, int]]], "list[Instance]"]


def _compute(pairs: Sequence[tuple[Template, int]]) -> list[Instance]:
    """The instances of ``pairs``, computed in ONE warm sandboxed runner (``grader verify``'s)."""
    from grader.verify.params import compute_pairs

    return compute_pairs(pairs, path="questions/generated")


def build_exam(
    spec: ExamSpec,
    catalog: Catalog,
    out: Path,
    roster: list[tuple[str, str]] | None,
    *,
    now: datetime | None = None,
    generated: Generated | None = None,
    compute: Compute = _compute,
) -> BuildResult:
    """Draw the exam and write ``out/<student>.exam`` per roster row (or ``out/class.exam``)
    and ``out/key.json``; a parametrised question of ``generated`` gets one instance per
    student, computed by ``compute``.

    ``out`` must not exist or be empty. The files are written into a new sibling folder and
    moved into ``out`` only once all are written, so a build that fails leaves nothing behind
    (no ``out``, no parent folder it created, no partial file); a folder the user already had
    is kept.

    Raises:
        UsageError: ``out`` holds files, a draw the course cannot meet, or an instance whose
            code fails.
    """
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(say(_OUT_NOT_EMPTY, out=out))
    created = [p for p in (out.parent, *out.parent.parents) if not p.exists()]
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.partial-{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        result = _write_exam(spec, catalog, staging, roster, now, generated, compute)
        if out.exists():  # the user's own empty folder: keep it, move the files in
            for path in staging.iterdir():
                path.replace(out / path.name)
            staging.rmdir()
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in created:  # innermost first
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return BuildResult(
        key_path=out / result.key_path.name,
        student_files=[out / p.name for p in result.student_files],
        item_count=result.item_count,
        drawn=result.drawn,
    )


_OUT_NOT_EMPTY = Text(
    zh="{out} 已存在且不是空文件夹：请换一个新的 --out 文件夹（或先清空它），以免覆盖或混入上一次生成的文件",
    en="{out} already exists and is not empty: give a new --out folder (or empty this one), so "
    "no file of an earlier build is overwritten or mixed in",
)


def _write_exam(
    spec: ExamSpec,
    catalog: Catalog,
    out: Path,
    roster: list[tuple[str, str]] | None,
    now: datetime | None,
    generated: Generated | None,
    compute: Compute,
) -> BuildResult:
    """:func:`build_exam` into ``out``, a new empty folder."""
    now = now or datetime.now(UTC)
    seed = spec.seed or secrets.token_hex(16)
    generated = generated or Generated()
    students = roster or [(SHARED_STUDENT, "")]
    shared = (
        _draw(spec, catalog, _rng(seed, "questions"), generated) if spec.same_questions else None
    )
    labels: dict[str, str] = {}
    questions: dict[str, Drawn] = {}

    def label_of(question: Drawn) -> str:
        if question.id not in labels:
            labels[question.id] = f"Q{len(labels) + 1:02d}"
            questions[labels[question.id]] = question
        return labels[question.id]

    for question in shared or ():
        label_of(question)
    attempt = exam_label(spec, seed)
    draws: list[tuple[str, str, random.Random, list[Drawn]]] = []
    for sid, name in students:
        rng = _rng(seed, f"student:{sid}")
        drawn = list(shared) if shared is not None else _draw(spec, catalog, rng, generated)
        rng.shuffle(drawn)
        draws.append((sid, name, rng, drawn))
    pairs = [
        (q, derive_seed(sid, q.id, attempt))
        for sid, _, _, drawn in draws
        for q in drawn
        if isinstance(q, Template)
    ]
    instances = {(i.template.id, i.seed): i for i in compute(pairs)} if pairs else {}
    shown: dict[str, QuestionBase] = {}  # one instance of each parametrised item, for the key
    key_students: dict[str, Any] = {}
    files: list[Path] = []
    for sid, name, rng, drawn in draws:
        items = []
        key_items = []
        for drawn_question in drawn:
            label = label_of(drawn_question)
            entry: dict[str, Any] = {"item": label}
            left_out: set[int] = set()
            if isinstance(drawn_question, Template):
                instance_seed = derive_seed(sid, drawn_question.id, attempt)
                instance = instances.get((drawn_question.id, instance_seed))
                if instance is None or instance.question is None:
                    why = instance.problem if instance is not None else say(_NOT_COMPUTED)
                    course = (
                        f" --course {shlex.quote(str(catalog.course.root))}"
                        if catalog.course is not None and not catalog.course.bundled
                        else ""
                    )
                    raise UsageError(
                        say(
                            _INSTANCE_FAILED,
                            at=generated.where(drawn_question.id),
                            id=drawn_question.id,
                            sid=sid,
                            seed=instance_seed,
                            why=why,
                            course=course,
                        )
                    )
                question = instance.question
                shown.setdefault(label, question)
                left_out = _cited_hints(drawn_question)
                entry["seed"] = instance_seed
                entry["question"] = question.model_dump(mode="json", exclude_defaults=False)
            else:
                question = drawn_question
            order = _option_order(question, rng)
            items.append(student_item(label, question, order, left_out))
            key_items.append({**entry, "order": order})
        deadline = spec.deadline
        document = {
            "format": EXAM_FORMAT,
            "format_version": FORMAT_VERSION,
            "exam_id": spec.exam,
            "student": sid,
            "name": name,
            "title": _text(spec.title) if spec.title else None,
            "time_limit_s": spec.time_limit_s,
            "deadline": deadline.isoformat() if deadline else None,
            "items": items,
        }
        path = out / f"{sid}.exam"
        path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        files.append(path)
        key_students[sid] = {"name": name, "file": path.name, "items": key_items}
    key = {
        "format": KEY_FORMAT,
        "format_version": FORMAT_VERSION,
        "exam_id": spec.exam,
        "seed": seed,
        "built_at": now.isoformat(),
        "spec": spec_summary(spec),
        "course": str(catalog.course.root) if catalog.course else None,
        "questions": {
            label: _key_question(catalog, generated, q, shown) for label, q in questions.items()
        },
        "students": key_students,
    }
    key_path = out / "key.json"
    key_path.write_text(json.dumps(key, ensure_ascii=False, indent=1), encoding="utf-8")
    return BuildResult(
        key_path=key_path,
        student_files=files,
        item_count=len(questions),
        drawn=tuple(questions.values()),
    )


def _key_question(
    catalog: Catalog, generated: Generated, question: Drawn, shown: dict[str, QuestionBase]
) -> dict[str, Any]:
    """The key's entry of one item: its question; for a parametrised one, its bank, the
    template's id and one student's instance (its type and points: each student's own instance
    is in their entry of ``students``)."""
    if isinstance(question, Template):
        label = next(k for k, q in shown.items() if q.id == question.id)
        return {
            "id": question.id,
            "bank": generated.bank_of(question.id),
            "parametrised": True,
            "question": shown[label].model_dump(mode="json", exclude_defaults=False),
        }
    return {
        "id": question.id,
        "bank": catalog.bank_of(question.id),
        "question": question.model_dump(mode="json", exclude_defaults=False),
    }
