"""The GitHub Actions template grades from the instructor's side, and its scripts run."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

from grader.course import resolve_course
from grader.exercises.loader import find_exercise
from grader.gradescope import missing_result

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "templates" / "github-actions" / "grade-class.yml"
MINI = ROOT / "tests" / "data" / "course-mini"


def _workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def _step(job: dict, name_part: str) -> dict:
    return next(s for s in job["steps"] if name_part in s.get("name", ""))


def _scripts(step: dict) -> list[str]:
    """The Python programs a step runs through `python3 - <<'EOF' ... EOF`."""
    found = re.findall(r"python3 - <<'EOF'[^\n]*\n(.*?)\nEOF", step["run"], flags=re.S)
    return [textwrap.dedent(s) for s in found]


def _run_script(code: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=cwd,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_grades_from_a_private_repository_with_the_sandbox_required():
    """Student code is checked out beside (not into) the grading repository with a read-only
    token that is not persisted; grading uses the private course with --require-sandbox."""
    wf = _workflow()
    assert wf["permissions"] == {"contents": "read"}
    assert "workflow_dispatch" in wf[True]  # YAML 1.1 reads the key `on` as True
    grade = wf["jobs"]["grade"]
    checkout = _step(grade, "Check out ${{ matrix.student.repo }}")["with"]
    assert checkout["token"] == "${{ secrets.STUDENT_REPOS_TOKEN }}"
    assert checkout["persist-credentials"] is False and checkout["path"] == "submission"
    assert _step(grade, "grading repository")["with"]["path"] == "grading"
    run = _step(grade, "Grade with the hidden checks")["run"]
    assert run.count("grader grade") == 2
    assert "--format junit" in run and "--format json" in run
    assert run.count("--require-sandbox") == 2 and run.count("--course grading/course") == 2
    assert "STUDENT_REPOS_TOKEN" not in run
    assert "GITHUB_STEP_SUMMARY" in _step(grade, "Job summary")["run"]
    uploads = [s for s in grade["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert uploads and uploads[0]["with"]["path"] == "results/"


def test_embedded_scripts_work(tmp_path):
    """The roster reader, the job summary and the gradebook merge run on real data."""
    wf = _workflow()
    (tmp_path / "students.csv").write_text(
        "\ufeffstudent,repository,ref\nalice,org/hw-alice,main\n张三,org/hw-zhangsan,\n",
        encoding="utf-8",
    )
    out = tmp_path / "gh_output"
    (roster,) = _scripts(_step(wf["jobs"]["roster"], "Read students.csv"))
    proc = _run_script(roster, tmp_path, {"GITHUB_OUTPUT": str(out)})
    assert proc.returncode == 0, proc.stderr
    students = json.loads(out.read_text(encoding="utf-8").split("=", 1)[1])
    assert [s["name"] for s in students] == ["alice", "张三"] and students[1]["ref"] == ""

    exercise = find_exercise("add-one", resolve_course(MINI).exercises)
    results = tmp_path / "results"
    results.mkdir()
    doc = missing_result(exercise, ["addone.py"]).to_dict("en")
    (results / "alice.json").write_text(json.dumps(doc), encoding="utf-8")
    (results / "张三.missing.json").write_text(
        json.dumps({"student": "张三", "exercise": "add-one", "status": "missing"}),
        encoding="utf-8",
    )
    summary = tmp_path / "summary.md"
    (job_summary,) = _scripts(_step(wf["jobs"]["grade"], "Job summary"))
    proc = _run_script(job_summary, tmp_path, {"STUDENT": "alice", "EXERCISE": "add-one"})
    assert proc.returncode == 0, proc.stderr
    assert "**0 / 4**" in proc.stdout and "| `submission` | 0/4 | error |" in proc.stdout

    (merge,) = _scripts(_step(wf["jobs"]["gradebook"], "Merge"))
    proc = _run_script(merge, tmp_path, {"GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 0, proc.stderr
    raw = (tmp_path / "gradebook.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows == [
        ["student", "exercise", "score", "max_score", "status"],
        ["alice", "add-one", "0", "4", "graded"],
        ["张三", "add-one", "0", "", "missing"],
    ]
    assert "| 张三 | 0 | missing |" in summary.read_text(encoding="utf-8")
