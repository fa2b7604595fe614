"""A parametrised question in the app: the learner's instance, computed ahead by the background
worker, is shown and graded through Textual's Pilot, in an app process that never imports torch;
the next attempt's instance is computed ahead too."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from params_support import BASIC, numel_bank

from grader.bank.params import cached_instance, derive_seed, load_templates
from grader.course import resolve_course
from grader.study.context import Study
from grader.study.paths import instance_cache_dir

GENERATED = numel_bank("gen-app")

# The app, in a fresh interpreter: show the question, type the computed answer, report.
APP = """
import asyncio, json, sys
from grader.course import resolve_course
from grader.study.clock import FakeClock
from grader.study.context import Study
from grader.tui.app import QuizApp, StartOptions

async def main():
    study = Study.open(resolve_course(sys.argv[1]), sys.argv[2], clock=FakeClock())
    start = StartOptions(mode="practice", seed=1, questions=("gen-app-numel",))
    app = QuizApp(study, lang="en", start=start)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        shown = "\\n".join(s.text for s in app.screen._compositor.render_strips())
        await pilot.press(*sys.argv[3], "enter")
        await pilot.pause()
        after = "\\n".join(s.text for s in app.screen._compositor.render_strips())
        answers = [(a.response, a.score) for a in study.store.answers("gen-app-numel")]
    print(json.dumps({"shown": shown, "after": after, "answers": answers,
                      "launch_worker": study.precompute is not None,
                      "workers": [w.wait(60) for w in study.workers],
                      "torch": sorted(m for m in sys.modules if m.split(".")[0] == "torch")}))

asyncio.run(main())
"""


def test_the_app_shows_the_precomputed_instance_without_torch(tmp_path: Path) -> None:
    folder = tmp_path / "course"
    (folder / "questions" / "generated").mkdir(parents=True)
    (folder / "questions" / "basic.yaml").write_text(BASIC, encoding="utf-8")
    generated = folder / "questions" / "generated" / "app.yaml"
    generated.write_text(GENERATED, encoding="utf-8")
    data = tmp_path / "data"
    course = resolve_course(folder)

    first = Study.open(course, data)  # nothing cached yet: left out, computed in the background
    assert "gen-app-numel" not in first.catalog.questions
    assert first.precompute is not None and first.precompute.wait(120) == 0
    learner = first.store.learner_id()
    first.close()

    (template,) = load_templates(generated).templates
    cache = instance_cache_dir(course.key, data)
    now = cached_instance(cache, template, derive_seed(learner, template.id, 0))
    ahead = cached_instance(cache, template, derive_seed(learner, template.id, 1))
    assert now is not None and ahead is not None  # this attempt's, and the next one's
    answer = f"{now['answer']:g}"

    exam = Study.open(course, data)  # an exam on it, interrupted before it is submitted ...
    shown_in_exam = exam.catalog.questions["gen-app-numel"]
    exam.new_session("exam", ids=("gen-app-numel",)).answer(answer)
    exam.close()
    resumed = Study.open(course, data)  # ... and resumed: the same attempt, the same numbers
    session = resumed.active_exam()
    assert session is not None and session.question(session.current) == shown_in_exam
    session.submit()  # stores the answer: the next attempt is a new one ...
    assert [w.wait(120) for w in resumed.workers] == [0]  # ... and the one after is computed
    resumed.close()
    assert cached_instance(cache, template, derive_seed(learner, template.id, 2)) is not None
    first_attempt = load_templates(generated).templates[0]
    assert cached_instance(cache, first_attempt, derive_seed(learner, template.id, 1)) == ahead
    answer = f"{ahead['answer']:g}"

    done = subprocess.run(
        [sys.executable, "-c", APP, str(folder), str(data), answer],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    values = template.draw(derive_seed(learner, template.id, 1))  # the review's numbers
    shown = re.sub(r"\s", " ", result["shown"])
    assert f"torch.zeros({values['n']}, 1) + torch.zeros({values['m']})" in shown
    assert len(result["answers"]) == 2 and [answer, 1.0] in result["answers"]  # exam + review
    assert "✔ Correct" in result["after"]
    # Attempts 1 and 2 were ready: nothing to compute at launch; the review's answer starts
    # the worker for attempt 3.
    assert result["launch_worker"] is False and result["workers"] == [0]
    assert cached_instance(cache, template, derive_seed(learner, template.id, 3)) is not None
    assert result["torch"] == []


# The app, in a fresh interpreter, on a course whose attempts 0 and 1 are cached: answer attempt
# 0, then keep using the app (move on, come back) while the worker computes attempt 2.
AHEAD = """
import asyncio, json, sys, time
from pathlib import Path
from grader.bank.params import cached_instance, derive_seed
from grader.course import resolve_course
from grader.study.clock import FakeClock
from grader.study.context import Study
from grader.tui.app import QuizApp, StartOptions

