"""Item analysis numbers against a matrix computed by hand and a published KR-20 example."""

from __future__ import annotations

import math

import pytest

from grader.exam.analysis import analyse

#: Karl L. Wuensch, "The Kuder-Richardson 20", https://core.ecu.edu/wuenschk/StatHelp/KR20.txt:
#: ten students (A..J) by ten items; the page gives p per item, sum(pq) = 2.18 and the total
#: score variance 5.84, from which KR-20 = 10/9 * (1 - 2.18/5.84).
WUENSCH = """\
1 1 1 1 1 1 0 1 1 0
1 0 1 1 0 1 1 1 0 1
1 1 1 1 0 1 1 0 0 1
0 0 1 0 0 0 1 0 0 0
0 0 0 0 0 1 0 0 1 0
1 1 1 0 1 1 1 1 1 1
1 1 0 1 1 1 0 1 1 1
1 1 1 1 1 1 1 1 0 1
0 1 0 1 1 1 1 1 0 1
1 1 0 1 1 0 1 1 1 0"""


def _matrix(text: str) -> dict[str, dict[str, float]]:
    return {
        f"s{r}": {f"I{c + 1:02d}": float(v) for c, v in enumerate(line.split())}
        for r, line in enumerate(text.splitlines())
    }


def test_published_kr20_example() -> None:
    exam, items = analyse(_matrix(WUENSCH))
    assert [round(i.facility, 2) for i in items] == [
        0.7,
        0.7,
        0.6,
        0.7,
        0.6,
        0.8,
        0.7,
        0.7,
        0.5,
        0.6,
    ]
    assert sum(i.facility * (1 - i.facility) for i in items) == pytest.approx(2.18)
    assert exam.sd is not None and exam.sd**2 * 9 / 10 == pytest.approx(5.84)  # population
    assert exam.alpha == pytest.approx(10 / 9 * (1 - 2.18 / 5.84))
    assert round(exam.alpha, 3) == 0.696
    assert exam.mean == pytest.approx(6.6) and exam.median == 7


def test_small_matrix_by_hand() -> None:
    """Four students, three items, a perfect Guttman pattern:

    ====  ==  ==  ==  =====
    who   I1  I2  I3  total
    ====  ==  ==  ==  =====
    s1    1   1   1   3
    s2    1   1   0   2
    s3    1   0   0   1
    s4    0   0   0   0
    ====  ==  ==  ==  =====

    Facility .75, .5, .25. Item variances (population) 3/16, 1/4, 3/16 add to 5/8; the totals'
    variance is 5/4; α = 3/2 · (1 − (5/8)/(5/4)) = 0.75.

    I1 against the rest of the test (2, 1, 0, 0): deviations of I1 (.25, .25, .25, −.75) and of
    the rest (1.25, .25, −.75, −.75) give Σxy = .75, Σx² = .75, Σy² = 2.75, so
    r = .75/√(.75 · 2.75) = √(3/11). I2 against (2, 1, 1, 0): Σxy = 1, Σx² = 1, Σy² = 2,
    r = 1/√2. Sorting I1 and its rest alike changes nothing here, so its efficiency is 1.
    """
    rows = {"s1": (1, 1, 1), "s2": (1, 1, 0), "s3": (1, 0, 0), "s4": (0, 0, 0)}
    matrix = {s: {f"I{k + 1}": float(v) for k, v in enumerate(r)} for s, r in rows.items()}
    exam, items = analyse(matrix)
    by = {i.item: i for i in items}
    assert [by[k].facility for k in ("I1", "I2", "I3")] == [0.75, 0.5, 0.25]
    assert exam.alpha == pytest.approx(0.75)
    assert by["I1"].discrimination == pytest.approx(math.sqrt(3 / 11))
    assert by["I2"].discrimination == pytest.approx(1 / math.sqrt(2))
    assert by["I1"].efficiency == pytest.approx(1.0)
    assert by["I1"].sd == pytest.approx(0.5)  # sample SD of 1, 1, 1, 0
    assert exam.sem == pytest.approx(exam.sd * math.sqrt(0.25))


def test_flags_in_plain_words() -> None:
    """A key marked wrong: the strong students pick option B, the weak ones the 'key' A."""
    matrix, picks = {}, {}
    for n in range(9):
        strong = n >= 6
        matrix[f"s{n}"] = {
            "Q1": 0.0 if strong else 1.0,
            "Q2": 1.0 if n >= 3 else 0.0,
            "Q3": 1.0 if strong else 0.0,
            "Q4": 1.0,
        }
        picks[f"s{n}"] = {"Q1": 1 if strong else 0}
    exam, items = analyse(matrix, picks=picks, choice_info={"Q1": (["a", "b", "c"], [0])})
    flags = {i.item: " | ".join(i.flags) for i in items}
    assert "negative discrimination" in flags["Q1"] and "key may be wrong" in flags["Q1"]
    assert "top third picked distractor B more often than the key" in flags["Q1"]
    assert "distractor C (c) was picked by nobody" in flags["Q1"]
    assert "too easy" in flags["Q4"]
    q1 = next(i for i in items if i.item == "Q1")
    assert q1.top_picks == [0.0, 1.0, 0.0] and q1.bottom_picks == [1.0, 0.0, 0.0]


def test_items_seen_by_some_students_report_their_n() -> None:
    matrix = {"a": {"Q1": 1.0, "Q2": 0.0}, "b": {"Q1": 0.0}, "c": {"Q2": 1.0, "Q1": 1.0}}
    _, items = analyse(matrix)
    assert {i.item: i.n for i in items} == {"Q1": 3, "Q2": 2}
