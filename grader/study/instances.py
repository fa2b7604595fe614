"""Provides the quiz's parametrised questions: this learner's instance of each, read from the
instance cache, and a background process that computes the ones not there yet.

The quiz never imports torch and never waits on it. For each parametrised question of the
course (``questions/generated/``, ``grader.bank.params``) the attempt number is the number of
answers the learner has given to it; the seed is SHA-256 of (learner id, question id, attempt)
(``ProgressStore.learner_id``). An instance already computed for that seed (cache keyed by the
question's content hash, the seed and the installed torch's version, read from its metadata) is
in the quiz; one that is not is left out this time. A detached worker process
(``python -m grader.verify.params``, the ``grader verify`` runner) then computes the missing
instances and, ahead of time, the NEXT attempt's, while the learner works: a review gets new
numbers, and they are ready when it comes. During the session, each stored answer starts the
same worker for the attempts after it (:func:`wanted_after`, ``Study.compute_ahead``).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.bank import params
from grader.bank.model import Bank, BankText
from grader.bank.params import (
    Template,
    cached_instance,
    derive_seed,
    instance_file,
    load_templates,
    read_entry,
    template_files,
)
from grader.course import Course
from grader.study.catalog_cache import Memo
from grader.study.store import ProgressStore

__all__ = ["Generated", "load_generated", "start_precompute", "wanted_after"]


@dataclass
class Generated:
    """This learner's ready instances, and the (question, seed) pairs still to compute."""

    banks: list[Bank] = field(default_factory=list)
    hashes: dict[str, str] = field(default_factory=dict)
    """A stable content hash per question (its template's, not the instance's: new numbers
    are the same question, and its history stays current)."""
    wanted: list[tuple[Template, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    templates: dict[str, Template] = field(default_factory=dict)
    """Every parametrised question of the course, by id."""
    bank_ids: set[str] = field(default_factory=set)
    """The bank id of every file of parametrised questions (with instances ready or not)."""


def load_generated(course: Course, store: ProgressStore, cache_dir: Path) -> Generated:
    """The instances of every parametrised question of ``course`` for this learner's current
    attempt that are in ``cache_dir``; the current and next attempts not there are ``wanted``.

    What is built from files (the checked templates, the validated questions, the banks) is
    kept in a :class:`~grader.study.catalog_cache.Memo` under a digest of those files' bytes, so
    a warm start reads no YAML and validates nothing."""
    found = Generated()
    files = template_files(course.questions)
    if not files:
        return found
    memo = Memo(course.questions, "generated", (Path(params.__file__), Path(__file__)))
    learner = store.learner_id()
    for path in files:
        text_key = memo.digest("templates", str(path), path.read_bytes())
        loaded = memo.get(text_key, lambda path=path: load_templates(path, sample=False))
        found.problems += [str(p) for p in loaded.problems]
        if loaded.bank:
            found.bank_ids.add(loaded.bank)
        questions: list[Any] = []
        keys: list[str] = []
        for template in loaded.templates:
            found.templates[template.id] = template
            attempt = len(store.answers(template.id))
            for ahead in (0, 1):
                seed = derive_seed(learner, template.id, attempt + ahead)
                try:
                    raw = instance_file(cache_dir, template, seed).read_bytes()
                except OSError:
                    question = None
                else:
                    key = memo.digest("instance", raw)
                    question = memo.get(key, lambda raw=raw: _validated(raw))
                if question is None:
                    found.wanted.append((template, seed))
                elif ahead == 0:
                    questions.append(question)
                    keys.append(key)
                    found.hashes[template.id] = template.content_hash[:16]
        if questions and loaded.bank and loaded.title:
            title = loaded.title
            bank_key = memo.digest("bank", text_key, *keys)
            found.banks.append(
                memo.get(
                    bank_key,
                    lambda bank=loaded.bank, title=title, questions=tuple(questions): Bank(
                        bank=bank,
                        title=BankText(zh=str(title["zh"]), en=str(title["en"])),
                        questions=questions,
                    ),
                )
            )
    memo.save()
    return found


def wanted_after(
    templates: dict[str, Template],
    question_ids: list[str],
    store: ProgressStore,
    cache_dir: Path,
    requested: set[tuple[str, int]],
) -> list[tuple[Template, int]]:
    """The instances to compute after answers to ``question_ids`` were stored: for each
    parametrised one, the attempt the learner is at now (the next review's numbers) and the one
    after it, unless cached or already in ``requested`` (which this adds them to)."""
    learner = store.learner_id()
    wanted = []
    for qid in dict.fromkeys(question_ids):
        template = templates.get(qid)
        if template is None:
            continue
        attempt = len(store.answers(qid))
        for ahead in (0, 1):
            seed = derive_seed(learner, qid, attempt + ahead)
            if (qid, seed) in requested:
                continue
            requested.add((qid, seed))
            if cached_instance(cache_dir, template, seed) is None:
                wanted.append((template, seed))
    return wanted


def _validated(raw: bytes) -> Any:
    """The question of a cached instance's JSON (``{"draw": N, "question": {...}}``, as
    :func:`~grader.bank.params.store_instance` writes it), or None when it is not one: then
    it is computed again."""

    from pydantic import ValidationError

    from grader.bank.bankfile import QUESTION_ADAPTER

    entry = read_entry(raw)
    if entry is None:
        return None
    try:
        return QUESTION_ADAPTER.validate_python(entry[0])
    except ValidationError:
        return None


def start_precompute(
    questions: Path, cache_dir: Path, wanted: list[tuple[Template, int]]
) -> subprocess.Popen[bytes] | None:
    """Start the worker that computes ``wanted`` into ``cache_dir`` (None when nothing is
    wanted); it runs on its own, the caller never waits for it."""
    if not wanted:
        return None
    pairs = [f"{template.id}:{seed}" for template, seed in wanted]
    command = [sys.executable, "-m", "grader.verify.params", str(questions), str(cache_dir), *pairs]
    worker = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # Reaped when it ends, by a thread of its own: no zombie is left, and a Popen dropped while
    # the worker still runs is not reported as a leaked subprocess.
    threading.Thread(target=worker.wait, name="grader-precompute-reaper", daemon=True).start()
    return worker
