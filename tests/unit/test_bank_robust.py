"""Validation never crashes: mangled banks come back as problems, never as a traceback."""

from __future__ import annotations

import random
from pathlib import Path

import grader.bank
from grader.bank.bankfile import check_bank_bytes

GOOD = Path(__file__).resolve().parents[1] / "data" / "banks" / "good" / "questions"
JUNK = [
    "",
    "  - 1",
    "    answer: [1, x]",
    "    answer: {a: 1}",
    "    type: multiple",
    "    options: 3",
    "      - {zh: , en: }",
    "\t",
    "  - id: [a]",
    "    true: 1",
    "    1: x",
    "    prompt: null",
    "questions: 5",
    "bank: [x]",
    "    answer: !!binary aGVsbG8=",
    "    answer: .nan",
    "    tolerance: .inf",
    "    regex: '['",
    "    difficulty: 2.5",
    "    tags: tag",
    "    key_points: []",
    "    <<: {a: 1}",
    "&a [*a]",
]


def test_mangled_banks_never_raise() -> None:
    """300 random mutations of a valid bank: every outcome is a report, every problem prints."""
    lines = (GOOD / "all_types.yaml").read_text(encoding="utf-8").splitlines()
    rng = random.Random(20240601)
    for _ in range(300):
        mutated = list(lines)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(mutated))
            op = rng.random()
            if op < 0.3:
                del mutated[i]
            elif op < 0.6:
                mutated.insert(i, rng.choice(JUNK))
            elif op < 0.8:
                mutated[i] = mutated[i].replace(":", "", 1)
            else:
                mutated[i] = " " * rng.randint(0, 6) + mutated[i].lstrip()
        report = check_bank_bytes("\n".join(mutated).encode(), "bank.yaml")
        for problem in report.problems:
            assert str(problem).startswith("bank.yaml")
            assert problem.line is None or 1 <= problem.line <= len(mutated)


def test_binary_garbage_is_a_problem() -> None:
    """Random bytes are reported as not UTF-8 (or a YAML error), not a crash."""
    rng = random.Random(7)
    for _ in range(20):
        report = check_bank_bytes(bytes(rng.randrange(256) for _ in range(200)), "x.yaml")
        assert report.problems and report.bank is None


def test_package_exports_resolve() -> None:
    """Every name grader.bank exports lazily can be imported."""
    for name in grader.bank.__all__:
        assert getattr(grader.bank, name) is not None
