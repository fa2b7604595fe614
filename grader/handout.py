"""The student handout: questions, exercise statements, starters and public checks; never hidden
checks or solutions.

Exercise files are copied from an allow-list (``exercise.yaml``, ``starter.py``,
``test_public*.py``), never "everything but hidden/", so a new kind of secret file cannot leak
by accident; ``solutions/`` is never read.

Question answers: ``answers=True`` (the default, for self-study) copies the banks as they are,
since the quiz app needs the answers to give feedback. ``answers=False`` (for a graded exam)
removes every field that gives an answer away (``answer``, ``explanation``, ``reference``,
``key_points``, ``regex``) and shuffles the options of ``order`` questions, which are written in
the right order; such banks are for reading or printing, not for the app.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from grader.course import Course
from grader.errors import UsageError
from grader.exercises.loader import exercise_ids
from grader.pinned_wheel import PinnedWheel

try:  # libyaml when present: the banks are large
    from yaml import CSafeDumper as _Dumper
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

ANSWER_FIELDS = ("answer", "explanation", "reference", "key_points", "regex")
EXERCISE_FILES = ("exercise.yaml", "starter.py")
NOT_BANKS = ("seed_sections.yaml",)

README_EN = """# Student handout

- `exercises/<id>/exercise.yaml`: the statement; `starter.py`: your starting point;
  `test_public.py`: checks you can run. Grading uses further checks you do not see.
- Run the public checks on your file: `grader check <id> exercises/<id>/starter.py --course .`
- Quiz: `grader quiz --course .`
"""
README_ZH = """# 学生资料

- `exercises/<id>/exercise.yaml`：题目；`starter.py`：起始代码；`test_public.py`：可以自己运行的检查。
  评分时还会使用你看不到的检查。
- 在你的文件上运行公开检查：`grader check <id> exercises/<id>/starter.py --course .`
- 测验：`grader quiz --course .`
"""
INSTALL = """## Install / 安装

Run these in this folder (Linux or macOS, Python 3.11+). The grader is the wheel file in
`wheel/`, checked by its sha256 before it is installed; torch is a CPU build.
在本文件夹中运行以下命令（Linux 或 macOS，Python 3.11 及以上）。评分程序就是 `wheel/` 中的
wheel 文件，安装前先校验其 sha256；torch 为 CPU 版本。

```bash
python3 -m venv .venv && . .venv/bin/activate
(cd wheel && sha256sum --check --strict {wheel}.sha256)
python -m pip install "{torch}" --index-url https://download.pytorch.org/whl/cpu
python -m pip install wheel/{wheel}
grader check {example} exercises/{example}/starter.py --course .
```

(macOS: `shasum -a 256 --check {wheel}.sha256` instead of `sha256sum`.)
"""
NO_WHEEL = """## Install / 安装

Install the grader from the wheel file your instructor gives you, after checking its sha256
(`sha256sum --check --strict <wheel>.sha256`); never install it by name from an index.
请使用教师提供的 wheel 文件安装评分程序，安装前先校验 sha256
（`sha256sum --check --strict <wheel>.sha256`）；不要按名称从软件源安装。
"""
NO_ANSWERS = """
The question banks here have no answers or explanations (exam paper); the quiz app cannot use them.
本资料中的题库不含答案与解析（考试用），不能用于测验程序。
"""


@dataclass
class HandoutReport:
    """What a handout holds."""

    banks: int = 0
    exercises: int = 0
    files: list[Path] = field(default_factory=list)
    """Paths relative to the handout folder."""


def _shuffled(options: list[Any], seed: str) -> list[Any]:
    """``options`` in an order different from the given one (when they are not all equal)."""
    rng = random.Random(seed)
    order = list(options)
    if len({repr(o) for o in options}) < 2:
        return order
    while order == options:
        rng.shuffle(order)
    return order


def strip_answers(text: str) -> str:
    """A bank's YAML without the fields that give answers away (comments go too)."""
    data = yaml.load(text, Loader=_Loader)
    for question in data.get("questions", []) if isinstance(data, dict) else []:
        if not isinstance(question, dict):
            continue
        for key in ANSWER_FIELDS:
            question.pop(key, None)
        if question.get("type") == "order" and isinstance(question.get("options"), list):
            question["options"] = _shuffled(question["options"], str(question.get("id", "")))
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def _write_banks(course: Course, dest: Path, answers: bool, report: HandoutReport) -> None:
    if not course.questions.is_dir():
        return
    banks = sorted(
        p
        for p in course.questions.iterdir()
        if p.suffix in (".yaml", ".yml") and not p.name.startswith(".") and p.is_file()
    )
    for bank in banks:
        text = bank.read_text(encoding="utf-8")
        is_bank = bank.name not in NOT_BANKS
        if is_bank and not answers:
            text = strip_answers(text)
        (dest / "questions").mkdir(parents=True, exist_ok=True)
        (dest / "questions" / bank.name).write_text(text, encoding="utf-8")
        report.files.append(Path("questions") / bank.name)
        report.banks += is_bank


def _write_exercises(course: Course, dest: Path, report: HandoutReport) -> None:
    for ex_id in exercise_ids(course.exercises):
        src = course.exercises / ex_id
        names = [*EXERCISE_FILES, *(p.name for p in sorted(src.glob("test_public*.py")))]
        for name in names:
            if (src / name).is_file() and not (src / name).is_symlink():
                target = dest / "exercises" / ex_id / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(src / name, target)
                report.files.append(target.relative_to(dest))
        report.exercises += 1


def _install_text(pinned: PinnedWheel | None, torch_spec: str, example: str) -> str:
    if pinned is None:
        return NO_WHEEL
    return INSTALL.format(wheel=pinned.path.name, torch=torch_spec, example=example)


def export_student(
    course: Course,
    out: Path,
    *,
    answers: bool = True,
    wheel: Path | bool = False,
    torch_spec: str | None = None,
) -> HandoutReport:
    """Write the handout of ``course`` to ``out`` (a new or empty folder).

    ``wheel``: True builds the grader's wheel, a path pins that wheel (e.g. the one the CI
    template installs); either goes to ``wheel/`` with its ``.sha256``, without the bundled
    course, and the README gives the exact commands that check and install it.

    The handout is assembled in a temporary folder beside ``out`` and moved into place, so a
    failed export leaves nothing half-written.
    """
    from grader.gradescope import default_torch_spec
    from grader.pinned_wheel import write_pinned_wheel

    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise UsageError(f"{out} exists and is not an empty folder; choose a new folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    report = HandoutReport()
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=f".{out.name}.") as tmp:
        dest = Path(tmp) / "handout"
        dest.mkdir()
        _write_banks(course, dest, answers, report)
        _write_exercises(course, dest, report)
        pinned = None
        if wheel is not False:
            pinned = write_pinned_wheel(dest / "wheel", None if wheel is True else wheel)
            report.files += [pinned.path.relative_to(dest), pinned.sha_file.relative_to(dest)]
        ids = exercise_ids(course.exercises)
        example = ids[0] if ids else "<exercise-id>"
        install = _install_text(pinned, torch_spec or default_torch_spec(), example)
        readme = README_EN + "\n" + README_ZH + "\n" + install + ("" if answers else NO_ANSWERS)
        (dest / "README.md").write_text(readme, encoding="utf-8")
        report.files.append(Path("README.md"))
        if out.exists():
            out.rmdir()
        dest.rename(out)
    return report
