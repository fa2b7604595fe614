"""Provides the exam spec (``SPEC.yaml``): what ``grader exam build`` draws, read with file:line
errors.

::

    exam: midterm-2026          # the exam's id (letters, digits, dashes)
    title: {zh: 期中考试, en: Midterm}
    seed: 7f3c9a0e5b2d4c1f8a6e  # optional secret, kept in the key only; best left out
                                # (a 32-hex one is drawn then): see seed_bits
    time_limit: 45m             # per student, from when they open the file
    deadline: 2026-12-08T10:00:00+00:00   # optional wall-clock end for everyone
    same_questions: true        # false: each student gets their own draw
    draw:
      - bank: autograd          # a bank, a tag, or both
        count: 3
        difficulty: [1, 2]      # optional: only these difficulties
      - tag: broadcasting
        count: 2
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from grader.errors import UsageError, did_you_mean
from grader.i18n import Text, default_lang, say

__all__ = [
    "MIN_SEED_LENGTH",
    "WEAK_SEED_BITS",
    "Draw",
    "ExamSpec",
    "SpecError",
    "load_spec",
    "seed_bits",
]

MIN_SEED_LENGTH = 16
"""A shorter seed could be guessed by trying every value against a student's file."""
WEAK_SEED_BITS = 64
"""``grader exam build`` warns about a seed of fewer estimated bits (:func:`seed_bits`): with
the public templates a student can try guesses offline, as fast as their computer goes."""
_WORD_BITS = 12.9
"""One word of a 7,776-word list (a diceware passphrase's): log2(7776)."""


def seed_bits(seed: str) -> float:
    """A rough, deliberately low estimate of how many bits of guessing ``seed`` takes.

    A character repeated in a row counts once. A hex string (``0-9a-f`` with letters and
    digits, as ``secrets.token_hex`` writes) counts 4 bits a character. Anything else is cut
    into runs of letters, of digits and of other characters, as a person writes a memorable
    secret: a run of letters in one case (or capitalised, or without case, as Chinese) counts
    as a word (4.7 bits a letter, at most 12.9: one word of a 7,776-word list, as in a diceware
    passphrase), a run of mixed case 5.7 bits a letter, a digit 3.3 bits, any other character 1 bit (a separator). So
    ``midterm-2026-secret`` is about 41 bits, ``correct-horse-battery-staple`` 55, a 32-hex
    secret 128.
    """
    import math
    import re

    seed = re.sub(r"(.)\1+", r"\1", seed)
    if re.fullmatch(r"[0-9a-f]+", seed) and re.search(r"\d", seed) and re.search(r"[a-f]", seed):
        return 4.0 * len(seed)
    bits = 0.0
    for run in re.findall(r"[^\W\d_]+|\d+|[\W_]+", seed):
        if run[0].isdigit():
            bits += len(run) * math.log2(10)
        elif not run[0].isalpha():
            bits += len(run)
        elif run in (run.lower(), run.upper()) or run.istitle():  # Chinese has no case
            bits += min(len(run) * math.log2(26), _WORD_BITS)
        else:
            bits += len(run) * math.log2(52)
    return bits


class SpecError(UsageError):
    """A spec that cannot be used; the message starts with ``file:line:``."""


@dataclass(frozen=True)
class Draw:
    """One line of ``draw:``: ``count`` questions from a bank and/or a tag."""

    count: int
    bank: str | None = None
    tag: str | None = None
    difficulty: tuple[int, ...] = ()
    line: int = 0


@dataclass(frozen=True)
class ExamSpec:
    """A parsed ``SPEC.yaml``."""

    exam: str
    seed: str | None
    draws: tuple[Draw, ...]
    seed_line: int = 0
    """The line of ``seed:`` in the spec (0 without one)."""
    title: Text | None = None
    time_limit_s: float | None = None
    deadline: datetime | None = None
    same_questions: bool = True
    path: Path = field(default=Path("SPEC.yaml"))


def _at(where: str, node: Node) -> str:
    """``file:line`` of ``node``."""
    return f"{where}:{node.start_mark.line + 1}"


