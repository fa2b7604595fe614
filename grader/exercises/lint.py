"""Static checks of exercise folders (``exercises/<id>/``), for ``grader validate``. No torch.

For each folder: ``exercise.yaml`` against ``ExerciseSpec`` (file:line problems, both languages,
non-empty hints), the folder name equals ``id``, ``starter.py``, ``test_public*.py`` and
``hidden/test_*.py`` exist, the starter marks what to change with ``# TODO`` (unless the exercise
is tagged ``find-the-bug``), ``solutions/<id>.py`` exists, and the ``@points(n)`` of the hidden
checks, read with ``ast`` (nothing is imported), add up to ``points``. A check without
``@points`` is an error; a parametrized check's points are split across its cases, so its
decorator counts once.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grader.bank.problems import Problem
from grader.bank.schema_errors import translate_errors
from grader.bank.source import decode, parse
from grader.exercises.model import ExerciseSpec

__all__ = ["CheckPoints", "FIND_THE_BUG", "hidden_points", "lint_exercise"]

FIND_THE_BUG = "find-the-bug"
"""Tag of exercises whose starter must not point at the bug with a ``# TODO``."""


@dataclass(frozen=True)
class CheckPoints:
    """One hidden check and the points its decorator declares."""

    name: str
    line: int
    points: float | None
    """None when the check has no ``@points``."""


def _points_value(decorator: ast.expr) -> tuple[bool, float | None]:
    """(is a points decorator, its literal value or None when not a number literal)."""
    if not isinstance(decorator, ast.Call):
        return False, None
    func = decorator.func
    name = (
        func.attr
        if isinstance(func, ast.Attribute)
        else func.id
        if isinstance(func, ast.Name)
        else ""
    )
    if name != "points":
        return False, None
    if len(decorator.args) != 1 or decorator.keywords:
        return True, None
    arg = decorator.args[0]
    if (
        isinstance(arg, ast.Constant)
        and isinstance(arg.value, int | float)
        and not isinstance(arg.value, bool)
    ):
        return True, float(arg.value)
    return True, None


def hidden_points(source: str, filename: str = "<check>") -> list[CheckPoints]:
    """The checks (``test_*`` functions, also in ``Test*`` classes) of a check file and their
    points. Raises ``SyntaxError`` for a file that does not parse."""
    tree = ast.parse(source, filename=filename)
    found: list[CheckPoints] = []

    def visit(body: list[ast.stmt], inherited: float | None) -> None:
        for node in body:
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                class_points = inherited
                for deco in node.decorator_list:
                    is_points, value = _points_value(deco)
                    if is_points:
                        class_points = value if value is not None else math.nan
                visit(node.body, class_points)
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "test"
            ):
                points = inherited
                for deco in node.decorator_list:
                    is_points, value = _points_value(deco)
                    if is_points:
                        points = value if value is not None else math.nan
                found.append(CheckPoints(node.name, node.lineno, points))

    visit(tree.body, None)
    return found


def lint_exercise(
    folder: Path, solutions_dir: Path | None
) -> tuple[ExerciseSpec | None, list[Problem]]:
    """Every problem of one exercise folder (the spec too, when ``exercise.yaml`` is valid).

    The checks beyond the schema still run when ``exercise.yaml`` has schema problems, on the
    values as written.
    """
    problems: list[Problem] = []
    fid = folder.name
    yaml_path = folder / "exercise.yaml"
    spec, raw, lines = _read_spec(yaml_path, fid, problems)
    written_id = raw.get("id")
    eid = fid  # problems name the folder: the id should equal it, and if not, that is reported
    if isinstance(written_id, str) and written_id != fid:
        message = f"id '{written_id}' differs from the folder name '{fid}'"
        problems.append(Problem(str(yaml_path), lines.get("id"), eid, message))
    raw_tags = raw.get("tags")
    tags: list[Any] = raw_tags if isinstance(raw_tags, list) else []
    points = raw.get("points")
    declared = (
        float(points) if isinstance(points, int | float) and not isinstance(points, bool) else None
    )

    starter = folder / "starter.py"
    if not starter.is_file():
        problems.append(Problem(str(folder), None, eid, "starter.py is missing"))
    elif FIND_THE_BUG not in tags:
        text = starter.read_text(encoding="utf-8", errors="replace")
        if "# TODO" not in text:
            problems.append(
                Problem(
                    str(starter),
                    None,
                    eid,
                    "the starter marks no place to change with '# TODO' "
                    f"(tag the exercise '{FIND_THE_BUG}' if the marker would give the bug away)",
                )
            )
    if starter.is_file():
        _lint_starter_name(starter, eid, problems)
    if not any(folder.glob("test_public*.py")):
        problems.append(Problem(str(folder), None, eid, "no public checks (test_public*.py)"))
    hidden = sorted((folder / "hidden").glob("test_*.py"))
    if not hidden:
        problems.append(Problem(str(folder), None, eid, "no hidden checks (hidden/test_*.py)"))
    total = 0.0
    for path in hidden:
        total += _file_points(path, eid, problems)
    if (
        declared is not None
        and hidden
        and not math.isnan(total)
        and not math.isclose(total, declared)
    ):
        problems.append(
            Problem(
                str(yaml_path),
                lines.get("points"),
                eid,
                f"points is {_num(declared)} but the hidden checks' @points add up to {_num(total)}",
            )
        )
    if solutions_dir is not None:
        solution = solutions_dir / f"{fid}.py"
        if not solution.is_file():
            problems.append(Problem(str(yaml_path), None, eid, f"no reference solution {solution}"))
    return spec, problems


