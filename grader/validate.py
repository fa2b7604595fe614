"""``grader validate``: lint question banks and exercise folders, every problem in one run.

``validate_paths`` takes files or folders: a bank file (``*.yaml``), a folder of banks, an
exercise folder (with ``exercise.yaml``), a folder of exercise folders, or a course folder (with
``questions/`` and/or ``exercises/``). Besides each bank's own problems (``load_banks``) it checks,
per questions folder: that every id is in the registry ``ids.txt`` (when the folder has one) and
that every ``source`` names a section or a topic of ``seed_sections.yaml`` (when the folder has
one).
A question whose explanation claims an error, in-place behaviour or memory sharing needs a
``verify`` block (``grader.bank.lint_claims``); for the banks a folder's ``verify_pending.txt``
lists (one bank id per line, ``#`` comments) that is a warning instead of a problem, while their
blocks are being written.
Exercise folders are linted by :func:`grader.exercises.lint.lint_exercise`, and the title,
statement and hints of each ``exercise.yaml`` by the bank text lints
(:func:`grader.bank.lint.lint_exercise_file`: seed citations, and CJK typography unless
``typography=False``).

This module sits below both ``grader.bank`` and ``grader.exercises`` (it uses both), so that
neither of them imports the other's layer (see ``docs/architecture.md``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from grader.bank.bankfile import FileReport
from grader.bank.lint import lint_bank_file, lint_exercise_file
from grader.bank.lint_claims import lint_claims_text
from grader.bank.loader import NOT_BANKS, bank_files, link_reports, load_bank_file
from grader.bank.params import GENERATED_FOLDER, load_templates, template_files
from grader.bank.problems import Problem, sort_problems
from grader.bank.registry import REGISTRY_NAME, read_registry, update_registry
from grader.bank.source import decode, gc_paused, parse
from grader.errors import UsageError, did_you_mean
from grader.exercises.lint import lint_exercise

__all__ = [
    "PENDING_NAME",
    "SEEDS_NAME",
    "Targets",
    "ValidationReport",
    "find_targets",
    "read_pending",
    "validate_paths",
]

SEEDS_NAME = "seed_sections.yaml"
PENDING_NAME = "verify_pending.txt"
PENDING_HEADER = (
    "# Banks whose explanations may still claim an error, in-place behaviour or memory sharing "
    "without\n# a `verify` block: `grader validate` warns instead of failing. Remove a bank once "
    'its claims have\n# blocks (questions/README.md, "Verified claims"). One bank id per line.\n'
)
"""The comment a new ``verify_pending.txt`` starts with (``grader import`` creates one)."""
"""Banks (by id) whose claims without a verify block are warnings for now, not problems."""


@dataclass
class Targets:
    """What a list of paths names: bank files, exercise folders, and where solutions live."""

    bank_paths: list[Path] = field(default_factory=list)
    """Bank files and folders of banks."""
    exercises: list[tuple[Path, Path | None]] = field(default_factory=list)
    """Exercise folders with the solutions folder that goes with them."""
    problems: list[Problem] = field(default_factory=list)


@dataclass
class ValidationReport:
    """The outcome of ``validate_paths``."""

    problems: list[Problem]
    banks: int = 0
    questions: int = 0
    exercises: int = 0
    ids_added: dict[str, list[str]] = field(default_factory=dict)
    """Registry file -> ids added by ``update_ids``."""
    warnings: list[Problem] = field(default_factory=list)
    """What is reported without failing the run (their messages start with ``warning:``)."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, lang: str = "en") -> str:
        """``ok: 5 banks (106 questions), 1 exercise`` or ``3 problems in ...``, then
        ``; 2 warnings`` when there are any; in Chinese when ``lang`` is ``zh``
        (``通过：5 个题库（106 道题）、1 个练习``)."""
        if lang == "zh":
            return self._summary_zh()
        what = (
            f"{_plural(self.banks, 'bank')} ({_plural(self.questions, 'question')}), "
            f"{_plural(self.exercises, 'exercise')}"
        )
        warned = f"; {_plural(len(self.warnings), 'warning')}" if self.warnings else ""
        if self.ok:
            return f"ok: {what}{warned}"
        return f"{_plural(len(self.problems), 'problem')} in {what}{warned}"

    def _summary_zh(self) -> str:
        what = f"{self.banks} 个题库（{self.questions} 道题）、{self.exercises} 个练习"
        warned = f"；{len(self.warnings)} 条警告" if self.warnings else ""
        if self.ok:
            return f"通过：{what}{warned}"
        return f"在 {what}中发现 {len(self.problems)} 个问题{warned}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _is_exercise(folder: Path) -> bool:
    return (folder / "exercise.yaml").is_file()