_A_KEY = Text(zh="键", en="a key")
_THE_SPEC = Text(zh="考试配置", en="the spec")
_A_DRAW = Text(zh="一行抽题", en="a draw")
_NOT_SCALAR = Text(zh="{at}：{what} 必须是单个值", en="{at}: {what} must be a single value")
_NOT_MAPPING = Text(
    zh="{at}：{what} 必须是映射（键: 值）", en="{at}: {what} must be a mapping (key: value)"
)
_TWICE = Text(zh="{at}：'{name}' 出现了两次", en="{at}: '{name}' is given twice")
_NOT_INT = Text(
    zh="{at}：{what} 必须是整数，而不是 {text!r}",
    en="{at}: {what} must be a whole number, not {text!r}",
)
_TOO_LOW = Text(zh="{at}：{what} 至少为 {low}", en="{at}: {what} must be at least {low}")
_UNREADABLE = Text(zh="{at}：无法读取考试配置：{why}", en="{at}: cannot read the spec: {why}")
_NOT_YAML = Text(zh="{at}：不是有效的 YAML：{problem}", en="{at}: not valid YAML: {problem}")
_EMPTY = Text(zh="{at}：考试配置是空的", en="{at}: the spec is empty")
_UNKNOWN_TOP = Text(
    zh="{at}：未知的键 '{key}'{hint}；考试配置可用的键：{keys}",
    en="{at}: unknown key '{key}'{hint}; a spec has {keys}",
)
_MISSING = Text(zh="{at}：缺少 '{key}'", en="{at}: '{key}' is missing")
_BAD_EXAM_ID = Text(
    zh="{at}：考试 id {exam!r} 只能包含字母、数字、'-' 和 '_'",
    en="{at}: exam id {exam!r} may hold only letters, digits, '-' and '_'",
)
_SHORT_SEED = Text(
    zh="{at}：seed 只有 {n} 个字符；至少需要 {least} 个（短的 seed 可以对照学生的考试文件逐个尝试找出），"
    "或者删去它，届时会生成一个新的",
    en="{at}: the seed has {n} characters; use at least {least} (a short seed can be found by "
    "trying every value against a student's exam file), or leave it out to draw a fresh one",
)
_BAD_TITLE = Text(
    zh="{at}：title 的格式是 {{zh: ..., en: ...}}", en="{at}: title is {{zh: ..., en: ...}}"
)
_BAD_LIMIT = Text(zh="{at}：time_limit：{why}", en="{at}: time_limit: {why}")
_BAD_DEADLINE = Text(
    zh="{at}：deadline {text!r} 必须是带 UTC 偏移的 ISO 时间，例如 2026-12-08T10:00:00+00:00",
    en="{at}: deadline {text!r} must be an ISO time with its UTC offset, e.g. "
    "2026-12-08T10:00:00+00:00",
)
_BAD_SAME = Text(
    zh="{at}：same_questions 只能是 true 或 false", en="{at}: same_questions is true or false"
)
_BAD_DRAW = Text(
    zh="{at}：draw 必须是一个列表，每项形如 {{bank: ..., tag: ..., count: N}}",
    en="{at}: draw must be a list of {{bank: ..., tag: ..., count: N}}",
)
_UNKNOWN_DRAW = Text(
    zh="{at}：抽题行中未知的键 '{key}'{hint}；抽题行可用的键：{keys}",
    en="{at}: unknown key '{key}' in a draw{hint}; a draw has {keys}",
)
_NO_COUNT = Text(zh="{at}：这一行抽题没有 count", en="{at}: this draw has no count")
_NO_BANK_OR_TAG = Text(
    zh="{at}：这一行抽题既没有 bank 也没有 tag", en="{at}: this draw names neither a bank nor a tag"
)
_BAD_DIFFICULTY = Text(
    zh="{at}：difficulty 的范围是 1 到 5", en="{at}: difficulty runs from 1 to 5"
)


def _scalar(node: Node, where: str, what: str) -> str:
    if not isinstance(node, ScalarNode):
        raise SpecError(say(_NOT_SCALAR, at=_at(where, node), what=what))
    return str(node.value)


def _mapping(node: Node, where: str, what: str) -> dict[str, Node]:
    if not isinstance(node, MappingNode):
        raise SpecError(say(_NOT_MAPPING, at=_at(where, node), what=what))
    out: dict[str, Node] = {}
    for key, value in node.value:
        name = _scalar(key, where, say(_A_KEY))
        if name in out:
            raise SpecError(say(_TWICE, at=_at(where, key), name=name))
        out[name] = value
    return out


def _int(node: Node, where: str, what: str, low: int = 1) -> int:
    text = _scalar(node, where, what)
    try:
        value = int(text)
    except ValueError:
        raise SpecError(say(_NOT_INT, at=_at(where, node), what=what, text=text)) from None
    if value < low:
        raise SpecError(say(_TOO_LOW, at=_at(where, node), what=what, low=low))
    return value


TOP_KEYS = ("exam", "title", "seed", "time_limit", "deadline", "same_questions", "draw")
DRAW_KEYS = ("bank", "tag", "count", "difficulty")


