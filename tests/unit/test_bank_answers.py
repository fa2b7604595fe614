"""Answer checking: one pure function per type, including Chinese full-width input."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.bank.answers import (
    Score,
    check_answer,
    layout_free_output,
    normalise_output,
    normalise_text,
    parse_number,
)
from grader.bank.loader import load_banks

BANK = Path(__file__).resolve().parents[1] / "data" / "banks" / "good" / "questions"


@pytest.fixture(scope="module")
def q():
    """The fixture bank's questions by id."""
    result = load_banks([BANK / "all_types.yaml"], cache=False)
    assert result.ok, result.problems
    return {question.id: question for question in result.questions()}


def test_single(q) -> None:
    """Only the correct index scores; an out-of-range index is simply wrong."""
    assert check_answer(q["good-single"], 0) == Score(1.0, True)
    assert check_answer(q["good-single"], 1) == Score(0.0, False)
    assert check_answer(q["good-single"], 7) == Score(0.0, False)


def test_single_rejects_a_response_of_the_wrong_kind(q) -> None:
    """A caller passing text or a bool for an option index is a bug, not a wrong answer."""
    with pytest.raises(TypeError):
        check_answer(q["good-single"], "0")
    with pytest.raises(TypeError):
        check_answer(q["good-single"], True)


def test_multiple_all_or_nothing(q) -> None:
    """Without partial credit only the exact set of correct options scores."""
    question = q["good-multiple-strict"]
    assert check_answer(question, {0, 1}).correct
    assert check_answer(question, [1, 0]).value == 1.0
    assert check_answer(question, {0}).value == 0.0
    assert check_answer(question, {0, 1, 2}).value == 0.0


@pytest.mark.parametrize(
    ("chosen", "value"),
    [({0, 1}, 1.0), ({0}, 0.5), ({1, 2}, 0.0), ({0, 1, 2}, 0.5), ({2, 3}, 0.0), (set(), 0.0)],
)
def test_multiple_partial_credit(q, chosen: set[int], value: float) -> None:
    """Moodle-style: k=2 correct; +1/2 per right choice, -1/2 per wrong one, floored at 0."""
    score = check_answer(q["good-multiple"], chosen)
    assert score.value == pytest.approx(value)
    assert score.correct is (value == 1.0)


def test_true_false(q) -> None:
    """Exact match of the boolean."""
    assert check_answer(q["good-true-false"], True).correct
    assert not check_answer(q["good-true-false"], False).correct
    with pytest.raises(TypeError):
        check_answer(q["good-true-false"], "true")


@pytest.mark.parametrize(
    "typed",
    [
        "zero_grad",
        "  zero_grad()  ",
        "Zero_Grad()",
        "ｚｅｒｏ＿ｇｒａｄ（）",  # full-width letters and brackets from a Chinese keyboard
        "optimizer.zero_grad()",  # accepted by the regex
        "optimizer。zero_grad（）",  # Chinese full stop and brackets
    ],
)
def test_fill_accepts_normalised_answers(q, typed: str) -> None:
    """Trimming, case folding, NFKC full-width folding and the full-match regex."""
    assert check_answer(q["good-fill"], typed).correct, typed


@pytest.mark.parametrize("typed", ["", "   ", "zero", "zero_grad() now", "optimizer.step()"])
def test_fill_rejects_other_answers(q, typed: str) -> None:
    """The regex must match in full; empty input is wrong."""
    assert not check_answer(q["good-fill"], typed).correct, typed


def test_fill_case_sensitive(q) -> None:
    """With case_sensitive the case must match (full-width input still folds to ASCII)."""
    question = q["good-fill-case"]
    assert check_answer(question, "torch.float32").correct
    assert check_answer(question, "ｔｏｒｃｈ．ｆｌｏａｔ３２").correct
    assert not check_answer(question, "Torch.Float32").correct


def test_fill_collapses_inner_whitespace() -> None:
    """Inner runs of spaces, tabs and ideographic spaces count as one space."""
    assert normalise_text("a \t\u3000 b") == "a b"
    assert normalise_text("（１，２）") == "(1,2)"


@pytest.mark.parametrize(
    ("typed", "correct"),
    [
        ("0.5", True),
        (" 0.5 ", True),
        ("0.51", True),  # on the tolerance boundary
        ("0.49", True),
        ("0.52", False),
        ("０．５", True),  # full width
        ("5e-1", True),
        ("1/2", True),
        ("half", False),
        ("", False),
        ("nan", False),
        ("inf", False),
    ],
)
def test_numeric_absolute_tolerance(q, typed: str, correct: bool) -> None:
    """|x - 0.5| <= 0.01; text that is not a number scores 0."""
    assert check_answer(q["good-numeric"], typed).correct is correct


@pytest.mark.parametrize(
    ("typed", "correct"),
    [
        ("1500", True),
        ("1515", True),
        ("1516", False),
        ("１，５００", False),
        ("1_500", True),
        ("1.5e3", True),
    ],
)
def test_numeric_relative_tolerance(q, typed: str, correct: bool) -> None:
    """|x - 1500| <= 0.01 * 1500."""
    assert check_answer(q["good-numeric-rel"], typed).correct is correct


def test_numeric_accepts_numbers(q) -> None:
    """A number (not a bool) may be passed directly."""
    assert check_answer(q["good-numeric"], 0.5).correct
    with pytest.raises(TypeError):
        check_answer(q["good-numeric"], True)


