"""YAML syntax errors and whole-file problems: the line (and column) where the author must edit.

Each syntax case breaks one line of a valid three-question bank the way authors do, and checks
the exact ``path:line`` of the problem, the caret excerpt under it, and that the file's other
questions are still checked (question ``demo-three`` has a real problem, ``difficulty: 9``)
with nothing reported that the mistake did not cause.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from grader.bank.bankfile import check_bank_bytes
from grader.bank.loader import load_bank_file, load_banks
from grader.bank.problems import Problem
from grader.bank.source import parse
from grader.course import Course
from grader.errors import BankError
from grader.exercises.lint import lint_exercise
from grader.study.content import load_catalog
from grader.validate import read_seed_sections

BASE = """\
bank: demo
title: {zh: 演示, en: Demo}
questions:
  - id: demo-one
    type: true_false
    difficulty: 1
    tags: [yaml]
    prompt: {zh: 第一, en: First}
    answer: true
    explanation: {zh: 解释, en: Why}
  - id: demo-two
    type: true_false
    difficulty: 1
    tags: [yaml]
    prompt: {zh: 第二, en: Second}
    answer: false
    explanation: {zh: 解释, en: Why}
  - id: demo-three
    type: true_false
    difficulty: 9
    tags: [yaml]
    prompt: {zh: 第三, en: Third}
    answer: true
    explanation: {zh: 解释, en: Why}
