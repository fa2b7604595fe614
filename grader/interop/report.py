"""What an import or an export did, for people (text) and for scripts (JSON), and its exit code.

An import report lists the questions skipped (with their name and place in the file, and why),
the texts that lack a translation, the ids that had to change, what the conversion could not
keep, and the problems ``grader validate`` will report in the written file. An export report
lists every grade Moodle's list forced to round, every question skipped and what the format
loses. Exit status: 0 when everything came through (an export's notes and roundings, and an
import's lint problems, are reported but do not change it), 1 when a question was skipped or
(import) a text lacks a translation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from grader.errors import ExitCode
from grader.i18n import Text

__all__ = ["ExportReport", "ImportReport", "Line"]


@dataclass(frozen=True)
class Line:
    """One item of a report: where it is (``path:line`` and the question) and what."""

    where: str
    """``path:line`` in the source file (import) or the question id (export)."""
    what: str
    question: str = ""
    """The question's id (import) or name, when there is one."""

    def __str__(self) -> str:
        who = f"{self.question}: " if self.question else ""
        return f"{self.where}: {who}{self.what}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


_IMPORT_SECTIONS = {
    "skipped": Text(
        zh="已跳过（这里没有对应的题型）", en="Skipped (no matching question type here)"
    ),
    "missing": Text(
        zh="缺少翻译（按原样导入；补上译文之前，`grader validate` 会一直列出）",
        en="Missing translations (imported as they are; `grader validate` lists them until "
        "they are written)",
    ),
    "ids": Text(zh="为避免重复而改动的 id", en="Ids changed to avoid a collision"),
    "notes": Text(zh="转换时有改动", en="Converted with changes"),
    "problems": Text(
        zh="`grader validate` 在写出的文件中报告的其他问题",
        en="Other problems `grader validate` reports in the written file",
    ),
}
"""The headers of an import report's sections (each followed by a colon and its items)."""
_REPLACED = Text(
    zh="被替换的 {out} 中有些题目不在这次导入里（它们的 id 仍在登记表中，作答记录也保留）：{ids}",
    en="Questions of the replaced {out} not in this import (their ids stay registered and "
    "their history is kept): {ids}",
)
_EXPORT_SECTIONS = {
    "roundings": Text(zh="按 Moodle 的分值列表取整的分值", en="Grades rounded to Moodle's list"),
    "skipped": Text(zh="已跳过", en="Skipped"),
    "losses": Text(zh="{format} 无法保留的内容", en="Not carried by {format}"),
}
"""The headers of an export report's sections."""
_COLON = Text(zh="：", en=":")


def _sections(sections: list[tuple[str, list[Line]]], lang: str) -> list[str]:
    """Each section with items: its header and a colon, then one indented line per item."""
    out: list[str] = []
    for title, lines in sections:
        if lines:
            out.append(f"{title}{_COLON.get(lang)}")
            out += [f"  {line}" for line in lines]
    return out


