"""``grader import``: Moodle XML and GIFT files into one question bank file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from grader.cli.options import format_option
from grader.i18n import Text


@click.command(
    "import",
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog="Exit status: 0 everything imported, in both languages; 1 something was skipped or "
    "lacks a translation (see the report); 2 a file is not Moodle XML or GIFT, or is broken "
    "(path:line), or --out exists without --force.",
)
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE...",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The bank file to write, e.g. questions/pytorch.yaml (its folder's ids.txt, if any, "
    "gets the new ids).",
)
@click.option("--bank", default=None, help="The bank id [default: the --out file's name].")
@click.option(
    "--lang-map",
    default=None,
    metavar="CODE=LANG,...",
    help="Moodle language codes to keep as zh or en, e.g. zh_tw=zh,other=en (codes starting "
    "with zh or en are kept as those already).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace --out if it exists; its questions keep their ids, and with them their history.",
)
@format_option(help="The report for people, or JSON for scripts.")
def import_questions(
    files: tuple[Path, ...],
    out: Path,
    bank: str | None,
    lang_map: str | None,
    force: bool,
    fmt: str,
) -> None:
    """Import Moodle XML or GIFT question files into one bank file.

    Moodle XML (chosen by the .xml suffix or an XML start) brings categories and the types
    multichoice (single or multiple answers, with per-option credit), truefalse, shortanswer,
    numerical, ordering and essay, with their general feedback, hints, default grade and
    penalty. GIFT (any other file) brings the same from its {...} answers. Both multilang
    syntaxes (<span lang="xx" class="multilang"> and {mlang xx}) become the zh and en texts; a
    text in one language only is imported as it is and listed as a missing translation.

    Types that do not fit (calculated, cloze, matching, drag-and-drop, descriptions) are listed
    with their name and place in the file, and skipped. Ids come from Moodle's idnumber, else
    the name or GIFT title, and stay the same on every re-import.

    The report's headers and summary follow `grader --lang` (GRADER_LANG); its items (what was
    skipped and why, path:line of a broken file) are in English.
    """
    from grader.i18n import default_lang
    from grader.interop.importer import import_files

    lang = default_lang()
    report = import_files(list(files), out, bank=bank, lang_map=lang_map, force=force)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        text = report.render(lang)
        if text:
            click.echo(text)
    if report.registered:
        added = Text(zh="已把 {n} 个 id 加入 {registry}", en="added {n} ids to {registry}")
        click.echo(
            added.get(lang).format(n=report.registered, registry=out.parent / "ids.txt"), err=True
        )
    click.echo(report.summary(lang), err=True)
    raise SystemExit(int(report.exit_code))
