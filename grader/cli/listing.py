"""``grader list``: the banks of the active course with question counts per type and difficulty,
the parametrised ones (``questions/generated/``) marked as such."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from grader.cli.options import course_option, format_option
from grader.i18n import Lang, Text

if TYPE_CHECKING:
    from grader.bank.loader import LoadedBank, LoadResult
    from grader.bank.params import TemplateFile


def bank_counts(
    banks: Sequence[LoadedBank], generated: Sequence[TemplateFile] = ()
) -> dict[str, Any]:
    """The ``--format json`` document: ``{"banks": [{"bank", "questions", "types",
    "difficulty", "parametrised"}], "total", "parametrised"}``. Every type and difficulty 1..5
    is present (0 when unused), so consumers need no defaults. Counts come from
    ``LoadedBank.info``: no model is built. The files of parametrised questions
    (``generated``) are banks with ``"parametrised": true``; the top-level ``parametrised``
    counts their questions, which ``total`` includes."""
    from grader.bank.model import QUESTION_TYPES

    rows: list[dict[str, Any]] = []

    def row(bank: str, kinds: list[str], levels: list[int], parametrised: bool) -> None:
        types, counted = Counter(kinds), Counter(levels)
        rows.append(
            {
                "bank": bank,
                "questions": len(kinds),
                "types": {t: types.get(t, 0) for t in QUESTION_TYPES},
                "difficulty": {str(d): counted.get(d, 0) for d in range(1, 6)},
                "parametrised": parametrised,
            }
        )

    for loaded in banks:
        row(
            loaded.id,
            [i.type for i in loaded.info],
            [i.difficulty for i in loaded.info],
            False,
        )
    for file in generated:
        if file.templates:
            levels = [int(t.fields.get("difficulty", 0)) for t in file.templates]
            row(str(file.bank), [t.type for t in file.templates], levels, True)
    return {
        "banks": rows,
        "total": sum(r["questions"] for r in rows),
        "parametrised": sum(r["questions"] for r in rows if r["parametrised"]),
    }


def _load(course_dir: Path | None) -> tuple[LoadResult, list[TemplateFile]]:
    from grader.bank.loader import LoadResult, load_banks
    from grader.bank.params import load_templates, template_files
    from grader.course import resolve_course

    folder = resolve_course(course_dir).questions
    generated = [load_templates(path, sample=False) for path in template_files(folder)]
    return (load_banks([folder]) if folder.is_dir() else LoadResult()), generated


@click.command("list", context_settings={"help_option_names": ["-h", "--help"]})
@format_option(help="A table for people, or JSON for scripts.")
@course_option
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Language of titles and headers (default: grader --lang, GRADER_LANG, the locale).",
)
def list_banks(fmt: str, course: Path | None, lang: str | None) -> None:
    """List the question banks with question counts per type and per difficulty (1-5).

    The banks of parametrised questions (questions/generated/: fresh numbers for every learner
    and attempt) are listed too, marked with * (JSON: "parametrised": true), and counted in the
    total; the JSON's top-level "parametrised" counts their questions.

    Only questions without problems are counted; run `grader validate` to see the others.
    In a terminal narrower than the table (80 columns), the titles, then the difficulty
    columns, are left out (a line says so); piped, the whole table is printed.
    """
    from grader.i18n import default_lang

    result, generated = _load(course)
    document = bank_counts(result.banks, generated)
    problems = len(result.problems) + sum(len(g.problems) for g in generated)
    if fmt == "json":
        click.echo(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        chosen: Lang = "zh" if lang == "zh" else "en" if lang == "en" else default_lang()
        titles = {b.id: b.title.get(chosen) for b in result.banks}
        for file in generated:
            if file.title:
                titles[str(file.bank)] = str(file.title.get(chosen, ""))
        _print_table(document, titles, chosen)
    if problems:
        click.echo(
            f"note: {problems} problem{'s' if problems != 1 else ''} in the banks left some "
            "questions out; run `grader validate`",
            err=True,
        )


_SHORT = {
    "single": Text(zh="单选", en="single"),
    "multiple": Text(zh="多选", en="multi"),
    "true_false": Text(zh="判断", en="t/f"),
    "fill": Text(zh="填空", en="fill"),
    "numeric": Text(zh="数值", en="num"),
    "order": Text(zh="排序", en="order"),
    "code_output": Text(zh="代码", en="code"),
    "short": Text(zh="简答", en="short"),
}
_HEADERS = {
    "bank": Text(zh="题库", en="bank"),
    "title": Text(zh="标题", en="title"),
    "questions": Text(zh="题数", en="questions"),
    "total": Text(zh="合计", en="total"),
    "legend": Text(
        zh="d1..d5：难度，从 1（记忆）到 5（专家）",
        en="d1..d5: difficulty, 1 (recall) to 5 (expert)",
    ),
    "parametrised": Text(
        zh="*：随机参数题，每位学习者每次作答的数字都不同，答案由 torch 算出（questions/generated/）",
        en="*: parametrised, fresh numbers for every learner and attempt, answers computed by "
        "torch (questions/generated/)",
    ),
}


_TIGHT_QUESTIONS = Text(zh="题数", en="count")
"""The question-count header of the narrowest layout (80 columns)."""
_NARROW = {
    "title": Text(
        zh="（窗口太窄，省略了标题；加宽窗口或用 --format json 查看）",
        en="(titles left out: the window is too narrow; widen it or use --format json)",
    ),
    "levels": Text(
        zh="（窗口太窄，省略了标题和难度列；加宽窗口或用 --format json 查看）",
        en="(titles and difficulty columns left out: the window is too narrow; widen it or "
        "use --format json)",
    ),
}


def _print_table(document: dict[str, Any], titles: dict[str, str], lang: Lang) -> None:
    """One row per bank: counts per type, then per difficulty ('-' for none).

    In a terminal too narrow for the whole table (80 columns), the titles are left out, then
    the difficulty columns, so that no count is cut to '…'; the legend says so."""
    from rich.console import Console
    from rich.measure import Measurement

    console = Console()
    if not console.is_terminal:
        console = Console(width=200)  # piped: keep the table's natural width
    head = {key: text.get(lang) for key, text in _HEADERS.items()}
    left_out = None
    table = _table(document, titles, head, lang, with_title=True, with_levels=True)
    narrower = (("title", True, False), ("levels", False, False), ("levels", False, True))
    for narrow, with_levels, tight in narrower:
        # The titles wrap; a table whose narrowest layout is still too wide cuts counts to '…'.
        wide = console.options.update_width(10_000)  # unclamped: each column's own minimum
        if Measurement.get(console, wide, table).maximum <= console.width or (
            narrow == "title" and Measurement.get(console, wide, table).minimum <= console.width
        ):
            break
        left_out = narrow
        table = _table(
            document, titles, head, lang, with_title=False, with_levels=with_levels, tight=tight
        )
    console.print(table)
    if left_out != "levels":
        console.print(head["legend"], style="dim")
    if document["parametrised"]:
        console.print(head["parametrised"], style="dim")
    if left_out is not None:
        console.print(_NARROW[left_out].get(lang), style="dim")


def _table(
    document: dict[str, Any],
    titles: dict[str, str],
    head: dict[str, str],
    lang: Lang,
    *,
    with_title: bool,
    with_levels: bool,
    tight: bool = False,
) -> Any:
    from rich import box
    from rich.table import Table

    table = Table(
        box=box.SIMPLE_HEAD,
        show_footer=True,
        show_edge=False,
        pad_edge=False,
        collapse_padding=tight,  # one space between columns instead of two
    )
    table.add_column(head["bank"], footer=head["total"], no_wrap=True)
    if with_title:
        table.add_column(head["title"], overflow="fold")  # a Chinese title has no spaces
    questions = _TIGHT_QUESTIONS.get(lang) if tight else head["questions"]
    table.add_column(questions, justify="right", footer=str(document["total"]))
    type_totals: dict[str, int] = {}
    level_totals: dict[str, int] = {}
    for bank in document["banks"]:
        for t, n in bank["types"].items():
            type_totals[t] = type_totals.get(t, 0) + n
        for d, n in bank["difficulty"].items():
            level_totals[d] = level_totals.get(d, 0) + n
    for t, short in _SHORT.items():
        table.add_column(short.get(lang), justify="right", footer=_cell(type_totals.get(t, 0)))
    levels = "12345" if with_levels else ""
    for d in levels:
        table.add_column(f"d{d}", justify="right", footer=_cell(level_totals.get(d, 0)))
    for bank in document["banks"]:
        table.add_row(
            bank["bank"] + (" *" if bank["parametrised"] else ""),
            *([titles.get(bank["bank"], "")] if with_title else []),
            str(bank["questions"]),
            *(_cell(bank["types"].get(t, 0)) for t in _SHORT),
            *(_cell(bank["difficulty"].get(d, 0)) for d in levels),
        )
    return table


def _cell(n: int) -> str:
    return str(n) if n else "-"