def load_spec(path: Path) -> ExamSpec:
    """Read ``path``.

    Raises:
        SpecError: unreadable YAML, an unknown key, a missing or wrong value (``file:line:``).
    """
    from grader.study.duration import parse_duration

    where = str(path)
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError(say(_UNREADABLE, at=where, why=exc.strerror)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", exc)
        raise SpecError(say(_NOT_YAML, at=f"{where}{line}", problem=problem)) from None
    if root is None:
        raise SpecError(say(_EMPTY, at=f"{where}:1"))
    top = _mapping(root, where, say(_THE_SPEC))
    for key, node in top.items():
        if key not in TOP_KEYS:
            raise SpecError(
                say(
                    _UNKNOWN_TOP,
                    at=_at(where, node),
                    key=key,
                    hint=did_you_mean(key, TOP_KEYS, default_lang()),
                    keys=", ".join(TOP_KEYS),
                )
            )
    for key in ("exam", "draw"):
        if key not in top:
            raise SpecError(say(_MISSING, at=f"{where}:1", key=key))
    exam = _scalar(top["exam"], where, "exam")
    import re

    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", exam):
        raise SpecError(say(_BAD_EXAM_ID, at=_at(where, top["exam"]), exam=exam))
    seed: str | None = None
    if "seed" in top:
        seed = _scalar(top["seed"], where, "seed")
        if len(seed) < MIN_SEED_LENGTH:
            raise SpecError(
                say(_SHORT_SEED, at=_at(where, top["seed"]), n=len(seed), least=MIN_SEED_LENGTH)
            )
    title: Text | None = None
    if "title" in top:
        raw = _mapping(top["title"], where, "title")
        if set(raw) != {"zh", "en"}:
            raise SpecError(say(_BAD_TITLE, at=_at(where, top["title"])))
        title = Text(
            zh=_scalar(raw["zh"], where, "title.zh"), en=_scalar(raw["en"], where, "title.en")
        )
    time_limit_s: float | None = None
    if "time_limit" in top:
        text = _scalar(top["time_limit"], where, "time_limit")
        try:
            time_limit_s = float(parse_duration(text))
        except ValueError as exc:
            raise SpecError(say(_BAD_LIMIT, at=_at(where, top["time_limit"]), why=exc)) from None
    deadline: datetime | None = None
    if "deadline" in top:
        text = _scalar(top["deadline"], where, "deadline")
        try:
            deadline = datetime.fromisoformat(text)
        except ValueError:
            deadline = None
        if deadline is None or deadline.tzinfo is None:
            raise SpecError(say(_BAD_DEADLINE, at=_at(where, top["deadline"]), text=text))
    same = True
    if "same_questions" in top:
        text = _scalar(top["same_questions"], where, "same_questions").lower()
        if text not in ("true", "false"):
            raise SpecError(say(_BAD_SAME, at=_at(where, top["same_questions"])))
        same = text == "true"
    draw_node = top["draw"]
    if not isinstance(draw_node, SequenceNode) or not draw_node.value:
        raise SpecError(say(_BAD_DRAW, at=_at(where, draw_node)))
    draws = []
    for node in draw_node.value:
        line = node.start_mark.line + 1
        entry = _mapping(node, where, say(_A_DRAW))
        for key, value in entry.items():
            if key not in DRAW_KEYS:
                raise SpecError(
                    say(
                        _UNKNOWN_DRAW,
                        at=_at(where, value),
                        key=key,
                        hint=did_you_mean(key, DRAW_KEYS, default_lang()),
                        keys=", ".join(DRAW_KEYS),
                    )
                )
        if "count" not in entry:
            raise SpecError(say(_NO_COUNT, at=f"{where}:{line}"))
        if "bank" not in entry and "tag" not in entry:
            raise SpecError(say(_NO_BANK_OR_TAG, at=f"{where}:{line}"))
        difficulty: tuple[int, ...] = ()
        if "difficulty" in entry:
            dnode = entry["difficulty"]
            items = dnode.value if isinstance(dnode, SequenceNode) else [dnode]
            difficulty = tuple(_int(d, where, "difficulty") for d in items)
            bad = [d for d in difficulty if d > 5]
            if bad:
                raise SpecError(say(_BAD_DIFFICULTY, at=_at(where, dnode)))
        draws.append(
            Draw(
                count=_int(entry["count"], where, "count"),
                bank=_scalar(entry["bank"], where, "bank") if "bank" in entry else None,
                tag=_scalar(entry["tag"], where, "tag") if "tag" in entry else None,
                difficulty=difficulty,
                line=line,
            )
        )
    return ExamSpec(
        exam=exam,
        seed=seed,
        draws=tuple(draws),
        seed_line=top["seed"].start_mark.line + 1 if "seed" in top else 0,
        title=title,
        time_limit_s=time_limit_s,
        deadline=deadline,
        same_questions=same,
        path=path,
    )


def spec_summary(spec: ExamSpec) -> dict[str, Any]:
    """The spec as JSON data (for the key)."""
    return {
        "exam": spec.exam,
        "time_limit_s": spec.time_limit_s,
        "deadline": spec.deadline.isoformat() if spec.deadline else None,
        "same_questions": spec.same_questions,
        "draw": [
            {"bank": d.bank, "tag": d.tag, "count": d.count, "difficulty": list(d.difficulty)}
            for d in spec.draws
        ],
    }
