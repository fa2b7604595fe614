"""`python -m grader.verify.coverage` keeps the coverage block of a questions README current."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.verify.coverage import END, START, main, readme_block, render_coverage, replace_block

COURSE = Path(__file__).resolve().parent / "fixtures" / "coverage_course"


@pytest.fixture()
def course(tmp_path: Path) -> Path:
    """A private copy of the one-bank fixture course (its README has no coverage block yet)."""
    target = tmp_path / "questions"
    shutil.copytree(COURSE, target)
    return target


def test_render_counts_questions_per_bank_and_section() -> None:
    """The block lists the bank's counts and flags a section with fewer than 3 questions."""
    block = render_coverage(COURSE)
    assert block.startswith(START) and block.endswith(END)
    assert "| autograd | 1 | 0 | 2 | 1 | 1 |" in block
    assert (
        "| `s000-q04` | 000 | 61 | 4. PyTorch中的autograd是什么？它有什么作用？ | autograd | "
        in block
    )
    assert "2 (too few)" in block
    assert "| topic |" not in block  # a registry without `topics:` has no topic table


def test_render_counts_topics_in_their_own_table(course: Path) -> None:
    """Topics are counted per bank and listed in their own table; a topic whose bank does not
    exist yet says so instead of "too few"."""
    registry = course / "seed_sections.yaml"
    registry.write_text(
        registry.read_text(encoding="utf-8")
        + "topics:\n"
        + "  - {id: t-custom-function, title: Custom autograd.Function, bank: autograd}\n"
        + "  - {id: t-fsdp, title: FSDP, bank: distributed}\n",
        encoding="utf-8",
    )
    bank = course / "autograd.yaml"
    bank.write_text(
        bank.read_text(encoding="utf-8").replace(
            "source: s000-q04", "source: t-custom-function", 1
        ),
        encoding="utf-8",
    )
    block = render_coverage(course)
    assert "| autograd | 1 | 1 | 2 | 1 | 1 |" in block
    assert "| distributed | 0 | 1 | 0 | 0 | 0 |" in block
    assert "| `s000-q04` | 000 | 61 |" in block and "| autograd | 1 (too few) |" in block
    assert "| topic | title | bank | questions |" in block
    assert "| `t-custom-function` | Custom autograd.Function | autograd | 1 (too few) |" in block
    assert "| `t-fsdp` | FSDP | distributed | 0 (bank not written yet) |" in block


def test_check_fails_until_write_appends_the_block(course: Path, capsys) -> None:
    """--check exits 1 on a README without the block; --write appends it and keeps the text."""
    assert main(["--check", "--questions", str(course)]) == 1
    assert "stale" in capsys.readouterr().err
    assert main(["--write", "--questions", str(course)]) == 0
    text = (course / "README.md").read_text(encoding="utf-8")
    assert text.startswith("# A course's questions\n\nText the coverage block must leave alone.\n")
    assert readme_block(text) == render_coverage(course)
    assert main(["--check", "--questions", str(course)]) == 0


def test_replace_block_replaces_only_the_marked_part() -> None:
    """An existing block is replaced in place; what surrounds it is kept."""
    old = f"intro\n{START}\nold table\n{END}\noutro\n"
    assert replace_block(old, f"{START}\nnew\n{END}") == f"intro\n{START}\nnew\n{END}\noutro\n"
    assert replace_block("intro\n", f"{START}\nx\n{END}") == f"intro\n\n{START}\nx\n{END}\n"


GENERATED = """\
bank: gen-cover
title: {zh: 随机参数题, en: Fresh numbers}
questions:
  - id: gen-cover-grad
    type: numeric
    difficulty: 2
    tags: [autograd, misconception]
    source: s000-q04
    params:
      c: {int: [2, 9]}
    prompt: {zh: "`y = {c} * x` 时 `x.grad` 是多少？", en: "With `y = {c} * x`, what is `x.grad`?"}
    code: |
      answer = {c}
    explanation: {zh: "是 {answer}。", en: "It is {answer}."}
  - id: gen-cover-shape
    type: code_output
    difficulty: 1
    tags: [shapes]
    params:
      n: {int: [2, 9]}
    prompt: {zh: 打印什么？, en: What does it print?}
    code: |
      import torch
      print(torch.zeros({n}).shape)
    explanation: {zh: "打印 {answer}。", en: "It prints {answer}."}
"""


def test_render_lists_the_parametrised_banks(course: Path) -> None:
    """The parametrised questions of generated/ have a table of their own, marked as such,
    with their counts per type; their sources count for their sections."""
    assert "(parametrised)" not in render_coverage(course)
    (course / "generated").mkdir()
    (course / "generated" / "gen.yaml").write_text(GENERATED, encoding="utf-8")
    block = render_coverage(course)
    assert (
        "| bank (parametrised) | questions | code_output | numeric | single | true_false | fill "
        "| misconception |" in block
    )
    assert "| gen-cover (parametrised) | 2 | 1 | 1 | 0 | 0 | 0 | 1 |" in block
    assert (
        "| `s000-q04` | 000 | 61 | 4. PyTorch中的autograd是什么？它有什么作用？ | autograd | 3 |"
        in block
    )
