"""The course as one archive keyed by its content hash, and its unpacked copy on a node.

The Ray backend puts the archive in the object store once; on each node the first actor that
needs it unpacks it into ``<tmp>/grader-ray-<uid>/courses/<sha256>/`` (mode 0700, owned by the
Ray user), and every other actor of that node finds it there. Only the judge reads that folder:
it is never on a Ray worker's ``sys.path`` (no ``runtime_env``), and the executors that run the
learner's code are kept out of it by the sandbox as they are kept out of a local course.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.errors import InternalError
from grader.exercises.model import Exercise

COMPLETE = ".complete"
"""Written last into an unpacked course: a folder without it was cut short and is redone."""


@dataclass(frozen=True)
class CoursePack:
    """The exercises being graded (with their hidden checks) and their solutions, as a tar."""

    data: bytes
    sha256: str
    files: int


def _course_files(exercises: Iterable[Exercise]) -> list[tuple[str, Path]]:
    """(name in the archive, file) for every file the judge may need, sorted by name."""
    found: dict[str, Path] = {}
    for ex in exercises:
        for path in sorted(ex.folder.rglob("*")):
            rel = path.relative_to(ex.folder)
            if "__pycache__" in rel.parts or any(part.startswith(".") for part in rel.parts):
                continue
            if path.is_file():
                found[f"exercises/{ex.id}/{rel.as_posix()}"] = path
        if ex.solution is not None and ex.solution.is_file():
            found[f"solutions/{ex.solution.name}"] = ex.solution
    return sorted(found.items())


def pack_course(exercises: Iterable[Exercise]) -> CoursePack:
    """A deterministic tar of the course (same files, same bytes, same hash on every run)."""
    buf = io.BytesIO()
    files = _course_files(exercises)
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, path in files:
            data = path.read_bytes()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mode = 0o600
            info.mtime = 0
            tar.addfile(info, io.BytesIO(data))
    data = buf.getvalue()
    return CoursePack(data=data, sha256=hashlib.sha256(data).hexdigest(), files=len(files))


def node_root() -> Path:
    """This node's private folder for the Ray backend (created 0700)."""
    root = Path(tempfile.gettempdir()) / f"grader-ray-{os.getuid()}"
    root.mkdir(mode=0o700, exist_ok=True)
    if root.is_symlink() or root.stat().st_uid != os.getuid():
        raise InternalError(f"{root} is not a folder of this user: refusing to unpack a course")
    os.chmod(root, 0o700)
    return root


def unpack_course(sha256: str, fetch: Callable[[], bytes], root: Path | None = None) -> Path:
    """The unpacked course ``sha256`` on this node; ``fetch`` (the object store) is called only
    by the first actor of the node, under a lock, when the folder is not there yet.

    Returns the course folder (``exercises/``, ``solutions/``). Raises InternalError when the
    archive does not match its hash.
    """
    courses = (root or node_root()) / "courses"
    courses.mkdir(mode=0o700, exist_ok=True)
    target = courses / sha256
    fd = os.open(courses / f"{sha256}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        if (target / COMPLETE).is_file():
            return target
        data = fetch()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise InternalError(f"the course archive does not match its hash {sha256[:12]}")
        shutil.rmtree(target, ignore_errors=True)
        partial = Path(tempfile.mkdtemp(prefix=f".{sha256[:12]}-", dir=courses))
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r") as tar:
                tar.extractall(partial, filter="data")
            (partial / COMPLETE).write_text(sha256 + "\n")
            os.replace(partial, target)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        return target
    finally:
        os.close(fd)