"""
DEMO_THREE = "b.yaml:20: demo-three: difficulty must be from 1 to 5, got 9"


def broken(*edits: tuple[int, str]) -> str:
    """BASE with line ``n`` (1-based) replaced by the text (which may hold several lines)."""
    lines = BASE.splitlines()
    for number, text in sorted(edits, reverse=True):
        lines[number - 1 : number] = text.split("\n")
    return "\n".join(lines) + "\n"


def rendered(text: str) -> list[str]:
    """The problems as `grader validate` prints them (by line, as the loader sorts them)."""
    problems = check_bank_bytes(text.encode(), "b.yaml").problems
    return [p.render() for p in sorted(problems, key=lambda p: p.line or 0)]


def valid_ids(text: str) -> list[str] | None:
    report = check_bank_bytes(text.encode(), "b.yaml")
    return [q.id for q in report.bank.questions] if report.bank is not None else None


SYNTAX_CASES = {
    # the closing quote is missing: the parser runs to the end of the file and names line 25
    "unclosed quote": (
        [(15, '    prompt: {zh: "第二, en: Second}')],
        'b.yaml:15: demo-two: YAML syntax error: the quote " opened here is never closed; '
        'add the closing "\n'
        '   15 |     prompt: {zh: "第二, en: Second}\n'
        "      |                  ^",
    ),
    # ... and when a later quote closes it, the whole-file parser stops at line 22
    "unclosed quote closed by a later one": (
        [(16, '    answer: "false'), (22, '    prompt: {zh: "第三", en: Third}')],
        'b.yaml:16: demo-two: YAML syntax error: the quote " opened here is never closed; '
        'add the closing "\n'
        '   16 |     answer: "false\n'
        "      |             ^",
    ),
    # PyYAML notices a missing ']' at the next line's ':' (line 15)
    "unclosed bracket": (
        [(14, "    tags: [yaml")],
        "b.yaml:14: demo-two: YAML syntax error: the '[' on this line is never closed; "
        "add ']' at the end of this line\n"
        "   14 |     tags: [yaml\n"
        "      |                ^",
    ),
    "unclosed bracket over two lines": (
        [(14, "    tags: [yaml,\n           more")],
        "b.yaml:15: demo-two: YAML syntax error: the '[' opened at line 14 is never closed; "
        "add ']' at the end of this line (or ',' if the sequence goes on)\n"
        "   15 |            more\n"
        "      |                ^",
    ),
    # PyYAML notices a key without ':' on the next line (line 14)
    "missing colon": (
        [(13, "    difficulty 1")],
        "b.yaml:13: demo-two: YAML syntax error: this key is not followed by ': '; "
        "write 'key: value', with a space after the colon\n"
        "   13 |     difficulty 1\n"
        "      |     ^",
    ),
    "no space after the colon": (
        [(13, "    difficulty:1")],
        "b.yaml:13: demo-two: YAML syntax error: this key is not followed by ': '; "
        "write 'key: value', with a space after the colon\n"
        "   13 |     difficulty:1\n"
        "      |     ^",
    ),
    "key: value: value": (
        [(16, "    answer: false: true")],
        "b.yaml:16: demo-two: YAML syntax error: a second ': ' on this line; put the value in "
        "quotes if it contains ': ' (e.g. answer: \"a: b\")\n"
        "   16 |     answer: false: true\n"
        "      |                  ^",
    ),
    "indented deeper than its neighbours": (
        [(13, "      difficulty: 1")],
        "b.yaml:13: demo-two: YAML syntax error: this line is read as the rest of the value above "
        "it (mapping values are not allowed here); indent it like the keys around it\n"
        "   13 |       difficulty: 1\n"
        "      |       ^",
    ),
    "indented less than its neighbours": (
        [(13, "   difficulty: 1")],
        "b.yaml:13: demo-two: YAML syntax error: this line is indented by 3 spaces, unlike the "
        "lines above it (2 or 4); indent it like the keys it belongs with\n"
        "   13 |    difficulty: 1\n"
        "      |    ^",
    ),
    "tab": (
        [(13, "\tdifficulty: 1")],
        "b.yaml:13: demo-two: tab character in indentation: YAML indents with spaces only; "
        "replace the tab with spaces\n"
        "   13 | \tdifficulty: 1\n"
        "      | ^",
    ),
    "an item indented unlike the others": (
        [(11, " - id: demo-two")],
        "b.yaml:11: demo-two: YAML syntax error: this item is indented by 1 space, the items "
        "before it by 2; indent it like them\n"
        "   11 |  - id: demo-two\n"
        "      |  ^",
    ),
    "no space after the dash": (
        [(11, "  -id: demo-two")],
        "b.yaml:11: questions[1]: YAML syntax error: a list item needs a space after '-' "
        "(- id: ...)\n"
        "   11 |   -id: demo-two\n"
        "      |   ^",
    ),
    "apostrophe in single quotes": (
        [(16, "    answer: 'it's'")],
        "b.yaml:16: demo-two: YAML syntax error: text after the closing ' "
        "(inside '...', write a ' as '')\n"
        "   16 |     answer: 'it's'\n"
        "      |                 ^",
    ),
    "a value starting with @": (
        [(16, "    answer: @x")],
        "b.yaml:16: demo-two: YAML syntax error: a plain value cannot start with @; put it in "
        'quotes (e.g. answer: "@x")\n'
        "   16 |     answer: @x\n"
        "      |             ^",
    ),
}


@pytest.mark.parametrize("name", list(SYNTAX_CASES))
def test_syntax_error_names_the_line_to_edit(name: str) -> None:
    """The right line and column; the other questions are still checked (demo-one is valid)."""
    edits, expected = SYNTAX_CASES[name]
    text = broken(*edits)
    shift = sum(new.count("\n") for _, new in edits)  # lines added above demo-three
    assert rendered(text) == [expected, DEMO_THREE.replace(":20:", f":{20 + shift}:")]
    assert valid_ids(text) == ["demo-one"]


def test_unclosed_brace_in_the_header() -> None:
    """A header that does not parse: its line; the questions are still checked but not kept."""
    text = broken((2, "title: {zh: 演示, en: Demo"))
    assert rendered(text) == [
        "b.yaml:2: -: YAML syntax error: the '{' on this line is never closed; "
        "add '}' at the end of this line\n"
        "    2 | title: {zh: 演示, en: Demo\n"
        "      |                           ^",
        DEMO_THREE,
    ]
    assert valid_ids(text) is None


def test_duplicate_key_has_a_caret() -> None:
    """A repeated key is found by our constructor: the second key's line, caret under it."""
    problems = check_bank_bytes(broken((13, "    type: true_false")).encode(), "b.yaml").problems
    assert problems[0].render() == (
        "b.yaml:13: demo-two: duplicate key 'type' (first at line 12)\n"
        "   13 |     type: true_false\n"
        "      |     ^"
    )


