"""`grader validate`'s text lints as a user meets them: the installed command in a subprocess, on
real bank files (tests/data/banks/lint) and on the bundled course."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from cli_support import run_grader

DATA = Path(__file__).resolve().parents[1] / "data" / "banks"
REPO = Path(__file__).resolve().parents[2]


def _run(*args: str, cwd: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run_grader(*args, cwd=cwd, env={"GRADER_CACHE_DIR": str(tmp_path / "cache")})


def test_typography_problems_fail_with_line_id_and_fix(tmp_path: Path) -> None:
    """Typography mistakes fail the run, one per line as path:line: id: field (lang): message,
    the `>-` fold explained with the fix."""
    done = _run("validate", "lint/typography.yaml", cwd=DATA, tmp_path=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 11
    assert lines[0] == (
        "lint/typography.yaml:4: -: description (zh): space beside full-width '、' in "
        "'张量、 梯度与训练。'; delete the space (Chinese puts no space beside full-width "
        "punctuation)"
    )
    assert lines[2] == (
        "lint/typography.yaml:29: typo-folded: explanation (zh): space beside full-width '，' in "
        "'…建的是推理张量， 省去了版本计数；…'; this space comes from `>-` folding the line "
        "break; use `|` (one line per paragraph) or keep the sentence on one line"
    )
    assert lines[-1].startswith("lint/typography.yaml:102: typo-mixed: prompt (zh): half-width")
    assert done.stderr.strip() == "11 problems in 1 bank (6 questions), 0 exercises"


def test_no_typography_turns_the_typography_lint_off(tmp_path: Path) -> None:
    """--no-typography: the same file is clean; seed citations are still reported."""
    done = _run("validate", "--no-typography", "lint/typography.yaml", cwd=DATA, tmp_path=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")
    cited = _run("validate", "--no-typography", "lint/citations.yaml", cwd=DATA, tmp_path=tmp_path)
    assert cited.returncode == 1
    assert len(cited.stdout.splitlines()) == 8


def test_seed_citations_fail_and_pytorch_seeds_pass(tmp_path: Path) -> None:
    """Citations of the seed notes fail the run at their lines; the question written with
    random seeds, manual_seed and worker seeding is not reported."""
    done = _run("validate", "lint/citations.yaml", cwd=DATA, tmp_path=tmp_path)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert lines[0] == (
        "lint/citations.yaml:10: cite-en-forms: prompt (en): 'the seed says' cites the seed "
        "notes, which learners never see; state the fact, or attribute a claim as 'a common "
        "tutorial says ...'"
    )
    assert lines[5].startswith("lint/citations.yaml:21: cite-zh-forms: prompt (zh): '种子文档'")
    assert not any("cite-pytorch-vocabulary" in line for line in lines)


def test_clean_bank_with_every_exclusion_passes(tmp_path: Path) -> None:
    """Code spans, code blocks, URLs, list markers, tables, tuples and seed vocabulary: clean."""
    done = _run("validate", "lint/clean.yaml", cwd=DATA, tmp_path=tmp_path)
    assert (done.returncode, done.stdout) == (0, ""), done.stdout
    assert done.stderr.strip() == "ok: 1 bank (1 question), 0 exercises"


def test_a_lint_problem_does_not_hide_the_question(tmp_path: Path) -> None:
    """Questions with only lint problems are still served: `grader list` counts all 6."""
    course = tmp_path / "course"
    (course / "questions").mkdir(parents=True)
    shutil.copy(DATA / "lint" / "typography.yaml", course / "questions" / "typography.yaml")
    done = _run(
        "list", "--format", "json", "--course", str(course), cwd=tmp_path, tmp_path=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["total"] == 6


def test_bundled_course_passes_the_lints(tmp_path: Path) -> None:
    """The bundled banks have no typography mistake and cite no seed."""
    done = _run("validate", "questions", cwd=REPO, tmp_path=tmp_path)
    assert done.returncode == 0, done.stdout


def test_help_documents_the_lints(tmp_path: Path) -> None:
    """--help names the lints and --no-typography."""
    done = _run("validate", "--help", cwd=DATA, tmp_path=tmp_path)
    assert done.returncode == 0
    assert "--no-typography" in done.stdout and "种子文档" in done.stdout


def test_seed_material_is_a_citation_and_pytorch_seeding_is_not(tmp_path: Path) -> None:
    """'The seed material', '种子材料', 'per the seed' and seed notes fail at their lines; the
    question made of random seeds, `manual_seed`, seeding workers, 随机种子, 设置种子 and
    `torch.initial_seed()` is not reported."""
    done = _run("validate", "lint/citations-material.yaml", cwd=DATA, tmp_path=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    cited = [
        (line.split(": ")[0], line.split(": ")[2].split(" (")[0], line.split("'")[1])
        for line in done.stdout.splitlines()
    ]
    assert cited == [
        ("lint/citations-material.yaml:9", "prompt", "种子材料"),
        ("lint/citations-material.yaml:10", "prompt", "seed material"),
        ("lint/citations-material.yaml:13", "explanation", "种子笔记"),
        ("lint/citations-material.yaml:14", "explanation", "the seed notes"),
        ("lint/citations-material.yaml:14", "explanation", "per the seed"),
    ]
    assert "material-pytorch-vocabulary" not in done.stdout
    assert done.stderr.strip() == "5 problems in 1 bank (2 questions), 0 exercises"
