"""The bundled id registry (questions/ids.txt) covers every bundled id and only ever grows:
no id of any committed version of the file is ever missing from it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from host_support import skip_or_fail_on_ci

from grader.bank.loader import bank_files, load_bank_file
from grader.bank.registry import REGISTRY_NAME, read_registry

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = ROOT / "questions"
REGISTRY = QUESTIONS / REGISTRY_NAME


def test_registry_is_well_formed() -> None:
    """One kebab-case id per line, sorted, no repeats, no blank lines."""
    registry = read_registry(REGISTRY)
    assert registry is not None, f"{REGISTRY} is missing"
    assert [str(p) for p in registry.problems] == []


def test_every_bundled_id_is_registered() -> None:
    """Every question id written in a bundled bank is in ids.txt."""
    registry = read_registry(REGISTRY)
    assert registry is not None
    missing = [
        f"{path.name}:{line}: {qid}"
        for path in bank_files([QUESTIONS])
        for qid, line in load_bank_file(path, cache=False).ids
        if qid not in registry.ids
    ]
    assert not missing, (
        f"{len(missing)} ids are not in questions/ids.txt (run `grader validate --update-ids`): "
        + ", ".join(missing[:10])
    )


def committed_ids(repo: Path, relpath: str) -> set[str]:
    """Every id any committed version of ``relpath`` held, over the checkout's whole history.

    A commit that deleted the file contributes nothing; the file in the working tree is not read.
    Skips the calling test where ``repo`` is not a git checkout with its full history (it fails
    instead on CI, so the check can never switch itself off there).
    """
    git = shutil.which("git")
    if git is None:
        skip_or_fail_on_ci("git is not installed: the registry's history cannot be read")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [git, *args], cwd=repo, capture_output=True, text=True, timeout=60, check=False
        )

    inside = run("rev-parse", "--is-inside-work-tree")
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        skip_or_fail_on_ci(f"{repo} is not a git checkout: {inside.stderr.strip()}")
    if run("rev-parse", "--is-shallow-repository").stdout.strip() == "true":
        skip_or_fail_on_ci(
            "a shallow clone lacks the registry's history (fetch it all: `git fetch --unshallow`, "
            "or actions/checkout with fetch-depth: 0)"
        )
    log = run("log", "--full-history", "--format=%H", "--", relpath)
    assert log.returncode == 0, log.stderr
    ids: set[str] = set()
    for commit in log.stdout.split():
        shown = run("show", f"{commit}:./{relpath}")
        if shown.returncode == 0:
            ids.update(line.strip() for line in shown.stdout.splitlines() if line.strip())
    return ids


def removed_ids(repo: Path, relpath: str) -> list[str]:
    """Ids some committed version of the registry held that the file holds no more, sorted."""
    current = read_registry(repo / relpath)
    kept = current.ids if current is not None else frozenset()
    return sorted(committed_ids(repo, relpath) - kept)


def test_no_registered_id_was_ever_removed() -> None:
    """Every id of every committed version of ids.txt is in the file now (ids are never reused),
    so neither an edit in the working tree nor a committed removal goes unnoticed."""
    removed = removed_ids(ROOT, f"questions/{REGISTRY_NAME}")
    assert not removed, (
        f"ids removed from questions/{REGISTRY_NAME} (an id is never removed or reused; put them "
        f"back): {removed}"
    )


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
        + list(args),
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=60,
    )


def test_a_committed_removal_is_found(tmp_path: Path) -> None:
    """An id removed in a commit (working tree equal to HEAD, so a comparison with HEAD alone sees
    nothing) is still reported, as is one removed in the working tree only."""
    if shutil.which("git") is None:
        skip_or_fail_on_ci("git is not installed")
    repo = tmp_path / "course"
    registry = repo / "questions" / REGISTRY_NAME
    registry.parent.mkdir(parents=True)
    _git(repo, "init", "-q")
    registry.write_text("autograd-a\nautograd-b\ntensors-c\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "ids")
    assert removed_ids(repo, f"questions/{REGISTRY_NAME}") == []
    registry.write_text("autograd-a\ntensors-c\n", encoding="utf-8")
    _git(repo, "commit", "-q", "-am", "drop autograd-b")
    assert removed_ids(repo, f"questions/{REGISTRY_NAME}") == ["autograd-b"]
    registry.write_text("autograd-a\n", encoding="utf-8")
    assert removed_ids(repo, f"questions/{REGISTRY_NAME}") == ["autograd-b", "tensors-c"]
