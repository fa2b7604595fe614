"""The exercise model: ``exercises/<id>/exercise.yaml`` plus the files beside it."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from grader.bank.model import BankText
from grader.denylist import entry_problem

Device = Literal["cpu", "cuda", "any"]


def _deny_entry(entry: str) -> str:
    problem = entry_problem(entry)
    if problem is not None:
        raise ValueError(problem)
    return entry


DenyEntry = Annotated[str, AfterValidator(_deny_entry)]
"""One ``deny:`` entry, checked for its form only (resolving it needs torch: the judge does)."""


class ExerciseSpec(BaseModel):
    """The contents of ``exercise.yaml`` (documented in ``exercises/README.md``)."""

    # the schema is built at the first validation, not at import: the app's home screen
    # takes the specs from the study layer's memo and validates none
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    format_version: Literal[1] = 1
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
    """Equal to the folder name; stable forever."""
    title: BankText
    statement: BankText
    """Markdown, with a worked example."""
    points: float = Field(gt=0)
    """Total of the hidden checks' points."""
    device: Device = "cpu"
    """cpu, cuda (skipped without a GPU) or any (runs once, on the best device present)."""
    time_limit: float = Field(default=10.0, gt=0, le=600)
    """Wall-clock seconds allowed for each check."""
    memory_limit_mb: int = Field(default=2048, ge=256)
    """Address-space limit per check on CPU (not applied to CUDA children)."""
    hints: tuple[BankText, ...] = Field(min_length=1)
    tags: tuple[str, ...] = Field(min_length=1)
    source: str | None = None
    """Seed section id the exercise comes from."""
    allow: tuple[str, ...] = ()
    """Extra modules (or ``module.attribute`` names) this exercise's policy admits."""
    deny: tuple[DenyEntry, ...] = ()
    """Torch APIs this exercise forbids (``grader.denylist``): modules, functions, classes and
    methods by dotted name (``torch.softmax``, ``torch.nn.functional``, ``Tensor.softmax``)."""

    @field_validator("deny")
    @classmethod
    def _deny_once(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        twice = sorted({entry for entry in value if value.count(entry) > 1})
        if twice:
            raise ValueError(f"{twice[0]!r} is listed twice")
        return value


@dataclass(frozen=True)
class Exercise:
    """A loaded exercise: its spec and the paths of its files."""

    spec: ExerciseSpec
    folder: Path
    solution: Path | None
    """``solutions/<id>.py`` when the course ships it."""

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def yaml_path(self) -> Path:
        return self.folder / "exercise.yaml"

    @property
    def starter(self) -> Path:
        return self.folder / "starter.py"

    @property
    def public_checks(self) -> tuple[Path, ...]:
        return tuple(sorted(self.folder.glob("test_public*.py")))

    @property
    def hidden_checks(self) -> tuple[Path, ...]:
        return tuple(sorted((self.folder / "hidden").glob("test_*.py")))

    def checks(self, kind: Literal["hidden", "public"]) -> tuple[Path, ...]:
        """The check files of one kind."""
        return self.hidden_checks if kind == "hidden" else self.public_checks

    def content_hash(self) -> str:
        """sha256 over exercise.yaml and the starter (what the learner sees)."""
        h = hashlib.sha256()
        for path in (self.yaml_path, self.starter):
            h.update(path.name.encode())
            h.update(path.read_bytes() if path.exists() else b"")
        return h.hexdigest()

    def checks_hash(self, kind: Literal["hidden", "public"] = "hidden") -> str:
        """sha256 over the check files of one kind."""
        h = hashlib.sha256()
        for path in self.checks(kind):
            h.update(path.name.encode())
            h.update(path.read_bytes())
        return h.hexdigest()