@dataclass
class ImportReport:
    """The outcome of ``grader import``."""

    out: str
    bank: str
    sources: list[str] = field(default_factory=list)
    written: int = 0
    """Questions written to ``out``."""
    skipped: list[Line] = field(default_factory=list)
    missing: list[Line] = field(default_factory=list)
    """Texts without one of the two languages."""
    ids: list[Line] = field(default_factory=list)
    """Ids that differ from what their question asked for (collisions)."""
    notes: list[Line] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """``grader validate``'s other problems in the written file (typography, ...)."""
    replaced: list[str] = field(default_factory=list)
    """Ids of the replaced file that the import no longer has (their history is kept)."""
    registered: int = 0
    """Ids added to the folder's ``ids.txt``."""

    @property
    def exit_code(self) -> ExitCode:
        """1 when a question was skipped or a text lacks a translation, else 0 (other problems
        of the written file, a typography lint's say, are reported but do not change it)."""
        return ExitCode.FAILED if self.skipped or self.missing else ExitCode.OK

    def summary(self, lang: str = "en") -> str:
        """``imported 5 questions into OUT; 1 skipped; ...``, in Chinese when ``lang`` is
        ``zh``."""
        if lang == "zh":
            parts = [f"已把 {self.written} 道题导入 {self.out}"]
            if self.skipped:
                parts.append(f"跳过 {len(self.skipped)} 道")
            if self.missing:
                parts.append(f"缺少 {len(self.missing)} 处翻译")
            if self.problems:
                parts.append(f"另有 {len(self.problems)} 个问题")
            return "；".join(parts)
        parts = [f"imported {_plural(self.written, 'question')} into {self.out}"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        if self.missing:
            parts.append(f"{_plural(len(self.missing), 'missing translation')}")
        if self.problems:
            parts.append(f"{_plural(len(self.problems), 'other problem')}")
        return "; ".join(parts)

    def render(self, lang: str = "en") -> str:
        """The report as text: one section per kind of item, each item on its own line; the
        headers in Chinese when ``lang`` is ``zh`` (the items as they are)."""
        head = {key: text.get(lang) for key, text in _IMPORT_SECTIONS.items()}
        out = _sections(
            [
                (head["skipped"], self.skipped),
                (head["missing"], self.missing),
                (head["ids"], self.ids),
                (head["notes"], self.notes),
            ],
            lang,
        )
        if self.problems:
            out.append(f"{head['problems']}{_COLON.get(lang)}")
            out += [f"  {p}" for p in self.problems]
        if self.replaced:
            ids = ("、" if lang == "zh" else ", ").join(self.replaced)
            out.append(_REPLACED.get(lang).format(out=self.out, ids=ids))
        return "\n".join(out)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["exit_code"] = int(self.exit_code)
        for key in ("skipped", "missing", "ids", "notes"):
            data[key] = [asdict(line) for line in getattr(self, key)]
        return data


@dataclass
class ExportReport:
    """The outcome of ``grader export``."""

    out: str
    format: str
    lang: str
    exported: int = 0
    banks: list[str] = field(default_factory=list)
    roundings: list[Line] = field(default_factory=list)
    """Credits Moodle's grade list forced to round: ``50 % -> 50 %``."""
    skipped: list[Line] = field(default_factory=list)
    losses: list[Line] = field(default_factory=list)
    """What the format cannot carry, question by question."""

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.FAILED if self.skipped else ExitCode.OK

    def summary(self, lang: str = "en") -> str:
        """``exported 5 questions of 1 bank to OUT (moodle, both); ...``, in Chinese when
        ``lang`` is ``zh``."""
        if lang == "zh":
            parts = [
                f"已把 {len(self.banks)} 个题库的 {self.exported} 道题导出到 {self.out}"
                f"（{self.format}，{self.lang}）"
            ]
            if self.roundings:
                parts.append(f"{len(self.roundings)} 个分值已取整")
            if self.skipped:
                parts.append(f"跳过 {len(self.skipped)} 道")
            return "；".join(parts)
        parts = [
            f"exported {_plural(self.exported, 'question')} of {_plural(len(self.banks), 'bank')} "
            f"to {self.out} ({self.format}, {self.lang})"
        ]
        if self.roundings:
            parts.append(_plural(len(self.roundings), "rounded grade"))
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped")
        return "; ".join(parts)

    def render(self, lang: str = "en") -> str:
        """The roundings, skipped questions and losses, one per line under their headers (in
        Chinese when ``lang`` is ``zh``; the items as they are)."""
        head = {key: text.get(lang) for key, text in _EXPORT_SECTIONS.items()}
        sections = [
            (head["roundings"], self.roundings),
            (head["skipped"], self.skipped),
            (head["losses"].format(format=self.format), self.losses),
        ]
        return "\n".join(_sections(sections, lang))
