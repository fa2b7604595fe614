"""`validate_paths`: banks plus the id registry, seed sections and exercise folders."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader.exercises.lint import hidden_points, lint_exercise
from grader.validate import find_targets, validate_paths

DATA = Path(__file__).resolve().parents[1] / "data" / "banks"


@pytest.fixture(autouse=True)
def _in_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(DATA)
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))


def test_clean_course() -> None:
    """The good course has no problem at all."""
    report = validate_paths(["good"])
    assert report.problems == []
    assert report.summary() == "ok: 1 bank (12 questions), 1 exercise"


def test_registry_and_seed_problems() -> None:
    """Unregistered ids, a malformed registry and unknown or missing sources are reported."""
    report = validate_paths(["problems/questions"])
    assert [str(p) for p in report.problems] == [
        "problems/questions/ids.txt:2: basics-no-source: not sorted: 'basics-no-source' comes "
        "after 'basics-registered' (`grader validate --update-ids` rewrites the file sorted)",
        "problems/questions/ids.txt:3: basics-registered: 'basics-registered' is listed twice "
        "(first at line 1)",
        "problems/questions/ids.txt:4: Bad_Id: 'Bad_Id' is not a kebab-case id",
        "problems/questions/basics.yaml:12: basics-unregistered: id 'basics-unregistered' is not "
        "in the id registry problems/questions/ids.txt; add it with `grader validate --update-ids`",
        "problems/questions/basics.yaml:16: basics-unregistered: unknown source 's000-q4' (did "
        "you mean 's000-q04'?): not a section or topic id in "
        "problems/questions/seed_sections.yaml",
        "problems/questions/basics.yaml:20: basics-no-source: missing key 'source' (a section or "
        "topic id from problems/questions/seed_sections.yaml)",
    ]


_TOPIC_BANK = """\
bank: basics
title: {zh: 基础, en: Basics}
questions:
  - id: basics-on-a-topic
    type: true_false
    difficulty: 1
    tags: [basics]
    source: t-torch-func
    prompt: {zh: 对吗？, en: True?}
    answer: true
    explanation: {zh: 对。, en: Yes.}
  - id: basics-topic-typo
    type: true_false
    difficulty: 1
    tags: [basics]
    source: t-torch-fun
    prompt: {zh: 对吗？, en: True?}
    answer: false
    explanation: {zh: 不对。, en: No.}
