"""Time from launching ``grader quiz`` to the first question on screen, beside a floor.

Each run starts the installed ``grader`` in a real pseudo-terminal (100×32) and stops the clock
when the first question's header ("Question 1 of") has been drawn (Textual writes it in the
same frame as the prompt and the options). For comparison it times ``python -c pass`` and
``python -c "import textual"`` (process start to exit).

    python benchmarks/app_start.py            # 7 runs each, prints the median and the best
    python benchmarks/app_start.py --runs 15  # steadier on a loaded machine

Cases: the bundled course with its parametrised questions on (the usual start: their instances
read from the instance cache, which the background worker fills; the benchmark waits for it
before it measures), the same banks without ``questions/generated/`` (what the parametrised
questions cost at launch), the same with the bank cache turned off (first start after an edit),
the small fixture course of the tests, a generated course of 2,000 questions, the same with the
bundled parametrised questions added, and the home screen (``grader quiz`` without ``--mode``;
the clock stops when "Banks" is drawn).

The floor is a minimal Textual app (one ``Static`` reading "Question 1 of 1" and a footer) timed
the same way: what any Textual app costs before its first paint on this machine. Each grader case
is printed as a ratio to the floor, in wall time and in CPU time (user + system of the process
until its first paint, which waiting for a core on a loaded machine does not inflate). The cases
run interleaved (one run of each per round), so a machine that slows down in the middle slows
every case alike; the load average is printed before and after.

Every child runs with bytecode caching on, in a folder of its own (``PYTHONPYCACHEPREFIX``), as an
installed app has its ``.pyc`` files: with ``PYTHONDONTWRITEBYTECODE`` set (as in some shells and
CI images) each start would compile the grader's modules from source again, ~40 ms the floor,
whose Textual comes compiled from its wheel, does not pay.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_COURSE = ROOT / "tests" / "data" / "quiz"
ANSI = re.compile(
    r"\x1b(?:\[[0-9;?<>=$ ]*[A-Za-z~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-B]|[=>78DEHM])"
)
MARKER = "Question 1 of"


def grader_command() -> list[str]:
    """The installed console script next to this Python, else ``python -m grader``."""
    found = shutil.which("grader", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "grader"]


def time_to_first_question(
    args: list[str], env: dict[str, str], marker: str = MARKER, timeout: float = 60.0
) -> float:
    """Seconds from starting ``args`` on a pseudo-terminal until ``marker`` is drawn."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 32, 100, 0, 0))
    start = time.perf_counter()
    proc = subprocess.Popen(
        args, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    seen = ""
    try:
        while time.perf_counter() - start < timeout:
            chunk = os.read(master, 65536)
            if not chunk:
                break
            seen += chunk.decode("utf-8", "replace")
            if marker in ANSI.sub("", seen):
                return time.perf_counter() - start
        raise RuntimeError(f"{marker!r} not seen; output:\n{ANSI.sub('', seen)[-2000:]}")
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = -signal.SIGKILL
        CPU_TIMES.append(usage.ru_utime + usage.ru_stime)
        os.close(master)


CPU_TIMES: list[float] = []
"""CPU seconds (user + system) of each child timed by time_to_first_question, until it was
killed: steadier than wall time on a loaded machine, since waiting for a core is not counted."""


def time_command(args: list[str]) -> float:
    """Seconds for ``args`` to run to completion."""
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def summary(name: str, samples: list[float]) -> str:
    return (
        f"{name:<46} median {statistics.median(samples) * 1000:7.0f} ms   "
        f"best {min(samples) * 1000:7.0f} ms   (n={len(samples)})"
    )


FLOOR_APP = """
from textual.app import App
from textual.widgets import Footer, Static

class Floor(App):
    def compose(self):
        yield Static("Question 1 of 1")
        yield Footer()

Floor().run()
"""
"""The floor: a minimal Textual app whose first paint shows the marker."""

GENERATED_QUESTION = """\
  - id: gen-{n:04d}
    type: single
    difficulty: {difficulty}
    tags: [generated, t{tag}]
    prompt:
      zh: 第 {n} 题：调用 `loss.backward()` 之后，叶子张量的梯度保存在哪里？
      en: "Question {n}: after `loss.backward()`, where is the gradient of a leaf tensor stored?"
    options:
      - {{zh: 张量的 `.grad` 属性, en: "in the tensor's `.grad` attribute"}}
      - {{zh: "`loss.grad` 属性", en: "in `loss.grad`"}}
      - {{zh: 优化器的状态字典, en: "in the optimizer's state dict"}}
    answer: 0
    explanation:
      zh: 反向传播把梯度累加到叶子张量的 `.grad` 属性中。
      en: Backpropagation accumulates gradients into each leaf tensor's `.grad`.
"""


def generated_course(folder: Path, questions: int = 2000, per_bank: int = 200) -> Path:
    """A course of ``questions`` single-choice questions in banks of ``per_bank``."""
    banks = folder / "questions"
    banks.mkdir(parents=True)
    for first in range(0, questions, per_bank):
        number = first // per_bank
        items = "".join(
            GENERATED_QUESTION.format(n=n, difficulty=1 + n % 5, tag=n % 7)
            for n in range(first, min(first + per_bank, questions))
        )
        head = f"bank: gen-{number:02d}\ntitle: {{zh: 生成题库 {number}, en: Generated {number}}}\n"
        (banks / f"gen-{number:02d}.yaml").write_text(
            head + "questions:\n" + items, encoding="utf-8"
        )
    return folder


def precompute_workers(work: Path) -> list[int]:
    """Pids of the background workers computing parametrised instances for this benchmark's
    data (``python -m grader.verify.params ... <work>/data/...``), read from /proc (none
    where there is no /proc: the first measured starts may then still start one)."""
    found: list[int] = []
    if not Path("/proc").is_dir():
        return found
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"grader.verify.params" in argv and any(str(work).encode() in a for a in argv):
            found.append(int(entry.name))
    return found


def wait_for_workers(work: Path, timeout: float = 600.0) -> None:
    """Wait until no precompute worker of this benchmark runs (they need torch: seconds)."""
    deadline = time.monotonic() + timeout
    while precompute_workers(work):
        if time.monotonic() > deadline:
            raise RuntimeError("the parametrised instances were not computed in time")
        time.sleep(0.5)


def load() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    work = Path(tempfile.mkdtemp(prefix="grader-bench-"))
    base_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GRADER_", "TEXTUAL", "PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHE"))
    }
    base_env.update(
        TERM="xterm-256color",
        GRADER_DATA_DIR=str(work / "data"),
        PYTHONPYCACHEPREFIX=str(work / "pycache"),
    )
    warm = {**base_env, "GRADER_CACHE_DIR": str(work / "cache")}
    cold = {**base_env, "GRADER_CACHE_DIR": ""}
    quiz = [*grader_command(), "quiz", "--mode", "practice", "--lang", "en", "--seed", "1"]
    fixture = [*quiz, "--course", str(FIXTURE_COURSE)]
    home = [*grader_command(), "quiz", "--lang", "en"]
    plain = work / "plain"  # the same banks without the parametrised questions, side by side
    shutil.copytree(
        ROOT / "questions", plain / "questions", ignore=shutil.ignore_patterns("generated")
    )
    without = [*quiz, "--course", str(plain)]
    big = [*quiz, "--course", str(generated_course(work / "big"))]
    big_params = generated_course(work / "big-params")
    shutil.copytree(ROOT / "questions" / "generated", big_params / "questions" / "generated")
    big_with = [*quiz, "--course", str(big_params)]
    floor_case = ("floor: a minimal Textual app", [sys.executable, "-c", FLOOR_APP], warm, MARKER)
    cases = [
        floor_case,
        ("grader quiz, bundled course, parametrised on", quiz, warm, MARKER),
        ("grader quiz, bundled minus questions/generated/", without, warm, MARKER),
        ("grader quiz, bundled course, no bank cache", quiz, cold, MARKER),
        ("grader quiz, fixture course (9 questions)", fixture, warm, MARKER),
        ("grader quiz, 2,000-question course", big, warm, MARKER),
        ("grader quiz, 2,000 questions + parametrised", big_with, warm, MARKER),
        ("grader quiz (home screen, bundled course)", home, warm, "Banks"),
    ]
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, {sys.platform}")
    print(f"load average before: {load()}")
    # Fill the bank caches, the bytecode and the OS file cache; the first start of a course with
    # parametrised questions starts the worker that computes their instances: wait for it, then
    # start each case once more, so the measured starts read every instance from the cache.
    for _, args, env, marker in cases:
        time_to_first_question(args, env, marker)
    wait_for_workers(work)
    for _, args, env, marker in cases:
        time_to_first_question(args, env, marker)
    wait_for_workers(work)
    instances = sorted((work / "data").rglob("instances/*.json"))
    print(f"parametrised instances cached: {len(instances)}")
    print(
        summary(
            "python -c pass", [time_command([sys.executable, "-c", "pass"]) for _ in range(runs)]
        )
    )
    print(
        summary(
            'python -c "import textual"',
            [time_command([sys.executable, "-c", "import textual"]) for _ in range(runs)],
        )
    )
    samples: dict[str, list[float]] = {name: [] for name, *_ in cases}
    cpu: dict[str, list[float]] = {name: [] for name, *_ in cases}
    for _ in range(runs):
        for name, args, env, marker in cases:
            samples[name].append(time_to_first_question(args, env, marker))
            cpu[name].append(CPU_TIMES[-1])
    floor = statistics.median(samples[floor_case[0]])
    floor_cpu = statistics.median(cpu[floor_case[0]])
    print("wall time to the first question (CPU time of the process until then, in brackets):")
    for name, *_ in cases:
        ratio = statistics.median(samples[name]) / floor
        cpu_ms = statistics.median(cpu[name]) * 1000
        cpu_ratio = statistics.median(cpu[name]) / floor_cpu
        print(
            summary(name, samples[name])
            + f"   [cpu {cpu_ms:4.0f} ms]"
            + ("" if name == floor_case[0] else f"   {ratio:.2f}× floor [{cpu_ratio:.2f}×]")
        )
    print(f"load average after: {load()}")
    if precompute_workers(work):
        print("warning: a precompute worker ran while measuring (an instance was missing)")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