def test_parse_number() -> None:
    """Full-width digits, the minus sign and surrounding spaces are understood."""
    assert parse_number("１．５") == 1.5
    assert parse_number("\u22122") == -2.0
    assert parse_number(" 1e-3 ") == 0.001
    assert parse_number("1/0") is None
    assert parse_number("abc") is None


def test_order_exact_and_partial(q) -> None:
    """Exact order scores 1; with partial credit, the fraction of items in place."""
    question = q["good-order"]
    assert check_answer(question, [0, 1, 2, 3]).correct
    assert check_answer(question, [0, 1, 3, 2]).value == pytest.approx(0.5)
    assert check_answer(question, [3, 2, 1, 0]).value == 0.0
    strict = question.model_copy(update={"partial_credit": False})
    assert check_answer(strict, [0, 1, 3, 2]).value == 0.0


def test_order_rejects_a_non_permutation(q) -> None:
    """A response that is not a permutation of the option indices is a caller bug."""
    with pytest.raises(ValueError):
        check_answer(q["good-order"], [0, 0, 1, 2])


def test_code_output_line_by_line(q) -> None:
    """Trailing blank lines and layout spacing are ignored; characters and line breaks count."""
    question = q["good-code-output"]
    assert check_answer(question, "torch.Size([2, 3])  \nFalse\n\n\n").correct
    assert check_answer(question, "torch.Size([2, 3])\r\nFalse").correct
    assert check_answer(question, " torch.Size([2, 3])\nFalse").correct  # indentation
    assert check_answer(question, "torch.Size([2,3])\nFalse").correct
    assert not check_answer(question, "torch.Size([2, 3])\nfalse").correct
    assert not check_answer(question, "torch.Size([2, 3])\n\nFalse").correct
    assert not check_answer(question, "torch.Size([23])\nFalse").correct
    assert not check_answer(question, "torch.Size([2, 3]) False").correct


@pytest.mark.parametrize(
    ("printed", "typed"),
    [
        ("tensor([[2., 3., 4.],\n        [2., 3., 4.]])", "tensor([[2., 3., 4.],\n[2., 3., 4.]])"),
        ("tensor([ 1, -1, 10])", "tensor([1, -1, 10])"),
        (
            "tensor([[ 0.5000, -1.0000],\n        [10.0000,  2.0000]])",
            "tensor([[0.5000, -1.0000],\n [10.0000, 2.0000]])",
        ),
        ("(tensor([1, 2]), tensor([3]))", "(tensor([1,2]),tensor([3]))"),
    ],
)
def test_code_output_ignores_torch_alignment(printed: str, typed: str) -> None:
    """What torch pads to line up columns, and the indentation of its continuation lines, is not
    part of the answer: the typed output without them is right."""
    assert layout_free_output(printed) == layout_free_output(typed)


@pytest.mark.parametrize(
    ("printed", "typed"),
    [
        ("tensor([1, 2])", "tensor([12])"),
        ("tensor([1., 2.])", "tensor([1, 2])"),
        ("a b", "ab"),
        ("tensor([[1, 2],\n        [3, 4]])", "tensor([[1, 2], [3, 4]])"),
    ],
)
def test_code_output_still_needs_every_character(printed: str, typed: str) -> None:
    """Digits, dots, the separation of two words and line breaks still count."""
    assert layout_free_output(printed) != layout_free_output(typed)


def test_code_output_option_index(q) -> None:
    """With options, the chosen option's index may be passed."""
    question = q["good-code-output"]
    assert check_answer(question, 0).correct
    assert not check_answer(question, 1).correct
    assert not check_answer(question, 9).correct


def test_code_output_number_read_as_written(q) -> None:
    """`answer: 6` in YAML is the text '6'."""
    assert q["good-code-output-number"].answer == "6"
    assert check_answer(q["good-code-output-number"], "6\n").correct


def test_normalise_output() -> None:
    """Lines are right-stripped and trailing blank lines dropped."""
    assert normalise_output("a  \n b\n\n") == ("a", " b")
    assert normalise_output("") == ()


@pytest.mark.parametrize(("rating", "value"), [("full", 1.0), ("partial", 0.5), ("none", 0.0)])
def test_short_self_rating(q, rating: str, value: float) -> None:
    """The learner's self-rating is the score."""
    assert check_answer(q["good-short"], rating).value == value


def test_short_rejects_unknown_rating(q) -> None:
    """Only the three ratings exist."""
    with pytest.raises(ValueError):
        check_answer(q["good-short"], "most")


def test_score_clamps() -> None:
    """Scores stay within [0, 1]."""
    assert Score.of(-0.5) == Score(0.0, False)
    assert Score.of(1.5) == Score(1.0, True)


def test_fill_regex_with_capitals_ignores_case_unless_case_sensitive(q) -> None:
    """A regex written with capitals still matches any case of a case-insensitive question (the
    response is case-folded before the regex sees it), and only the exact case of a
    case-sensitive one."""
    update = {"answer": ("never typed",), "regex": r"Optimizer\.Zero_Grad\(\)"}
    loose = q["good-fill"].model_copy(update=update)
    for typed in ("optimizer.zero_grad()", "OPTIMIZER.ZERO_GRAD()", "Optimizer.Zero_Grad()"):
        assert check_answer(loose, typed).correct, typed
    strict = loose.model_copy(update={"case_sensitive": True})
    assert check_answer(strict, "Optimizer.Zero_Grad()").correct
    assert not check_answer(strict, "optimizer.zero_grad()").correct
