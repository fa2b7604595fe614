"""Provides the item-analysis reports: ``analysis.md``, ``analysis.csv`` and ``analysis.html``.

``analysis.html`` is one self-contained file (no script, no external font or stylesheet) with
three inline SVG charts: the score histogram (``#score-histogram``), the facility–discrimination
scatter with flagged items labelled (``#facility-discrimination``), and per-question option bars
for the top and bottom thirds (``.option-bars``).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from html import escape
from pathlib import Path

from grader.exam.analysis import ExamStats, ItemStats, as_rows

__all__ = ["write_reports"]


def _f(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _histogram(exam: ExamStats) -> str:
    width, height, pad = 480, 200, 30
    top = max(exam.max_score, max(exam.totals, default=0.0))
    bins = max(1, min(10, int(top) or 1))
    counts = [0] * bins
    for total in exam.totals:
        counts[min(bins - 1, int(total / top * bins)) if top else 0] += 1
    most = max(counts, default=1) or 1
    bar_w = (width - 2 * pad) / bins
    parts = [
        f'<svg id="score-histogram" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>Score histogram / 总分分布</title>'
    ]
    for k, count in enumerate(counts):
        h = (height - 2 * pad) * count / most
        x = pad + k * bar_w
        lo, hi = top * k / bins, top * (k + 1) / bins
        parts.append(
            f'<rect class="bar" x="{x:.1f}" y="{height - pad - h:.1f}" width="{bar_w - 2:.1f}" '
            f'height="{h:.1f}" fill="#4a7ebb"><title>{lo:.1f}–{hi:.1f}: {count}</title></rect>'
            f'<text x="{x + bar_w / 2:.1f}" y="{height - pad + 14}" font-size="10" '
            f'text-anchor="middle">{lo:.0f}</text>'
        )
    parts.append(
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#333"/></svg>'
    )
    return "".join(parts)


def _scatter(items: Sequence[ItemStats]) -> str:
    width, height, pad = 480, 320, 40
    parts = [
        f'<svg id="facility-discrimination" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}"><title>Facility vs discrimination / 得分率与区分度</title>'
        f'<rect x="{pad}" y="{pad}" width="{width - 2 * pad}" height="{height - 2 * pad}" '
        'fill="none" stroke="#999"/>'
        f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle" font-size="11">'
        "facility 得分率 (0–1)</text>"
        f'<text x="12" y="{height / 2}" font-size="11" transform="rotate(-90 12 {height / 2})" '
        'text-anchor="middle">discrimination 区分度 (−1–1)</text>'
    ]
    placed: dict[tuple[int, int], int] = {}
    for s in items:
        d = s.discrimination if s.discrimination is not None else 0.0
        x = pad + s.facility * (width - 2 * pad)
        y = pad + (1 - (d + 1) / 2) * (height - 2 * pad)
        spot = (round(x / 8), round(y / 8))
        stacked = placed.get(spot, 0)  # labels of points at one spot go one under another
        placed[spot] = stacked + 1
        colour = "#c0392b" if s.flags else "#27ae60"
        parts.append(
            f'<circle class="item-point" data-item="{escape(s.item)}" cx="{x:.1f}" cy="{y:.1f}" '
            f'r="5" fill="{colour}"><title>{escape(s.item)}</title></circle>'
        )
        if s.flags:
            parts.append(
                f'<text class="item-label" x="{x + 7:.1f}" y="{y - 6 + 12 * stacked:.1f}" '
                'font-size="11">'
                f"{escape(s.item)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _option_bars(s: ItemStats) -> str:
    n = len(s.options)
    width, row = 420, 22
    height = 24 + n * row
    parts = [
        f'<svg class="option-bars" data-item="{escape(s.item)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><title>{escape(s.item)}</title>'
        '<text x="0" y="12" font-size="10">■ top third 高分组  ■ bottom third 低分组</text>'
    ]
    for k in range(n):
        y = 20 + k * row
        mark = "✓" if k in s.key else ""
        top = s.top_picks[k] if k < len(s.top_picks) else 0.0
        bottom = s.bottom_picks[k] if k < len(s.bottom_picks) else 0.0
        parts.append(
            f'<text x="0" y="{y + 13}" font-size="11">{chr(65 + k)}{mark}</text>'
            f'<rect x="30" y="{y}" width="{top * 360:.1f}" height="9" fill="#2e86c1">'
            f"<title>top {top:.0%}</title></rect>"
            f'<rect x="30" y="{y + 10}" width="{bottom * 360:.1f}" height="9" fill="#e67e22">'
            f"<title>bottom {bottom:.0%}</title></rect>"
        )
    parts.append("</svg>")
    return "".join(parts)


def _html(title: str, exam: ExamStats, items: Sequence[ItemStats]) -> str:
    rows = []
    for s in items:
        flags = "".join(
            f"<li>{escape(en)}<br>{escape(zh)}</li>"
            for en, zh in zip(s.flags, s.flags_zh, strict=True)
        )
        rows.append(
            f'<tr class="{"flagged" if s.flags else ""}"><td>{escape(s.item)}</td>'
            f"<td>{escape(s.question_id)}</td><td>{s.n}</td><td>{_f(s.facility)}</td>"
            f"<td>{_f(s.sd)}</td><td>{_f(s.discrimination)}</td><td>{_f(s.efficiency)}</td>"
            f"<td><ul>{flags}</ul></td></tr>"
        )
    bars = "".join(
        f"<figure><figcaption>{escape(s.item)} {escape(s.question_id)}</figcaption>"
        f"{_option_bars(s)}</figure>"
        for s in items
        if s.options
    )
    stats = (
        f"N = {exam.n} · items 题数 {exam.items} · mean 平均 {_f(exam.mean)} · median 中位数 "
        f"{_f(exam.median)} · SD 标准差 {_f(exam.sd)} · skewness 偏度 {_f(exam.skewness)} · "
        f"kurtosis 峰度 {_f(exam.kurtosis)} · α / KR-20 {_f(exam.alpha)} · SEM {_f(exam.sem)}"
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>
<style>
body {{ font-family: sans-serif; margin: 1.5em; color: #222; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: 2px 6px; }}
tr.flagged td {{ background: #fdecea; }} figure {{ display: inline-block; margin: 0.5em; }}
ul {{ margin: 0; padding-left: 1em; }}
</style></head><body>
<h1>{escape(title)}</h1>
<p id="exam-stats">{stats}</p>
<h2>Scores 总分</h2>{_histogram(exam)}
<h2>Facility and discrimination 得分率与区分度</h2>{_scatter(items)}
<h2>Questions 各题</h2>
<table id="items"><tr><th>item</th><th>question</th><th>N</th><th>facility 得分率</th>
<th>SD</th><th>discrimination 区分度</th><th>efficiency 区分效率</th><th>flags 提示</th></tr>
{"".join(rows)}</table>
<h2>Options by top and bottom third 高分组与低分组的选项</h2>{bars}
</body></html>
"""