def test_two_mistakes_in_one_file_are_both_reported() -> None:
    """One run names both broken questions; the question between them is checked and kept."""
    text = broken((7, "    tags: [yaml"), (22, '    prompt: {zh: "第三, en: Third}'))
    assert [str(p) for p in check_bank_bytes(text.encode(), "b.yaml").problems] == [
        "b.yaml:7: demo-one: YAML syntax error: the '[' on this line is never closed; "
        "add ']' at the end of this line",
        'b.yaml:22: demo-three: YAML syntax error: the quote " opened here is never closed; '
        'add the closing "',
    ]
    assert valid_ids(text) == ["demo-two"]


def test_duplicate_key_inside_a_recovered_question_names_the_file_lines() -> None:
    """Lines found in a question parsed on its own are the file's, messages included."""
    text = broken((7, "    tags: [yaml"), (19, "    type: true_false\n    type: true_false"))
    assert [str(p) for p in check_bank_bytes(text.encode(), "b.yaml").problems] == [
        "b.yaml:7: demo-one: YAML syntax error: the '[' on this line is never closed; "
        "add ']' at the end of this line",
        "b.yaml:20: demo-three: duplicate key 'type' (first at line 19)",
        "b.yaml:21: demo-three: difficulty must be from 1 to 5, got 9",
    ]


def test_alias_to_another_question_is_not_blamed() -> None:
    """A question using an anchor of another one cannot be checked alone: neither reported nor
    kept; nothing bogus is said about it."""
    text = broken(
        (7, "    tags: &t [yaml]"), (14, "    tags: *t"), (22, '    prompt: {zh: "第三, en: Third}')
    )
    assert [str(p) for p in check_bank_bytes(text.encode(), "b.yaml").problems] == [
        'b.yaml:22: demo-three: YAML syntax error: the quote " opened here is never closed; '
        'add the closing "',
    ]
    assert valid_ids(text) == ["demo-one"]


def test_unexplained_error_checks_only_what_comes_before_it() -> None:
    """An alias used before its anchor: every piece parses alone, so the cut explains nothing.
    The whole-file error is reported once and only the questions before it are checked (the
    difficulty 9 after it is not reported)."""
    text = broken((6, "    difficulty: 7"), (14, "    tags: *t"), (21, "    tags: &t [yaml]"))
    assert rendered(text) == [
        "b.yaml:6: demo-one: difficulty must be from 1 to 5, got 7",
        "b.yaml:14: -: alias '*t' is not defined: no anchor '&t' before it\n"
        "   14 |     tags: *t\n"
        "      |           ^",
    ]


def test_second_document_is_not_cut() -> None:
    """A '---' (a second document) is reported where it is; nothing is guessed from the rest."""
    text = broken((11, "---\n  - id: demo-two"))
    assert rendered(text) == [
        "b.yaml:11: -: YAML syntax error: a second YAML document starts here; a bank file is "
        "one document (remove this '---' line)\n"
        "   11 | ---\n"
        "      | ^",
    ]


def test_a_line_moved_to_column_0_stays_with_its_question() -> None:
    """A key pushed to column 0 in the middle of the list is that question's mistake: its line,
    not the next question's, and no "missing key" for the question it belongs to."""
    text = broken((17, "explanation: {zh: 解释, en: Why}"))
    assert rendered(text) == [
        "b.yaml:17: demo-two: YAML syntax error: this line is indented by 0 spaces, unlike the "
        "lines above it (2 or 4); indent it like the keys it belongs with\n"
        "   17 | explanation: {zh: 解释, en: Why}\n"
        "      | ^",
        DEMO_THREE,
    ]


def test_a_key_after_the_list_is_not_taken_for_questions() -> None:
    """Another top-level key after ``questions:`` ends the list: its items are not questions."""
    text = broken((7, "    tags: [yaml")) + "extra:\n  - name: x\n  - name: y\n"
    assert [str(p) for p in check_bank_bytes(text.encode(), "b.yaml").problems] == [
        "b.yaml:25: -: unknown key 'extra'",
        "b.yaml:7: demo-one: YAML syntax error: the '[' on this line is never closed; "
        "add ']' at the end of this line",
        DEMO_THREE,
    ]


