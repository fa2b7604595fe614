"""A pinned grader wheel: the file the CI template and the student handout install, and its
sha256, so nothing is ever installed by an index name someone else could register.

:func:`write_pinned_wheel` builds the grader's wheel from this checkout (or copies one given),
always without the bundled course (its hidden checks and solutions), and writes it with a
``<wheel>.sha256`` file in ``sha256sum`` format beside it. The install commands check the hash
first (``sha256sum --check --strict``), then install that file.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError

WHEEL_NAME = re.compile(r"^torch_grader-[0-9][^/\\-]*-py3-none-any\.whl$")


@dataclass(frozen=True)
class PinnedWheel:
    path: Path
    sha256: str

    @property
    def sha_file(self) -> Path:
        return self.path.with_name(self.path.name + ".sha256")


def write_pinned_wheel(dest: Path, wheel: Path | None = None) -> PinnedWheel:
    """Write the grader wheel (without the bundled course) and its ``.sha256`` into ``dest``."""
    from grader.gradescope import build_wheel, strip_bundled_course

    if wheel is not None and not wheel.is_file():
        raise UsageError(f"--wheel {wheel} does not exist")
    if wheel is not None and not WHEEL_NAME.match(wheel.name):
        raise UsageError(f"--wheel {wheel}: not a torch_grader wheel (torch_grader-*.whl)")
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = wheel if wheel is not None else build_wheel(Path(tmp))
        target = dest / source.name
        part = dest / f".{source.name}.part"
        data = strip_bundled_course(source.read_bytes())
        part.write_bytes(data)
        part.replace(target)
    for old in dest.glob("torch_grader-*.whl"):
        if old != target:  # one pinned wheel: an older one left behind would confuse the pin
            old.unlink()
            old.with_name(old.name + ".sha256").unlink(missing_ok=True)
    pinned = PinnedWheel(target, hashlib.sha256(data).hexdigest())
    pinned.sha_file.write_text(f"{pinned.sha256}  {target.name}\n", encoding="utf-8")
    return pinned
