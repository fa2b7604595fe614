"""``grader list``: the banks of the active course with question counts per type and difficulty."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from grader.cli.options import course_option, format_option

if TYPE_CHECKING:
    from grader.bank.loader import LoadedBank, LoadResult


def bank_counts(banks: Sequence[LoadedBank]) -> dict[str, Any]:
    """The ``--format json`` document: ``{"banks": [{"bank", "questions", "types",
    "difficulty"}], "total"}``. Every type and difficulty 1..5 is present (0 when unused), so
    consumers need no defaults. Counts come from ``LoadedBank.info``: no model is built."""
    from grader.bank.model import QUESTION_TYPES

    rows: list[dict[str, Any]] = []
    for loaded in banks:
        types = Counter(i.type for i in loaded.info)
        levels = Counter(i.difficulty for i in loaded.info)
        rows.append(
            {
                "bank": loaded.id,
                "questions": len(loaded.info),
                "types": {t: types.get(t, 0) for t in QUESTION_TYPES},
                "difficulty": {str(d): levels.get(d, 0) for d in range(1, 6)},
            }
        )
    return {"banks": rows, "total": sum(row["questions"] for row in rows)}


def _load(course_dir: Path | None) -> LoadResult:
    from grader.bank.loader import LoadResult, load_banks
    from grader.course import resolve_course

    folder = resolve_course(course_dir).questions
    return load_banks([folder]) if folder.is_dir() else LoadResult()


@click.command("list", context_settings={"help_option_names": ["-h", "--help"]})
@format_option(help="A table for people, or JSON for scripts.")
@course_option
def list_banks(fmt: str, course: Path | None) -> None:
    """List the question banks with question counts per type and per difficulty (1-5).

    Only questions without problems are counted; run `grader validate` to see the others.
    """
    from grader.i18n import default_lang

    result = _load(course)
    document = bank_counts(result.banks)
    problems = len(result.problems)
    if fmt == "json":
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        lang = default_lang()
        _print_table(document, {b.id: b.title.get(lang) for b in result.banks})
    if problems:
        click.echo(
            f"note: {problems} problem{'s' if problems != 1 else ''} in the banks left some "
            "questions out; run `grader validate`",
            err=True,
        )


_SHORT = {
    "single": "single",
    "multiple": "multi",
    "true_false": "t/f",
    "fill": "fill",
    "numeric": "num",
    "order": "order",
    "code_output": "code",
    "short": "short",
}


def _print_table(document: dict[str, Any], titles: dict[str, str]) -> None:
    """One row per bank: counts per type, then per difficulty ('-' for none)."""
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if not console.is_terminal:
        console = Console(width=200)  # piped: keep the table's natural width
    table = Table(box=box.SIMPLE_HEAD, show_footer=True, show_edge=False, pad_edge=False)
    table.add_column("bank", footer="total")
    table.add_column("title")
    table.add_column("questions", justify="right", footer=str(document["total"]))
    type_totals: dict[str, int] = {}
    level_totals: dict[str, int] = {}
    for bank in document["banks"]:
        for t, n in bank["types"].items():
            type_totals[t] = type_totals.get(t, 0) + n
        for d, n in bank["difficulty"].items():
            level_totals[d] = level_totals.get(d, 0) + n
    for t, short in _SHORT.items():
        table.add_column(short, justify="right", footer=_cell(type_totals.get(t, 0)))
    for d in "12345":
        table.add_column(f"d{d}", justify="right", footer=_cell(level_totals.get(d, 0)))
    for bank in document["banks"]:
        table.add_row(
            bank["bank"],
            titles.get(bank["bank"], ""),
            str(bank["questions"]),
            *(_cell(bank["types"].get(t, 0)) for t in _SHORT),
            *(_cell(bank["difficulty"].get(d, 0)) for d in "12345"),
        )
    console.print(table)
    console.print("d1..d5: difficulty, 1 (recall) to 5 (expert)", style="dim")


def _cell(n: int) -> str:
    return str(n) if n else "-"
