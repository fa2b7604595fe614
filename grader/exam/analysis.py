"""Provides item analysis by classical test theory, as Moodle's quiz statistics report does.

Input: a response matrix, one row per student, one credit in [0, 1] per item the student saw
(an item a student did not see is absent from their row, and each item is analysed over the N
students who saw it). Standard library only.

Per item (over its N students):

- **facility**: the mean credit (1 = everyone right);
- **SD**: the sample standard deviation of the credit;
- **discrimination**: Pearson's r between the item and the rest of the test (the student's total
  without this item), so an item is not correlated with itself;
- **discriminative efficiency**: that covariance over the largest covariance the same scores
  could have (both lists sorted alike), as Moodle defines it;
- for choice items, the share of the top and the bottom third (by total) picking each option.

Per exam: mean, median, sample SD, skewness (adjusted Fisher–Pearson G1), excess kurtosis (G2),
Cronbach's α (which is KR-20 when every item scores 0 or 1) and the standard error of
measurement SD·√(1−α).

α is checked against a published worked example: Karl L. Wuensch, "The Kuder-Richardson 20"
(https://core.ecu.edu/wuenschk/StatHelp/KR20.txt), ten students by ten items, p = .7 .7 .6 .7
.6 .8 .7 .7 .5 .6, Σpq = 2.18, total variance 5.84, so KR-20 = 10/9 · (1 − 2.18/5.84) ≈ 0.696
(``tests/exam/test_analysis.py``).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from grader.i18n import Text

__all__ = [
    "ExamStats",
    "ItemStats",
    "analyse",
    "cronbach_alpha",
    "discriminative_efficiency",
    "pearson",
]

EASY = 0.9
HARD = 0.2
LOW_DISCRIMINATION = 0.2


def _mean(xs: Sequence[float]) -> float:
    return sum(xs) / len(xs)


def _cov(xs: Sequence[float], ys: Sequence[float]) -> float:
    mx, my = _mean(xs), _mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (len(xs) - 1)


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Pearson's r; None when fewer than 2 pairs or either side does not vary."""
    if len(xs) < 2:
        return None
    sx, sy = _cov(xs, xs), _cov(ys, ys)
    if sx <= 0 or sy <= 0:
        return None
    return _cov(xs, ys) / math.sqrt(sx * sy)


