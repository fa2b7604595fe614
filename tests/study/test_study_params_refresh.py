"""A parametrised question answered in one session gets the next attempt's numbers in the next
session of the same run (computed ahead in the background), and sessions already made keep
theirs."""

from __future__ import annotations

from pathlib import Path

from params_support import BASIC, numel_bank

from grader.bank.params import cached_instance, derive_seed
from grader.course import resolve_course
from grader.study.clock import FakeClock
from grader.study.context import Study

GENERATED = numel_bank("gen-refresh", high=300, broadcast=False)


def test_the_next_session_of_the_run_has_the_next_attempts_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    (folder / "questions" / "generated").mkdir(parents=True)
    (folder / "questions" / "basic.yaml").write_text(BASIC, encoding="utf-8")
    (folder / "questions" / "generated" / "gen.yaml").write_text(GENERATED, encoding="utf-8")
    course = resolve_course(folder)
    data = tmp_path / "data"
    launch = Study.open(course, data)  # computes attempts 0 and 1
    assert launch.precompute is not None and launch.precompute.wait(120) == 0
    launch.close()

    study = Study.open(course, data, clock=FakeClock())
    template = study.templates["gen-refresh-numel"]
    learner = study.store.learner_id()
    first = study.new_session("practice", ids=(template.id,))
    shown = first.question()
    attempt0 = cached_instance(study.cache_dir, template, derive_seed(learner, template.id, 0))
    assert attempt0 is not None and shown.prompt.en == attempt0["prompt"]["en"]
    first.answer(f"{shown.answer:g}")  # type: ignore[attr-defined]
    assert [w.wait(120) for w in study.workers] == [0]  # attempt 2, computed ahead

    second = study.new_session("practice", ids=(template.id,))
    attempt1 = cached_instance(study.cache_dir, template, derive_seed(learner, template.id, 1))
    assert attempt1 is not None and attempt1["prompt"] != attempt0["prompt"]
    assert second.question().prompt.en == attempt1["prompt"]["en"]  # new numbers
    assert first.question() == shown  # the first session keeps its own
    assert study.catalog.hashes[template.id] == template.content_hash[:16]
    assert study.catalog.questions["basic-one"].prompt.en == "True?"
    study.close()
