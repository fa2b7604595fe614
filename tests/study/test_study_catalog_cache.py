"""The course-level catalog cache: a warm start builds nothing (no YAML, no validation), and any
change to a bank file is seen at once."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from grader.course import resolve_course
from grader.study.content import load_catalog

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "quiz"


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    return Path(shutil.copytree(FIXTURE, tmp_path / "course"))


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").rglob("catalog-*.pickle"))


def test_a_warm_start_gives_the_same_catalog(course: Path, tmp_path: Path) -> None:
    first = load_catalog(resolve_course(course))
    assert len(_entries(tmp_path)) == 1
    second = load_catalog(resolve_course(course))
    assert second.questions == first.questions and second.hashes == first.hashes
    assert [b.bank for b in second.banks] == [b.bank for b in first.banks]
    assert second.problems == first.problems


def test_a_warm_start_reads_no_yaml(course: Path, tmp_path: Path) -> None:
    """In a fresh interpreter with the cache warm, neither the YAML parser nor the bank loader is
    imported: the models come from the cache as they were built."""
    load_catalog(resolve_course(course))
    code = (
        "import sys\n"
        "from grader.course import resolve_course\n"
        "from grader.study.content import load_catalog\n"
        f"catalog = load_catalog(resolve_course({str(course)!r}))\n"
        "assert 'fx-single' in catalog.questions and catalog.hashes['fx-single']\n"
        "print(sorted(m for m in ('yaml', 'grader.bank.loader') if m in sys.modules))\n"
    )
    env = {"GRADER_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]", done.stderr


def test_an_edited_or_added_bank_is_seen(course: Path, tmp_path: Path) -> None:
    before = load_catalog(resolve_course(course))
    bank = course / "questions" / "fx-basics.yaml"
    text = bank.read_text(encoding="utf-8")
    old = "where is the gradient of a leaf tensor stored?"
    assert old in text
    bank.write_text(text.replace(old, "where is a leaf tensor's gradient kept?"), encoding="utf-8")
    after = load_catalog(resolve_course(course))
    assert after.questions["fx-single"].prompt.en.endswith(
        "where is a leaf tensor's gradient kept?"
    )
    assert after.hashes["fx-single"] != before.hashes["fx-single"]
    extra = course / "questions" / "fx-extra.yaml"
    extra.write_text(
        text.replace("bank: fx-basics", "bank: fx-extra").replace("id: fx-", "id: ex-"),
        encoding="utf-8",
    )
    assert "ex-single" in load_catalog(resolve_course(course)).questions
    extra.unlink()
    assert "ex-single" not in load_catalog(resolve_course(course)).questions
    assert len(_entries(tmp_path)) == 1  # one entry per questions folder, rewritten


def test_a_broken_entry_is_a_miss(course: Path, tmp_path: Path) -> None:
    expected = load_catalog(resolve_course(course)).hashes
    (entry,) = _entries(tmp_path)
    entry.write_bytes(b"not a pickle")
    assert load_catalog(resolve_course(course)).hashes == expected


def test_no_cache_when_turned_off(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRADER_CACHE_DIR", "")
    assert "fx-single" in load_catalog(resolve_course(course)).questions
    assert _entries(tmp_path) == []