def find_targets(paths: Iterable[str | os.PathLike[str]]) -> Targets:
    """Sort ``paths`` into banks and exercises (see the module docstring).

    Raises ``UsageError`` for a path that does not exist.
    """
    targets = Targets()
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_file():
            if path.name in NOT_BANKS:
                targets.problems += read_seed_sections(path)[1]
            elif path.name == "exercise.yaml":
                folder = path.parent
                targets.exercises.append((folder, folder.parent.parent / "solutions"))
            elif path.suffix in (".yaml", ".yml"):
                targets.bank_paths.append(path)
            else:
                message = "not a question bank (.yaml) or an exercise (exercise.yaml)"
                targets.problems.append(Problem(str(path), None, None, message))
        elif _is_exercise(path):
            targets.exercises.append((path, path.parent.parent / "solutions"))
        elif (path / "questions").is_dir() or (path / "exercises").is_dir():
            if (path / "questions").is_dir():
                targets.bank_paths.append(path / "questions")
            if (path / "exercises").is_dir():
                _add_exercise_folder(targets, path / "exercises", path / "solutions")
        else:
            has_banks = bool(bank_files([path]))
            found = _add_exercise_folder(targets, path, path.parent / "solutions")
            if has_banks:
                targets.bank_paths.append(path)
            elif not found:
                message = "no question banks (*.yaml) or exercises (*/exercise.yaml) here"
                targets.problems.append(Problem(str(path), None, None, message))
    return targets


def _add_exercise_folder(targets: Targets, folder: Path, solutions: Path) -> bool:
    found = False
    for child in sorted(folder.iterdir()):
        if child.is_dir() and not child.name.startswith((".", "_")) and _is_exercise(child):
            targets.exercises.append((child, solutions))
            found = True
    return found


def validate_paths(
    paths: Sequence[str | os.PathLike[str]],
    *,
    update_ids: bool = False,
    cache: bool = True,
    typography: bool = True,
) -> ValidationReport:
    """Check everything ``paths`` name and return every problem found.

    With ``update_ids``, ids of valid questions missing from a folder's ``ids.txt`` are added
    first (the file is created if needed). Every bank file's texts and every exercise's title,
    statement and hints are linted (``grader.bank.lint``); ``typography=False`` leaves out the
    CJK typography lint (the seed-citation lint always runs). Raises ``UsageError`` for a path that does not exist.
    """
    targets = find_targets(paths)
    files = bank_files(targets.bank_paths)
    named_templates = [f for f in files if f.parent.name == GENERATED_FOLDER]
    files = [f for f in files if f.parent.name != GENERATED_FOLDER]
    with gc_paused():
        reports = [(path, load_bank_file(path, cache=cache)) for path in files]
    result = link_reports(reports)
    problems = list(targets.problems) + list(result.problems)
    warnings: list[Problem] = []
    pending: dict[Path, set[str]] = {}
    for folder in {path.parent for path in files}:
        pending[folder], pending_problems = read_pending(folder / PENDING_NAME)
        problems += pending_problems
    unverified: dict[Path, set[str]] = {}
    for path, file_report in reports:
        bank_id = _bank_id(file_report)
        found_problems, found_warnings = _lint_waived(
            path, bank_id, pending[path.parent], typography
        )
        problems += found_problems
        warnings += found_warnings
        if found_warnings:
            unverified.setdefault(path.parent, set()).add(str(bank_id))
    for folder, listed in pending.items():
        here = {_bank_id(r) for path, r in reports if path.parent == folder}
        for bank_id in sorted(listed & here - unverified.get(folder, set())):
            warnings.append(_stale_waiver(str(bank_id), folder / PENDING_NAME))
    report = ValidationReport(problems=problems, banks=len(result.banks))
    report.questions = sum(len(b.info) for b in result.banks)

    by_folder: dict[Path, list[tuple[Path, FileReport]]] = {}
    for path, file_report in reports:
        by_folder.setdefault(path.parent, []).append((path, file_report))
    for folder, folder_reports in by_folder.items():
        registry_path = folder / REGISTRY_NAME
        if update_ids:
            ids = [i.id for _, r in folder_reports for i in r.info]
            added = update_registry(registry_path, ids)
            if added:
                report.ids_added[str(registry_path)] = added
        problems += _registry_problems(registry_path, folder_reports)
        problems += _seed_problems(folder / SEEDS_NAME, folder_reports)
        problems += _template_problems(folder, folder_reports, update_ids, report)
        for path in template_files(folder):
            found_problems, found_warnings = _lint_templates(
                path, folder / PENDING_NAME, pending[folder], typography
            )
            problems += found_problems
            warnings += found_warnings

    for folder, solutions in targets.exercises:
        _, exercise_problems = lint_exercise(folder, solutions)
        problems += exercise_problems
        problems += lint_exercise_file(folder / "exercise.yaml", typography=typography)
    for path in named_templates:  # a file of parametrised questions named on its own
        loaded = load_templates(path)
        problems += loaded.problems
        report.questions += len(loaded.templates)
        report.banks += int(loaded.bank is not None)
        pending_path = path.parent.parent / PENDING_NAME
        pending_here, _ = read_pending(pending_path)
        found_problems, found_warnings = _lint_templates(
            path, pending_path, pending_here, typography
        )
        problems += found_problems
        warnings += found_warnings
    report.exercises = len(targets.exercises)
    report.warnings = sort_problems(warnings)
    report.problems = sort_problems(problems)
    return report


