"""The coverage tables of the seed sections and syllabus topics, kept in ``questions/README.md``.

The first table lists, for every bank, how many seed sections and syllabus topics it covers and how
many questions, ``code_output`` questions and misconception questions it has; then the banks of
parametrised questions (``generated/``), marked as such, with their counts per type; then, for every
section of ``questions/seed_sections.yaml`` and, in a table of their own, every topic (its
``topics:`` list), how many questions name it as their ``source``. The block lives between
the markers ``<!-- coverage:start -->`` and ``<!-- coverage:end -->`` of the README (appended at the
end when the markers are missing) and is regenerated, never edited by hand::

    python -m grader.verify.coverage            # print the block
    python -m grader.verify.coverage --write    # rewrite it in questions/README.md
    python -m grader.verify.coverage --check    # exit 1 when the README's block is stale

``tests/content/test_banks_content.py`` fails when the committed table is stale.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from grader.bank.loader import LoadedBank, load_banks
from grader.bank.params import PARAM_TYPES, load_templates, template_files
from grader.course import bundled_root

__all__ = [
    "BANK_ORDER",
    "END",
    "MIN_QUESTIONS_PER_SECTION",
    "START",
    "Section",
    "Topic",
    "read_sections",
    "read_topics",
    "readme_block",
    "render_coverage",
    "replace_block",
]

START = "<!-- coverage:start -->"
END = "<!-- coverage:end -->"
REGISTRY_NAME = "seed_sections.yaml"
MIN_QUESTIONS_PER_SECTION = 3
BANK_ORDER = (
    "tensors",
    "dtype-shape-device",
    "broadcasting-indexing",
    "tensor-internals",
    "autograd",
    "autograd-advanced",
    "modules",
    "layers",
    "layers-advanced",
    "losses",
    "optim",
    "optim-advanced",
    "data",
    "data-loading",
    "training",
    "saving",
    "gpu",
    "performance",
    "distributed",
    "compile-export",
    "debugging",
    "transfer",
    "compression",
    "graphs",
    "ecosystem",
)
"""The curriculum order of the bundled banks (others follow alphabetically). A bank named here
may be planned but not written yet: only a topic of the registry names it then."""


@dataclass(frozen=True)
class Section:
    """One entry of ``seed_sections.yaml``."""

    id: str
    seed: str
    heading: str
    line: int
    bank: str
    """The one bank that covers the section with at least three questions."""


@dataclass(frozen=True)
class Topic:
    """One entry of the ``topics:`` list of ``seed_sections.yaml``: a syllabus topic no seed
    covers (no seed, no line)."""

    id: str
    title: str
    bank: str
    """The one bank that covers the topic with at least three questions."""


def _registry(questions_dir: Path) -> dict:
    return yaml.safe_load((questions_dir / REGISTRY_NAME).read_text(encoding="utf-8"))


def read_sections(questions_dir: Path) -> list[Section]:
    """The seed sections of ``questions_dir/seed_sections.yaml``, in file order."""
    return [
        Section(str(s["id"]), str(s["seed"]), str(s["heading"]), int(s["line"]), str(s["bank"]))
        for s in _registry(questions_dir)["sections"]
    ]


def read_topics(questions_dir: Path) -> list[Topic]:
    """The syllabus topics of ``questions_dir/seed_sections.yaml`` (none when it has no
    ``topics:``), in file order."""
    topics = _registry(questions_dir).get("topics") or []
    return [Topic(str(t["id"]), str(t["title"]), str(t["bank"])) for t in topics]


def _bank_rank(bank: str) -> tuple[int, str]:
    return (BANK_ORDER.index(bank), "") if bank in BANK_ORDER else (len(BANK_ORDER), bank)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_coverage(questions_dir: Path, banks: Sequence[LoadedBank] | None = None) -> str:
    """The Markdown block (markers included) for the banks and registry in ``questions_dir``.

    ``banks`` defaults to every valid question of the folder's banks (``load_banks``). The topic
    table is left out when the registry has no topics.
    """
    sections = read_sections(questions_dir)
    topics = read_topics(questions_dir)
    if banks is None:
        banks = load_banks([questions_dir]).banks
    by_source: Counter[str] = Counter()
    rows: dict[str, list[int]] = {}
    for loaded in banks:
        row = rows.setdefault(loaded.id, [0, 0, 0, 0, 0])
        for q in loaded.questions:
            row[2] += 1
            row[3] += q.type == "code_output"
            row[4] += "misconception" in q.tags
            if q.source:
                by_source[q.source] += 1
    generated = [load_templates(path, sample=False) for path in template_files(questions_dir)]
    generated_rows: list[tuple[str, list[int]]] = []
    for file in generated:
        if not file.templates:
            continue
        kinds = Counter(t.type for t in file.templates)
        misconceptions = sum("misconception" in t.fields.get("tags", ()) for t in file.templates)
        counts = [len(file.templates), *(kinds[t] for t in PARAM_TYPES), misconceptions]
        generated_rows.append((str(file.bank), counts))
        for template in file.templates:
            if template.fields.get("source"):
                by_source[str(template.fields["source"])] += 1
    for section in sections:
        rows.setdefault(section.bank, [0, 0, 0, 0, 0])[0] += 1
    for topic in topics:
        rows.setdefault(topic.bank, [0, 0, 0, 0, 0])[1] += 1
    lines = [
        START,
        "<!-- generated by `python -m grader.verify.coverage --write`; do not edit by hand -->",
        "",
        "**Coverage of the seed sections and syllabus topics** (`seed_sections.yaml`), bank by "
        "bank, section by section and topic by topic:",
        "",
        "| bank | seed sections | topics | questions | code_output | misconception |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    totals = [0, 0, 0, 0, 0]
    for bank in sorted(rows, key=_bank_rank):
        counts = rows[bank]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        lines.append(f"| {bank} | " + " | ".join(str(c) for c in counts) + " |")
    lines.append("| **total** | " + " | ".join(f"**{c}**" for c in totals) + " |")
    if generated_rows:
        lines += [
            "",
            "**Parametrised questions** (`generated/`: fresh numbers for every learner and "
            "attempt, answers computed by torch), counted apart from the banks above:",
            "",
            "| bank (parametrised) | questions | " + " | ".join(PARAM_TYPES) + " | misconception |",
            "| --- |" + " ---: |" * (len(PARAM_TYPES) + 2),
        ]
        for bank, counts in generated_rows:
            lines.append(f"| {bank} (parametrised) | " + " | ".join(map(str, counts)) + " |")
    lines += [
        "",
        f"Every seed section and every topic needs at least {MIN_QUESTIONS_PER_SECTION} questions "
        "whose `source` is its id (a topic from the day its bank exists).",
        "",
        "| section | seed | line | heading | bank | questions |",
        "| --- | --- | ---: | --- | --- | ---: |",
    ]
    for s in sections:
        count = by_source[s.id]
        shown = str(count) if count >= MIN_QUESTIONS_PER_SECTION else f"{count} (too few)"
        lines.append(
            f"| `{s.id}` | {s.seed[:3]} | {s.line} | {_cell(s.heading)} | {s.bank} | {shown} |"
        )
    if topics:
        lines += ["", "| topic | title | bank | questions |", "| --- | --- | --- | ---: |"]
    written = {loaded.id for loaded in banks}
    for t in topics:
        count = by_source[t.id]
        if t.bank not in written:
            shown = f"{count} (bank not written yet)"
        else:
            shown = str(count) if count >= MIN_QUESTIONS_PER_SECTION else f"{count} (too few)"
        lines.append(f"| `{t.id}` | {_cell(t.title)} | {t.bank} | {shown} |")
    lines.append(END)
    return "\n".join(lines)


def readme_block(readme_text: str) -> str | None:
    """The coverage block of a README (markers included), or None when it has none."""
    start = readme_text.find(START)
    end = readme_text.find(END, start)
    if start < 0 or end < 0:
        return None
    return readme_text[start : end + len(END)]


def replace_block(readme_text: str, block: str) -> str:
    """``readme_text`` with its coverage block replaced by ``block`` (appended when missing)."""
    current = readme_block(readme_text)
    if current is None:
        return readme_text.rstrip("\n") + "\n\n" + block + "\n"
    return readme_text.replace(current, block, 1)


def main(argv: Sequence[str] | None = None) -> int:
    """Print, write or check the coverage block; see the module docstring."""
    parser = argparse.ArgumentParser(
        prog="python -m grader.verify.coverage", description=__doc__.split("\n")[0]
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the block in the README")
    mode.add_argument("--check", action="store_true", help="exit 1 when the block is stale")
    parser.add_argument(
        "--questions",
        type=Path,
        default=bundled_root() / "questions",
        help="the questions folder (default: the bundled one)",
    )
    args = parser.parse_args(argv)
    readme = args.questions / "README.md"
    block = render_coverage(args.questions)
    if args.write:
        text = readme.read_text(encoding="utf-8") if readme.exists() else ""
        updated = replace_block(text, block)
        if updated != text:
            readme.write_text(updated, encoding="utf-8")
            print(f"updated the coverage table in {readme}")
        else:
            print(f"the coverage table in {readme} is up to date")
        return 0
    if args.check:
        text = readme.read_text(encoding="utf-8") if readme.exists() else ""
        if readme_block(text) != block:
            print(
                f"{readme}: the coverage table is stale; run "
                "`python -m grader.verify.coverage --write`",
                file=sys.stderr,
            )
            return 1
        return 0
    print(block)
    return 0


if __name__ == "__main__":
    sys.exit(main())
