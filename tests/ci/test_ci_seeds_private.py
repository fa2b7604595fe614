"""The seed documents vendored in tests/data/seeds (for tests/content/test_seed_sections.py) never
reach a learner: not in the grader's wheel, not in its source distribution, not in a student
handout, and no grader code names them. Checked by content, so a renamed copy counts too."""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from grader.course import resolve_course
from grader.handout import export_student

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "data" / "seeds"


def _seed_files() -> dict[bytes, str]:
    """Each vendored file's bytes (the README's too) -> its name."""
    files = {p.read_bytes(): p.name for p in sorted(SEEDS.iterdir()) if p.is_file()}
    assert len(files) >= 6, f"the vendored seeds are missing from {SEEDS}"
    return files


def _seed_names() -> set[str]:
    return {p.name for p in SEEDS.glob("*.txt")}


def test_the_wheel_holds_no_seed_document(grader_wheel: Path) -> None:
    """No member of the grader wheel is a seed document or sits under a tests/ folder."""
    seeds, seed_names = _seed_files(), _seed_names()
    with zipfile.ZipFile(grader_wheel) as wheel:
        names = wheel.namelist()
        leaked = [n for n in names if wheel.read(n) in seeds or n.rsplit("/", 1)[-1] in seed_names]
    assert not leaked, f"seed documents in {grader_wheel.name}: {leaked}"
    assert not [n for n in names if n.startswith("tests/") or "/tests/data/" in n]


def test_the_sdist_holds_no_seed_document(tmp_path: Path) -> None:
    """The source distribution (what a `pip download --no-binary` user gets) excludes the copy."""
    seeds, seed_names = _seed_files(), _seed_names()
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    (sdist,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = [m for m in archive.getmembers() if m.isfile()]
        assert any(m.name.endswith("/grader/__init__.py") for m in members), "not our sdist"
        leaked = []
        for member in members:
            handle = archive.extractfile(member)
            data = handle.read() if handle is not None else b""
            if data in seeds or member.name.rsplit("/", 1)[-1] in seed_names:
                leaked.append(member.name)
    assert not leaked, f"seed documents in {sdist.name}: {leaked}"


def test_a_handout_holds_no_seed_document(tmp_path: Path) -> None:
    """The student handout of the repository's own course holds no seed document."""
    seeds, seed_names = _seed_files(), _seed_names()
    out = tmp_path / "handout"
    export_student(resolve_course(ROOT), out)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert files, "the handout is empty"
    leaked = [
        str(p.relative_to(out)) for p in files if p.read_bytes() in seeds or p.name in seed_names
    ]
    assert not leaked, f"seed documents in the handout: {leaked}"


def test_no_grader_module_reads_the_vendored_seeds() -> None:
    """The package never names tests/data/seeds or GRADER_SEEDS_DIR: only the tests read them."""
    named = [
        str(p.relative_to(ROOT))
        for p in sorted((ROOT / "grader").rglob("*"))
        if p.is_file()
        and p.suffix in (".py", ".yaml", ".json", ".tcss", ".md", ".txt")
        and any(
            s in p.read_text(encoding="utf-8") for s in ("tests/data/seeds", "GRADER_SEEDS_DIR")
        )
    ]
    assert not named, f"grader files that reach the vendored seeds: {named}"
