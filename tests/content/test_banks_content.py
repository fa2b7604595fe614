"""The bundled question banks as a whole: size, variety, seed coverage and the coverage table.

These tests count what a learner gets: at least 600 questions in at least 12 banks, every question
type, at least 180 code_output questions that run in the sandbox (see ``runs_in_sandbox``) and 30
misconception questions, difficulties 1 to 5, and every seed section
and syllabus topic of ``questions/seed_sections.yaml`` backed by at least three questions. The
per-bank tests (parametrized by bank id) say which bank falls short. A bank of ``BANK_ORDER`` that
only topics name may be planned but not written yet: its tests are skipped until the file exists.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from grader.bank.loader import LoadedBank, load_banks
from grader.bank.model import QUESTION_TYPES, CodeOutputQuestion
from grader.verify.coverage import (
    BANK_ORDER,
    MIN_QUESTIONS_PER_SECTION,
    read_sections,
    read_topics,
    readme_block,
    render_coverage,
)

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
SECTIONS = read_sections(QUESTIONS)
TOPICS = read_topics(QUESTIONS)
SECTION_IDS = {s.id for s in SECTIONS}
SOURCE_IDS = SECTION_IDS | {t.id for t in TOPICS}


@pytest.fixture(scope="module")
def banks() -> list[LoadedBank]:
    """Every bundled bank; the loader must find no problem at all."""
    result = load_banks([QUESTIONS])
    assert result.ok, "\n".join(str(p) for p in result.problems)
    return result.banks


def _bank(banks: list[LoadedBank], bank_id: str) -> LoadedBank:
    """The bank ``bank_id``; a planned bank (named by topics only) not written yet skips."""
    found = [b for b in banks if b.id == bank_id]
    if not found and all(s.bank != bank_id for s in SECTIONS):
        pytest.skip(f"questions/{bank_id}.yaml is planned (its topics are registered), not written")
    assert found, f"questions/{bank_id}.yaml is missing"
    return found[0]


def _questions(banks: list[LoadedBank]) -> list:
    return [q for b in banks for q in b.questions]


# What a CPU-only sandbox cannot run: worker processes and process groups (DDP, collectives,
# DataLoader workers), torch.compile and TorchDynamo (Inductor needs a compiler; the banks' snippets
# use the eager or a recording backend, which do run, but are not counted), ONNX export and CUDA.
# `grader verify` runs these snippets too; they only do not count towards the code_output minimum.
_NEEDS_MORE_THAN_THE_SANDBOX = re.compile(
    r"multiprocessing|torch\.distributed|num_workers=[1-9]|torch\.compile|torch\._dynamo"
    r"|torch\.onnx|device=[\"']cuda|\.cuda\("
)


def runs_in_sandbox(question: object) -> bool:
    """A code_output question whose snippet needs nothing the sandbox lacks (the issue's count)."""
    return isinstance(question, CodeOutputQuestion) and not _NEEDS_MORE_THAN_THE_SANDBOX.search(
        question.code
    )


@pytest.mark.parametrize("bank_id", BANK_ORDER)
def test_bank_covers_its_seed_sections(banks: list[LoadedBank], bank_id: str) -> None:
    """Each registry section or topic mapped to a bank has at least 3 questions in that bank
    naming it."""
    bank = _bank(banks, bank_id)
    sources = Counter(q.source for q in bank.questions)
    short = {
        entry.id: sources[entry.id]
        for entry in [*SECTIONS, *TOPICS]
        if entry.bank == bank_id and sources[entry.id] < MIN_QUESTIONS_PER_SECTION
    }
    assert not short, f"{bank.path}: sections or topics with too few questions: {short}"


@pytest.mark.parametrize("bank_id", BANK_ORDER)
def test_bank_questions_have_tags_and_registered_sources(
    banks: list[LoadedBank], bank_id: str
) -> None:
    """Every question has tags and a `source` that is a section or topic id of the registry."""
    bank = _bank(banks, bank_id)
    bad = [
        f"{bank.location(q.id)}: {q.id}: source {q.source!r}"
        for q in bank.questions
        if q.source not in SOURCE_IDS
    ]
    untagged = [q.id for q in bank.questions if not q.tags]
    assert not bad, "\n".join(bad)
    assert not untagged, f"questions without tags: {untagged}"


def test_every_registry_section_has_three_questions(banks: list[LoadedBank]) -> None:
    """Over all banks, every seed section, and every topic whose bank exists, is the `source` of
    at least 3 questions."""
    sources = Counter(q.source for q in _questions(banks))
    written = {b.id for b in banks}
    entries = [*SECTIONS, *(t for t in TOPICS if t.bank in written)]
    short = {e.id: sources[e.id] for e in entries if sources[e.id] < MIN_QUESTIONS_PER_SECTION}
    assert not short, f"sections or topics with too few questions: {short}"


def test_every_registry_bank_exists(banks: list[LoadedBank]) -> None:
    """Each bank named by a seed section is a bundled bank; each named by a topic is one of the
    curriculum's banks (``BANK_ORDER``), written or planned."""
    missing = sorted({s.bank for s in SECTIONS} - {b.id for b in banks})
    assert not missing, f"registry sections name banks that do not exist: {missing}"
    unknown = sorted({t.bank for t in TOPICS} - set(BANK_ORDER))
    assert not unknown, f"registry topics name banks outside BANK_ORDER: {unknown}"


def test_every_bundled_bank_is_in_the_curriculum_order(banks: list[LoadedBank]) -> None:
    """Every bundled bank has its place in ``BANK_ORDER`` (the coverage table's order)."""
    unordered = sorted({b.id for b in banks} - set(BANK_ORDER))
    assert not unordered, f"banks missing from BANK_ORDER in grader/verify/coverage.py: {unordered}"


def test_enough_questions_and_banks(banks: list[LoadedBank]) -> None:
    """At least 600 questions spread over at least 12 banks."""
    assert len(banks) >= 12, [b.id for b in banks]
    assert len(_questions(banks)) >= 600, len(_questions(banks))


def test_every_question_type_is_used(banks: list[LoadedBank]) -> None:
    """All eight question types appear in the bundled banks."""
    used = {q.type for q in _questions(banks)}
    assert used == set(QUESTION_TYPES), f"unused types: {set(QUESTION_TYPES) - used}"


def test_enough_code_output_and_misconception_questions(banks: list[LoadedBank]) -> None:
    """At least 180 code_output questions that run in the sandbox (snippets that start processes,
    compile, export to ONNX or need CUDA do not count) and 30 questions tagged `misconception`."""
    questions = _questions(banks)
    runnable = sum(runs_in_sandbox(q) for q in questions)
    assert runnable >= 180, runnable
    assert sum("misconception" in q.tags for q in questions) >= 30


def test_the_sandbox_count_leaves_out_what_the_sandbox_cannot_run(banks: list[LoadedBank]) -> None:
    """The count above really excludes process groups, workers and compile: a DDP snippet, a
    DataLoader with workers and a torch.compile call are not counted; a plain tensor snippet is."""
    by_id = {q.id: q for q in _questions(banks)}
    assert not runs_in_sandbox(by_id["distributed-allreduce-inplace"])
    assert not runs_in_sandbox(by_id["data-loading-iterable-sharding"])
    assert not runs_in_sandbox(by_id["compile-export-recompile-default"])
    assert runs_in_sandbox(by_id["distributed-sampler-strided"])


def test_no_tag_names_the_source_notes(banks: list[LoadedBank]) -> None:
    """Learners see tags in the app's filter, so none may refer to the notes the course was
    written from (``seed-error``); PyTorch's own seeding vocabulary (``seeding``) stays legal."""
    bad = sorted(
        {
            f"{q.id}: {tag}"
            for q in _questions(banks)
            for tag in q.tags
            if tag.startswith("seed") and tag not in {"seeding", "seeds"}
        }
    )
    assert not bad, f"tags that cite the source notes: {bad}"


def test_difficulties_span_one_to_five(banks: list[LoadedBank]) -> None:
    """Every difficulty level from 1 to 5 is used."""
    assert {q.difficulty for q in _questions(banks)} == {1, 2, 3, 4, 5}


def test_coverage_table_is_current(banks: list[LoadedBank]) -> None:
    """questions/README.md holds the coverage table the banks produce today."""
    expected = render_coverage(QUESTIONS, banks)
    current = readme_block((QUESTIONS / "README.md").read_text(encoding="utf-8"))
    assert current == expected, (
        "the coverage table in questions/README.md is stale or missing; "
        "run `python -m grader.verify.coverage --write`"
    )