def test_bom_does_not_shift_the_column() -> None:
    """A UTF-8 BOM is allowed and not counted in columns."""
    text = "\ufeffbank: [demo\ntitle: x\n"
    assert rendered(text)[0].endswith("    1 | bank: [demo\n      |            ^")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"", "b.yaml:1: -: file is empty; a bank needs 'bank:', 'title:' and 'questions:'"),
        (
            b"  \n\n",
            "b.yaml:1: -: file is empty; a bank needs 'bank:', 'title:' and 'questions:'",
        ),
        (
            b"# soon\n",
            "b.yaml:1: -: file is empty (nothing but comments); a bank needs 'bank:', "
            "'title:' and 'questions:'",
        ),
        (
            b"# a list\n- id: x\n",
            "b.yaml:2: -: the top level must be a mapping (bank, title, questions), got a list; "
            "put the questions under 'questions:' and add 'bank:' and 'title:'",
        ),
        (
            b"just words\n",
            "b.yaml:1: -: the top level must be a mapping (bank, title, questions), "
            "got 'just words'",
        ),
        (
            "bank: x\n".encode("utf-32"),
            "b.yaml:1: -: file is UTF-32, not UTF-8; re-save it as UTF-8 (in Notepad: Save as > "
            "Encoding)",
        ),
        (
            "\ufeffbank: x\n".encode("utf-16"),
            "b.yaml:1: -: file is UTF-16, not UTF-8; re-save it as UTF-8 (in Notepad: Save as > "
            "Encoding)",
        ),
    ],
)
def test_whole_file_problems_name_a_line(raw: bytes, expected: str) -> None:
    """Problems with the file as a whole name line 1 (or the line of what is wrong)."""
    assert [str(p) for p in check_bank_bytes(raw, "b.yaml").problems][:1] == [expected]


def test_missing_questions_key_names_the_first_key() -> None:
    report = check_bank_bytes("# demo\nbank: demo\ntitle: {zh: 演, en: D}\n".encode(), "b.yaml")
    assert [str(p) for p in report.problems] == [
        "b.yaml:2: -: missing key 'questions' (the list of questions)"
    ]


def test_not_utf8_names_the_line_of_the_first_bad_byte() -> None:
    raw = "bank: demo\n# 注释\ntitle: {zh: 演示, en: Demo}\n".encode("gbk")
    (problem,) = check_bank_bytes(raw, "b.yaml").problems
    assert problem.line == 2


def test_unreadable_file_names_line_1(tmp_path: Path) -> None:
    (problem,) = load_bank_file(tmp_path, cache=False).problems  # a folder cannot be read
    assert problem.line == 1 and problem.message.startswith("cannot read the file: ")


