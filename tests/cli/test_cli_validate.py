"""`grader validate` as a user runs it: the installed command in a subprocess."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from cli_support import run_grader

DATA = Path(__file__).resolve().parents[1] / "data" / "banks"


def run(*args: str, cwd: Path, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run_grader(*args, cwd=cwd, env={"GRADER_CACHE_DIR": str(tmp_path / "cache"), **env})


def test_clean_course_exits_0(tmp_path: Path) -> None:
    """A clean course: exit 0, nothing on stdout, a one-line summary on stderr."""
    done = run("validate", "--course", "good", cwd=DATA, tmp_path=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr.strip() == "ok: 1 bank (12 questions), 1 exercise"


def test_course_found_in_the_current_folder(tmp_path: Path) -> None:
    """Run inside a course folder, its questions/ and exercises/ are checked."""
    done = run("validate", cwd=DATA / "problems", tmp_path=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert (
        "questions/basics.yaml:16: basics-unregistered: unknown source 's000-q4' (did you mean "
        "'s000-q04'?): not a section or topic id in questions/seed_sections.yaml"
    ) in lines
    assert all(line.startswith(("questions/", "exercises/")) for line in lines)
    assert len(lines) == 15


def test_problems_are_listed_one_per_line(tmp_path: Path) -> None:
    """Exit 1, every problem on stdout as path:line: id: message, no traceback."""
    done = run(
        "validate", "broken/answer_range.yaml", "broken/gbk.yaml", cwd=DATA, tmp_path=tmp_path
    )
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "broken/answer_range.yaml:13: range-single: answer 3 is out of range (3 options: 0..2)",
        "broken/answer_range.yaml:25: range-multiple: answer 5 is out of range (2 options: 0..1)",
        "broken/answer_range.yaml:26: range-multiple: answer lists option 0 twice",
        "broken/answer_range.yaml:34: range-negative: answer -1 is out of range (2 options: 0..1)",
        "broken/gbk.yaml:2: -: file is not UTF-8: byte 0xb1 cannot be decoded (it looks like "
        "GBK/GB18030, which Windows uses for Chinese); re-save it as UTF-8 "
        "(in Notepad: Save as > Encoding > UTF-8)",
    ]
    assert done.stderr.strip() == "5 problems in 1 bank (0 questions), 0 exercises"


def test_every_broken_fixture_without_a_traceback(tmp_path: Path) -> None:
    """The whole broken folder is reported in one run and nothing crashes."""
    done = run("validate", "broken", "dupes", cwd=DATA, tmp_path=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert len(done.stdout.splitlines()) >= 40


def test_missing_path_exits_2(tmp_path: Path) -> None:
    """A path that does not exist is a usage error."""
    done = run("validate", "no-such-bank.yaml", cwd=DATA, tmp_path=tmp_path)
    assert done.returncode == 2
    assert "no-such-bank.yaml" in done.stderr and "does not exist" in done.stderr


def test_update_ids(tmp_path: Path) -> None:
    """--update-ids registers new ids, says so, and the next run is clean of registry problems."""
    course = tmp_path / "course"
    shutil.copytree(DATA / "good", course)
    (course / "questions" / "ids.txt").write_text("good-single\n")
    first = run("validate", cwd=course, tmp_path=tmp_path)
    assert first.returncode == 1 and len(first.stdout.splitlines()) == 11
    second = run("validate", "--update-ids", cwd=course, tmp_path=tmp_path)
    assert second.returncode == 0, second.stdout
    assert "added 11 ids to questions/ids.txt" in second.stderr


def test_help_text(tmp_path: Path) -> None:
    """The command explains itself."""
    done = run("validate", "--help", cwd=DATA, tmp_path=tmp_path)
    assert done.returncode == 0
    assert "path:line: id: message" in done.stdout
    assert "--update-ids" in done.stdout


def question(qid: str, difficulty: str = "1", prompt: str = "{zh: 题目, en: Question}") -> str:
    """One true/false question of a bank, as YAML lines (7 lines)."""
    return (
        f"  - id: {qid}\n"
        "    type: true_false\n"
        f"    difficulty{difficulty}\n"
        "    tags: [yaml]\n"
        f"    prompt: {prompt}\n"
        "    answer: true\n"
        "    explanation: {zh: 因为, en: Because}\n"
    )


def bank(name: str, *questions: str) -> str:
    return f"bank: {name}\ntitle: {{zh: 题库, en: {name}}}\nquestions:\n" + "".join(questions)


def test_syntax_errors_have_their_line_and_a_caret_and_every_file_is_checked(
    tmp_path: Path,
) -> None:
    """A course whose banks have syntax errors: each is reported at the line to edit with the line
    and a caret under it; the rest of each broken file and every other file (banks and
    exercises) are still checked in the same run."""
    course = tmp_path / "course"
    questions = course / "questions"
    questions.mkdir(parents=True)
    (questions / "alpha.yaml").write_text(
        bank(
            "alpha",
            question("alpha-one", ": 1"),
            question("alpha-two", ": 1", '{zh: 第二题, en: "Second}'),  # line 15
            question("alpha-three", ": 9"),  # line 20: a real problem, after the broken question
        ),
        encoding="utf-8",
    )
    (questions / "beta.yaml").write_text(bank("beta", question("beta-one", " 1")), "utf-8")
    (questions / "empty.yaml").write_text("# to do\n\n", encoding="utf-8")
    (questions / "gamma.yaml").write_text(
        bank("gamma", question("gamma-one", ": 1") + "    hnit: {zh: 提示, en: Hint}\n"), "utf-8"
    )
    exercise = course / "exercises" / "ex-one"
    exercise.mkdir(parents=True)
    (exercise / "exercise.yaml").write_text(
        "id: ex-one\ntitle: {zh: 练习, en: Exercise}\npoints: 10\ntags: [yaml\ndifficulty: 2\n",
        encoding="utf-8",
    )
    done = run("validate", "course", cwd=tmp_path, tmp_path=tmp_path)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stdout.splitlines() == [
        'course/questions/alpha.yaml:15: alpha-two: YAML syntax error: the quote " opened here is '
        'never closed; add the closing "',
        '   15 |     prompt: {zh: 第二题, en: "Second}',
        "      |                              ^",
        "course/questions/alpha.yaml:20: alpha-three: difficulty must be from 1 to 5, got 9",
        "course/questions/beta.yaml:6: beta-one: YAML syntax error: this key is not followed by "
        "': '; write 'key: value', with a space after the colon",
        "    6 |     difficulty 1",
        "      |     ^",
        "course/questions/empty.yaml:1: -: file is empty (nothing but comments); a bank needs "
        "'bank:', 'title:' and 'questions:'",
        "course/questions/gamma.yaml:11: gamma-one: unknown key 'hnit' (did you mean 'hint'?)",
        "course/exercises/ex-one/exercise.yaml: ex-one: no reference solution "
        "course/solutions/ex-one.py",
        "course/exercises/ex-one/exercise.yaml:4: ex-one: YAML syntax error: the '[' on this line "
        "is never closed; add ']' at the end of this line",
        "    4 | tags: [yaml",
        "      |            ^",
        "course/exercises/ex-one: ex-one: starter.py is missing",
        "course/exercises/ex-one: ex-one: no public checks (test_public*.py)",
        "course/exercises/ex-one: ex-one: no hidden checks (hidden/test_*.py)",
    ]
    assert done.stderr.strip() == "10 problems in 3 banks (1 question), 1 exercise"


def test_questions_recovered_from_a_broken_file_are_checked_across_files(tmp_path: Path) -> None:
    """The valid question before a syntax error still takes part in the checks across files (a
    repeated id), and a broken file given first does not stop the one after it."""
    (tmp_path / "a.yaml").write_text(
        bank("a", question("shared-id", ": 1"), question("a-two", ": 1", "{zh: x, en: [y}")),
        encoding="utf-8",
    )
    (tmp_path / "b.yaml").write_text(bank("b", question("shared-id", ": 1")), "utf-8")
    done = run("validate", "a.yaml", "b.yaml", cwd=tmp_path, tmp_path=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        "a.yaml:15: a-two: YAML syntax error: the '[' at column 25 is closed with '}'; "
        "close it with ']' first",
        "   15 |     prompt: {zh: x, en: [y}",
        "      |                           ^",
        "b.yaml:4: shared-id: duplicate id 'shared-id' (first defined at a.yaml:4)",
    ]
