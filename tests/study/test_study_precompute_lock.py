"""The background worker that computes parametrised instances runs one at a time: launching the
app again (or a second browser tab) while one computes starts a worker that waits for it, then
computes only what is still missing, instead of a second copy of torch on the same instances."""

from __future__ import annotations

import fcntl
import time
from pathlib import Path

from grader.bank.params import instance_file, load_templates, template_files
from grader.study.instances import start_precompute
from grader.verify.params import PRECOMPUTE_LOCK

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
FIRST = '{"draw": 0, "question": {"written by": "the first worker"}}'


def test_a_second_worker_waits_for_the_first_and_skips_what_it_cached(tmp_path: Path) -> None:
    templates = load_templates(template_files(QUESTIONS)[0]).templates[:2]
    wanted = [(templates[0], 11), (templates[1], 12)]
    cache = tmp_path / "cache"
    cache.mkdir()
    with open(cache / PRECOMPUTE_LOCK, "a+b") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)  # a first worker is computing
        worker = start_precompute(QUESTIONS, cache, wanted)
        assert worker is not None
        time.sleep(1.5)
        assert worker.poll() is None, "the second worker did not wait for the first"
        assert not instance_file(cache, templates[1], 12).exists()
        # the first worker cached one of the two, then ends
        done = instance_file(cache, templates[0], 11)
        done.parent.mkdir(parents=True, exist_ok=True)
        done.write_text(FIRST, encoding="utf-8")
    deadline = time.monotonic() + 60
    while worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert worker.returncode == 0
    assert done.read_text(encoding="utf-8") == FIRST  # not computed again
    assert instance_file(cache, templates[1], 12).is_file()  # the missing one is computed
