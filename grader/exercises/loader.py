"""Loading exercises of a course: ``find_exercise`` for one id, ``load_exercises`` for all."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from grader.errors import BankError, UsageError, closest
from grader.exercises.model import Exercise, ExerciseSpec


def exercise_ids(exercises_dir: Path) -> list[str]:
    """Ids (folder names) of every exercise folder that has an exercise.yaml."""
    if not exercises_dir.is_dir():
        return []
    return sorted(p.name for p in exercises_dir.iterdir() if (p / "exercise.yaml").is_file())


def read_spec(yaml_path: Path) -> ExerciseSpec:
    """The checked contents of one ``exercise.yaml``; BankError with its path when malformed."""
    import yaml  # imported here: the app's home screen reads the specs from a memo
    from pydantic import ValidationError

    try:  # libyaml's C loader when present
        from yaml import CSafeLoader as Loader
    except ImportError:  # pragma: no cover - depends on the PyYAML build
        from yaml import SafeLoader as Loader  # type: ignore[assignment]

    try:
        data = yaml.load(yaml_path.read_text(encoding="utf-8"), Loader=Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BankError(f"{yaml_path}: cannot load: {exc}") from None
    try:
        return ExerciseSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise BankError(f"{yaml_path}: {loc}: {first['msg']} (run `grader validate`)") from None


def load_exercise(
    folder: Path,
    solutions_dir: Path | None = None,
    read: Callable[[Path], ExerciseSpec] = read_spec,
) -> Exercise:
    """Load one exercise folder (its spec through ``read``); raise BankError with the file's
    path when it is malformed."""
    spec = read(folder / "exercise.yaml")
    solution = None
    if solutions_dir is not None and (solutions_dir / f"{spec.id}.py").is_file():
        solution = solutions_dir / f"{spec.id}.py"
    return Exercise(spec=spec, folder=folder, solution=solution)


def find_exercise(
    exercise_id: str, exercises_dir: Path, solutions_dir: Path | None = None
) -> Exercise:
    """Load the exercise ``exercise_id``; an unknown id is a usage error naming the nearest id."""
    ids = exercise_ids(exercises_dir)
    if exercise_id not in ids:
        close = closest(exercise_id, ids)
        hint = f" Did you mean '{close}'?" if close else ""
        known = f" Known exercises: {', '.join(ids)}." if ids and not close else ""
        raise UsageError(f"unknown exercise '{exercise_id}'.{hint}{known}")
    return load_exercise(exercises_dir / exercise_id, solutions_dir)


def load_exercises(
    exercises_dir: Path,
    solutions_dir: Path | None = None,
    read: Callable[[Path], ExerciseSpec] = read_spec,
) -> list[Exercise]:
    """Every exercise of a course, sorted by id (each spec through ``read``)."""
    return [
        load_exercise(exercises_dir / i, solutions_dir, read) for i in exercise_ids(exercises_dir)
    ]
