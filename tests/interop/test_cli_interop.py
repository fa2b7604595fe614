"""`grader import` and `grader export` as a user runs them: the installed command in a
subprocess, its exit status, stdout (the report) and stderr (the summary), never a traceback."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from cli_support import run_grader

DATA = Path(__file__).resolve().parent / "data"


def grader(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    proc = run_grader(*args, cwd=cwd, env={"GRADER_CACHE_DIR": str(cwd / "cache")}, timeout=120)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    return proc


def test_a_bilingual_file_imports_with_exit_0(tmp_path: Path) -> None:
    """Everything imported in both languages: exit 0, the summary on stderr, a valid bank."""
    proc = grader(
        "import", str(DATA / "moodle_all_types.xml"), "--out", "q/basics.yaml", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "imported 7 questions into q/basics.yaml" in proc.stderr
    check = grader("validate", "--no-typography", "q/basics.yaml", cwd=tmp_path)
    assert "translation" not in check.stdout


def test_skipped_questions_exit_1_with_the_report(tmp_path: Path) -> None:
    """Unsupported types are listed on stdout with their place and name; exit 1."""
    proc = grader("import", str(DATA / "moodle_unsupported.xml"), "--out", "m.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    assert "Skipped (no matching question type here):" in proc.stdout
    assert "moodle_unsupported.xml:10: question #2 'Area of a circle': calculated:" in proc.stdout
    assert "5 skipped" in proc.stderr


def test_missing_translations_exit_1_and_validate_lists_them(tmp_path: Path) -> None:
    """A file in one language: exit 1, and `grader validate` lists each missing translation."""
    proc = grader("import", str(DATA / "gift_zh.gift"), "--out", "zh.yaml", cwd=tmp_path)
    assert proc.returncode == 1
    assert "prompt: no English (en) text" in proc.stdout
    check = grader("validate", "zh.yaml", cwd=tmp_path)
    assert check.returncode == 1
    assert "missing English translation 'en' in prompt" in check.stdout


@pytest.mark.parametrize(
    ("fixture", "where"),
    [
        ("moodle_broken.xml", "moodle_broken.xml:12: not well-formed XML: mismatched tag"),
        (
            "gift_broken.gift",
            "gift_broken.gift:4: question #2: the '{' of the answers is never closed",
        ),
    ],
)
def test_a_broken_file_exits_2_with_file_and_line(tmp_path: Path, fixture: str, where: str) -> None:
    """A broken Moodle XML or GIFT file: exit 2, `error: path:line: ...`, nothing written."""
    proc = grader("import", str(DATA / fixture), "--out", "x.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and where in proc.stderr
    assert not (tmp_path / "x.yaml").exists()


def test_a_broken_file_leaves_the_bank_it_would_replace(tmp_path: Path) -> None:
    """Even with --force, a broken source changes nothing: the file is read before anything is
    written."""
    (tmp_path / "x.yaml").write_text("bank: x\n", encoding="utf-8")
    proc = grader(
        "import", str(DATA / "gift_broken.gift"), "--out", "x.yaml", "--force", cwd=tmp_path
    )
    assert proc.returncode == 2 and "gift_broken.gift:4:" in proc.stderr
    assert (tmp_path / "x.yaml").read_text(encoding="utf-8") == "bank: x\n"


def test_an_existing_bank_needs_force(tmp_path: Path) -> None:
    """Without --force an existing file is left alone (exit 2); with it, it is replaced."""
    (tmp_path / "basics.yaml").write_text("bank: basics\n", encoding="utf-8")
    proc = grader(
        "import", str(DATA / "moodle_all_types.xml"), "--out", "basics.yaml", cwd=tmp_path
    )
    assert proc.returncode == 2 and "give --force" in proc.stderr
    assert (tmp_path / "basics.yaml").read_text(encoding="utf-8") == "bank: basics\n"
    forced = grader(
        "import",
        str(DATA / "moodle_all_types.xml"),
        "--out",
        "basics.yaml",
        "--force",
        cwd=tmp_path,
    )
    assert forced.returncode == 0
    assert "tensor-basics-default-dtype" in (tmp_path / "basics.yaml").read_text(encoding="utf-8")


def test_the_json_report(tmp_path: Path) -> None:
    """--format json prints the report as data, exit code included."""
    proc = grader(
        "import",
        str(DATA / "moodle_unsupported.xml"),
        "--out",
        "m.yaml",
        "--format",
        "json",
        cwd=tmp_path,
    )
    data = json.loads(proc.stdout)
    assert data["exit_code"] == 1 and data["written"] == 1
    assert [s["what"].split(":")[0] for s in data["skipped"]] == [
        "description",
        "calculated",
        "cloze",
        "matching",
        "ddwtos",
    ]


def test_a_bad_lang_map_is_a_usage_error(tmp_path: Path) -> None:
    proc = grader(
        "import",
        str(DATA / "gift_zh.gift"),
        "--out",
        "x.yaml",
        "--lang-map",
        "zh_tw=fr",
        cwd=tmp_path,
    )
    assert (
        proc.returncode == 2 and "--lang-map: 'zh_tw=fr' is not CODE=zh or CODE=en" in proc.stderr
    )


def test_lang_map_keeps_another_language_code(tmp_path: Path) -> None:
    """{mlang other} (braces escaped, as GIFT needs) is left out by default and kept as English
    with --lang-map other=en."""
    source = tmp_path / "other.gift"
    source.write_text(
        "::t::[markdown]\\{mlang zh_cn\\}张量有形状。\\{mlang\\}\\{mlang other\\}Tensors have a "
        "shape.\\{mlang\\}{T}\n",
        encoding="utf-8",
    )
    left_out = grader("import", str(source), "--out", "a.yaml", cwd=tmp_path)
    assert left_out.returncode == 1 and "languages kept neither" in left_out.stdout
    kept = grader("import", str(source), "--out", "b.yaml", "--lang-map", "other=en", cwd=tmp_path)
    assert "prompt: no English" not in kept.stdout
    assert "en: Tensors have a shape." in (tmp_path / "b.yaml").read_text(encoding="utf-8")


def test_export_then_import_through_the_command_line(tmp_path: Path) -> None:
    """`grader export` of a course's bank (into a folder it creates), then `grader import` of
    the file: the same ids."""
    course = DATA / "course"
    proc = grader("export", "export", "--course", str(course), "--out", "lms/e.xml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "Grades rounded to Moodle's list:" in proc.stdout
    assert "exported 11 questions of 1 bank to lms/e.xml (moodle, both)" in proc.stderr
    back = grader("import", "lms/e.xml", "--out", "questions/export.yaml", cwd=tmp_path)
    assert back.returncode == 0, back.stdout
    written = (tmp_path / "questions" / "export.yaml").read_text(encoding="utf-8")
    assert "  - id: export-code-essay\n    type: code_output" in written


def test_export_refusals_exit_2(tmp_path: Path) -> None:
    """An unknown bank gets a did-you-mean; GIFT with both languages says why not."""
    course = str(DATA / "course")
    unknown = grader("export", "exprt", "--course", course, "--out", "x.xml", cwd=tmp_path)
    assert unknown.returncode == 2 and "no bank 'exprt'" in unknown.stderr
    assert "(did you mean 'export'?)" in unknown.stderr
    gift = grader("export", "--format", "gift", "--course", course, "--out", "x.gift", cwd=tmp_path)
    assert gift.returncode == 2 and "GIFT holds one language" in gift.stderr
    assert not (tmp_path / "x.xml").exists() and not (tmp_path / "x.gift").exists()


def test_a_bank_whose_claims_cannot_travel_validates(tmp_path: Path) -> None:
    """Moodle has no `verify` blocks: a bundled bank whose explanations claim errors comes back
    without them. The import lists the bank in the folder's verify_pending.txt (and says so), so
    `grader validate` of the written folder warns instead of failing."""
    proc = grader("export", "autograd", "--out", "lms/a.xml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    back = grader("import", "lms/a.xml", "--out", "questions/autograd.yaml", cwd=tmp_path)
    assert back.returncode == 0, back.stdout + back.stderr
    pending = tmp_path / "questions" / "verify_pending.txt"
    lines = pending.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("# ") and lines[-1] == "autograd"
    assert "without a 'verify' block (Moodle has none)" in " ".join(back.stdout.split())
    check = grader("validate", "questions", cwd=tmp_path)
    assert check.returncode == 0, check.stdout
    assert "has no 'verify' block" in check.stdout  # warnings, not problems
    again = grader(
        "import", "lms/a.xml", "--out", "questions/autograd.yaml", "--force", cwd=tmp_path
    )
    assert again.returncode == 0 and pending.read_text(encoding="utf-8").count("autograd\n") == 1
