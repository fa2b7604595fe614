"""Every kind of broken bank is reported with its exact file, line, id and message."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.bank.loader import load_banks

DATA = Path(__file__).resolve().parents[1] / "data" / "banks"

CASES: dict[str, list[str]] = {
    "syntax.yaml": [
        "broken/syntax.yaml:8: syntax-unclosed: YAML syntax error: the '{' on this line is never "
        "closed; add '}' at the end of this line",
    ],
    "tab_indent.yaml": [
        "broken/tab_indent.yaml:6: tabs-one: tab character in indentation: YAML indents with spaces "
        "only; replace the tab with spaces",
    ],
    "gbk.yaml": [
        "broken/gbk.yaml:2: -: file is not UTF-8: byte 0xb1 cannot be decoded (it looks like "
        "GBK/GB18030, which Windows uses for Chinese); re-save it as UTF-8 "
        "(in Notepad: Save as > Encoding > UTF-8)",
    ],
    "empty.yaml": [
        "broken/empty.yaml:1: -: file is empty (nothing but comments); a bank needs 'bank:', "
        "'title:' and 'questions:'",
    ],
    "top_level_list.yaml": [
        "broken/top_level_list.yaml:1: -: the top level must be a mapping (bank, title, "
        "questions), got a list; put the questions under 'questions:' and add 'bank:' and 'title:'",
    ],
    "no_questions.yaml": ["broken/no_questions.yaml:3: -: the bank has no questions"],
    "unknown_key.yaml": [
        # 'ez' is only 0.5 like 'en', under the one suggestion cutoff (grader.errors): the
        # missing translation is reported beside it instead.
        "broken/unknown_key.yaml:9: unknown-key-typo: missing English translation 'en' in prompt",
        "broken/unknown_key.yaml:10: unknown-key-typo: unknown key 'ez' in prompt",
        "broken/unknown_key.yaml:14: unknown-key-typo: unknown key 'anwser' "
        "(did you mean 'answer'?)",
        "broken/unknown_key.yaml:21: unknown-key-other-type: unknown key 'options' for type "
        "'true_false' (it belongs to: single, multiple, order, code_output)",
    ],
    "unknown_type.yaml": [
        "broken/unknown_type.yaml:6: unknown-type-singel: unknown type 'singel' (did you mean "
        "'single'?); the types are: single, multiple, true_false, fill, numeric, order, "
        "code_output, short",
        "broken/unknown_type.yaml:10: unknown-type-missing: missing key 'type' (one of: single, "
        "multiple, true_false, fill, numeric, order, code_output, short)",
    ],
    "missing_key.yaml": [
        "broken/missing_key.yaml:4: missing-explanation: missing key 'explanation'",
        "broken/missing_key.yaml:10: questions[1]: a question must be a mapping of keys "
        "(- id: ..., type: ...)",
    ],
    "missing_translation.yaml": [
        "broken/missing_translation.yaml:9: translation-missing-en: missing English translation "
        "'en' in prompt",
        "broken/missing_translation.yaml:12: translation-missing-en: empty Chinese translation "
        "'zh' in explanation",
        "broken/missing_translation.yaml:22: translation-null: empty English translation 'en' "
        "in options[1]",
        "broken/missing_translation.yaml:24: translation-null: hint must give both languages as "
        "a mapping {zh: ..., en: ...}, got 'Just one language'",
    ],
    "answer_range.yaml": [
        "broken/answer_range.yaml:13: range-single: answer 3 is out of range (3 options: 0..2)",
        "broken/answer_range.yaml:25: range-multiple: answer 5 is out of range (2 options: 0..1)",
        "broken/answer_range.yaml:26: range-multiple: answer lists option 0 twice",
        "broken/answer_range.yaml:34: range-negative: answer -1 is out of range (2 options: 0..1)",
    ],
    "answer_shape.yaml": [
        "broken/answer_shape.yaml:10: shape-single-string: answer must be a 0-based option "
        "index (a whole number), got '1'",
        "broken/answer_shape.yaml:18: shape-multiple-scalar: answer must be a list of option "
        "indices (e.g. [0, 2]), got 1",
        "broken/answer_shape.yaml:25: shape-true-false-yes: answer must be true or false, "
        "got 'yes'",
        "broken/answer_shape.yaml:32: shape-numeric-text: answer must be a number, got 'about ten'",
        "broken/answer_shape.yaml:38: shape-prompt-string: prompt must give both languages as "
        "a mapping {zh: ..., en: ...}, got 'Is this true?'",
    ],
    "order_answer.yaml": [
        "broken/order_answer.yaml:13: order-with-answer: order questions take no 'answer': "
        "write the options in the correct order (they are shown shuffled); besides, [0, 0, 1] "
        "is not a permutation of 0..2",
    ],
    "negative_tolerance.yaml": [
        "broken/negative_tolerance.yaml:10: tolerance-negative: tolerance must not be negative, "
        "got -0.1",
        "broken/negative_tolerance.yaml:11: tolerance-negative: rel_tolerance must be a finite "
        "number, got nan",
    ],
    "empty_options.yaml": [
        "broken/empty_options.yaml:9: options-empty: options is empty; a single question needs "
        "at least 2 options",
        "broken/empty_options.yaml:18: options-one: options has 1; an order question needs at "
        "least 2 options",
    ],
    "duplicate_options.yaml": [
        "broken/duplicate_options.yaml:12: options-duplicated: option 2 duplicates option 0 "
        "(en: 'the leaf tensor')",
    ],
    "difficulty.yaml": [
        "broken/difficulty.yaml:6: difficulty-seven: difficulty must be from 1 to 5, got 7",
        "broken/difficulty.yaml:13: difficulty-zero: difficulty must be from 1 to 5, got 0",
    ],
    "duplicate_id.yaml": [
        "broken/duplicate_id.yaml:12: twice: duplicate id 'twice' "
        "(first defined at broken/duplicate_id.yaml:4)",
    ],
    "duplicate_key.yaml": [
        "broken/duplicate_key.yaml:11: key-twice: duplicate key 'answer' (first at line 10)",
    ],
    "code_output_options.yaml": [
        "broken/code_output_options.yaml:11: code-options-missing-answer: no option equals the "
        "answer; exactly one must",
        "broken/code_output_options.yaml:21: code-options-answer-twice: options 0, 2 all equal "
        "the answer; exactly one must",
        # differs only in torch's alignment spacing, which a typed answer may leave out
        "broken/code_output_options.yaml:33: code-options-answer-spaced: options 0, 1 all equal "
        "the answer; exactly one must",
    ],
    "bad_regex.yaml": [
        "broken/bad_regex.yaml:10: regex-unclosed: invalid regex: missing ), unterminated "
        "subpattern at position 9",
    ],
    "bad_id.yaml": [
        "broken/bad_id.yaml:1: -: bank 'Bad_Bank' must be kebab-case: lowercase letters, digits "
        "and '-' (e.g. autograd-leaf-grad)",
        "broken/bad_id.yaml:4: Autograd_1: id 'Autograd_1' must be kebab-case: lowercase "
        "letters, digits and '-' (e.g. autograd-leaf-grad)",
        "broken/bad_id.yaml:7: Autograd_1: tags is empty; give at least one topic tag",
    ],
    "rare_values.yaml": [
        "broken/rare_values.yaml:4: questions[0]: id is empty; give a text",
        "broken/rare_values.yaml:17: rare-multiple-no-answer: answer is empty; list at least one "
        "correct answer",
        "broken/rare_values.yaml:25: rare-order-with-a-permutation: order questions take no "
        "'answer': write the options in the correct order (they are shown shuffled)",
        "broken/rare_values.yaml:29: rare-fraction-and-list: difficulty must be a whole number "
        "from 1 to 5, got 1.5",
        "broken/rare_values.yaml:34: rare-fraction-and-list: hint must give both languages as a "
        "mapping {zh: ..., en: ...}, got a list",
    ],
}


@pytest.fixture(autouse=True)
def _in_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(DATA)


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_bank_is_reported_exactly(name: str) -> None:
    """Each broken fixture yields exactly the expected `path:line: id: message` lines."""
    result = load_banks([f"broken/{name}"], cache=False)
    assert [str(p) for p in result.problems] == CASES[name]


def test_every_broken_fixture_has_a_case() -> None:
    """No fixture in broken/ goes untested."""
    assert sorted(p.name for p in (DATA / "broken").glob("*.yaml")) == sorted(CASES)


def test_all_problems_come_in_one_run() -> None:
    """Loading the whole folder reports every file's problems together, grouped by file."""
    result = load_banks(["broken"], cache=False)
    expected = [line for name in sorted(CASES) for line in CASES[name]]
    assert sorted(str(p) for p in result.problems) == sorted(expected)
    assert result.files == len(CASES)


def test_duplicates_across_files() -> None:
    """A repeated question id or bank id in a later file points at the first definition."""
    result = load_banks(["dupes"], cache=False)
    assert [str(p) for p in result.problems] == [
        "dupes/second.yaml:1: -: duplicate bank id 'first' (first defined at dupes/first.yaml:1)",
        "dupes/second.yaml:11: shared-id: duplicate id 'shared-id' "
        "(first defined at dupes/first.yaml:4)",
    ]
    second = next(b for b in result.banks if b.path.name == "second.yaml")
    assert [q.id for q in second.questions] == ["second-own"]
    assert result.find("shared-id").difficulty == 1  # the first definition wins


def test_broken_questions_are_left_out_but_the_rest_loads() -> None:
    """A bank with one bad question still offers its good ones."""
    result = load_banks(["broken/answer_range.yaml"], cache=False)
    assert len(result.banks) == 1 and result.banks[0].questions == ()
    result = load_banks(["broken/unknown_type.yaml", "broken/duplicate_id.yaml"], cache=False)
    assert [q.id for q in result.questions()] == ["twice"]
