"""A cache of checked bank files, keyed by the sha256 of each file's bytes.

A warm start reads each file, hashes it and unpickles the stored ``FileReport`` instead of parsing
and validating again. Entries live in ``$GRADER_CACHE_DIR`` (set it to an empty string to turn the
cache off), else in the user cache directory (platformdirs), under a folder named after a hash of
the engine's own source, so changing the model or the rules never serves stale results. A cache
entry that cannot be read is ignored (and rewritten); a cache that cannot be written is skipped.
The cache folder belongs to the user, like any pickle cache: do not point it at a shared folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import shutil
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pydantic

if TYPE_CHECKING:  # imported where needed: the study layer's catalog cache uses cache_dir only
    from grader.bank.bankfile import FileReport

log = logging.getLogger(__name__)

__all__ = ["cache_dir", "engine_key", "load", "store"]

_FORMAT = 1
_ENGINE_MODULES = (
    "answers.py",
    "bankfile.py",
    "model.py",
    "problems.py",
    "recovery.py",
    "rules.py",
    "schema_errors.py",
    "source.py",
)


@lru_cache(maxsize=1)
def _engine_key() -> str:
    h = hashlib.sha256(f"{_FORMAT}|{pydantic.VERSION}|{sys.version_info[:2]}".encode())
    here = Path(__file__).resolve().parent
    for name in _ENGINE_MODULES:
        h.update(name.encode())
        try:
            h.update((here / name).read_bytes())
        except OSError:
            pass
    return h.hexdigest()[:16]


def engine_key() -> str:
    """A hash of the engine's own source, pydantic's version and Python's (what the cache's
    folder is named after)."""
    return _engine_key()


def cache_dir() -> Path | None:
    """The folder of this engine's cache entries, or None when caching is turned off."""
    override = os.environ.get("GRADER_CACHE_DIR")
    if override is not None:
        if not override.strip():
            return None
        root = Path(override)
    else:
        from platformdirs import user_cache_dir

        root = Path(user_cache_dir("torch-grader", appauthor=False))
    return root / "banks" / _engine_key()


def load(digest: str) -> FileReport | None:
    """The cached report of the file whose sha256 is ``digest``, if there is a usable one."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{digest}.pickle", "rb") as fh:
            report = pickle.load(fh)
    except Exception:  # missing, truncated or corrupt: treat as a miss
        return None
    from grader.bank.bankfile import FileReport

    return report if isinstance(report, FileReport) else None


def store(digest: str, report: FileReport) -> None:
    """Store ``report`` for the file whose sha256 is ``digest`` (best effort, atomic)."""
    folder = cache_dir()
    if folder is None:
        return
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            _prune_other_engines(folder)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(report, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, folder / f"{digest}.pickle")
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, pickle.PicklingError) as exc:
        log.debug("bank cache entry not written in %s: %s", folder, exc)  # the next load re-parses


def _prune_other_engines(current: Path) -> None:
    """Entries written by another version of the engine can never be used again."""
    for sibling in current.parent.iterdir():
        if sibling != current and sibling.is_dir() and len(sibling.name) == 16:
            shutil.rmtree(sibling, ignore_errors=True)