"""


def test_source_may_name_a_topic(tmp_path: Path) -> None:
    """A `source` naming a topic of `topics:` is accepted; a near miss gets a did-you-mean."""
    folder = tmp_path / "questions"
    folder.mkdir()
    (folder / "seed_sections.yaml").write_text(
        "sections:\n"
        "  - {id: s000-q04, seed: 000_90ccaf3f6758cd10.txt, heading: x, line: 61, bank: basics}\n"
        "topics:\n"
        "  - {id: t-torch-func, title: torch.func, bank: basics}\n",
        encoding="utf-8",
    )
    (folder / "basics.yaml").write_text(_TOPIC_BANK, encoding="utf-8")
    report = validate_paths([folder])
    seeds = folder / "seed_sections.yaml"
    assert [str(p) for p in report.problems] == [
        f"{folder / 'basics.yaml'}:16: basics-topic-typo: unknown source 't-torch-fun' (did you "
        f"mean 't-torch-func'?): not a section or topic id in {seeds}"
    ]


def test_malformed_topics_are_reported_with_their_lines(tmp_path: Path) -> None:
    """A topic without an id, one without the t- prefix, a t- id among the sections and an id
    listed twice are each reported at their line."""
    folder = tmp_path / "questions"
    folder.mkdir()
    seeds = folder / "seed_sections.yaml"
    seeds.write_text(
        "sections:\n"
        "  - {id: s000-q04, seed: a.txt, heading: x, line: 1, bank: basics}\n"
        "  - {id: t-in-sections, seed: a.txt, heading: y, line: 2, bank: basics}\n"
        "topics:\n"
        "  - {title: no id, bank: basics}\n"
        "  - {id: torch-func, title: no prefix, bank: basics}\n"
        "  - {id: t-in-sections, title: twice, bank: basics}\n",
        encoding="utf-8",
    )
    report = validate_paths([seeds])
    assert [str(p) for p in report.problems] == [
        f"{seeds}:3: t-in-sections: sections[1]: 't-' starts topic ids; move 't-in-sections' to "
        "'topics:'",
        f"{seeds}:5: -: topics[0] has no 'id'",
        f"{seeds}:6: torch-func: topics[1]: topic id 'torch-func' must start with 't-'",
        f"{seeds}:7: t-in-sections: duplicate id 't-in-sections' (first defined at line 3)",
    ]
    seeds.write_text("sections: []\ntopics: {id: t-x}\n", encoding="utf-8")
    report = validate_paths([seeds])
    assert [str(p) for p in report.problems] == [
        f"{seeds}:2: -: 'topics:' must be a list of topics each with an 'id' (t-...)"
    ]


def test_exercise_problems() -> None:
    """Folder name, missing files, TODO marker, solution and points are all checked."""
    report = validate_paths(["problems/exercises"])
    assert [str(p) for p in report.problems] == [
        "problems/exercises/no-points/exercise.yaml:5: no-points: points is 4 but the hidden "
        "checks' @points add up to 3",
        "problems/exercises/wrong-name/exercise.yaml: wrong-name: no reference solution "
        "problems/solutions/wrong-name.py",
        "problems/exercises/wrong-name/exercise.yaml:2: wrong-name: id 'right-name' differs from "
        "the folder name 'wrong-name'",
        "problems/exercises/wrong-name/exercise.yaml:7: wrong-name: empty English translation "
        "'en' in hints[0]",
        "problems/exercises/wrong-name/exercise.yaml:9: wrong-name: unknown key 'devise' (did "
        "you mean 'device'?)",
        "problems/exercises/wrong-name/starter.py: wrong-name: the starter marks no place to "
        "change with '# TODO' (tag the exercise 'find-the-bug' if the marker would give the bug "
        "away)",
        "problems/exercises/wrong-name: wrong-name: no public checks (test_public*.py)",
        "problems/exercises/wrong-name/hidden/test_checks.py:13: wrong-name: check "
        "'test_forgotten' has no @points(n)",
        "problems/exercises/wrong-name/hidden/test_checks.py:18: wrong-name: check "
        "'test_computed': @points needs one number literal, e.g. @points(2)",
    ]


def test_hidden_points_counts_a_parametrized_check_once() -> None:
    """@points on a parametrized check (or a Test class method) counts its value once."""
    source = (DATA / "good" / "exercises" / "add-two" / "hidden" / "test_add_two.py").read_text()
    checks = hidden_points(source)
    assert [(c.name, c.points) for c in checks] == [
        ("test_scalar", 1.0),
        ("test_many", 2.0),
        ("test_float", 0.5),
    ]


def test_hidden_check_syntax_error_has_its_line(tmp_path: Path) -> None:
    """A check file that does not parse is reported with the line, without importing it."""
    folder = tmp_path / "exercises" / "add-two"
    shutil.copytree(DATA / "good" / "exercises" / "add-two", folder)
    (folder / "hidden" / "test_add_two.py").write_text("@points(1)\ndef test_x(:\n    pass\n")
    _, problems = lint_exercise(folder, DATA / "good" / "solutions")
    assert [(Path(p.path).name, p.line, p.id) for p in problems] == [
        ("test_add_two.py", 2, "add-two")
    ]
    assert problems[0].message.startswith("Python syntax error: ")


def test_update_ids_adds_new_ids_sorted(tmp_path: Path) -> None:
    """--update-ids registers the valid questions' ids, keeps old lines, and fixes the order."""
    questions = tmp_path / "questions"
    shutil.copytree(DATA / "problems" / "questions", questions)
    report = validate_paths([questions], update_ids=True)
    assert report.ids_added == {str(questions / "ids.txt"): ["basics-unregistered"]}
    assert (questions / "ids.txt").read_text().splitlines() == [
        "Bad_Id",
        "basics-no-source",
        "basics-registered",
        "basics-unregistered",
    ]
    assert not any("registry" in p.message for p in report.problems)


def test_update_ids_creates_the_registry(tmp_path: Path) -> None:
    """A questions folder without ids.txt gets one."""
    questions = tmp_path / "questions"
    questions.mkdir()
    shutil.copy(DATA / "good" / "questions" / "all_types.yaml", questions)
    assert validate_paths([questions]).ok  # no registry: not checked
    validate_paths([questions], update_ids=True)
    assert len((questions / "ids.txt").read_text().splitlines()) == 12


def test_targets_of_a_course_folder() -> None:
    """A course folder means its questions/ and every exercise folder with its solutions."""
    targets = find_targets(["good"])
    assert targets.bank_paths == [Path("good/questions")]
    assert targets.exercises == [(Path("good/exercises/add-two"), Path("good/solutions"))]


def test_folder_without_content_is_a_problem(tmp_path: Path) -> None:
    """An explicit folder with neither banks nor exercises is reported."""
    report = validate_paths([tmp_path])
    assert [p.message for p in report.problems] == [
        "no question banks (*.yaml) or exercises (*/exercise.yaml) here"
    ]
