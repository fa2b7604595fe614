"""A fast start (issue 20): what ``grader quiz`` loads before its first question is drawn.

The launch is timed by ``benchmarks/app_start.py`` (beside a minimal Textual app); these tests
guard, without any timing, what made it fast: the modules a start does not import, the garbage
collector paused until the first paint, and the parametrised questions read from the caches.
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
import threading
from pathlib import Path
from typing import Any

import pytest
from params_support import numel_bank
from quiz_pilot import SIZE, make_app, open_study, pilot_test, screen_text

from grader.bank.params import (
    derive_seed,
    installed_torch,
    instance_fields,
    load_templates,
    store_instance,
)
from grader.course import resolve_course
from grader.study.clock import FakeClock
from grader.study.paths import course_store_path, instance_cache_dir
from grader.study.store import ProgressStore
from grader.tui.app import QuizApp, StartOptions

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "quiz"

GENERATED = numel_bank("gen-fast")

NOT_AT_LAUNCH = (
    "torch",  # never in the app: parametrised instances come from the cache and the worker
    "yaml",  # the catalog cache and the memo hold the built models
    "grader.bank.source",
    "grader.bank.bankfile",
    "grader.bank.loader",
    "importlib.metadata",  # pydantic's plugin scan and a metadata lookup of torch's version
    "textual.widgets._text_area",  # only answer widgets that type code use it
    "tree_sitter",
    "grader.study.stats",
    "grader.study.report",
    "grader.exercises",
    "grader.exam",
    "grader.batch",
    "grader.judge",
    "grader.interop",
    "grader.sandbox",
    "grader.runner",
    "grader.verify",
    "grader.executor",
)
"""Modules a ``grader quiz --mode practice`` start has not imported when its first question is
drawn (each was imported before the start was made fast, or would cost it time)."""

# Runs `grader quiz` as the console script does, and reports from the app's first paint: the
# hook `after_first_paint` is the one run_quiz gives the app (it turns the collector back on).
PROBE = """
import gc, json, sys
from grader.tui.app import QuizApp

out = sys.argv.pop(1)
init = QuizApp.__init__

def patched(self, *args, after_first_paint=None, **kwargs):
    def probe():
        collecting_at_paint = gc.isenabled()
        if after_first_paint is not None:
            after_first_paint()
        report = {
            "modules": sorted(sys.modules),
            "gc_at_paint": collecting_at_paint,
            "gc_after": gc.isenabled(),
            "hook": after_first_paint is not None,
            "shown": self.screen.session.current.question_id,
            "worker": self.study.precompute is not None,
        }
        with open(out, "w", encoding="utf-8") as fh:
            json.dump(report, fh)
        self.exit()
    init(self, *args, after_first_paint=probe, **kwargs)

QuizApp.__init__ = patched
from grader.cli import main
main(sys.argv[1:])
"""


def _launch(args: list[str], env: dict[str, str], out: Path) -> dict[str, Any]:
    """Run the probe on a 100×32 pseudo-terminal; what it reported at the first paint."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-c", PROBE, str(out), *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    drawn: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                return
            if not chunk:
                return
            drawn.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
        reader.join(timeout=5)
    output = b"".join(drawn).decode("utf-8", "replace")
    assert out.exists(), f"no first paint (exit {process.returncode}):\n{output[-3000:]}"
    report: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    out.unlink()
    return report


def _course_with_instances(tmp_path: Path, data: Path) -> Path:
    """The fixture course plus one parametrised question whose instances (this attempt's and
    the next one's) are in the instance cache, computed here as the worker would."""
    folder = Path(shutil.copytree(FIXTURE, tmp_path / "course"))
    generated = folder / "questions" / "generated" / "fast.yaml"
    generated.parent.mkdir()
    generated.write_text(GENERATED, encoding="utf-8")
    course = resolve_course(folder)
    store = ProgressStore(course_store_path(course.key, data))
    learner = store.learner_id()
    store.close()
    (template,) = load_templates(generated).templates
    for attempt in (0, 1):
        seed = derive_seed(learner, template.id, attempt)
        values = template.draw(seed)
        fields = instance_fields(template, values, values["n"] * values["m"], seed=seed)
        store_instance(
            instance_cache_dir(course.key, data), template, seed, installed_torch(), fields
        )
    return folder


def test_the_first_question_is_drawn_without_the_heavy_modules(tmp_path: Path) -> None:
    """A warm ``grader quiz --mode practice`` start, up to its first paint (a parametrised
    question), imports none of NOT_AT_LAUNCH, runs with the garbage collector paused (on again
    right after) and starts no worker: the instances come from the cache."""
    data = tmp_path / "data"
    folder = _course_with_instances(tmp_path, data)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "TERM": "xterm-256color",
        "GRADER_DATA_DIR": str(data),
        "GRADER_CACHE_DIR": str(tmp_path / "cache"),
    }
    args = ["quiz", "--mode", "practice", "--lang", "en", "--seed", "1", "--course", str(folder)]
    args += ["--question", "gen-fast-numel"]
    first = _launch(args, env, tmp_path / "first.json")  # builds the caches: reads YAML
    assert "yaml" in first["modules"]
    report = _launch(args, env, tmp_path / "warm.json")
    assert report["shown"] == "gen-fast-numel" and report["worker"] is False
    loaded = set(report["modules"])
    leaked = sorted(
        m for m in loaded if any(m == name or m.startswith(name + ".") for name in NOT_AT_LAUNCH)
    )
    assert leaked == [], f"imported before the first question: {leaked}"
    assert {"grader.tui.screens.quiz", "grader.bank.model"} <= loaded  # the probe saw the app
    assert report["hook"] and report["gc_at_paint"] is False and report["gc_after"] is True


@pytest.mark.parametrize(("mode", "first"), [("practice", "QuizScreen"), (None, "HomeScreen")])
@pilot_test
async def test_after_first_paint_runs_once_the_first_screen_is_up(
    data_dir: Path, clock: FakeClock, mode: str | None, first: str
) -> None:
    """The hook runs once, when the first screen (a quiz, or home) is on; not before."""
    seen: list[str] = []
    app = QuizApp(
        open_study(data_dir, clock),
        lang="en",
        start=StartOptions(mode=mode, seed=1),  # type: ignore[arg-type]
        after_first_paint=lambda: seen.append(type(app.screen).__name__),
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert seen == [first]
        await pilot.press("l")
        await pilot.pause()
        assert seen == [first]
    app.study.close()


@pilot_test
async def test_a_wrong_output_typed_in_a_text_area_names_the_footer_key(
    data_dir: Path, clock: FakeClock
) -> None:
    """A code_output answer is typed in a TextArea (loaded only for such a question), where n
    types an n: after a wrong one the note names the footer's key for Next, which goes on."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-code-typed",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"nope", "ctrl+s")
        await pilot.pause()
        text = screen_text(app)
        assert "or press ^n for the next question" in text, text
        assert [a.response for a in app.study.store.answers("fx-code-typed")] == ["nope"]
