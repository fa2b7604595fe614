"""Loading banks: the public API, line numbers, and the content-hash cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.bank import cache
from grader.bank.loader import (
    LoadedBank,
    all_questions,
    bank_files,
    find_question,
    load_banks,
    load_banks_or_raise,
)
from grader.bank.model import FillQuestion, SingleQuestion
from grader.errors import BankError, UsageError
from grader.i18n import Text

DATA = Path(__file__).resolve().parents[1] / "data" / "banks"
GOOD = DATA / "good" / "questions"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private cache folder for the test."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("GRADER_CACHE_DIR", str(folder))
    return folder


def test_load_folder(cache_dir: Path) -> None:
    """A folder loads every bank in it (not seed_sections.yaml) with every question type."""
    result = load_banks([GOOD])
    assert result.ok and result.files == 1
    (bank,) = result.banks
    assert isinstance(bank, LoadedBank)
    assert bank.id == "all-types" and bank.path == GOOD / "all_types.yaml"
    assert bank.title == Text(zh="全部题型", en="All question types")
    assert {i.type for i in bank.info} == {
        "single", "multiple", "true_false", "fill", "numeric", "order", "code_output", "short"
    }  # fmt: skip
    assert len(all_questions(result.banks)) == 12


def test_question_lines(cache_dir: Path) -> None:
    """Each question's line is where its mapping starts in the file."""
    bank = load_banks([GOOD]).banks[0]
    assert bank.lines["good-single"] == 8
    assert bank.lines["good-short"] == 164
    assert bank.location("good-multiple") == f"{GOOD / 'all_types.yaml'}:27"


def test_lookup_by_id(cache_dir: Path) -> None:
    """Questions are found by id; an unknown id gives None."""
    result = load_banks([GOOD])
    question = result.find("good-single")
    assert isinstance(question, SingleQuestion) and question.answer == 0
    assert find_question(result.banks, "nope") is None
    assert result.bank_of("good-fill").id == "all-types"


def test_single_string_fill_answer(cache_dir: Path) -> None:
    """`answer: x` on a fill question means a list of one accepted answer."""
    question = load_banks([GOOD]).find("good-fill-case")
    assert isinstance(question, FillQuestion) and question.answer == ("torch.float32",)


def test_warm_start_gives_the_same_banks(cache_dir: Path) -> None:
    """The second load is served from the cache and builds equal models."""
    cold = load_banks([GOOD])
    assert list(cache_dir.rglob("*.pickle"))
    warm = load_banks([GOOD])
    assert cold.banks[0].built and not warm.banks[0].built
    assert warm.banks[0].bank == cold.banks[0].bank
    assert warm.banks[0].lines == cold.banks[0].lines
    assert warm.banks[0].info == cold.banks[0].info


def test_one_question_from_the_cache(cache_dir: Path) -> None:
    """Looking up one question of a cached bank gives the same model as a cold load."""
    cold = load_banks([GOOD]).find("good-order")
    warm = load_banks([GOOD])
    assert warm.find("good-order") == cold
    assert not warm.banks[0].built  # the bank's other models were not built


def test_loaded_bank_wraps_a_bank() -> None:
    """`LoadedBank(bank, path, lines)` wraps a validated Bank (as tools outside the loader do)."""
    bank = load_banks([GOOD], cache=False).banks[0].bank
    wrapped = LoadedBank(bank, "somewhere.yaml", {"good-single": 8})
    assert wrapped.id == "all-types" and wrapped.built and len(wrapped.info) == 12
    assert wrapped.question("good-single") is bank.questions[0]
    with pytest.raises(TypeError):
        LoadedBank()


def test_cache_keeps_problems_with_the_current_path(cache_dir: Path, tmp_path: Path) -> None:
    """A cached broken file reports its problems under the path it is loaded from now."""
    first = tmp_path / "a" / "x.yaml"
    second = tmp_path / "b" / "x.yaml"
    for target in (first, second):
        target.parent.mkdir()
        shutil.copy(DATA / "broken" / "duplicate_id.yaml", target)
    assert [str(p) for p in load_banks([first]).problems] == [
        f"{first}:12: twice: duplicate id 'twice' (first defined at {first}:4)"
    ]
    assert [str(p) for p in load_banks([second]).problems] == [
        f"{second}:12: twice: duplicate id 'twice' (first defined at {second}:4)"
    ]


def test_corrupt_cache_is_ignored(cache_dir: Path) -> None:
    """A truncated or garbage cache entry is treated as a miss and rewritten."""
    load_banks([GOOD])
    (entry,) = cache_dir.rglob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert load_banks([GOOD]).ok
    assert entry.read_bytes() != b"not a pickle"


def test_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty GRADER_CACHE_DIR turns the cache off."""
    monkeypatch.setenv("GRADER_CACHE_DIR", "")
    assert cache.cache_dir() is None
    assert load_banks([GOOD]).ok


def test_edited_file_is_checked_again(cache_dir: Path, tmp_path: Path) -> None:
    """The cache is keyed by content: an edit is never served stale."""
    target = tmp_path / "bank.yaml"
    shutil.copy(GOOD / "all_types.yaml", target)
    assert load_banks([target]).ok
    target.write_text(target.read_text(encoding="utf-8").replace("difficulty: 1", "difficulty: 9"))
    assert not load_banks([target]).ok


def test_load_or_raise(cache_dir: Path) -> None:
    """The strict variant raises BankError listing every problem, one per line."""
    assert load_banks_or_raise([GOOD]).ok
    with pytest.raises(BankError) as info:
        load_banks_or_raise([DATA / "broken" / "difficulty.yaml"])
    assert "2 problems" in info.value.message
    assert (
        "difficulty.yaml:6: difficulty-seven: difficulty must be from 1 to 5" in info.value.message
    )


def test_missing_path_is_a_usage_error() -> None:
    """A path that does not exist is an input error (exit 2), not a bank problem."""
    with pytest.raises(UsageError):
        bank_files([DATA / "nope"])


def test_same_file_twice_is_loaded_once(cache_dir: Path) -> None:
    """Naming a file and its folder does not report its ids as duplicates."""
    result = load_banks([GOOD, GOOD / "all_types.yaml"])
    assert result.ok and result.files == 1