def _markdown(title: str, exam: ExamStats, items: Sequence[ItemStats]) -> str:
    lines = [
        f"# {title}",
        "",
        f"- N: {exam.n}; items: {exam.items}",
        f"- mean {_f(exam.mean)}, median {_f(exam.median)}, SD {_f(exam.sd)}, "
        f"skewness {_f(exam.skewness)}, kurtosis {_f(exam.kurtosis)}",
        f"- Cronbach's α (KR-20 for right/wrong items): {_f(exam.alpha)}; "
        f"standard error of measurement: {_f(exam.sem)}",
        "",
        "| item | question | N | facility | SD | discrimination | efficiency | flags |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in items:
        lines.append(
            f"| {s.item} | {s.question_id} | {s.n} | {_f(s.facility)} | {_f(s.sd)} | "
            f"{_f(s.discrimination)} | {_f(s.efficiency)} | {'; '.join(s.flags)} |"
        )
    return "\n".join(lines) + "\n"


def write_reports(out: Path, title: str, exam: ExamStats, items: Sequence[ItemStats]) -> None:
    """Write ``analysis.md``, ``analysis.csv`` and ``analysis.html`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "analysis.md").write_text(_markdown(title, exam, items), encoding="utf-8")
    rows = as_rows(items)
    with (out / "analysis.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        names = list(rows[0]) if rows else ["item"]
        writer = csv.DictWriter(fh, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
    (out / "analysis.html").write_text(_html(title, exam, items), encoding="utf-8")
