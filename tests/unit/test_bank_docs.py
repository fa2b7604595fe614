"""Every YAML example in questions/README.md loads through the bank loader without a problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from grader.bank.bankfile import check_bank_bytes
from grader.bank.lint import lint_bank_text
from grader.bank.model import QUESTION_TYPES

README = Path(__file__).resolve().parents[2] / "questions" / "README.md"
_BLOCK = re.compile(r"```yaml\n(.*?)```", re.S)
_WRAP = "bank: example\ntitle: {zh: 示例, en: Example}\nquestions:\n"


def _examples() -> list[str]:
    return _BLOCK.findall(README.read_text(encoding="utf-8"))


def _as_bank(block: str) -> str:
    """A full bank as is; a list of questions wrapped into a bank."""
    if block.startswith("bank:"):
        return block
    return _WRAP + "".join(f"  {line}\n" if line else "\n" for line in block.splitlines())


@pytest.mark.parametrize("index", range(len(_examples())))
def test_readme_example_is_valid(index: int) -> None:
    """The example validates with no problem and keeps every question."""
    block = _examples()[index]
    report = check_bank_bytes(_as_bank(block).encode(), f"README example {index}")
    assert report.problems == []
    assert len(report.info) == block.count("- id: ")


@pytest.mark.parametrize("index", range(len(_examples())))
def test_readme_example_passes_the_text_lints(index: int) -> None:
    """The examples follow the house style `grader validate` lints: no seed citation, CJK
    typography."""
    assert lint_bank_text(_as_bank(_examples()[index]), f"README example {index}") == []


def test_readme_has_an_example_of_every_type() -> None:
    """Each question type appears in at least one example."""
    types = set()
    for block in _examples():
        report = check_bank_bytes(_as_bank(block).encode(), "README")
        types |= {info.type for info in report.info}
    assert types == set(QUESTION_TYPES)


def test_readme_documents_every_field() -> None:
    """Every key of every question model appears in the README's field tables."""
    from grader.bank.model import QUESTION_MODELS, Bank

    text = README.read_text(encoding="utf-8")
    keys = set(Bank.model_fields) | {k for m in QUESTION_MODELS.values() for k in m.model_fields}
    missing = sorted(k for k in keys if f"| `{k}` |" not in text)
    assert not missing, f"undocumented keys: {missing}"
