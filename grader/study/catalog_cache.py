"""Provides the course-level catalog cache: a course's built question models and content hashes,
keyed by the bytes of every bank file, so the app starts without parsing or validating anything.

The bank engine's own cache (:mod:`grader.bank.cache`) keeps each file's checked dump; building
the pydantic models from it and hashing every question still cost about 150 ms for the bundled
course, more as banks grow. This cache keeps the result of that: the ``Bank`` models (pickled, so
loading them runs no validation), the problems and the content hash of each question. Its key
hashes each bank file's name and bytes, the engine's key (its source, pydantic's and Python's
version) and the source of :mod:`grader.study.content` (which computes the content hashes); any
change to a bank file, even a new or removed one, is a miss, and the catalog is rebuilt through
the bank engine and stored again. One entry per questions folder (named after its path) lives in
the bank cache's folder, so ``GRADER_CACHE_DIR=""`` turns both off; an entry that cannot be read
is a miss.

:class:`Memo` keeps, beside it, what else a launch builds from files (the parametrised questions'
checked templates, each cached instance validated and their bank; the code exercises' specs),
keyed by those files' bytes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader.bank.model import Bank

log = logging.getLogger(__name__)

__all__ = ["Cached", "Memo", "catalog_key", "load", "store"]

_FORMAT = 1
_BANK_SUFFIXES = (".yaml", ".yml")  # as grader.bank.loader.bank_files lists a folder
_NOT_BANKS = frozenset({"seed_sections.yaml", "seed_sections.yml"})

Cached = tuple["tuple[Bank, ...]", tuple[str, ...], dict[str, str]]
"""What an entry holds: the banks, the problems and the content hash of each question."""


def _bank_files(folder: Path) -> list[Path]:
    return sorted(
        child
        for child in folder.iterdir()
        if child.suffix in _BANK_SUFFIXES
        and child.name not in _NOT_BANKS
        and not child.name.startswith(".")
        and child.is_file()
    )


def catalog_key(folder: Path) -> str:
    """The key of the catalog of the questions folder ``folder`` as its files are now."""
    from grader.bank.cache import engine_key

    digest = hashlib.sha256(f"{_FORMAT}|{engine_key()}".encode())
    digest.update((Path(__file__).parent / "content.py").read_bytes())
    for path in _bank_files(folder):
        digest.update(f"\0{path.name}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _entry(folder: Path, kind: str = "catalog") -> Path | None:
    from grader.bank.cache import cache_dir

    root = cache_dir()
    if root is None:
        return None
    name = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
    return root / f"{kind}-{name}.pickle"


def load(folder: Path, key: str, *, kind: str = "catalog") -> Any:
    """The cached catalog of ``folder`` when it was stored under ``key``, else None."""
    entry = _entry(folder, kind)
    if entry is None:
        return None
    try:
        with open(entry, "rb") as fh:
            stored_key, payload = pickle.load(fh)
    except Exception:  # missing, truncated, corrupt or from another version: a miss
        return None
    if stored_key != key:
        return None
    return payload


def store(folder: Path, key: str, payload: Any, *, kind: str = "catalog") -> None:
    """Keep ``payload`` as the catalog of ``folder`` under ``key`` (best effort, atomic)."""
    entry = _entry(folder, kind)
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump((key, payload), fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, entry)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError) as exc:
        log.debug("catalog cache entry not written in %s: %s", entry.parent, exc)


class Memo:
    """Values built from files at launch, kept under a digest of those files' bytes (a
    parametrised question file's checked templates, a cached instance's validated question, an
    exercise's spec): a warm start unpickles them instead of parsing YAML and running pydantic
    validation (the question union's schema alone takes ~15 ms to build, and pydantic's plugin
    lookup imports ``importlib.metadata``, ~25 ms more).

    One entry per folder and ``kind``, beside the catalog's; the entry's key also
    hashes the engine's key and the source of ``modules`` (those that build the values), so a
    change to either starts it afresh. Only the values asked for in this run are written back,
    and only when one was new: an entry never grows past what one launch reads.
    """

    def __init__(self, folder: Path, kind: str, modules: tuple[Path, ...] = ()) -> None:
        from grader.bank.cache import engine_key

        self._folder = folder
        self._kind = kind
        digest = hashlib.sha256(f"{_FORMAT}|{kind}|{engine_key()}".encode())
        for module in modules:
            digest.update(module.read_bytes())
        self._key = digest.hexdigest()
        stored = load(folder, self._key, kind=kind)
        self._stored: dict[str, Any] = stored if isinstance(stored, dict) else {}
        self._used: dict[str, Any] = {}

    @staticmethod
    def digest(*parts: str | bytes) -> str:
        """A key for a value built from ``parts`` (file bytes, a path, a title)."""
        h = hashlib.sha256()
        for part in parts:
            data = part.encode() if isinstance(part, str) else part
            h.update(len(data).to_bytes(8, "big"))
            h.update(data)
        return h.hexdigest()

    def get(self, key: str, build: Any) -> Any:
        """The value kept under ``key``, else ``build()`` (kept for the next start)."""
        if key in self._used:
            return self._used[key]
        value = self._stored[key] if key in self._stored else build()
        self._used[key] = value
        return value

    def save(self) -> None:
        """Write what this run used back when it differs from what was read (best effort)."""
        if self._used.keys() != self._stored.keys():
            store(self._folder, self._key, self._used, kind=self._kind)
