"""Writing a batch's outputs: gradebook.csv, one JSON per grade, summary.json and summary.md.

Every file is written to a temporary name in the same folder, flushed to disk and renamed into
place, so a reader never sees half a file and a killed batch never leaves a truncated gradebook.
The gradebook is always rewritten whole from the rows, never appended to.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import statistics
import tempfile
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from grader.batch.status import STATUSES, counts_in_means
from grader.i18n import Lang

if TYPE_CHECKING:
    from grader.batch.backends.base import NodeFacts

log = logging.getLogger(__name__)

COLUMNS = ("student", "exercise", "score", "max_score", "status")
BUCKETS = tuple(f"{low}-{low + 10}%" for low in range(0, 100, 10))
"""Score distribution buckets: [0, 10) ... [80, 90) and [90, 100] percent of the maximum."""
MOST_FAILED = 5


@dataclass(frozen=True)
class Row:
    """One line of the gradebook."""

    student: str
    exercise: str
    score: float | None
    """None when nothing was graded (skipped, grader-error): never written as a 0."""
    max_score: float | None
    status: str
    result: dict[str, Any] | None
    """The Gradescope-shaped result document, when the submission was graded."""
    node: str | None = None
    """The node that graded it (the host name locally, ``ip/node-id`` on Ray; for a grade taken
    from the journal, the node of the run that made it); None for a missing file or a grader
    error."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, fsync and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fchmod(fh.fileno(), 0o666 & ~_umask())
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    # Best effort: some file systems cannot open or fsync a folder; the file itself is synced.
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError as exc:
        log.debug("folder %s not synced after writing %s: %s", path.parent, path.name, exc)
        return
    try:
        os.fsync(dir_fd)
    except OSError as exc:
        log.debug("folder %s not synced after writing %s: %s", path.parent, path.name, exc)
    finally:
        os.close(dir_fd)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_gradebook(out: Path, rows: list[Row]) -> Path:
    """OUT/gradebook.csv: UTF-8 with a BOM (so spreadsheets read Chinese names), one row per
    student and exercise, sorted, CRLF line ends (RFC 4180)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=lambda r: (r.student, r.exercise)):
        writer.writerow(
            [row.student, row.exercise, _fmt(row.score), _fmt(row.max_score), row.status]
        )
    path = out / "gradebook.csv"
    atomic_write(path, "\ufeff" + buf.getvalue())
    return path


def result_path(out: Path, student: str, exercise: str) -> Path:
    """Where the result document of one student and exercise is written."""
    return out / student / f"{exercise}.json"


def write_result(out: Path, row: Row) -> None:
    """OUT/<student>/<exercise>.json: the result of one grade; a row without a result removes
    a stale file left by an earlier grade."""
    path = result_path(out, row.student, row.exercise)
    if row.result is None:
        path.unlink(missing_ok=True)
        return
    atomic_write(path, json.dumps(row.result, ensure_ascii=False, indent=2) + "\n")


def _failed_checks(rows: list[Row]) -> Counter[str]:
    failed: Counter[str] = Counter()
    for r in rows:
        for test in (r.result or {}).get("tests", []):
            if test.get("reason") not in ("passed", "skipped"):
                failed[test["name"]] += 1
    return failed


def summarize(
    rows: list[Row], *, backend: str | None = None, nodes: Mapping[str, NodeFacts] | None = None
) -> dict[str, Any]:
    """Per exercise: counts, mean, median, score distribution, statuses, most-failed checks;
    and which node graded what.

    Mean, median and distribution follow :func:`grader.batch.status.counts_in_means`: missing
    files count as 0, skipped grades and grader errors are left out (and counted in
    ``statuses``). ``graded`` counts the submissions the grader graded (missing ones are not).
    ``nodes`` lists every node that graded a row (grades taken from the journal count for the
    node of the run that made them) or was refused, with its grades and statuses, and for the
    nodes of this run its slots and the sandbox layers its probe found; ``graded_by`` maps
    ``student/exercise`` to its node. ``backend`` is the batch's (None for merged shards).
    """
    exercises: dict[str, Any] = {}
    for ex in sorted({r.exercise for r in rows}):
        mine = [r for r in rows if r.exercise == ex]
        graded = [r for r in mine if r.score is not None and r.status != "missing"]
        scored = [r for r in mine if counts_in_means(r.status) and r.score is not None]
        scores = [r.score for r in scored if r.score is not None]
        max_score = next((r.max_score for r in mine if r.max_score), None)
        distribution = dict.fromkeys(BUCKETS, 0)
        for s in scores:
            pct = 100.0 * s / max_score if max_score else 0.0
            distribution[BUCKETS[min(9, max(0, int(pct // 10)))]] += 1
        counts = Counter(r.status for r in mine)
        exercises[ex] = {
            "students": len(mine),
            "graded": len(graded),
            "in_means": len(scores),
            "max_score": max_score,
            "mean": round(statistics.fmean(scores), 4) if scores else None,
            "median": round(statistics.median(scores), 4) if scores else None,
            "distribution": distribution,
            "statuses": {s: counts[s] for s in STATUSES if counts[s]},
            "most_failed_checks": [
                {"check": name, "failed": n, "of": len(graded)}
                for name, n in sorted(
                    _failed_checks(graded).items(), key=lambda kv: (-kv[1], kv[0])
                )[:MOST_FAILED]
            ],
        }
    return {
        "students": len({r.student for r in rows}),
        "grades": len(rows),
        "grader_errors": sum(r.status == "grader-error" for r in rows),
        "exercises": exercises,
        "backend": backend,
        "nodes": _nodes_summary(rows, nodes or {}),
        "graded_by": {
            f"{r.student}/{r.exercise}": r.node
            for r in sorted(rows, key=lambda r: (r.student, r.exercise))
            if r.node is not None
        },
    }


def _nodes_summary(rows: list[Row], nodes: Mapping[str, NodeFacts]) -> dict[str, Any]:
    """Per node that graded in this run: its host, slots, grades by status, sandbox layers."""
    summary: dict[str, Any] = {}
    for label in sorted(set(nodes) | {r.node for r in rows if r.node is not None}):
        mine = [r for r in rows if r.node == label]
        facts = nodes.get(label)
        counts = Counter(r.status for r in mine)
        summary[label] = {
            "hostname": facts.hostname if facts else "",
            "slots": facts.slots if facts else 0,
            "grades": len(mine),
            "statuses": {s: counts[s] for s in STATUSES if counts[s]},
            "sandbox_layers": list(facts.sandbox_layers) if facts else [],
            "refused": facts.refused if facts else None,
            "course_fetches": facts.course_fetches if facts else 0,
        }
    return summary


def render_summary_md(summary: dict[str, Any]) -> str:
    """The readable summary: one section per exercise."""
    lines = [
        "# Batch summary",
        "",
        f"Students: {summary['students']} · grades: {summary['grades']} · "
        f"grader errors: {summary['grader_errors']}",
        "",
    ]
    for ex, data in summary["exercises"].items():
        dash = "–"
        mean = dash if data["mean"] is None else _fmt(data["mean"])
        median = dash if data["median"] is None else _fmt(data["median"])
        lines += [
            f"## {ex}",
            "",
            "| students | graded | max score | mean | median |",
            "|---:|---:|---:|---:|---:|",
            f"| {data['students']} | {data['graded']} | {_fmt(data['max_score'])} | {mean} "
            f"| {median} |",
            "",
            "Statuses: " + ", ".join(f"{k} {v}" for k, v in data["statuses"].items()),
            "",
            f"Mean, median and distribution cover {data['in_means']} rows: missing files "
            "count as 0; skipped and grader-error rows (no score) are left out.",
            "",
        ]
        if data["in_means"]:
            lines += ["| score (% of max) | submissions |", "|---|---:|"]
            lines += [f"| {k} | {v} |" for k, v in data["distribution"].items()]
            lines.append("")
        if data["most_failed_checks"]:
            lines += ["Checks most often failed:", ""]
            lines += [
                f"1. `{c['check']}`: {c['failed']} of {c['of']}" for c in data["most_failed_checks"]
            ]
            lines.append("")
    if summary.get("nodes"):
        lines += _nodes_md(summary)
    return "\n".join(lines)


def _nodes_md(summary: dict[str, Any]) -> list[str]:
    lines = [
        f"## Nodes ({summary.get('backend') or 'merged'} backend)",
        "",
        "| node | host | slots | grades | statuses | sandbox layers |",
        "|---|---|---:|---:|---|---|",
    ]
    for label, node in summary["nodes"].items():
        statuses = ", ".join(f"{k} {v}" for k, v in node["statuses"].items()) or "–"
        layers = ", ".join(node["sandbox_layers"]) or "–"
        if node.get("refused"):
            statuses, layers = f"refused: {node['refused']}", layers
        lines.append(
            f"| {label} | {node['hostname']} | {node['slots']} | {node['grades']} | {statuses} "
            f"| {layers} |"
        )
    lines += [
        "",
        "Each result's JSON records the sandbox layers active where it was graded "
        "(`provenance.sandbox_layers`); `graded_by` in summary.json names each result's node.",
        "",
    ]
    return lines


def write_summary(
    out: Path,
    rows: list[Row],
    *,
    backend: str | None = None,
    nodes: Mapping[str, NodeFacts] | None = None,
) -> dict[str, Any]:
    """OUT/summary.json and OUT/summary.md; returns the summary."""
    summary = summarize(rows, backend=backend, nodes=nodes)
    atomic_write(out / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2) + "\n")
    atomic_write(out / "summary.md", render_summary_md(summary))
    return summary


def _suite_name(row: Row) -> str:
    return f"{row.student}/{row.exercise}"


def render_junit_rows(rows: list[Row], lang: Lang) -> str:
    """One JUnit document for a batch: a <testsuite> per student and exercise."""
    import xml.etree.ElementTree as ET

    from grader.runner.reports.junit import add_suite, add_ungraded_suite, to_text

    root = ET.Element("testsuites", name="grader")
    for row in sorted(rows, key=lambda r: (r.student, r.exercise)):
        if row.result is not None:
            add_suite(root, row.result, _suite_name(row), lang)
            continue
        if row.status == "missing":
            check = f"{row.exercise}.py"
            why = f"0 of {row.max_score or 0:g}: no file {row.exercise}.py was submitted"
        else:
            check, why = (
                "grading",
                f"not graded ({row.status}): the grader failed; run the batch again",
            )
        add_ungraded_suite(root, _suite_name(row), check, row.max_score, row.status, why)
    return to_text(root)


def write_junit(out: Path, rows: list[Row], lang: Lang) -> Path:
    """OUT/junit.xml: every row of the gradebook, for CI test viewers."""
    path = out / "junit.xml"
    atomic_write(path, render_junit_rows(rows, lang) + "\n")
    return path
