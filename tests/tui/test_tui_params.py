"""A parametrised question in the app: the learner's instance, computed ahead by the background
worker, is shown and graded through Textual's Pilot, in an app process that never imports torch;
the next attempt's instance is computed ahead too."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from grader.bank.params import cached_instance, derive_seed, load_templates
from grader.course import resolve_course
from grader.study.context import Study
from grader.study.paths import instance_cache_dir

BASIC = """\
bank: basic
title: {zh: 基础, en: Basics}
questions:
  - id: basic-one
    type: true_false
    difficulty: 1
    tags: [x]
    prompt: {zh: 对吗？, en: True?}
    answer: true
    explanation: {zh: 因为这样。, en: Because it is.}
"""

GENERATED = """\
bank: gen-app
title: {zh: 随机题, en: Fresh numbers}
questions:
  - id: gen-app-numel
    type: numeric
    difficulty: 1
    tags: [broadcasting]
    params:
      n: {int: [2, 9]}
      m: {int: [2, 9]}
    prompt:
      zh: "`torch.zeros({n}, 1) + torch.zeros({m})` 有多少个元素？"
      en: "How many elements does `torch.zeros({n}, 1) + torch.zeros({m})` have?"
    code: |
      import torch
      answer = (torch.zeros({n}, 1) + torch.zeros({m})).numel()
    explanation: {zh: "共 {answer} 个。", en: "{answer} in all."}
"""

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
                      "worker": study.precompute is not None,
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
    session.submit()  # stores the answer: the next attempt is a new one
    resumed.close()
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
    assert result["worker"] is True  # shown at once; the worker computes the attempt after
    assert result["torch"] == []
