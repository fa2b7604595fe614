"""The Moodle XML round trip over the whole bundled course: export each bank, import it back,
and get an equal bank: the same ids, texts, options, answers, credit and explanations.

One process, the library's own functions, no subprocess per question. Where Moodle's grade list
forced a rounding, the test checks the reported rounding instead of the original credit. Two
things are compared as what they mean rather than as written: a ``code_output`` answer is
compared as the checker compares outputs (``normalise_output``: a trailing line break is no part
of an output, and a Moodle short answer has none), and a field the export reports it could not
carry (a maintainer's ``verify`` blocks) is left out.

GIFT, one language a file, has its own trip: what it can say comes back, what it cannot is in
the export report (a lost field, a rounding, a skipped question), never dropped silently.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from grader.bank.answers import normalise_output
from grader.bank.loader import load_banks
from grader.course import bundled_root
from grader.interop.exporter import export_banks
from grader.interop.importer import import_files

QUESTIONS = bundled_root() / "questions"


@pytest.fixture(scope="module")
def trips(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """For each bundled bank: the bank, its export report, its import report, the bank read
    back."""
    root = tmp_path_factory.mktemp("roundtrip")
    source = load_banks([QUESTIONS])
    trips = []
    for bank in source.banks:
        xml = root / f"{bank.id}.xml"
        exported = export_banks([bank], xml, "moodle", "both")
        out = root / bank.id / f"{bank.id}.yaml"
        imported = import_files([xml], out, bank=bank.id)
        back = load_banks([out], cache=False)
        trips.append({"bank": bank, "export": exported, "import": imported, "back": back})
    assert trips, "the bundled course has no bank"
    return trips


def _rounded(report: Any) -> dict[tuple[str, int], float]:
    found = {}
    for line in report.roundings:
        match = re.fullmatch(r"option (\d+): .* written as (-?[\d.]+) %", line.what)
        assert match, line
        found[(line.where, int(match.group(1)))] = float(match.group(2))
    return found


def _comparable(question: Any, lost: set[str]) -> dict[str, Any]:
    data = question.model_dump(exclude=lost)
    if question.type == "code_output":
        data["answer"] = normalise_output(data["answer"])
    return data


def test_every_bank_comes_back_equal(trips: list[dict[str, Any]]) -> None:
    """Every question of every bank, every field but what the export reports it rounded or
    could not carry."""
    compared = 0
    for trip in trips:
        bank = trip["bank"]
        back = {q.id: q for q in trip["back"].questions()}
        assert trip["back"].problems == [], trip["back"].problems[:3]
        assert list(back) == [q.id for q in bank.questions]
        header = trip["back"].banks[0].bank
        assert (header.title, header.description) == (bank.bank.title, bank.bank.description)
        rounded = _rounded(trip["export"])
        lost: dict[str, set[str]] = {}
        for line in trip["export"].losses:
            match = re.fullmatch(r"'(\w+)' \(no place for it in the file\)", line.what)
            if match:
                lost.setdefault(line.where, set()).add(match.group(1))
        for question in bank.questions:
            skip = lost.get(question.id, set())
            original = _comparable(question, skip)
            again = _comparable(back[question.id], skip)
            credit = original.get("credit")
            if credit is not None:
                original["credit"] = tuple(
                    rounded.get((question.id, i), value) for i, value in enumerate(credit)
                )
            assert again == original, question.id
            compared += 1
    assert compared >= 300


def test_nothing_is_skipped_renamed_or_missing(trips: list[dict[str, Any]]) -> None:
    """Every question of our own export is imported, in both languages, under its own id."""
    for trip in trips:
        report = trip["import"]
        assert (report.skipped, report.missing, report.ids) == ([], [], []), trip["bank"].id
        assert report.written == len(trip["bank"].questions)


def test_the_exported_grades_are_moodles(trips: list[dict[str, Any]]) -> None:
    """Every fraction written is on Moodle's list (ordering items carry their position)."""
    from grader.interop.grades import MOODLE_GRADES
    from grader.interop.moodle_export import format_number

    allowed = {format_number(g) for g in MOODLE_GRADES}
    for trip in trips:
        xml = Path(trip["export"].out).read_text(encoding="utf-8")
        for qtype, body in re.findall(r'<question type="(\w+)">(.*?)</question>', xml, re.S):
            if qtype == "ordering":
                continue
            fractions = set(re.findall(r'<answer fraction="([^"]+)"', body))
            assert fractions <= allowed, (trip["bank"].id, fractions - allowed)


@pytest.fixture(scope="module")
def gift_trips(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Each bundled bank exported to GIFT in English and imported back into a bank of its id."""
    root = tmp_path_factory.mktemp("gift-roundtrip")
    trips = []
    for bank in load_banks([QUESTIONS]).banks:
        gift = root / f"{bank.id}.gift"
        exported = export_banks([bank], gift, "gift", "en")
        out = root / bank.id / f"{bank.id}.yaml"
        imported = import_files([gift], out, bank=bank.id)
        written = yaml.safe_load(out.read_text(encoding="utf-8"))["questions"]
        trips.append({"bank": bank, "export": exported, "import": imported, "back": written})
    return trips


def _english(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("en")
    if isinstance(value, list):
        return [_english(v) for v in value]
    return value


def test_gift_keeps_what_it_can_and_reports_the_rest(gift_trips: list[dict[str, Any]]) -> None:
    """Over the whole course, GIFT in English: a question is either skipped with a reason or
    comes back under its id with its English prompt, options, answer, credit and explanation,
    unless the export reported losing that field (a type, an explanation) or rounding a
    credit. Nothing is lost silently, and the import skips nothing the export wrote."""
    compared = 0
    for trip in gift_trips:
        skipped = {line.where for line in trip["export"].skipped}
        assert trip["import"].skipped == [], trip["bank"].id
        lost: dict[str, str] = {}
        for line in trip["export"].losses:
            lost[line.where] = lost.get(line.where, "") + line.what
        rounded = {line.where for line in trip["export"].roundings}
        back = {q["id"]: q for q in trip["back"]}
        assert set(back) == {q.id for q in trip["bank"].questions} - skipped, trip["bank"].id
        for question in trip["bank"].questions:
            if question.id in skipped:
                continue
            again, said = back[question.id], lost.get(question.id, "")
            data = question.model_dump()
            if "explanation" not in said:
                assert _english(again["explanation"]) == data["explanation"]["en"], question.id
            if question.type == "code_output":
                continue  # GIFT has no such type: it comes back as Moodle's (reported)
            assert _english(again["prompt"]) == data["prompt"]["en"], question.id
            if "single-choice" in said:
                continue  # one right option: GIFT's '=' (reported)
            assert again["type"] == question.type, question.id
            for key in ("options", "answer"):
                if data.get(key) is not None:
                    mine = data[key]
                    mine = list(mine) if isinstance(mine, tuple) else mine
                    assert _english(again[key]) == _english(mine), (question.id, key)
            if data.get("credit") is not None and question.id not in rounded:
                assert again.get("credit") == list(data["credit"]), question.id
            compared += 1
    assert compared >= 300
