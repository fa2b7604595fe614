"""Correct and buggy variants of a course's exercises, graded against their manifests.

A course keeps them beside its ``exercises/`` folder (documented in exercises/README.md,
"Checking your hidden checks with variants")::

    <course>/variants/<exercise-id>/manifest.yaml
    <course>/variants/<exercise-id>/*.py

``manifest.yaml`` lists every variant file once::

    variants:
      - file: einsum.py
        expect: full                  # full marks
      - file: bias_sum_dim0.py
        expect: fail
        fails: [test_grad_bias]       # exactly the checks (function names) that lose points

:func:`load_variants` reads and checks the manifests without running anything (every problem
names the manifest and the line of the offending value); :func:`verify_variants` also grades
each variant through the real sandboxed grader, in one warm worker, and reports every variant
that does not score what its manifest says (:func:`mismatch`): a correct variant must get full
marks, a buggy one must lose points in exactly its ``fails`` checks and still score more than 0
(a variant that scores nothing proves little about the checks).

Variants are solutions: they live outside ``exercises/``, so no handout, Gradescope bundle or
wheel ever carries them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from grader.bank.source import decode, parse
from grader.errors import GraderError, did_you_mean
from grader.exercises.lint import hidden_points
from grader.exercises.loader import exercise_ids
from grader.exercises.model import Exercise

if TYPE_CHECKING:
    from grader.runner.api import Worker
    from grader.runner.result import ExerciseResult

__all__ = [
    "MANIFEST",
    "VARIANTS_DIR",
    "Variant",
    "VariantProblem",
    "VariantReport",
    "check_names",
    "describe_lost_points",
    "failed_checks",
    "load_variants",
    "mismatch",
    "read_manifest",
    "variants_folder",
    "verify_variants",
]

VARIANTS_DIR = "variants"
"""The folder of a course, beside ``exercises/``, that holds the variants."""
MANIFEST = "manifest.yaml"
"""The file in ``variants/<exercise-id>/`` that says what each variant must score."""
EXPECTS = ("full", "fail")
ENTRY_KEYS = ("file", "expect", "fails")


def _shown(path: Path) -> str:
    """``path`` relative to the current folder when it lies inside it (shorter messages)."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


@dataclass(frozen=True)
class VariantProblem:
    """A manifest that does not hold, or a variant that does not score what it says."""

    path: Path
    """The manifest (or the variants folder, when it has no manifest)."""
    line: int | None
    """1-based line of the offending value; None when no line applies."""
    id: str
    """The exercise id (the folder's name)."""
    message: str

    def __str__(self) -> str:
        where = _shown(self.path) + (f":{self.line}" if self.line is not None else "")
        return f"{where}: {self.id}: {self.message}"


@dataclass(frozen=True)
class Variant:
    """One valid manifest entry: a variant file and what it must score."""

    exercise_id: str
    path: Path
    """The variant file."""
    manifest: Path
    line: int
    """Line of the entry (its ``- file:``) in the manifest."""
    expect: Literal["full", "fail"]
    fails: tuple[str, ...] = ()
    """For ``expect: fail``: exactly the checks that must lose points."""

    @property
    def name(self) -> str:
        return self.path.name


