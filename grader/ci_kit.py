"""The GitHub Actions grading kit: the workflow and the pinned grader wheel it installs.

``grader ci-kit DEST`` writes into the private grading repository DEST:

- ``ci/torch_grader-<version>-py3-none-any.whl`` and its ``.sha256`` (see :mod:`pinned_wheel`);
- ``.github/workflows/grade-class.yml``: the template with ``GRADER_WHEEL``,
  ``GRADER_WHEEL_SHA256``, ``TORCH_SPEC`` and ``STUDENTS_PER_JOB`` filled in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from grader.course import bundled_root
from grader.errors import UsageError
from grader.pinned_wheel import PinnedWheel, write_pinned_wheel

WORKFLOW = Path(".github") / "workflows" / "grade-class.yml"
WHEEL_DIR = Path("ci")


def template_path() -> Path:
    """The workflow template shipped with the grader (``templates/github-actions``)."""
    path = bundled_root() / "templates" / "github-actions" / "grade-class.yml"
    if not path.is_file():
        raise UsageError(f"the workflow template is missing from this installation ({path})")
    return path


def _set_env(text: str, key: str, value: str) -> str:
    pattern = re.compile(rf"^(  {key}: ).*$", re.M)
    if len(pattern.findall(text)) != 1:
        raise UsageError(f"the workflow template has no single top-level env {key}")
    return pattern.sub(lambda m: m.group(1) + value, text)


def render_workflow(
    template: str, pinned: PinnedWheel, root: Path, torch_spec: str, per_job: int
) -> str:
    """The template with the pin, the torch requirement and the shard size filled in."""
    text = _set_env(template, "GRADER_WHEEL", pinned.path.relative_to(root).as_posix())
    text = _set_env(text, "GRADER_WHEEL_SHA256", f'"{pinned.sha256}"')
    text = _set_env(text, "TORCH_SPEC", torch_spec)
    return _set_env(text, "STUDENTS_PER_JOB", f'"{per_job}"')


@dataclass(frozen=True)
class Kit:
    workflow: Path
    wheel: PinnedWheel


def write_kit(
    dest: Path,
    *,
    wheel: Path | None = None,
    torch_spec: str | None = None,
    per_job: int = 25,
    force: bool = False,
) -> Kit:
    """Write the pinned wheel and the filled-in workflow into the grading repository ``dest``."""
    from grader.gradescope import default_torch_spec

    if not dest.is_dir():
        raise UsageError(f"{dest} is not a folder: give the grading repository's checkout")
    if not 1 <= per_job <= 256:
        raise UsageError("--students-per-job must be between 1 and 256")
    spec = torch_spec or default_torch_spec()
    if not re.fullmatch(r"torch==[0-9][0-9A-Za-z.]*", spec):
        raise UsageError(f"--torch {spec!r}: pin one version, e.g. torch==2.13.0")
    target = dest / WORKFLOW
    template = template_path().read_text(encoding="utf-8")
    if target.exists() and not force:
        existing = target.read_text(encoding="utf-8")
        if "GRADER_WHEEL_SHA256" not in existing:
            raise UsageError(f"{target} exists and is not this template; move it, or pass --force")
    pinned = write_pinned_wheel(dest / WHEEL_DIR, wheel)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_workflow(template, pinned, dest, spec, per_job), encoding="utf-8")
    return Kit(target, pinned)