def _lint_starter_name(starter: Path, eid: str, problems: list[Problem]) -> None:
    """The learner's copy of the starter is not called ``starter.py`` (the app's workspace
    names it ``<id>.py``), so the starter must not tell them to run a command on that name."""
    text = starter.read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), start=1):
        if "starter.py" in line:
            problems.append(
                Problem(
                    str(starter),
                    number,
                    eid,
                    "the starter names 'starter.py', but the learner's copy is called "
                    f"'{eid}.py' in the app and may have any name elsewhere: say 'this file'",
                )
            )


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _file_points(path: Path, eid: str, problems: list[Problem]) -> float:
    try:
        checks = hidden_points(path.read_text(encoding="utf-8"), str(path))
    except SyntaxError as exc:
        problems.append(Problem(str(path), exc.lineno, eid, f"Python syntax error: {exc.msg}"))
        return math.nan
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(path), None, eid, f"cannot read: {exc}"))
        return math.nan
    if not checks:
        problems.append(Problem(str(path), None, eid, "no checks (test_* functions) in this file"))
    total = 0.0
    for check in checks:
        if check.points is None:
            problems.append(
                Problem(str(path), check.line, eid, f"check '{check.name}' has no @points(n)")
            )
            total = math.nan
        elif math.isnan(check.points):
            problems.append(
                Problem(
                    str(path),
                    check.line,
                    eid,
                    f"check '{check.name}': @points needs one number literal, e.g. @points(2)",
                )
            )
            total = math.nan
        elif check.points <= 0:
            problems.append(
                Problem(
                    str(path), check.line, eid, f"check '{check.name}': @points must be positive"
                )
            )
        else:
            total += check.points
    return total


def _read_spec(
    yaml_path: Path, fid: str, problems: list[Problem]
) -> tuple[ExerciseSpec | None, dict[str, Any], dict[str, int]]:
    """The spec (None if invalid), the mapping as written, and the line of each top-level key."""
    path = str(yaml_path)
    try:
        raw = yaml_path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(str(yaml_path.parent), None, fid, "exercise.yaml is missing"))
        return None, {}, {}
    except OSError as exc:
        problems.append(Problem(path, 1, fid, f"cannot read: {exc.strerror or exc}"))
        return None, {}, {}
    text, issue = decode(raw)
    if text is None:
        assert issue is not None
        problems.append(Problem(path, issue.line, fid, issue.message, issue.column, issue.excerpt))
        return None, {}, {}
    doc, issues = parse(text)
    problems.extend(Problem(path, i.line, fid, i.message, i.column, i.excerpt) for i in issues)
    if doc is None:
        if not issues:
            problems.append(Problem(path, 1, fid, "file is empty"))
        return None, {}, {}
    if not isinstance(doc.data, dict):
        message = "the top level must be a mapping of keys (id, title, ...)"
        problems.append(Problem(path, doc.line_of(()), fid, message))
        return None, {}, {}
    lines = {str(k): doc.line_of((k,)) for k in doc.data}
    try:
        spec = ExerciseSpec.model_validate(doc.data)
    except ValidationError as exc:
        for issue in translate_errors(exc.errors(), doc=doc, base=(), root=ExerciseSpec):
            problems.append(Problem(path, issue.line, fid, issue.message))
        return None, doc.data, lines
    return spec, doc.data, lines
