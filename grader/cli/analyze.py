"""``grader analyze EXPORTS…``: item analysis of self-study progress exports."""

from __future__ import annotations

from pathlib import Path

import click

from grader.cli.options import course_option
from grader.i18n import Text

__all__ = ["analyze"]

_ANALYSED = Text(
    zh="已分析 {learners} 名学习者、{questions} 道题，结果在 {out}/",
    en="analysed {learners} learner(s), {questions} question(s) into {out}/",
)


@click.command("analyze", context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "exports", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for analysis.md, analysis.csv and analysis.html.",
)
@course_option
def analyze(exports: tuple[Path, ...], out: Path, course: Path | None) -> None:
    """Item analysis (facility, discrimination, α...) over many learners' `grader progress
    export` files, one file per learner, each question scored by its first try.

    A parametrised question (questions/generated/) is one item over every learner, whatever
    numbers each got, without an option table.
    """
    from grader.course import resolve_course
    from grader.exam.build import read_generated
    from grader.exam.report_html import write_reports
    from grader.exam.selfstudy import analyse_exports
    from grader.i18n import say
    from grader.study.content import load_catalog

    active = resolve_course(course)
    catalog = load_catalog(active)
    generated, _ = read_generated(active.questions)  # its problems: `grader validate` says them
    parametrised = {t.id: t.type for _, t in generated.templates}
    exam, items = analyse_exports(list(exports), catalog, parametrised)
    write_reports(out, "Item analysis of self-study 自学数据试题分析", exam, items)
    click.echo(say(_ANALYSED, learners=exam.n, questions=len(items), out=out))
