"""The instructor commands speak the language of `grader --lang` (or GRADER_LANG), as a user
runs them: the installed command in a subprocess.

Their summaries, headers and usage errors are in Chinese with `--lang zh`; the machine-readable
parts stay as they are in every language (the `path:line: id: message` problem lines, JSON).
English is the default, and `--lang en` keeps it when GRADER_LANG says zh. Every Chinese line
is also read by the banks' CJK typography lint, which must find nothing in it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from cli_support import run_grader

from grader.bank.lint_typography import lint_typography
from grader.bank.scalars import ScalarText

DATA = Path(__file__).resolve().parents[1] / "data"
BANKS = DATA / "banks"
COURSE = DATA / "instructor-lang" / "course"


def run(*args: str, cwd: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {"GRADER_CACHE_DIR": str(tmp_path / "cache"), "GRADER_LANG": "", **env}
    return run_grader(*args, cwd=cwd, env=environ, timeout=120)


def typography(lines: list[str]) -> list[str]:
    """What the CJK typography lint says about each line, as ``line: message``."""
    return [
        f"{line}: {finding.message}"
        for line in lines
        for finding in lint_typography(ScalarText(line, "double", "", 1), "zh")
    ]


# -- grader validate ---------------------------------------------------------------------------


def test_validate_summary_in_chinese(tmp_path: Path) -> None:
    """`grader --lang zh validate` on a clean course: the summary says 通过 and counts banks,
    questions and exercises in Chinese."""
    done = run("--lang", "zh", "validate", "--course", "good", cwd=BANKS, tmp_path=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr.strip() == "通过：1 个题库（12 道题）、1 个练习"


def test_validate_problems_in_chinese_keep_their_lines(tmp_path: Path) -> None:
    """With problems, GRADER_LANG=zh gives a Chinese summary; the problem lines on
    stdout are the very lines of the English run."""
    args = ("validate", "questions", "exercises")
    zh = run(*args, cwd=BANKS / "problems", tmp_path=tmp_path, GRADER_LANG="zh")
    en = run(*args, cwd=BANKS / "problems", tmp_path=tmp_path)
    assert zh.returncode == en.returncode == 1
    assert zh.stdout == en.stdout and zh.stdout
    problems = len(en.stdout.splitlines())
    assert zh.stderr.strip() == f"在 1 个题库（3 道题）、2 个练习中发现 {problems} 个问题"
    assert en.stderr.strip() == f"{problems} problems in 1 bank (3 questions), 2 exercises"
    assert typography(zh.stderr.splitlines()) == []


def test_validate_warnings_and_added_ids_in_chinese(tmp_path: Path) -> None:
    """--update-ids says what it added, and the warnings are counted, in Chinese."""
    course = tmp_path / "course"
    shutil.copytree(BANKS / "good", course)
    (course / "questions" / "ids.txt").write_text("", encoding="utf-8")
    (course / "questions" / "verify_pending.txt").write_text("all-types\n", encoding="utf-8")
    done = run("--lang", "zh", "validate", "--update-ids", cwd=course, tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == f"已把 12 个 id 加入 {Path('questions') / 'ids.txt'}"
    assert lines[-1] == "通过：1 个题库（12 道题）、1 个练习；1 条警告"
    assert typography(lines) == []


def test_validate_stays_english_by_default_and_with_lang_en(tmp_path: Path) -> None:
    """No language asked for gives English; `--lang en` wins over GRADER_LANG=zh."""
    default = run("validate", "--course", "good", cwd=BANKS, tmp_path=tmp_path)
    chosen = run(
        "--lang",
        "en",
        "validate",
        "--course",
        "good",
        cwd=BANKS,
        tmp_path=tmp_path,
        GRADER_LANG="zh",
    )
    assert (
        default.stderr.strip() == chosen.stderr.strip() == "ok: 1 bank (12 questions), 1 exercise"
    )


# -- grader verify -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def verified(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, subprocess.CompletedProcess[str]]:
    """`grader verify --instances 1` over the small course (a snippet with a verify block, a
    parametrised question, an exercise with one variant), in Chinese and in English."""
    tmp_path = tmp_path_factory.mktemp("verify")
    return {
        lang: run("--lang", lang, "verify", "--instances", "1", cwd=COURSE, tmp_path=tmp_path)
        for lang in ("zh", "en")
    }


def test_verify_summaries_in_chinese(verified: dict[str, subprocess.CompletedProcess[str]]) -> None:
    """Each of the four summary lines (snippets, parametrised questions, exercises, variants)
    is in Chinese, and passes the typography lint."""
    done = verified["zh"]
    assert (done.returncode, done.stdout) == (0, ""), done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 4, lines
    assert lines[0].startswith("已用 torch ")
    assert (
        "验证 1 个题库中的 1 个 code_output 片段和 1 个 verify 块（每个运行 2 次，用时 " in lines[0]
    )
    assert lines[0].endswith(" 秒）：0 个问题")
    assert lines[1:] == [
        "已验证 1 道参数化题目的 1 个实例：0 个问题",
        "已验证 1 个练习：0 个问题",
        "已验证 1 个清单中的 1 个变体：0 个问题",
    ]
    assert typography(lines) == []


def test_verify_summaries_stay_english(
    verified: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    """`--lang en` prints the English summaries as before."""
    done = verified["en"]
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("verified 1 code_output snippets and 1 verify blocks in 1 banks ")
    assert lines[1:] == [
        "verified 1 instances of 1 parametrised questions: 0 problems",
        "verified 1 exercises: 0 problems",
        "verified 1 variant in 1 manifest: 0 problems",
    ]


def test_verify_json_is_the_same_in_both_languages(tmp_path: Path) -> None:
    """--format json is for scripts: its keys and problem lines do not change with the
    language."""
    args = ("verify", "--no-snippets", "--no-variants", "--format", "json")
    zh = run("--lang", "zh", *args, cwd=COURSE, tmp_path=tmp_path)
    en = run("--lang", "en", *args, cwd=COURSE, tmp_path=tmp_path)
    assert zh.returncode == en.returncode == 0
    assert zh.stdout == en.stdout and '"exercises"' in zh.stdout


def test_verify_usage_error_in_chinese(tmp_path: Path) -> None:
    """A path that does not exist is a usage error (exit 2) in the language asked for."""
    zh = run("--lang", "zh", "verify", "nowhere.yaml", cwd=tmp_path, tmp_path=tmp_path)
    en = run("verify", "nowhere.yaml", cwd=tmp_path, tmp_path=tmp_path)
    assert (zh.returncode, en.returncode) == (2, 2)
    assert zh.stderr.strip() == "错误：nowhere.yaml 不存在"
    assert en.stderr.strip() == "error: nowhere.yaml does not exist"