def _template_problems(
    folder: Path,
    reports: Sequence[tuple[Path, FileReport]],
    update_ids: bool,
    report: ValidationReport,
) -> list[Problem]:
    """Check the parametrised questions of ``folder/generated/`` (``grader.bank.params``):
    each file's own problems, ids already used by a bank, ids missing from the registry."""
    problems: list[Problem] = []
    taken = {i.id: f"{path}:{r.lines.get(i.id, '?')}" for path, r in reports for i in r.info}
    found: list[tuple[str, int, str]] = []
    for path in template_files(folder):
        loaded = load_templates(path)
        problems += loaded.problems
        for template in loaded.templates:
            if template.id in taken:
                message = f"duplicate id '{template.id}' (first defined at {taken[template.id]})"
                problems.append(Problem(str(path), template.line, template.id, message))
            taken[template.id] = f"{path}:{template.line}"
            found.append((str(path), template.line, template.id))
        report.questions += len(loaded.templates)
        report.banks += int(loaded.bank is not None)  # a parametrised bank counts as a bank
    registry_path = folder / REGISTRY_NAME
    if update_ids and found:
        added = update_registry(registry_path, [qid for _, _, qid in found])
        if added:
            report.ids_added.setdefault(str(registry_path), []).extend(added)
    registry = read_registry(registry_path)
    if registry is not None:
        for where, line, qid in found:
            if qid not in registry.ids:
                message = (
                    f"id '{qid}' is not in the id registry {registry_path}; "
                    "run `grader validate --update-ids` to add it"
                )
                problems.append(Problem(where, line, qid, message))
    return problems


def _lint_templates(
    path: Path, pending_path: Path, pending: set[str], typography: bool
) -> tuple[list[Problem], list[Problem]]:
    """The lints of a file of parametrised questions, as a bank file's: (problems, warnings);
    the claims lint's findings are warnings when its bank is in ``verify_pending.txt``
    (``pending_path``, holding ``pending``), and a listed bank that needs no waiver is one too."""
    text, _ = decode(path.read_bytes()) if path.is_file() else (None, None)
    doc = parse(text)[0] if text is not None else None
    bank_id = doc.data.get("bank") if doc is not None and isinstance(doc.data, dict) else None
    if not isinstance(bank_id, str):
        bank_id = None
    problems, warnings = _lint_waived(path, bank_id, pending, typography)
    if bank_id in pending and not warnings:
        warnings.append(_stale_waiver(str(bank_id), pending_path))
    return problems, warnings


def _lint_waived(
    path: Path, bank_id: str | None, pending: set[str], typography: bool
) -> tuple[list[Problem], list[Problem]]:
    """The lints of a bank file (or a file of parametrised questions): (problems, warnings).
    When its bank is in ``verify_pending.txt`` (``pending``), the claims lint's findings are
    warnings instead of problems; no warning then means the waiver is no longer needed."""
    waived = bank_id is not None and bank_id in pending
    problems = lint_bank_file(path, typography=typography, claims=not waived)
    found = _claims_lint(path) if waived else []
    return problems, [replace(p, message=f"warning: {p.message}") for p in found]


def _stale_waiver(bank_id: str, pending_path: Path) -> Problem:
    message = (
        f"warning: bank '{bank_id}' is listed in {pending_path} but every claim "
        "in it has a verify block: remove it from the list, so that the rule applies"
    )
    return Problem(str(pending_path), None, None, message)


def _bank_id(report: FileReport) -> str | None:
    if report.bank is not None:
        return report.bank.bank
    bank_id = (report.data or {}).get("bank")
    return bank_id if isinstance(bank_id, str) else None


def _claims_lint(path: Path) -> list[Problem]:
    try:
        text, _ = decode(path.read_bytes())
    except OSError:
        return []
    return lint_claims_text(text, str(path)) if text is not None else []