def test_cached_problems_keep_their_caret(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache stores the column and excerpt too, and moves them to the file's current name."""
    monkeypatch.setenv("GRADER_CACHE_DIR", str(tmp_path / "cache"))
    text = broken((14, "    tags: [yaml"))
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(text, encoding="utf-8")
    second.write_text(text, encoding="utf-8")
    cold = load_banks([first]).problems
    warm = load_banks([second]).problems
    assert [p.render() for p in warm] == [p.render().replace(str(first), str(second)) for p in cold]
    assert warm[0].column == 16


def test_exercise_yaml_syntax_error_has_the_same_treatment(tmp_path: Path) -> None:
    folder = tmp_path / "exercises" / "ex-one"
    folder.mkdir(parents=True)
    (folder / "exercise.yaml").write_text("id: ex-one\ntags: [a\npoints: 2\n", encoding="utf-8")
    _, problems = lint_exercise(folder, None)
    assert problems[0].render() == (
        f"{folder / 'exercise.yaml'}:2: ex-one: YAML syntax error: the '[' on this line is never "
        "closed; add ']' at the end of this line\n"
        "    2 | tags: [a\n"
        "      |         ^"
    )
    (folder / "exercise.yaml").write_text("", encoding="utf-8")
    _, problems = lint_exercise(folder, None)
    assert str(problems[0]) == f"{folder / 'exercise.yaml'}:1: ex-one: file is empty"


def test_seed_sections_syntax_error_is_the_only_problem(tmp_path: Path) -> None:
    """A seeds file that does not parse: its syntax error, not also "expected 'sections:'"."""
    seeds = tmp_path / "seed_sections.yaml"
    seeds.write_text("sections:\n  - id: s1\n    title: [x\n", encoding="utf-8")
    sections, problems = read_seed_sections(seeds)
    assert sections is None
    assert [(p.line, p.column) for p in problems] == [(3, 14)]


def test_render_aligns_the_caret_under_wide_characters() -> None:
    problem = Problem("b.yaml", 3, None, "m", 5, "  中文x")
    assert problem.render() == "b.yaml:3: -: m\n    3 |   中文x\n      |       ^"


def _course(root: Path) -> Course:
    return Course(
        root=root,
        questions=root / "questions",
        exercises=root / "exercises",
        solutions=root / "solutions",
        bundled=False,
    )


def test_quiz_catalog_keeps_the_valid_questions_of_a_broken_bank(tmp_path: Path) -> None:
    """The app's loader: no crash, the broken question left out with its file:line, the valid
    questions of the same file still studied."""
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "demo.yaml").write_text(broken((14, "    tags: [yaml")), encoding="utf-8")
    catalog = load_catalog(_course(tmp_path))
    assert list(catalog.questions) == ["demo-one"]
    assert catalog.problems == (
        f"{questions / 'demo.yaml'}:14: demo-two: YAML syntax error: the '[' on this line is "
        "never closed; add ']' at the end of this line",
        f"{questions / 'demo.yaml'}:20: demo-three: difficulty must be from 1 to 5, got 9",
    )


def test_quiz_catalog_with_nothing_loadable_says_where(tmp_path: Path) -> None:
    questions = tmp_path / "questions"
    questions.mkdir()
    (questions / "demo.yaml").write_text(broken((2, "title: {zh: 演示, en: Demo")), "utf-8")
    with pytest.raises(BankError) as caught:
        load_catalog(_course(tmp_path))
    assert f"{questions / 'demo.yaml'}:2: -: YAML syntax error: the '{{'" in caught.value.message


GOOD = Path(__file__).resolve().parents[1] / "data" / "banks" / "good" / "questions"


def test_a_mistake_in_one_question_is_reported_only_there() -> None:
    """400 random syntax mistakes, each inside one question of a valid bank: every problem lies
    in that question's lines, and every other question is still valid and kept."""
    lines = (GOOD / "all_types.yaml").read_text(encoding="utf-8").split("\n")
    starts = [n for n, row in enumerate(lines) if row.startswith("  - id: ")]
    ids = [lines[n].removeprefix("  - id: ").strip() for n in starts]
    junk = ['"', "'", "[", "{", "]", "}", ": x", "\t", "- ", "@", "*a", ",", "|", ">"]
    rng = random.Random(14)
    checked = 0
    while checked < 400:
        k = rng.randrange(len(starts) - 1)
        body = lines[starts[k] + 1 : starts[k + 1]]
        j = rng.randrange(len(body))
        row = body[j]
        at = rng.randrange(len(row) + 1)
        choice = rng.random()
        if choice < 0.6:
            body[j] = row[:at] + rng.choice(junk) + row[at:]
        elif choice < 0.8:
            body[j] = row[:at] + row[at + 1 :]
        else:
            body[j] = " " * rng.randint(0, 8) + row.lstrip()
        text = "\n".join(lines[: starts[k] + 1] + body + lines[starts[k + 1] :])
        if parse(text)[0] is not None:
            continue  # still valid YAML: not a syntax mistake
        checked += 1
        report = check_bank_bytes(text.encode(), "b.yaml")
        first, last = starts[k] + 1, starts[k] + 1 + len(body)
        assert report.problems, text
        for problem in report.problems:
            assert problem.line is not None and first <= problem.line <= last, (problem, text)
        assert report.bank is not None
        # (the broken question itself may stay valid: a mistake on the blank line after it)
        kept = [q.id for q in report.bank.questions if q.id != ids[k]]
        assert kept == ids[:k] + ids[k + 1 :], text
