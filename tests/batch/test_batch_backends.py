"""The Ray backend is an optional extra: without Ray, `--backend ray` is a usage error naming the
extra, and the grader (the local backend included) works and never imports Ray."""

from __future__ import annotations

import io
import os
import shutil
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from batch_helpers import COURSE, GRADER, ROOT, build_class, read_gradebook


def _without_ray(tmp_path: Path) -> dict[str, str]:
    """An environment where `import ray` fails as it does when Ray is not installed, in this
    process's children and in theirs (the warm workers keep PYTHONPATH)."""
    fake = tmp_path / "no-ray" / "ray"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text(
        "raise ModuleNotFoundError(\"No module named 'ray'\", name='ray')\n"
    )
    path = os.pathsep.join(p for p in (str(fake.parent), os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "PYTHONPATH": path}


def test_ray_backend_without_ray_is_a_usage_error_naming_the_extra(tmp_path):
    """Exit 2 before anything is written, saying how to install the extra."""
    root = build_class(tmp_path / "class", {"alice.py": "correct"})
    out = tmp_path / "out"
    cmd = [*GRADER, "batch", "add-one", str(root), "--out", str(out), "--backend", "ray"]
    proc = subprocess.run(
        [*cmd, "--course", str(COURSE), "--quiet"],
        capture_output=True,
        text=True,
        timeout=60,
        env=_without_ray(tmp_path),
    )
    assert proc.returncode == 2, proc.stderr
    assert "--backend ray needs Ray" in proc.stderr
    assert "pip install 'torch-grader[ray]'" in proc.stderr
    assert not out.exists()


def test_local_batch_works_without_ray(tmp_path):
    """The default backend grades a class where Ray cannot be imported."""
    root = build_class(tmp_path / "class", {"alice.py": "correct", "bob.py": "wrong_value"})
    out = tmp_path / "out"
    cmd = [*GRADER, "batch", "add-one", str(root), "--out", str(out), "--workers", "1"]
    proc = subprocess.run(
        [*cmd, "--course", str(COURSE), "--quiet"],
        capture_output=True,
        text=True,
        timeout=180,
        env=_without_ray(tmp_path),
    )
    assert proc.returncode == 0, proc.stderr
    rows = [(r["student"], r["status"]) for r in read_gradebook(out)]
    assert rows == [("alice", "full"), ("bob", "partial")]
    assert "local: 1 slots on 1 node" in proc.stderr


def test_the_batch_and_its_command_never_import_ray():
    """Ray is imported by the Ray backend only, when it is asked for."""
    code = (
        "import sys, grader, grader.batch.run, grader.batch.backends.local, grader.cli.batch\n"
        "from grader.cli import cli\n"
        "cli.main(['batch', '--help'], standalone_mode=False)\n"
        "assert 'ray' not in sys.modules, sorted(m for m in sys.modules if m.startswith('ray'))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    assert "--backend [local|ray]" in proc.stdout and "--ray-address ADDR" in proc.stdout


def test_ray_address_needs_the_ray_backend(tmp_path):
    """--ray-address with the local backend is a usage error, before anything is written."""
    root = build_class(tmp_path / "class", {"alice.py": "correct"})
    out = tmp_path / "out"
    cmd = [*GRADER, "batch", "add-one", str(root), "--out", str(out), "--ray-address", "x:1"]
    proc = subprocess.run(
        [*cmd, "--course", str(COURSE)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2 and "--ray-address is for --backend ray" in proc.stderr
    assert not out.exists()


def test_the_course_archive_is_deterministic_and_holds_what_the_judge_needs():
    """The same course gives the same bytes (its hash keys the copy on every node): the
    exercise with its hidden checks and its solution, no caches."""
    from grader.batch.backends.course_pack import pack_course
    from grader.exercises.loader import find_exercise

    exercise = find_exercise("add-one", COURSE / "exercises", COURSE / "solutions")
    cache = exercise.folder / "__pycache__"
    first = pack_course([exercise])
    cache.mkdir(exist_ok=True)
    try:
        (cache / "x.pyc").write_bytes(b"cache")
        second = pack_course([exercise])
    finally:
        shutil.rmtree(cache)
    assert first == second
    with tarfile.open(fileobj=io.BytesIO(first.data)) as tar:
        names = tar.getnames()
    assert "exercises/add-one/hidden/test_add_one.py" in names
    assert "solutions/add-one.py" in names
    assert not [n for n in names if "__pycache__" in n]


def test_a_node_unpacks_each_course_once_into_a_private_folder(tmp_path):
    """The first actor of a node fetches and unpacks; the others (and later batches) find the
    folder by its hash; a damaged archive is refused and leaves nothing behind."""
    from grader.batch.backends.course_pack import pack_course, unpack_course
    from grader.errors import InternalError
    from grader.exercises.loader import find_exercise

    pack = pack_course([find_exercise("add-one", COURSE / "exercises", COURSE / "solutions")])
    fetches: list[int] = []

    def fetch() -> bytes:
        fetches.append(1)
        return pack.data

    root = tmp_path / "node"
    root.mkdir(mode=0o700)
    first = unpack_course(pack.sha256, fetch, root)
    again = unpack_course(pack.sha256, fetch, root)
    assert first == again == root / "courses" / pack.sha256
    assert len(fetches) == 1
    assert (first / "exercises" / "add-one" / "hidden" / "test_add_one.py").read_bytes() == (
        COURSE / "exercises" / "add-one" / "hidden" / "test_add_one.py"
    ).read_bytes()
    assert stat.S_IMODE(first.stat().st_mode) == 0o700
    assert stat.S_IMODE((root / "courses").stat().st_mode) == 0o700

    other = "0" * 64
    with pytest.raises(InternalError, match="does not match its hash"):
        unpack_course(other, fetch, root)
    assert not (root / "courses" / other).exists()
    assert [p.name for p in (root / "courses").iterdir() if p.is_dir()] == [pack.sha256]