@dataclass
class VariantReport:
    """What checking a course's variants found."""

    checked: int = 0
    """Variants graded."""
    skipped: list[Variant] = field(default_factory=list)
    """Variants of CUDA exercises, not graded because there is no GPU."""
    problems: list[VariantProblem] = field(default_factory=list)
    manifests: int = 0
    """Manifests read."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, lang: str = "en") -> str:
        """The summary line (printed on stderr by ``grader verify``); in Chinese when ``lang``
        is ``zh``."""
        if lang == "zh":
            text = (
                f"已验证 {self.manifests} 个清单中的 {self.checked} 个变体："
                f"{len(self.problems)} 个问题"
            )
            if self.skipped:
                named = "、".join(sorted({v.exercise_id for v in self.skipped}))
                text += f"；跳过 {named} 的 {len(self.skipped)} 个变体（需要 CUDA，这里没有 GPU）"
            return text
        text = (
            f"verified {self.checked} variant{'s' if self.checked != 1 else ''} in "
            f"{self.manifests} manifest{'s' if self.manifests != 1 else ''}: "
            f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}"
        )
        if self.skipped:
            ids = sorted({v.exercise_id for v in self.skipped})
            text += (
                f"; skipped {len(self.skipped)} variant{'s' if len(self.skipped) != 1 else ''} "
                f"of {', '.join(ids)} (device: cuda, and there is no GPU here)"
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "manifests": self.manifests,
            "skipped": [f"{v.exercise_id}/{v.name}" for v in self.skipped],
            "problems": [str(p) for p in self.problems],
        }


def variants_folder(exercises_dir: Path) -> Path:
    """The ``variants/`` folder of the course whose exercises are in ``exercises_dir``."""
    return exercises_dir.parent / VARIANTS_DIR


def check_names(exercise: Exercise) -> set[str] | None:
    """The names of the exercise's hidden checks (``test_*`` functions, read with ``ast``);
    None when a check file cannot be read or parsed (``grader validate`` reports it)."""
    names: set[str] = set()
    for path in exercise.hidden_checks:
        try:
            source = path.read_text(encoding="utf-8")
            names |= {c.name for c in hidden_points(source, str(path))}
        except (OSError, UnicodeDecodeError, SyntaxError, ValueError):
            return None
    return names


# ---- reading manifests -------------------------------------------------------------------------


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _value(mapping: MappingNode, key: str) -> tuple[Node, Node] | None:
    """The (key node, value node) pair of ``key`` in ``mapping``."""
    for key_node, value_node in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value_node
    return None


def _hidden_dir(exercise: Exercise) -> str:
    return f"{exercise.folder.name}/hidden/"


def read_manifest(
    manifest: Path, exercise: Exercise, checks: set[str] | None
) -> tuple[list[Variant], list[VariantProblem]]:
    """Read one ``variants/<id>/manifest.yaml``: the valid entries and every problem.

    ``checks`` are the exercise's hidden check names (None: unknown, not checked). Entries with
    a problem are left out of the variants (they would be graded against a wrong expectation);
    a ``.py`` file in the folder that no entry lists is a problem too.
    """
    eid = exercise.id
    folder = manifest.parent
    problems: list[VariantProblem] = []

    def problem(line: int | None, message: str) -> None:
        problems.append(VariantProblem(manifest, line, eid, message))

    try:
        raw = manifest.read_bytes()
    except OSError as exc:
        problem(None, f"cannot read the manifest: {exc.strerror}")
        return [], problems
    text, issue = decode(raw)
    if issue is not None or text is None:
        problem(issue.line if issue else None, issue.message if issue else "cannot decode")
        return [], problems
    doc, issues = parse(text)
    for found in issues:
        problem(found.line, found.message)
    if issues:
        return [], problems
    if doc is None or not isinstance(doc.root, MappingNode):
        problem(
            _line(doc.root) if doc is not None else None,
            "the manifest must be a mapping with a `variants:` list",
        )
        return [], problems
    top = doc.root
    for key_node, _ in top.value:
        if not (isinstance(key_node, ScalarNode) and key_node.value == "variants"):
            problem(_line(key_node), f"unknown key '{key_node.value}' (the only key is `variants`)")
    found_variants = _value(top, "variants")
    if found_variants is None:
        problem(_line(top), "the manifest has no `variants:` list")
        return [], problems
    variants_key, listing = found_variants
    if not isinstance(listing, SequenceNode):
        problem(_line(listing), "`variants` must be a list of entries (`- file: ...`)")
        return [], problems

    entries: list[Variant] = []
    listed: dict[str, int] = {}
    for item in listing.value:
        entry = _read_entry(item, folder, exercise, checks, listed, problem)
        if entry is not None:
            entries.append(entry)
    on_disk = sorted(p.name for p in folder.glob("*.py") if p.is_file())
    for name in on_disk:
        if name not in listed:
            problem(
                _line(variants_key),
                f"{name} is in the folder but not in the manifest: add an entry "
                f"(`- file: {name}` with `expect: full` or `expect: fail`)",
            )
    problems.sort(key=lambda p: p.line or 0)
    return entries, problems


def _read_entry(
    item: Node,
    folder: Path,
    exercise: Exercise,
    checks: set[str] | None,
    listed: dict[str, int],
    problem: Callable[[int | None, str], None],
) -> Variant | None:
    """One manifest entry, or None when it has a problem (reported through ``problem``)."""
    line = _line(item)
    if not isinstance(item, MappingNode):
        problem(line, "an entry must be a mapping: `- file: NAME.py` and `expect: full|fail`")
        return None
    ok = True
    for key_node, _ in item.value:
        if not (isinstance(key_node, ScalarNode) and key_node.value in ENTRY_KEYS):
            key = key_node.value if isinstance(key_node, ScalarNode) else "?"
            problem(
                _line(key_node),
                f"unknown key '{key}'{did_you_mean(str(key), ENTRY_KEYS)}: an entry has "
                "`file`, `expect` and, for `expect: fail`, `fails`",
            )
            ok = False

    found_file = _value(item, "file")
    name: str | None = None
    if found_file is None:
        problem(line, "the entry has no `file:`")
        ok = False
    else:
        node = found_file[1]
        value = node.value if isinstance(node, ScalarNode) else None
        if not isinstance(value, str) or not value:
            problem(_line(node), "`file` must be the name of a .py file in this folder")
            ok = False
        elif "/" in value or "\\" in value or value.startswith(".") or not value.endswith(".py"):
            problem(_line(node), f"`file: {value}`: give a .py file name in this folder")
            ok = False
        elif not (folder / value).is_file():
            on_disk = sorted(p.name for p in folder.glob("*.py"))
            problem(
                _line(node),
                f"{value} does not exist in {folder.name}/{did_you_mean(value, on_disk)}",
            )
            ok = False
        elif value in listed:
            problem(_line(node), f"{value} is listed twice (first at line {listed[value]})")
            ok = False
        else:
            name = value
            listed[value] = _line(node)

    found_expect = _value(item, "expect")
    expect: str | None = None
    if found_expect is None:
        problem(line, "the entry has no `expect:` (`full` or `fail`)")
        ok = False
    else:
        node = found_expect[1]
        expect = node.value if isinstance(node, ScalarNode) else None
        if expect not in EXPECTS:
            shown = expect if expect is not None else "a list or mapping"
            problem(_line(node), f"`expect: {shown}`: expect is `full` or `fail`")
            ok = False

    found_fails = _value(item, "fails")
    fails: list[str] = []
    if expect == "full" and found_fails is not None:
        problem(
            _line(found_fails[0]),
            "a variant with `expect: full` lists no `fails` (it must lose no points)",
        )
        ok = False
    elif expect == "fail":
        if found_fails is None:
            problem(
                _line(found_expect[1]) if found_expect else line,
                "a variant with `expect: fail` must list the checks it fails: "
                "`fails: [test_name, ...]`",
            )
            ok = False
        else:
            node = found_fails[1]
            items = node.value if isinstance(node, SequenceNode) else None
            if not items:
                problem(
                    _line(node),
                    "`fails` must be a non-empty list of check names: `fails: [test_name, ...]`",
                )
                ok = False
            else:
                for check in items:
                    if not isinstance(check, ScalarNode) or not check.value:
                        problem(_line(check), "a `fails` item must be a check's name")
                        ok = False
                    elif check.value in fails:
                        problem(_line(check), f"`fails` lists {check.value} twice")
                        ok = False
                    elif checks is not None and check.value not in checks:
                        hint = did_you_mean(check.value, sorted(checks))
                        problem(
                            _line(check),
                            f"no hidden check named {check.value} in {_hidden_dir(exercise)}{hint}",
                        )
                        ok = False
                    else:
                        fails.append(check.value)
    if not ok or name is None or expect not in EXPECTS:
        return None
    return Variant(
        exercise_id=exercise.id,
        path=folder / name,
        manifest=folder / MANIFEST,
        line=line,
        expect=expect,  # type: ignore[arg-type]
        fails=tuple(fails),
    )


def load_variants(
    folder: Path, exercises: Sequence[Exercise], *, complete: bool = True
) -> tuple[list[Variant], list[VariantProblem], int]:
    """Read the manifests in ``folder`` (a course's ``variants/``) for ``exercises``.

    With ``complete`` (``exercises`` are all the course has), a subfolder named after no
    exercise is a problem; otherwise only the given exercises' subfolders are read. Returns the
    valid variants, every problem and how many manifests were read. A course without the folder,
    or an exercise without a subfolder, has no variants (not a problem).
    """
    by_id = {e.id: e for e in exercises}
    variants: list[Variant] = []
    problems: list[VariantProblem] = []
    manifests = 0
    if not folder.is_dir():
        return variants, problems, manifests
    subfolders = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    for sub in subfolders:
        if sub.name == "__pycache__":
            continue
        exercise = by_id.get(sub.name)
        manifest = sub / MANIFEST
        if exercise is None:
            if complete:
                known = sorted(by_id)
                where: tuple[Path, int | None] = (sub, None)
                if manifest.is_file():
                    where = (manifest, _top_line(manifest))
                problems.append(
                    VariantProblem(
                        where[0],
                        where[1],
                        sub.name,
                        f"no exercise '{sub.name}' in {_exercises_dir_name(exercises)}"
                        f"{did_you_mean(sub.name, known)}: a variants folder is named after the "
                        "exercise id",
                    )
                )
            continue
        if not manifest.is_file():
            problems.append(
                VariantProblem(sub, None, sub.name, f"no {MANIFEST} in this variants folder")
            )
            continue
        manifests += 1
        found, trouble = read_manifest(manifest, exercise, check_names(exercise))
        variants.extend(found)
        problems.extend(trouble)
    return variants, problems, manifests


def _exercises_dir_name(exercises: Sequence[Exercise]) -> str:
    """``exercises/`` as the course names it (for messages)."""
    return f"{exercises[0].folder.parent.name}/" if exercises else "exercises/"


def _top_line(manifest: Path) -> int | None:
    """Line of the manifest's ``variants:`` key (or of its first node), when it parses."""
    try:
        text, _ = decode(manifest.read_bytes())
    except OSError:
        return None
    if text is None:
        return None
    doc, _ = parse(text)
    if doc is None:
        return None
    if isinstance(doc.root, MappingNode):
        found = _value(doc.root, "variants")
        if found is not None:
            return _line(found[0])
    return _line(doc.root)


# ---- grading -----------------------------------------------------------------------------------


def failed_checks(result: ExerciseResult) -> set[str]:
    """Names of the checks (function names, parametrized cases folded) that lost points."""
    return {t.name.split("[", 1)[0] for t in result.tests if t.score < t.max_score}


def describe_lost_points(
    result: ExerciseResult, only: set[str] | None = None, width: int = 160
) -> str:
    """``name (reason: message)`` for each check that lost points (those in ``only``, if given)."""
    parts = []
    for t in result.tests:
        if t.score < t.max_score and (only is None or t.name.split("[", 1)[0] in only):
            message = " ".join(t.message.en.split())
            if len(message) > width:
                message = message[: width - 1] + "…"
            parts.append(
                f"{t.name} ({t.reason}: {message})" if message else f"{t.name} ({t.reason})"
            )
    return "; ".join(parts)


def _score(result: ExerciseResult) -> str:
    return f"{result.score:g}/{result.max_score:g}"


def mismatch(variant: Variant, result: ExerciseResult) -> str | None:
    """Why ``result`` is not what ``variant``'s manifest entry says, or None when it is."""
    failed = failed_checks(result)
    if not result.tests:
        return f"{variant.name}: no hidden check ran"
    if variant.expect == "full":
        if failed or result.score != result.max_score:
            return (
                f"{variant.name}: expected full marks, scores {_score(result)}; lost points in: "
                f"{describe_lost_points(result)}"
            )
        return None
    expected = set(variant.fails)
    if failed != expected:
        parts = [
            f"{variant.name}: expected exactly {sorted(expected)} to fail, got {sorted(failed)}"
        ]
        missing = sorted(expected - failed)
        if missing:
            parts.append(f"passed although listed: {', '.join(missing)}")
        extra = failed - expected
        if extra:
            parts.append(f"also lost points: {describe_lost_points(result, extra)}")
        return "; ".join(parts)
    if not 0 < result.score < result.max_score:
        return (
            f"{variant.name}: scores {_score(result)}; a buggy variant must score more than 0 "
            f"(one that scores nothing proves little about the checks): "
            f"{describe_lost_points(result)}"
        )
    return None


def _groups(exercises: Sequence[Exercise]) -> list[tuple[Path, list[Exercise], bool]]:
    """Exercises grouped by their ``exercises/`` folder: (variants folder, exercises, whether
    they are all of that folder's exercises)."""
    by_dir: dict[Path, list[Exercise]] = {}
    for exercise in exercises:
        by_dir.setdefault(exercise.folder.resolve().parent, []).append(exercise)
    return [
        (
            variants_folder(ex_dir),
            group,
            {e.id for e in group} >= set(exercise_ids(ex_dir)),
        )
        for ex_dir, group in by_dir.items()
    ]


def verify_variants(
    exercises: Sequence[Exercise], *, worker: Worker | None = None
) -> VariantReport:
    """Check the manifests of ``exercises``' variants and grade every variant (see the module
    docstring). ``worker``: a started grading worker to share (one is started otherwise, only
    when there is a variant to grade)."""
    from grader.runner.api import grade_exercise

    report = VariantReport()
    to_grade: list[tuple[Variant, Exercise]] = []
    for folder, group, complete in _groups(exercises):
        found, problems, manifests = load_variants(folder, group, complete=complete)
        by_id = {e.id: e for e in group}
        to_grade.extend((v, by_id[v.exercise_id]) for v in found)
        report.problems.extend(problems)
        report.manifests += manifests
    if to_grade:
        from grader.runner.client import WarmWorker

        with contextlib.ExitStack() as stack:
            active = worker if worker is not None else stack.enter_context(WarmWorker())
            cuda = bool(active.start().get("cuda"))
            for variant, exercise in to_grade:
                if exercise.spec.device == "cuda" and not cuda:
                    report.skipped.append(variant)
                    continue
                try:
                    result = grade_exercise(exercise, variant.path, worker=active)
                except GraderError as exc:
                    report.problems.append(
                        VariantProblem(
                            variant.manifest,
                            variant.line,
                            variant.exercise_id,
                            f"{variant.name}: could not be graded: {exc.message}",
                        )
                    )
                    continue
                report.checked += 1
                why = mismatch(variant, result)
                if why is not None:
                    report.problems.append(
                        VariantProblem(variant.manifest, variant.line, variant.exercise_id, why)
                    )
    report.problems.sort(key=lambda p: (p.id, p.line or 0))
    return report
