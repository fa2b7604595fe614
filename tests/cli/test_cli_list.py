"""`grader list`: banks with question counts, as the installed command prints them."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from cli_support import run_grader

DATA = Path(__file__).resolve().parents[1] / "data" / "banks"


def run(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {"GRADER_CACHE_DIR": str(tmp_path / "cache"), "GRADER_LANG": "en"}
    return run_grader(*args, cwd=DATA, env=env)


def test_json(tmp_path: Path) -> None:
    """--format json prints exactly the documented document."""
    done = run("list", "--format", "json", "--course", "good", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "banks": [
            {
                "bank": "all-types",
                "questions": 12,
                "types": {
                    "single": 1,
                    "multiple": 2,
                    "true_false": 1,
                    "fill": 2,
                    "numeric": 2,
                    "order": 1,
                    "code_output": 2,
                    "short": 1,
                },
                "difficulty": {"1": 4, "2": 5, "3": 3, "4": 0, "5": 0},
                "parametrised": False,
            }
        ],
        "total": 12,
        "parametrised": 0,
    }


def test_text_table(tmp_path: Path) -> None:
    """The text format is a table naming each bank, its title and the total."""
    done = run("list", "--course", "good", tmp_path=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "all-types" in done.stdout and "All question types" in done.stdout
    total = next(line for line in done.stdout.splitlines() if line.strip().startswith("total"))
    assert total.split()[1] == "12"


def test_broken_questions_are_left_out_with_a_note(tmp_path: Path) -> None:
    """Questions with problems are not counted, and stderr says to run validate."""
    course = tmp_path / "course" / "questions"
    course.mkdir(parents=True)
    shutil.copy(DATA / "broken" / "duplicate_id.yaml", course)
    done = run("list", "--format", "json", "--course", str(course.parent), tmp_path=tmp_path)
    assert done.returncode == 0
    assert json.loads(done.stdout)["total"] == 1
    assert "run `grader validate`" in done.stderr


def test_chinese_table(tmp_path: Path) -> None:
    """Under `grader --lang zh` the headers, type names, total and legend are Chinese."""
    shutil.copytree(DATA / "good", tmp_path / "good")
    done = run_grader("--lang", "zh", "list", "--course", "good", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for word in ("题库", "标题", "题数", "单选", "代码", "简答", "合计", "难度"):
        assert word in done.stdout, (word, done.stdout)
    for word in ("questions", "total", "single", "difficulty"):
        assert word not in done.stdout, (word, done.stdout)


GENERATED = """\
bank: gen-list
title: {zh: 随机参数题, en: Fresh numbers}
questions:
  - id: gen-list-numel
    type: numeric
    difficulty: 2
    tags: [x]
    params:
      n: {int: [2, 9]}
    prompt: {zh: "`torch.zeros({n}).numel()` 是多少？", en: "What is `torch.zeros({n}).numel()`?"}
    code: |
      import torch
      answer = torch.zeros({n}).numel()
    explanation: {zh: "是 {answer}。", en: "It is {answer}."}
  - id: gen-list-shape
    type: code_output
    difficulty: 3
    tags: [x]
    params:
      n: {int: [2, 9]}
    prompt: {zh: 打印什么？, en: What does it print?}
    code: |
      import torch
      print(torch.zeros({n}, 2).shape)
    explanation: {zh: "打印 {answer}。", en: "It prints {answer}."}
"""


def test_parametrised_banks_are_listed_marked_and_counted(tmp_path: Path) -> None:
    """The files of questions/generated/ are banks of the list, marked as parametrised, with
    their counts per type and difficulty, in the total."""
    shutil.copytree(DATA / "good", tmp_path / "good")
    (tmp_path / "good" / "questions" / "generated").mkdir()
    (tmp_path / "good" / "questions" / "generated" / "gen.yaml").write_text(GENERATED, "utf-8")
    env = {"GRADER_CACHE_DIR": str(tmp_path / "cache"), "GRADER_LANG": "en"}
    done = run_grader("list", "--format", "json", "--course", "good", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert (document["total"], document["parametrised"]) == (14, 2)
    (row,) = [b for b in document["banks"] if b["parametrised"]]
    assert (row["bank"], row["questions"]) == ("gen-list", 2)
    assert row["types"]["numeric"] == row["types"]["code_output"] == 1
    assert row["difficulty"] == {"1": 0, "2": 1, "3": 1, "4": 0, "5": 0}
    done = run_grader("list", "--course", "good", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("gen-list")]
    assert line.split()[:2] == ["gen-list", "*"] and "Fresh numbers" in line
    assert "*: parametrised, fresh numbers for every learner and attempt" in done.stdout
    total = next(line for line in done.stdout.splitlines() if line.strip().startswith("total"))
    assert total.split()[1] == "14"


def test_a_terminal_of_80_columns_shows_every_count(tmp_path: Path) -> None:
    """In an 80-column terminal (a real pseudo-terminal), the bundled course's table leaves out
    the titles and the difficulty columns, and says so, instead of cutting every title, header
    and two-digit count to '…'; every count is the JSON's, in both languages."""
    import os
    import sys
    import time
    import unicodedata

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tui"))
    from test_tui_pty import Terminal, _env, _grader_command

    env = {**_env(tmp_path), "COLUMNS": "80", "LINES": "60"}
    counts = json.loads(
        run_grader("list", "--format", "json", cwd=tmp_path, env=env, timeout=120).stdout
    )
    notes = {"en": "titles and difficulty columns left out", "zh": "省略了标题和难度列"}
    for lang, total_word in (("en", "total"), ("zh", "合计")):
        term = Terminal([*_grader_command(), "--lang", lang, "list"], env, size=(80, 60))
        try:
            deadline = time.monotonic() + 120
            while term.process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.2)  # the last output
            text = term.text()
        finally:
            if term.process.poll() is None:
                term.kill()
            else:
                os.close(term.master)
        lines = [line.rstrip() for line in text.replace("\r", "").splitlines()]
        width = max(sum(1 + (unicodedata.east_asian_width(c) in "WF") for c in s) for s in lines)
        assert width <= 80, text
        assert "…" not in text, text
        assert notes[lang] in text.replace("\n", ""), text
        rows = {line.split()[0]: line.split() for line in lines if line.strip()}
        for bank in counts["banks"]:
            row = rows[bank["bank"]]
            assert row[-9] == str(bank["questions"]), row  # count, then the eight types
        assert rows[total_word][1] == str(counts["total"])