def read_pending(path: Path) -> tuple[set[str], list[Problem]]:
    """The bank ids listed in ``verify_pending.txt`` (one per line; blank lines and ``#``
    comments skipped); an empty set when the file does not exist. A bank listed there that does
    not exist (yet) is no problem: it may be being written."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return set(), []
    except OSError as exc:
        return set(), [Problem(str(path), 1, None, f"cannot read: {exc.strerror or exc}")]
    text, issue = decode(raw)
    if text is None:
        assert issue is not None
        return set(), [Problem(str(path), issue.line, None, issue.message)]
    listed: set[str] = set()
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        entry = line.split("#", 1)[0].strip()
        if not entry:
            continue
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", entry):
            message = f"'{entry}' is not a bank id (kebab-case, one per line)"
            problems.append(Problem(str(path), number, None, message))
        else:
            listed.add(entry)
    return listed, problems


def _registry_problems(
    registry_path: Path, reports: Sequence[tuple[Path, FileReport]]
) -> list[Problem]:
    registry = read_registry(registry_path)
    if registry is None:
        return []
    problems = list(registry.problems)
    for path, file_report in reports:
        for qid, line in file_report.ids:
            if qid not in registry.ids:
                problems.append(
                    Problem(
                        str(path),
                        line,
                        qid,
                        f"id '{qid}' is not in the id registry {registry_path}; "
                        "add it with `grader validate --update-ids`",
                    )
                )
    return problems


def _seed_problems(seeds_path: Path, reports: Sequence[tuple[Path, FileReport]]) -> list[Problem]:
    known, problems = read_seed_sections(seeds_path)
    if known is None:
        return problems
    for path, file_report in reports:
        for info in file_report.info:
            line = file_report.source_lines.get(info.id)
            if info.source is None:
                message = f"missing key 'source' (a section or topic id from {seeds_path})"
                problems.append(
                    Problem(str(path), file_report.lines.get(info.id), info.id, message)
                )
            elif info.source not in known:
                hint = did_you_mean(info.source, known)
                message = (
                    f"unknown source '{info.source}'{hint}: not a section or topic id in "
                    f"{seeds_path}"
                )
                problems.append(Problem(str(path), line, info.id, message))
    return problems


def read_seed_sections(path: Path) -> tuple[set[str] | None, list[Problem]]:
    """The ids a ``source`` may name, from ``seed_sections.yaml``: its seed sections
    (``sections: [{id: ...}, ...]``) and its syllabus topics (``topics: [{id: t-...}, ...]``,
    optional). None when the file does not exist or cannot be read (the problem says why).

    Each entry needs an ``id``; a topic's id starts with ``t-`` and a section's does not, and no
    id is listed twice over both lists.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [Problem(str(path), 1, None, f"cannot read: {exc.strerror or exc}")]
    text, issue = decode(raw)
    if text is None:
        assert issue is not None
        return None, [
            Problem(str(path), issue.line, None, issue.message, issue.column, issue.excerpt)
        ]
    doc, issues = parse(text)
    problems = [Problem(str(path), i.line, None, i.message, i.column, i.excerpt) for i in issues]
    if doc is None and issues:  # a syntax error: saying 'sections:' is missing would be a guess
        return None, problems
    data = doc.data if doc is not None else None
    entries = data.get("sections") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        message = "expected 'sections:', a list of sections each with an 'id'"
        first = doc.line_of(()) if doc is not None else 1
        return None, problems + [Problem(str(path), first, None, message)]
    topics = data.get("topics", []) if isinstance(data, dict) else []
    if not isinstance(topics, list):
        message = "'topics:' must be a list of topics each with an 'id' (t-...)"
        line: int | None = doc.line_of(("topics",)) if doc is not None else None
        problems.append(Problem(str(path), line, None, message))
        topics = []
    first_line: dict[str, int | None] = {}
    for key, listed in (("sections", entries), ("topics", topics)):
        for index, entry in enumerate(listed):
            line = doc.line_of((key, index)) if doc is not None else None
            eid = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(eid, str) or not eid:
                problems.append(Problem(str(path), line, None, f"{key}[{index}] has no 'id'"))
                continue
            if key == "topics" and not eid.startswith("t-"):
                message = f"topics[{index}]: topic id '{eid}' must start with 't-'"
                problems.append(Problem(str(path), line, eid, message))
            elif key == "sections" and eid.startswith("t-"):
                message = f"sections[{index}]: 't-' starts topic ids; move '{eid}' to 'topics:'"
                problems.append(Problem(str(path), line, eid, message))
            if eid in first_line:
                where = f" (first defined at line {first_line[eid]})" if first_line[eid] else ""
                problems.append(Problem(str(path), line, eid, f"duplicate id '{eid}'{where}"))
            else:
                first_line[eid] = line
    return set(first_line), problems
