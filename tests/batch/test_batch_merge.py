"""`grader merge`: the shards of a CI run become one gradebook, by batch's own rules."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from batch_helpers import GRADER, read_gradebook
from junitparser import JUnitXml

from grader.batch.gradebook import Row, write_gradebook, write_result


def _shard(folder: Path, rows: list[Row]) -> Path:
    for row in rows:
        write_result(folder, row)
    write_gradebook(folder, rows)
    return folder


def _doc(score: float) -> dict:
    status = "passed" if score else "failed"
    test = {"name": "test_value", "score": score, "max_score": 4.0, "status": status}
    test |= {"reason": status, "messages": {"en": "", "zh": ""}, "output": "", "duration": 0.1}
    return {"graded": True, "score": score, "max_score": 4.0, "tests": [test]}


def _merge(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GRADER, "merge", *args], capture_output=True, text=True, timeout=60)


def test_shards_merge_into_one_gradebook_with_roster_gaps_as_grader_errors(tmp_path):
    a = _shard(tmp_path / "a", [Row("ann", "add-one", 4.0, 4.0, "full", _doc(4.0))])
    b = _shard(
        tmp_path / "b",
        [
            Row("ben", "add-one", 0.0, 4.0, "failed", _doc(0.0)),
            Row("cid", "add-one", 0.0, 4.0, "missing", None),
        ],
    )
    roster = tmp_path / "students.csv"
    roster.write_text("student,repository\nann,o/a\nben,o/b\ncid,o/c\ndee,o/d\n", "utf-8")
    out = tmp_path / "merged"
    proc = _merge(
        str(a), str(b), "--out", str(out), "--roster", str(roster), "--exercise", "add-one"
    )
    assert proc.returncode == 4, proc.stderr  # dee's shard never reported: not graded
    rows = {r["student"]: (r["score"], r["status"]) for r in read_gradebook(out)}
    assert rows == {
        "ann": ("4", "full"),
        "ben": ("0", "failed"),
        "cid": ("0", "missing"),
        "dee": ("", "grader-error"),
    }
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["exercises"]["add-one"]["mean"] == round(4 / 3, 4)  # missing is 0; dee out
    assert json.loads((out / "ann" / "add-one.json").read_text())["score"] == 4.0
    suites = {s.name for s in JUnitXml.fromfile(str(out / "junit.xml"))}
    assert suites == {"ann/add-one", "ben/add-one", "cid/add-one", "dee/add-one"}


def test_a_student_in_two_shards_is_an_error(tmp_path):
    a = _shard(tmp_path / "a", [Row("ann", "add-one", 4.0, 4.0, "full", _doc(4.0))])
    b = _shard(tmp_path / "b", [Row("ann", "add-one", 0.0, 4.0, "failed", _doc(0.0))])
    proc = _merge(str(a), str(b), "--out", str(tmp_path / "m"))
    assert proc.returncode == 2
    assert "ann / add-one is in both" in proc.stderr
    assert not (tmp_path / "m").exists()


def test_a_folder_that_is_not_a_batch_output_is_named(tmp_path):
    (tmp_path / "x").mkdir()
    proc = _merge(str(tmp_path / "x"), "--out", str(tmp_path / "m"))
    assert proc.returncode == 2 and "no gradebook.csv" in proc.stderr
    bad = tmp_path / "y"
    bad.mkdir()
    (bad / "gradebook.csv").write_text(
        "\ufeffstudent,exercise,score,max_score,status\r\nann,add-one,4,4,great\r\n",
        encoding="utf-8",
    )
    proc = _merge(str(bad), "--out", str(tmp_path / "m"))
    assert proc.returncode == 2 and "gradebook.csv:2: unknown status 'great'" in proc.stderr
