"""Loading exercises of a course: ``find_exercise`` for one id, ``load_exercises`` for all."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from grader.errors import BankError, UsageError, closest
from grader.exercises.model import Exercise, ExerciseSpec

try:  # libyaml's C loader when present
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def exercise_ids(exercises_dir: Path) -> list[str]:
    """Ids (folder names) of every exercise folder that has an exercise.yaml."""
    if not exercises_dir.is_dir():
        return []
    return sorted(p.name for p in exercises_dir.iterdir() if (p / "exercise.yaml").is_file())


def load_exercise(folder: Path, solutions_dir: Path | None = None) -> Exercise:
    """Load one exercise folder; raise BankError with the file's path when it is malformed."""
    yaml_path = folder / "exercise.yaml"
    try:
        data = yaml.load(yaml_path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BankError(f"{yaml_path}: cannot load: {exc}") from None
    try:
        spec = ExerciseSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise BankError(f"{yaml_path}: {loc}: {first['msg']} (run `grader validate`)") from None
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


def load_exercises(exercises_dir: Path, solutions_dir: Path | None = None) -> list[Exercise]:
    """Every exercise of a course, sorted by id."""
    return [load_exercise(exercises_dir / i, solutions_dir) for i in exercise_ids(exercises_dir)]