async def main():
    study = Study.open(resolve_course(sys.argv[1]), sys.argv[2], clock=FakeClock())
    template = study.templates["gen-app-numel"]
    after = derive_seed(study.store.learner_id(), template.id, 2)
    start = StartOptions(mode="practice", seed=1, questions=("gen-app-numel",))
    app = QuizApp(study, lang="en", start=start)
    result = {"launch_worker": study.precompute is not None}
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await pilot.press(*sys.argv[3], "enter")
        await pilot.pause()
        screen = "\\n".join(s.text for s in app.screen._compositor.render_strips())
        result["feedback"] = "✔ Correct" in screen
        result["cached_at_feedback"] = cached_instance(study.cache_dir, template, after) is not None
        result["workers"] = len(study.workers)
        deadline = time.monotonic() + 120
        switched = []
        while cached_instance(study.cache_dir, template, after) is None:
            assert time.monotonic() < deadline, "the next attempt's instance never came"
            await pilot.press("f2")  # the app keeps answering keys meanwhile: Chinese ...
            await pilot.pause()
            shown = "\\n".join(s.text for s in app.screen._compositor.render_strips())
            switched.append("有多少个元素" in shown)
            await pilot.press("f2")  # ... and back
            await pilot.pause()
            await asyncio.sleep(0.05)
        result["switched"] = switched
        screen = "\\n".join(s.text for s in app.screen._compositor.render_strips())
        result["still_shown"] = "torch.zeros(" in screen
    result["worker_status"] = [w.wait(60) for w in study.workers]
    result["torch"] = sorted(m for m in sys.modules if m.split(".")[0] == "torch")
    print(json.dumps(result))

asyncio.run(main())
"""


def test_the_next_attempt_is_computed_ahead_during_the_session(tmp_path: Path) -> None:
    """After a parametrised question is answered in the app, a background worker computes the
    attempt after the next one (the next one was ready at launch), while the app goes on
    answering keys: at the feedback it is not there yet, and it comes without torch in the
    app."""
    folder = tmp_path / "course"
    (folder / "questions" / "generated").mkdir(parents=True)
    (folder / "questions" / "basic.yaml").write_text(BASIC, encoding="utf-8")
    generated = folder / "questions" / "generated" / "app.yaml"
    generated.write_text(GENERATED, encoding="utf-8")
    data = tmp_path / "data"
    course = resolve_course(folder)
    first = Study.open(course, data)  # computes attempts 0 and 1 in the background
    assert first.precompute is not None and first.precompute.wait(120) == 0
    learner = first.store.learner_id()
    first.close()
    (template,) = load_templates(generated).templates
    cache = instance_cache_dir(course.key, data)
    now = cached_instance(cache, template, derive_seed(learner, template.id, 0))
    assert now is not None
    assert cached_instance(cache, template, derive_seed(learner, template.id, 2)) is None

    done = subprocess.run(
        [sys.executable, "-c", AHEAD, str(folder), str(data), f"{now['answer']:g}"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["launch_worker"] is False  # attempts 0 and 1 were cached: nothing at launch
    assert result["feedback"] is True
    assert result["cached_at_feedback"] is False  # the app did not wait for it
    assert result["workers"] == 1 and result["worker_status"] == [0]
    assert result["still_shown"] is True
    assert result["switched"] and all(result["switched"])  # keys answered while it computed
    assert result["torch"] == []
    assert cached_instance(cache, template, derive_seed(learner, template.id, 2)) is not None
