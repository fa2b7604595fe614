"""``grader exam build|take|grade``: a class exam, from the spec to the gradebook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from grader.cli.options import course_option, data_dir_option
from grader.errors import UsageError
from grader.i18n import Text, say

__all__ = ["exam"]


@click.group("exam", context_settings={"help_option_names": ["-h", "--help"]})
def exam() -> None:
    """A class exam: build per-student files without answers, sit it in the app, grade it.

    \b
    grader exam build SPEC.yaml --students roster.csv --out exam/
    grader exam take exam/alice.exam          (the student)
    grader exam grade exam/key.json answers/ --out results/ [--manual sheet.csv]

    Keep key.json to yourself: it holds the answers and every student's orders.
    """


@exam.command("build")
@click.argument("spec", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for the student files and key.json: new or empty (a build that fails "
    "leaves nothing in it).",
)
@click.option(
    "--students",
    "roster",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Roster CSV with a 'student' (or 'id') column and an optional "
    "'name': one exam file per student (default: one shared class.exam).",
)
@click.option(
    "--allow-public-bank",
    is_flag=True,
    help="Build from the bundled course anyway (its answers are public).",
)
@course_option
def build_cmd(
    spec: Path, out: Path, roster: Path | None, allow_public_bank: bool, course: Path | None
) -> None:
    """Draw the exam of SPEC and write one exam file per student and the instructor key.

    A parametrised question (questions/generated/) gets its own numbers for every student on
    the roster; its instances are computed now, by running their code against the installed
    torch, and their answers go into the key only. Without --students there is one shared
    class.exam: everyone gets the same numbers.

    Leave `seed` out of SPEC: a 32-hex secret is then drawn and kept in the key (copy it into
    SPEC to rebuild the same exam). A seed that looks guessable (under about 64 bits: short, or
    only words and digits) gets a warning: with the public templates a student could try
    guesses offline. So does a drawn question that ships publicly with torch-grader (the same
    id or content as a bundled one): students may know its answer.
    """
    from grader.course import resolve_course
    from grader.exam.build import build_exam, read_generated, read_roster
    from grader.exam.public import public_matches
    from grader.exam.spec import WEAK_SEED_BITS, load_spec, seed_bits
    from grader.study.content import load_catalog

    parsed = load_spec(spec)
    active = resolve_course(course)
    if active.bundled and not allow_public_bank:
        raise UsageError(say(_BUNDLED_REFUSED))
    if parsed.seed is not None and (bits := seed_bits(parsed.seed)) < WEAK_SEED_BITS:
        click.echo(say(_WEAK_SEED, where=f"{spec}:{parsed.seed_line}", bits=bits), err=True)
    catalog = load_catalog(active)
    rows = read_roster(roster) if roster is not None else None
    generated, problems = read_generated(active.questions)
    if problems:
        click.echo(
            say(
                _LEFT_OUT,
                n=len(problems),
                folder=active.questions / "generated",
                first=problems[0],
            ),
            err=True,
        )
    result = build_exam(parsed, catalog, out, rows, generated=generated)
    if not active.bundled:
        matches = public_matches(result.drawn)
        if matches:
            click.echo(say(_PUBLIC, n=len(matches)), err=True)
            for match in matches:
                text = _SAME_ID if match.same_id else _SAME_CONTENT
                click.echo(say(text, id=match.question, public=match.public), err=True)
    click.echo(say(_WROTE, n=len(result.student_files), items=result.item_count, out=out))
    click.echo(say(_KEY, key=result.key_path))


_BUNDLED_REFUSED = Text(
    zh="拒绝用内置课程生成课堂考试：任何人都能 pip 安装它（连同答案），学生可以查到每道题的答案。"
    "请用自己的课程（--course DIR 或 GRADER_COURSE），或为练习加上 --allow-public-bank。",
    en="refusing to build a class exam from the bundled course: anyone can pip-install it, "
    "answers included, so students could look every answer up. Use your own course "
    "(--course DIR or GRADER_COURSE), or pass --allow-public-bank for a practice run.",
)
_WEAK_SEED = Text(
    zh="警告：{where}：seed 看起来容易被猜中（估计约 {bits:.0f} 位，少于 64 位）：参数化题目的模板是公开的，"
    "学生可以离线逐个尝试。建议删去 seed（届时会生成一个 32 个十六进制字符的密钥，保存在 key.json 中）。",
    en="warning: {where}: the seed looks guessable (about {bits:.0f} bits, under 64): with the "
    "public templates a student could try guesses offline. Leave `seed` out (a 32-hex secret "
    "is drawn and kept in key.json).",
)
_LEFT_OUT = Text(
    zh="注意：{folder} 中有 {n} 处错误，部分参数化题目因此未被抽取（第一处：{first}）；请运行 `grader validate`",
    en="note: {n} problem(s) in {folder} left some parametrised questions out (first: "
    "{first}); run `grader validate`",
)
_PUBLIC = Text(
    zh="警告：抽到的 {n} 道题随 torch-grader 公开发布（与内置题目相同），学生可能知道答案"
    "（grader show 会显示答案和解析）：",
    en="warning: {n} drawn question(s) ship publicly with torch-grader (they match a bundled "
    "question), so students may know the answer (grader show prints it, and the "
    "explanation):",
)
_SAME_ID = Text(zh="  {id}：与内置题目 id 相同", en="  {id}: the same id as a bundled question")
_SAME_CONTENT = Text(
    zh="  {id}：与内置题目 {public} 内容相同", en="  {id}: the same content as bundled {public}"
)
_WROTE = Text(
    zh="已将 {n} 份考试文件（每份 {items} 道题）写入 {out}/",
    en="wrote {n} exam file(s) of {items} question(s) to {out}/",
)
_KEY = Text(
    zh="教师答案文件：{key}（请勿外传：其中有答案）",
    en="instructor key: {key} (keep it private: it holds the answers)",
)


@exam.command("take")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language.")
@data_dir_option
def take_cmd(file: Path, lang: str | None, data_dir: str | None) -> None:
    """Sit the exam of FILE in the app; submitting writes <student>.answers.json beside it."""
    import sys

    from grader.exam.student_file import read_exam_file

    read_exam_file(file)  # a damaged file is named first, with or without a terminal
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError("grader exam take needs a terminal (stdin and stdout must be a TTY)")
    run_exam_file(file, lang=lang, data_dir=data_dir)


def run_exam_file(file: Path, *, lang: str | None = None, data_dir: Any = None) -> None:
    """Open the app on a class exam file (the API behind ``grader exam take``)."""
    from grader.exam.sitting import open_class_exam
    from grader.exam.student_file import read_exam_file
    from grader.i18n import default_lang
    from grader.tui.app import QuizApp, StartOptions

    exam_file = read_exam_file(file)
    study = open_class_exam(exam_file, data_dir)
    done = study.handed_in_file()
    if done is not None:
        study.close()
        raise UsageError(f"this exam was already handed in: {done} (hand in that file)")
    try:
        QuizApp(study, lang=lang or default_lang(), start=StartOptions(mode="exam")).run()
    finally:
        study.close()


@exam.command("grade")
@click.argument("key", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("answers", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder for gradebook.csv, students/, summary.json and the analysis.",
)
@click.option(
    "--manual",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The filled manual-grading sheet (manual.csv of an earlier run, "
    "with a credit from 0 to 1 per short answer).",
)
def grade_cmd(key: Path, answers: Path, out: Path, manual: Path | None) -> None:
    """Grade the answers files in ANSWERS with KEY; write the results and item analysis."""
    from grader.exam.grade import grade_exam

    result = grade_exam(key, answers, out, manual)
    graded = sum(r["status"] != "missing" for r in result.rows)
    click.echo(say(_GRADED, graded=graded, n=len(result.rows), out=out))
    for row in result.rows:
        if row["status"] == "missing":
            click.echo(say(_MISSING, student=row["student"], note=row["note"]))
    for rej in result.rejected:
        click.echo(say(_REJECTED, file=rej["file"], reason=rej["reason"]))
    for dup in result.duplicates:
        click.echo(
            say(
                _DUPLICATE,
                student=dup["student"],
                kept=dup["kept"],
                ignored=", ".join(dup["ignored"]),
            )
        )
    if result.pending_manual:
        click.echo(say(_PENDING, n=result.pending_manual, sheet=out / "manual.csv"))


_GRADED = Text(
    zh="已评分 {graded}/{n} 名学生，结果写入 {out}/",
    en="graded {graded} of {n} student(s) into {out}/",
)
_MISSING = Text(zh="缺交：{student}（{note}）", en="missing: {student} ({note})")
_REJECTED = Text(zh="拒收：{file}：{reason}", en="rejected: {file}: {reason}")
_DUPLICATE = Text(
    zh="重复提交：{student}：保留 {kept}，忽略 {ignored}",
    en="duplicate: {student}: kept {kept}, ignored {ignored}",
)
_PENDING = Text(
    zh="{n} 道简答题等待人工评分：请填写 {sheet} 的 credit 一列，再加上 --manual 重新运行",
    en="{n} short answer(s) await manual grading: fill the credit column of {sheet} and rerun "
    "with --manual",
)
