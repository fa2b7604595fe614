"""``grader import``: Moodle XML and GIFT files into one bank file, with a report.

    report = import_files([Path("quiz.xml")], Path("questions/pytorch.yaml"))
    print(report.render())            # what was skipped, lacks a translation, changed
    raise SystemExit(report.exit_code)

The written bank is valid apart from missing translations: each text keeps the languages the
source had (``grader validate`` lists the missing ones). Its ids are stable (``grader.interop.
ids``), so importing the same source again with ``--force`` gives every question the id it had,
and with it its history. Ids written are added to the folder's ``ids.txt`` when it has one.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from grader.bank.bankfile import check_bank_bytes
from grader.bank.lint import lint_bank_text
from grader.bank.lint_claims import lint_claims_text
from grader.bank.loader import NOT_BANKS, bank_files, load_bank_file
from grader.bank.registry import REGISTRY_NAME, read_registry, update_registry
from grader.errors import UsageError
from grader.i18n import LANGS, Text, say
from grader.interop.bankwrite import dump_bank
from grader.interop.draft import Category, Draft, Origin, Resolved, Skip, Slot, resolve
from grader.interop.errors import BrokenFile
from grader.interop.gift import read_gift
from grader.interop.ids import assign_ids, kebab, wanted_id
from grader.interop.moodle_xml import read_moodle_xml
from grader.interop.multilang import parse_lang_map, split_languages
from grader.interop.report import ImportReport, Line
from grader.validate import PENDING_HEADER, PENDING_NAME, read_pending

__all__ = ["DEFAULT_DIFFICULTY", "import_files", "read_source"]

DEFAULT_DIFFICULTY = 3
"""Moodle has no difficulty: an imported question is 'apply' (3) unless its tags say."""
_BANK_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")

_NOT_KEBAB = Text(
    zh="--bank '{bank}' 必须是 kebab-case（例如 pytorch-basics）",
    en="--bank '{bank}' must be kebab-case (e.g. pytorch-basics)",
)
_NO_BANK_ID = Text(
    zh="--out {out}：文件名里没有可用的题库 id，请用 --bank 指定",
    en="--out {out}: give the bank an id with --bank (the file name has none)",
)
_OUT_EXISTS = Text(
    zh="{out} 已存在；要替换它请加 --force（其中题目的 id 会保留）",
    en="{out} exists; give --force to replace it (its questions' ids are kept)",
)
_NOT_YAML = Text(
    zh="--out {out}：题库文件要以 .yaml 结尾", en="--out {out}: a bank file ends with .yaml"
)


def _detect(path: Path, data: bytes) -> str:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if path.suffix.lower() == ".xml" or head.startswith((b"<?xml", b"<quiz")):
        return "xml"
    return "gift"


def read_source(path: Path) -> tuple[list[Draft | Skip], list[Category]]:
    """The questions and categories of one Moodle XML or GIFT file (chosen by its suffix or
    its first bytes).

    Raises:
        BrokenFile: the file cannot be read, is empty, is not UTF-8 (GIFT), or is broken.
    """
    display = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BrokenFile(display, None, f"cannot read the file: {exc.strerror or exc}") from None
    if not data.strip():
        raise BrokenFile(display, 1, "the file is empty")
    if _detect(path, data) == "xml":
        return read_moodle_xml(data, display)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise BrokenFile(
            display,
            line,
            f"not Moodle XML, and not GIFT either: byte 0x{data[exc.start]:02x} is not UTF-8 text",
        ) from None
    if "\x00" in text:
        raise BrokenFile(display, 1, "not Moodle XML or GIFT: the file is binary")
    items, categories = read_gift(text, display)
    if not any(isinstance(i, Draft) or i.qtype != "description" for i in items):
        raise BrokenFile(display, 1, "not a GIFT file: no question has answers in {...}")
    return items, categories


def _bank_id(out: Path, bank: str | None) -> str:
    if bank is not None:
        if not _BANK_ID.match(bank):
            raise UsageError(say(_NOT_KEBAB, bank=bank))
        return bank
    derived = kebab(out.stem)
    if not derived:
        raise UsageError(say(_NO_BANK_ID, out=out))
    return derived


def _course_ids(out: Path) -> tuple[set[str], set[str]]:
    """Ids of the out file (this import's own) and ids the import may not take (the folder's
    other banks and its registry)."""
    folder = out.parent
    own: set[str] = set()
    others: set[str] = set()
    if out.exists():
        own = {qid for qid, _ in load_bank_file(out, cache=False).ids}
    if folder.is_dir():
        for path in bank_files([folder]):
            if path.resolve() != out.resolve() and path.name not in NOT_BANKS:
                others |= {qid for qid, _ in load_bank_file(path).ids}
    registry = read_registry(folder / REGISTRY_NAME)
    if registry is not None:
        others |= set(registry.ids) - own
    return own, others


def _category_tag(category: Category, mapping: Mapping[str, str]) -> str:
    """A category's name as a tag: its English (else only) text, in kebab case when that gives
    anything (a Chinese name stays as it is)."""
    split = split_languages(category.name, mapping)
    name = split.texts.get("en") or split.texts.get("zh") or split.common
    plain = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", name)).split())
    return kebab(plain) or plain or "imported"


def _text_dict(text: Mapping[str, str]) -> dict[str, str]:
    return {lang: text[lang] for lang in LANGS if lang in text}


def _question(
    resolved: Resolved, draft: Draft, qid: str, mapping: Mapping[str, str]
) -> dict[str, Any]:
    fields = dict(resolved.fields)
    question: dict[str, Any] = {"id": qid, "type": draft.type}
    question["difficulty"] = fields.pop("difficulty", None) or DEFAULT_DIFFICULTY
    tags = fields.pop("tags", None) or []
    if draft.category is not None and draft.category.name and not tags:
        tags = [_category_tag(draft.category, mapping)]
    question["tags"] = tags or ["imported"]
    points = fields.pop("points", 1.0)
    if points != 1.0:
        question["points"] = points
    penalty = fields.pop("penalty", 0.0)
    if penalty:
        question["penalty"] = penalty
    hints = fields.pop("hints", [])
    gives_away = {int(i) for i in draft.meta.get("gives-away", "").split(",") if i.isdigit()}
    marked = [
        {**_text_dict(h), **({"gives_away": True} if i in gives_away else {})}
        for i, h in enumerate(hints)
    ]
    if len(marked) == 1 and not gives_away:
        question["hint"] = marked[0]
    elif marked:
        question["hints"] = marked
    if draft.type in ("single", "multiple") and fields.get("shuffle", True):
        fields.pop("shuffle", None)
    for key, value in fields.items():
        if value is None:
            continue
        question[key] = value
    return question


def import_files(
    paths: Sequence[Path],
    out: Path,
    *,
    bank: str | None = None,
    lang_map: str | None = None,
    force: bool = False,
) -> ImportReport:
    """Import ``paths`` into the bank file ``out`` (see the module docstring).

    Raises:
        UsageError: ``out`` exists and ``force`` is false, or an option is wrong.
        BrokenFile: a source file is not Moodle XML or GIFT, or is broken (nothing is written).
    """
    if out.exists() and not force:
        raise UsageError(say(_OUT_EXISTS, out=out))
    if out.suffix not in (".yaml", ".yml"):
        raise UsageError(say(_NOT_YAML, out=out))
    mapping = parse_lang_map(lang_map)
    bank_id = _bank_id(out, bank)
    report = ImportReport(out=str(out), bank=bank_id, sources=[str(p) for p in paths])
    items: list[Draft | Skip] = []
    categories: list[Category] = []
    for path in paths:
        found, cats = read_source(path)
        items += found
        categories += cats
    drafts = [i for i in items if isinstance(i, Draft)]
    for skip in (i for i in items if isinstance(i, Skip)):
        report.skipped.append(Line(str(skip.origin), f"{skip.qtype}: {skip.reason}"))

    resolved = [resolve(d, mapping) for d in drafts]
    wanted = [
        wanted_id(bank_id, d.idnumber, d.origin.name, d.content or d.origin.name) for d in drafts
    ]
    own, others = _course_ids(out)
    ids, changes = assign_ids(wanted, others)
    for change in changes:
        origin = drafts[change.index].origin
        report.ids.append(
            Line(str(origin), f"wanted '{change.wanted}' ({change.why}); given '{change.given}'")
        )
    used_categories = {d.category for d in drafts if d.category is not None}
    several = len({c.path for c in used_categories}) > 1
    questions = []
    dropped: set[str] = set()
    defaulted = 0
    for draft, result, qid in zip(drafts, resolved, ids, strict=True):
        if draft.category is not None and several and draft.category.name:
            tag = _category_tag(draft.category, mapping)
            tags = result.fields.get("tags") or []
            if tag not in tags:
                result.fields["tags"] = [*tags, tag]
        defaulted += result.fields.get("difficulty") is None
        questions.append(_question(result, draft, qid, mapping))
        where = str(draft.origin)
        for field, lang in result.missing:
            name = "Chinese" if lang == "zh" else "English"
            report.missing.append(Line(where, f"{field}: no {name} ({lang}) text", qid))
        for note in [*draft.notes, *result.notes]:
            report.notes.append(Line(where, note, qid))
        dropped |= result.dropped_langs
    if dropped:
        report.notes.append(
            Line(
                report.sources[0] if report.sources else str(out),
                "texts in languages kept neither as Chinese nor as English were left out: "
                f"{', '.join(sorted(dropped))} (--lang-map CODE=zh or CODE=en keeps them)",
            )
        )
    if defaulted:
        report.notes.append(
            Line(
                str(out),
                f"difficulty {DEFAULT_DIFFICULTY} given to {defaulted} question"
                f"{'s' if defaulted != 1 else ''} (Moodle has none): adjust them",
            )
        )
    header = _header(bank_id, categories if not several else [], mapping, report)
    text = dump_bank({**header, "questions": questions})
    checked = check_bank_bytes(text.encode(), str(out))
    unverified = lint_claims_text(text, str(out))
    report.problems += [str(p) for p in checked.problems if "translation" not in p.message] + [
        str(p) for p in lint_bank_text(text, str(out), claims=False)
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    report.written = len(questions)
    report.replaced = sorted(own - set(ids))
    registry = out.parent / REGISTRY_NAME
    if registry.exists():
        report.registered = len(update_registry(registry, ids))
    if unverified:
        _mark_pending(out.parent / PENDING_NAME, bank_id, len(unverified), report)
    return report


def _mark_pending(pending: Path, bank_id: str, claims: int, report: ImportReport) -> None:
    """List ``bank_id`` in the folder's ``verify_pending.txt`` (created if needed): Moodle has no
    ``verify`` blocks, so an imported explanation that claims an error, in-place behaviour or
    memory sharing is unbacked, and ``grader validate`` warns about it instead of failing."""
    listed, _ = read_pending(pending)
    if bank_id not in listed:
        old = pending.read_text(encoding="utf-8") if pending.exists() else PENDING_HEADER
        pending.write_text(old.rstrip("\n") + f"\n{bank_id}\n", encoding="utf-8")
    report.notes.append(
        Line(
            str(pending),
            f"{claims} explanation{'s' if claims != 1 else ''} claim an error, in-place "
            "behaviour or memory sharing without a 'verify' block (Moodle has none): the bank "
            f"is listed here, so `grader validate` warns; add blocks, then remove '{bank_id}'",
        )
    )


def _header(
    bank_id: str, categories: list[Category], mapping: Mapping[str, str], report: ImportReport
) -> dict[str, Any]:
    """``bank``, ``title`` and ``description`` from the file's one category when it has one (our
    export writes the bank's title and description there), else the bank id as the title.

    A title or description in one language would make the whole bank unloadable, not one
    question: such a category name is reported and the bank id is the title; such a
    description is reported and left out.
    """
    header: dict[str, Any] = {"bank": bank_id, "title": {"zh": bank_id, "en": bank_id}}
    named = [c for c in categories if c.name]
    if not named:
        return header
    category = named[-1]
    origin = Origin(report.sources[0] if report.sources else report.out, 1, 0, "")
    fields: dict[str, Any] = {"title": Slot(category.name, "html")}
    if category.info is not None:
        fields["description"] = category.info
    resolved = resolve(Draft(origin, "header", fields), mapping)
    where = f"category '{category.name}'"
    title = resolved.fields["title"]
    if len(title) == len(LANGS):
        header["title"] = title
    else:
        report.notes.append(
            Line(
                where,
                f"the name is not in both languages; the bank's title is '{bank_id}': "
                "write one in both",
            )
        )
    description = resolved.fields.get("description")
    if description and len(description) == len(LANGS):
        header["description"] = description
    elif description:
        report.notes.append(
            Line(where, "its description is not in both languages: left out of the bank")
        )
    return header
