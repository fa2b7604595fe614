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
    parametrised question, an exercise with one variant) in Chinese, and without the exercise
    and its variant in English (tests/cli/test_cli_verify_variants.py reads those lines)."""
    tmp_path = tmp_path_factory.mktemp("verify")
    args = ("verify", "--instances", "1")
    return {
        "zh": run("--lang", "zh", *args, cwd=COURSE, tmp_path=tmp_path),
        "en": run(
            "--lang", "en", *args, "--no-exercises", "--no-variants", cwd=COURSE, tmp_path=tmp_path
        ),
    }


@pytest.mark.slow
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


@pytest.mark.slow
def test_verify_summaries_stay_english(
    verified: dict[str, subprocess.CompletedProcess[str]],
) -> None:
    """`--lang en` prints the English summaries as before."""
    done = verified["en"]
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith("verified 1 code_output snippets and 1 verify blocks in 1 banks ")
    assert lines[1:] == ["verified 1 instances of 1 parametrised questions: 0 problems"]


def test_verify_json_is_the_same_in_both_languages(tmp_path: Path) -> None:
    """--format json is for scripts: its keys and problem lines do not change with the
    language."""
    args = ("verify", "questions/generated", "--instances", "1", "--format", "json")
    zh = run("--lang", "zh", *args, cwd=COURSE, tmp_path=tmp_path)
    en = run("--lang", "en", *args, cwd=COURSE, tmp_path=tmp_path)
    assert zh.returncode == en.returncode == 0
    assert zh.stdout == en.stdout and '"params"' in zh.stdout


def test_verify_usage_error_in_chinese(tmp_path: Path) -> None:
    """A path that does not exist is a usage error (exit 2) in the language asked for."""
    zh = run("--lang", "zh", "verify", "nowhere.yaml", cwd=tmp_path, tmp_path=tmp_path)
    en = run("verify", "nowhere.yaml", cwd=tmp_path, tmp_path=tmp_path)
    assert (zh.returncode, en.returncode) == (2, 2)
    assert zh.stderr.strip() == "错误：nowhere.yaml 不存在"
    assert en.stderr.strip() == "error: nowhere.yaml does not exist"


# -- grader import and grader export -----------------------------------------------------------

INTEROP = DATA.parent / "interop" / "data"


def test_import_report_in_chinese(tmp_path: Path) -> None:
    """The import report's headers and its summary are in Chinese; each item keeps its
    `path:line: question: what` form, as in the English run."""
    sources = [str(INTEROP / "moodle_unsupported.xml"), str(INTEROP / "moodle_monolingual.xml")]
    (tmp_path / "zh").mkdir()
    (tmp_path / "en").mkdir()
    zh = run(
        "--lang",
        "zh",
        "import",
        *sources,
        "--out",
        "b.yaml",
        cwd=tmp_path / "zh",
        tmp_path=tmp_path,
    )
    en = run("import", *sources, "--out", "b.yaml", cwd=tmp_path / "en", tmp_path=tmp_path)
    assert zh.returncode == en.returncode == 1
    headers = [line for line in zh.stdout.splitlines() if not line.startswith("  ")]
    assert headers == [
        "已跳过（这里没有对应的题型）：",
        "缺少翻译（按原样导入；补上译文之前，`grader validate` 会一直列出）：",
        "为避免重复而改动的 id：",
        "转换时有改动：",
        "`grader validate` 在写出的文件中报告的其他问题：",
    ]
    items = [line for line in zh.stdout.splitlines() if line.startswith("  ")]
    assert items == [line for line in en.stdout.splitlines() if line.startswith("  ")]
    assert zh.stderr.strip() == "已把 4 道题导入 b.yaml；跳过 5 道；缺少 7 处翻译；另有 1 个问题"
    assert en.stderr.strip() == (
        "imported 4 questions into b.yaml; 5 skipped; 7 missing translations; 1 other problem"
    )
    assert typography(headers + zh.stderr.splitlines()) == []


def test_import_usage_errors_in_chinese(tmp_path: Path) -> None:
    """An existing --out without --force and a bad --lang-map are usage errors (exit 2) in
    Chinese; the registry line says what was added."""
    gift = str(INTEROP / "gift_all_types.gift")
    (tmp_path / "q").mkdir()
    (tmp_path / "q" / "ids.txt").write_text("", encoding="utf-8")
    first = run(
        "--lang", "zh", "import", gift, "--out", "q/g.yaml", cwd=tmp_path, tmp_path=tmp_path
    )
    assert first.returncode == 1, first.stderr  # the file lacks translations
    assert first.stderr.splitlines()[0].startswith("已把 ")
    assert f" 个 id 加入 {Path('q') / 'ids.txt'}" in first.stderr.splitlines()[0]
    again = run(
        "--lang", "zh", "import", gift, "--out", "q/g.yaml", cwd=tmp_path, tmp_path=tmp_path
    )
    assert again.returncode == 2
    assert (
        again.stderr.strip()
        == "错误：q/g.yaml 已存在；要替换它请加 --force（其中题目的 id 会保留）"
    )
    lang_map = run(
        "--lang", "zh", "import", gift, "--out", "q/h.yaml", "--lang-map", "zh_tw=fr",
        cwd=tmp_path, tmp_path=tmp_path,
    )  # fmt: skip
    assert lang_map.returncode == 2
    assert lang_map.stderr.strip() == (
        "错误：--lang-map：'zh_tw=fr' 不是 CODE=zh 或 CODE=en 的形式（例如 --lang-map zh_tw=zh,other=en）"
    )
    assert typography(first.stderr.splitlines()[:1]) == []


def test_export_report_in_chinese(tmp_path: Path) -> None:
    """The export report's headers and summary are in Chinese; the file written is the same as
    in an English run (the export's own --lang picks the texts, not grader --lang)."""
    course = str(INTEROP / "course")
    args = ("export", "--course", course, "--format", "gift", "--lang", "zh")
    zh = run("--lang", "zh", *args, "--out", "zh.gift", cwd=tmp_path, tmp_path=tmp_path)
    en = run("--lang", "en", *args, "--out", "en.gift", cwd=tmp_path, tmp_path=tmp_path)
    assert zh.returncode == en.returncode == 0
    assert (tmp_path / "zh.gift").read_bytes() == (tmp_path / "en.gift").read_bytes()
    headers = [line for line in zh.stdout.splitlines() if not line.startswith("  ")]
    assert headers == ["按 Moodle 的分值列表取整的分值：", "gift 无法保留的内容："]
    items = [line for line in zh.stdout.splitlines() if line.startswith("  ")]
    assert items == [line for line in en.stdout.splitlines() if line.startswith("  ")]
    assert zh.stderr.strip() == "已把 1 个题库的 11 道题导出到 zh.gift（gift，zh）；2 个分值已取整"
    assert en.stderr.strip() == (
        "exported 11 questions of 1 bank to en.gift (gift, zh); 2 rounded grades"
    )
    assert typography(headers + zh.stderr.splitlines()) == []


def test_export_usage_errors_in_chinese(tmp_path: Path) -> None:
    """An unknown bank (with its did-you-mean) and GIFT in both languages are usage errors
    (exit 2) in Chinese."""
    course = INTEROP / "course"
    unknown = run(
        "--lang", "zh", "export", "exprt", "--course", str(course), "--out", "x.xml",
        cwd=tmp_path, tmp_path=tmp_path,
    )  # fmt: skip
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == (
        f"错误：{course / 'questions'} 中没有题库 'exprt'（是不是 'export'？）"
    )
    gift = run(
        "--lang", "zh", "export", "--course", str(course), "--format", "gift", "--out", "x.gift",
        cwd=tmp_path, tmp_path=tmp_path,
    )  # fmt: skip
    assert gift.returncode == 2
    assert gift.stderr.strip() == (
        "错误：GIFT 只能容纳一种语言（它没有多语言的写法）：请用 --lang zh 或 --lang en"
    )


# -- grader doctor -----------------------------------------------------------------------------


def test_doctor_report_in_chinese(tmp_path: Path) -> None:
    """`grader --lang zh doctor` is Chinese throughout (only what a probe says of a layer, on
    that layer's line, may be English); the English report keeps its lines."""
    data = {"GRADER_DATA_DIR": str(tmp_path / "data")}
    zh = run("--lang", "zh", "doctor", "--no-smoke", cwd=tmp_path, tmp_path=tmp_path, **data)
    en = run("doctor", "--no-smoke", cwd=tmp_path, tmp_path=tmp_path, **data)
    assert zh.returncode == en.returncode == 0, zh.stderr
    lines = zh.stdout.splitlines()
    assert lines[0].startswith("沙箱层（在用完即弃的子进程中探测，以 ")
    assert "  必需层（--require-sandbox 要求每一层都启用）：" in lines
    assert f"日志：{tmp_path / 'data' / 'grader.log'}（debug 级别；报告问题时请附上）" in lines
    assert any(line.startswith("执行器中的可执行内存：在 CPU 上由 seccomp 拒绝") for line in lines)
    english = ("Sandbox layers", "essential (", "extra (", "Log / ", "note: ", "Executable memory")
    assert not [line for line in lines if line.lstrip().startswith(english)]
    own = [line for line in lines if not line.startswith("    ")]  # not a layer's line
    assert typography(own) == []
    assert en.stdout.startswith(
        "Sandbox layers / 沙箱层 (probed in throwaway children, running as "
    )
    assert "  essential (--require-sandbox needs each one):" in en.stdout.splitlines()
    level = run("--lang", "zh", "doctor", "--require-sandbox=x", cwd=tmp_path, tmp_path=tmp_path)
    assert level.returncode == 2
    assert level.stderr.splitlines()[-1] == (
        "Error: --require-sandbox=x：请用 --require-sandbox（必需层）或 --require-sandbox=all（所有层）"
    )  # click's own frame (Usage:, Error:) stays English


# -- grader batch and grader merge -------------------------------------------------------------

MINI = DATA / "course-mini"


@pytest.mark.slow
def test_batch_and_merge_summaries_in_chinese(tmp_path: Path) -> None:
    """Under GRADER_LANG=zh the progress bar and summaries of `grader batch` and `grader merge`
    are Chinese; their own --lang wins; the gradebook's columns stay as they are."""
    root = tmp_path / "class"
    root.mkdir()
    shutil.copy(MINI / "solutions" / "add-one.py", root / "alice.py")
    args = ("batch", "add-one", str(root), "--course", str(MINI), "--workers", "1")
    zh = run(*args, "--out", "zh", cwd=tmp_path, tmp_path=tmp_path, GRADER_LANG="zh")
    assert zh.returncode == 0, zh.stderr
    bar, summary = zh.stderr.splitlines()[:2]  # the bar's final state (stderr is no terminal)
    assert bar.startswith("评分中 ") and " 1/1 每秒 " in bar and " 剩余 " in bar
    assert summary.startswith("评了 1 份（每秒 ")
    assert "份），沿用续评记录中的 0 份，评分器出错 0 份，跳过 0 份，用时 " in summary
    assert summary.endswith(f" 秒 -> {Path('zh') / 'gradebook.csv'}")
    assert typography([summary]) == []
    en = run(
        *args,
        "--quiet",
        "--out",
        "zh",
        "--lang",
        "en",
        cwd=tmp_path,
        tmp_path=tmp_path,
        GRADER_LANG="zh",
    )
    assert en.returncode == 0, en.stderr
    assert en.stderr.startswith("graded 0 (0.00/s), reused 1 from the journal, 0 grader errors, ")
    gradebook = (tmp_path / "zh" / "gradebook.csv").read_text(encoding="utf-8-sig")
    assert gradebook.splitlines()[0] == "student,exercise,score,max_score,status"

    merged = run("merge", "zh", "--out", "m1", cwd=tmp_path, tmp_path=tmp_path, GRADER_LANG="zh")
    assert merged.returncode == 0, merged.stderr
    assert merged.stderr.strip() == "已把 1 个文件夹的 1 行合并 -> m1"
    assert typography(merged.stderr.splitlines()) == []
    chosen = run(
        "merge",
        "zh",
        "--out",
        "m2",
        "--lang",
        "en",
        cwd=tmp_path,
        tmp_path=tmp_path,
        GRADER_LANG="zh",
    )
    assert chosen.stderr.strip() == "merged 1 rows from 1 folders -> m2"


# -- grader gradescope, grader ci-kit, grader export-student -----------------------------------


def _wheel(folder: Path) -> Path:
    """A file named like the grader's wheel (these commands copy it and hash it, nothing more)."""
    import zipfile

    from grader import __version__

    path = folder / f"torch_grader-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as wheel:
        wheel.writestr("grader/__init__.py", "")
    return path


def test_gradescope_and_ci_kit_messages_in_chinese(tmp_path: Path) -> None:
    """`grader gradescope` and `grader ci-kit` say what they wrote, and gradescope's usage
    error, in Chinese; gradescope's own --lang en wins."""
    wheel = str(_wheel(tmp_path))
    args = ("gradescope", "add-one", "--course", str(MINI), "--wheel", wheel)
    zh = run("--lang", "zh", *args[:2], "b.zip", *args[2:], cwd=tmp_path, tmp_path=tmp_path)
    assert zh.returncode == 0, zh.stderr
    assert zh.stderr.strip() == "已写出 b.zip：把它上传为 'add-one' 的 autograder"
    en = run(
        "--lang",
        "zh",
        *args[:2],
        "c.zip",
        *args[2:],
        "--lang",
        "en",
        cwd=tmp_path,
        tmp_path=tmp_path,
    )
    assert en.stderr.strip() == "wrote c.zip: upload it as the autograder of 'add-one'"
    bad = run("--lang", "zh", *args[:2], "b.tar", *args[2:], cwd=tmp_path, tmp_path=tmp_path)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "错误：b.tar：这个包是 zip 文件，请命名为 <名称>.zip"

    (tmp_path / "repo").mkdir()
    kit = run("--lang", "zh", "ci-kit", "repo", "--wheel", wheel, cwd=tmp_path, tmp_path=tmp_path)
    assert kit.returncode == 0, kit.stderr
    lines = kit.stderr.splitlines()
    assert lines[0].startswith(f"已写出 {Path('repo') / 'ci' / Path(wheel).name}（sha256 ")
    assert lines[1:] == [
        f"已写出 {Path('repo') / '.github' / 'workflows' / 'grade-class.yml'}",
        "下一步：git add .github/workflows/grade-class.yml ci && git commit，然后参看 templates/README.md",
    ]
    assert typography(lines + zh.stderr.splitlines() + bad.stderr.splitlines()) == []


def test_export_student_messages_in_chinese(tmp_path: Path) -> None:
    """`grader export-student` says what it wrote, and its usage error, in Chinese."""
    args = ("export-student", "--course", str(COURSE), "--no-wheel")
    zh = run("--lang", "zh", *args[:1], "h", *args[1:], cwd=tmp_path, tmp_path=tmp_path)
    assert zh.returncode == 0, zh.stderr
    assert zh.stderr.strip() == "已把 1 个题库（含答案）和 1 个练习写到 h"
    en = run(*args[:1], "h2", *args[1:], cwd=tmp_path, tmp_path=tmp_path)
    assert en.stderr.strip() == "wrote 1 banks (with answers) and 1 exercises to h2"
    both = run(
        "--lang",
        "zh",
        *args[:1],
        "h3",
        *args[1:],
        "--wheel",
        "x.whl",
        cwd=tmp_path,
        tmp_path=tmp_path,
    )
    assert (both.returncode, both.stderr.strip()) == (2, "错误：--wheel 和 --no-wheel 互相矛盾")
    assert typography(zh.stderr.splitlines()) == []


# -- grader progress ---------------------------------------------------------------------------


def test_progress_messages_in_chinese(tmp_path: Path) -> None:
    """`grader progress export|import|reset` say what they did, and a file that is not JSON,
    in Chinese; the exported JSON is the same as in English."""
    env = {"GRADER_DATA_DIR": str(tmp_path / "data")}
    course = ("--course", str(COURSE))

    def zh(*args: str) -> subprocess.CompletedProcess[str]:
        return run(
            "--lang", "zh", "progress", *args, *course, cwd=tmp_path, tmp_path=tmp_path, **env
        )

    exported = zh("export", "p.json")
    assert exported.stderr.strip() == "已把 0 条作答导出到 p.json"
    imported = zh("import", "p.json")
    assert imported.returncode == 0, imported.stderr
    assert imported.stderr.strip().startswith(
        "已导入：作答 0、复习 0、卡片 0、测验 0、练习运行 0、"
    )
    english = run("progress", "import", "p.json", *course, cwd=tmp_path, tmp_path=tmp_path, **env)
    assert english.stderr.startswith("imported 0 answers, 0 reviews, 0 cards, 0 sessions, ")
    (tmp_path / "bad.json").write_text("{\n", encoding="utf-8")
    bad = zh("import", "bad.json")
    assert bad.returncode == 2
    assert bad.stderr.startswith("错误：bad.json:2: 不是 JSON：")
    reset = zh("reset", "--yes")
    assert reset.returncode == 0
    assert reset.stderr.strip().endswith("的进度已重置（删除了 0 条作答）")
    assert reset.stderr.startswith("课程 '")
    assert typography([exported.stderr, imported.stderr, reset.stderr]) == []


def test_grade_usage_errors_in_chinese(tmp_path: Path) -> None:
    """`grader grade` and `grader check` refuse a missing file or a folder in the language of
    their --lang, else grader --lang."""
    missing = run("--lang", "zh", "grade", "add-one", "nowhere.py", cwd=tmp_path, tmp_path=tmp_path)
    assert (missing.returncode, missing.stderr.strip()) == (2, "错误：提交文件 nowhere.py 不存在")
    folder = run("--lang", "zh", "check", "add-one", ".", cwd=tmp_path, tmp_path=tmp_path)
    assert (folder.returncode, folder.stderr.strip()) == (
        2,
        "错误：. 是文件夹；请给出提交的 .py 文件",
    )
    own = run(
        "grade",
        "add-one",
        "nowhere.py",
        "--lang",
        "en",
        cwd=tmp_path,
        tmp_path=tmp_path,
        GRADER_LANG="zh",
    )
    assert own.stderr.strip() == "error: submission file nowhere.py does not exist"


# -- learner commands' own usage errors ---------------------------------------------------------


def test_quiz_and_show_usage_errors_in_chinese(tmp_path: Path) -> None:
    """`grader quiz` without a terminal and `grader show` with the wrong seed options refuse in
    Chinese under grader --lang zh, and quiz's own --lang zh gives 错误： too."""
    course = ("--course", str(COURSE))
    tty = run("--lang", "zh", "quiz", *course, cwd=tmp_path, tmp_path=tmp_path)
    own = run("quiz", "--lang", "zh", *course, cwd=tmp_path, tmp_path=tmp_path)
    message = "错误：grader quiz 需要终端（标准输入和标准输出都必须是 TTY）"
    assert (tty.returncode, tty.stderr.strip()) == (2, message)
    assert (own.returncode, own.stderr.strip()) == (2, message)
    which = run(
        "--lang", "zh", "show", "gen-broadcast-add-shape", *course, cwd=tmp_path, tmp_path=tmp_path
    )
    assert which.stderr.strip() == "错误：请给出 --seed，或者同时给出 --learner 和 --attempt"
    unknown = run(
        "--lang", "zh", "show", "nope", "--seed", "1", *course, cwd=tmp_path, tmp_path=tmp_path
    )
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == (
        f"错误：{COURSE / 'questions'}/generated/ 中没有参数化题目 'nope'"
    )
    english = run("show", "nope", "--seed", "1", *course, cwd=tmp_path, tmp_path=tmp_path)
    assert english.stderr.strip() == (
        f"error: no parametrised question 'nope' in {COURSE / 'questions'}/generated/"
    )
    assert typography([tty.stderr, which.stderr]) == []


def test_quiz_unknown_bank_in_chinese(tmp_path: Path) -> None:
    """An unknown --bank is named, with the nearest bank and the course's banks, in Chinese
    (run_quiz checks names before it opens the app)."""
    from grader.cli.quiz import run_quiz
    from grader.errors import UsageError

    with pytest.raises(UsageError) as caught:
        run_quiz(banks=("tin",), lang="zh", course=COURSE, data_dir=tmp_path)
    assert caught.value.message == "未知的题库 'tin'（是不是 'tiny'？）；本课程有：tiny"
    with pytest.raises(UsageError) as caught:
        run_quiz(banks=("tin",), lang="en", course=COURSE, data_dir=tmp_path)
    assert caught.value.message.startswith("unknown bank 'tin' (did you mean 'tiny'?); ")