def discriminative_efficiency(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """cov(x, y) / the covariance of x and y both sorted ascending (the most they could have)."""
    if len(xs) < 2:
        return None
    best = _cov(sorted(xs), sorted(ys))
    if best <= 0:
        return None
    return _cov(xs, ys) / best


def cronbach_alpha(rows: Sequence[Sequence[float]]) -> float | None:
    """α = k/(k−1) · (1 − Σ item variances / variance of totals), over complete rows (KR-20
    for 0/1 items); None for fewer than 2 items or 2 students, or totals that do not vary."""
    if len(rows) < 2 or len(rows[0]) < 2:
        return None
    k = len(rows[0])
    columns = list(zip(*rows, strict=True))
    item_var = sum(statistics.pvariance(col) for col in columns)
    total_var = statistics.pvariance([sum(r) for r in rows])
    if total_var <= 0:
        return None
    return k / (k - 1) * (1 - item_var / total_var)


def _skewness(xs: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    m = _mean(xs)
    m2 = sum((x - m) ** 2 for x in xs) / n
    if m2 <= 0:
        return None
    m3 = sum((x - m) ** 3 for x in xs) / n
    g1 = m3 / m2**1.5
    return math.sqrt(n * (n - 1)) / (n - 2) * g1


def _kurtosis(xs: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 4:
        return None
    m = _mean(xs)
    m2 = sum((x - m) ** 2 for x in xs) / n
    if m2 <= 0:
        return None
    m4 = sum((x - m) ** 4 for x in xs) / n
    g2 = m4 / m2**2 - 3
    return (n - 1) / ((n - 2) * (n - 3)) * ((n + 1) * g2 + 6)


@dataclass
class ItemStats:
    item: str
    n: int
    facility: float
    sd: float | None
    discrimination: float | None
    efficiency: float | None
    question_id: str = ""
    qtype: str = ""
    options: list[str] = field(default_factory=list)
    """Option labels (choice items), in the bank's order."""
    key: list[int] = field(default_factory=list)
    """The right option(s), by the bank's order."""
    top_picks: list[float] = field(default_factory=list)
    """Share of the top third picking each option."""
    bottom_picks: list[float] = field(default_factory=list)
    all_picks: list[int] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    """Plain-words warnings (English; ``flags_zh`` holds the same in Chinese)."""
    flags_zh: list[str] = field(default_factory=list)


@dataclass
class ExamStats:
    n: int
    items: int
    mean: float | None
    median: float | None
    sd: float | None
    skewness: float | None
    kurtosis: float | None
    alpha: float | None
    sem: float | None
    max_score: float
    totals: list[float]


def _flag(stats: ItemStats, text: Text) -> None:
    stats.flags.append(text.en)
    stats.flags_zh.append(text.zh)


def analyse(
    matrix: Mapping[str, Mapping[str, float]],
    *,
    items: Sequence[str] | None = None,
    picks: Mapping[str, Mapping[str, int | None]] | None = None,
    choice_info: Mapping[str, tuple[list[str], list[int]]] | None = None,
    question_ids: Mapping[str, str] | None = None,
    types: Mapping[str, str] | None = None,
) -> tuple[ExamStats, list[ItemStats]]:
    """Item and exam statistics of ``matrix`` (student -> item -> credit).

    ``picks`` (student -> item -> option index picked) and ``choice_info`` (item -> option labels,
    right options) add the option table of choice items.
    """
    labels = list(items) if items is not None else sorted({i for r in matrix.values() for i in r})
    students = [s for s in matrix if matrix[s]]
    totals = {s: sum(matrix[s].values()) for s in students}
    ordered = sorted(students, key=lambda s: totals[s])
    third = len(ordered) // 3
    bottom = set(ordered[:third]) if third else set()
    top = set(ordered[-third:]) if third else set()
    results: list[ItemStats] = []
    for label in labels:
        who = [s for s in students if label in matrix[s]]
        xs = [matrix[s][label] for s in who]
        rest = [totals[s] - matrix[s][label] for s in who]
        if not xs:
            continue
        stats = ItemStats(
            item=label,
            n=len(xs),
            facility=_mean(xs),
            sd=statistics.stdev(xs) if len(xs) > 1 else None,
            discrimination=pearson(xs, rest),
            efficiency=discriminative_efficiency(xs, rest),
            question_id=(question_ids or {}).get(label, ""),
            qtype=(types or {}).get(label, ""),
        )
        if choice_info and label in choice_info and picks is not None:
            options, key = choice_info[label]
            stats.options, stats.key = list(options), list(key)

            def share(group: set[str], k: int, _label: str = label, _who: list[str] = who) -> float:
                members = [s for s in _who if s in group]
                if not members:
                    return 0.0
                hits = sum(picks.get(s, {}).get(_label) == k for s in members)
                return hits / len(members)

            stats.top_picks = [share(top, k) for k in range(len(options))]
            stats.bottom_picks = [share(bottom, k) for k in range(len(options))]
            stats.all_picks = [
                sum(picks.get(s, {}).get(label) == k for s in who) for k in range(len(options))
            ]
        _flags(stats)
        results.append(stats)
    values = [totals[s] for s in students]
    # α over the items every student saw (all of them when everyone had the same exam).
    common = [i for i in labels if all(i in matrix[s] for s in students)]
    complete = [[matrix[s][i] for i in common] for s in students]
    alpha = cronbach_alpha(complete)
    sd = statistics.stdev(values) if len(values) > 1 else None
    exam = ExamStats(
        n=len(values),
        items=len(labels),
        mean=_mean(values) if values else None,
        median=statistics.median(values) if values else None,
        sd=sd,
        skewness=_skewness(values),
        kurtosis=_kurtosis(values),
        alpha=alpha,
        sem=sd * math.sqrt(1 - alpha)
        if sd is not None and alpha is not None and alpha <= 1
        else None,
        max_score=float(len(labels)),
        totals=values,
    )
    return exam, results


def _flags(stats: ItemStats) -> None:
    if stats.facility > EASY:
        _flag(
            stats,
            Text(
                zh=f"太容易：得分率 {stats.facility:.0%}",
                en=f"too easy: {stats.facility:.0%} of the credit was earned",
            ),
        )
    elif stats.facility < HARD:
        _flag(
            stats,
            Text(
                zh=f"太难：得分率只有 {stats.facility:.0%}",
                en=f"too hard: only {stats.facility:.0%} of the credit was earned",
            ),
        )
    d = stats.discrimination
    if d is not None and d < 0:
        _flag(
            stats,
            Text(
                zh=f"区分度为负（{d:.2f}）：总分高的学生反而答错更多，答案可能标错了",
                en=f"negative discrimination ({d:.2f}): stronger students did worse here; "
                "the key may be wrong",
            ),
        )
    elif d is not None and d < LOW_DISCRIMINATION:
        _flag(
            stats,
            Text(
                zh=f"区分度低（{d:.2f}）：几乎分不出强弱",
                en=f"low discrimination ({d:.2f}): it barely separates strong and weak students",
            ),
        )
    if stats.options:
        for k, name in enumerate(stats.options):
            if k in stats.key:
                continue
            if stats.all_picks and stats.all_picks[k] == 0:
                _flag(
                    stats,
                    Text(
                        zh=f"干扰项 {chr(65 + k)}（{name[:40]}）无人选择",
                        en=f"distractor {chr(65 + k)} ({name[:40]}) was picked by nobody",
                    ),
                )
            key_top = max((stats.top_picks[j] for j in stats.key), default=0.0)
            if stats.top_picks and stats.top_picks[k] > key_top:
                _flag(
                    stats,
                    Text(
                        zh=f"高分组选干扰项 {chr(65 + k)} 多于正确答案：请检查答案",
                        en=f"the top third picked distractor {chr(65 + k)} more often than the "
                        "key: check the key",
                    ),
                )


def as_rows(items: Sequence[ItemStats]) -> list[dict[str, Any]]:
    """One CSV row per item."""

    def r(v: float | None) -> str:
        return "" if v is None else f"{v:.3f}"

    return [
        {
            "item": s.item,
            "question": s.question_id,
            "type": s.qtype,
            "n": s.n,
            "facility": r(s.facility),
            "sd": r(s.sd),
            "discrimination": r(s.discrimination),
            "efficiency": r(s.efficiency),
            "top_third_picks": " ".join(f"{p:.2f}" for p in s.top_picks),
            "bottom_third_picks": " ".join(f"{p:.2f}" for p in s.bottom_picks),
            "flags": "; ".join(s.flags),
        }
        for s in items
    ]
