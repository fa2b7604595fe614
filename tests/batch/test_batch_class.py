"""`grader batch` over a class folder, as an instructor runs it: rows, statuses, JSON, warnings."""

from __future__ import annotations

import json
from pathlib import Path

from batch_helpers import read_gradebook, validate


def test_class_folder_of_files_and_folders(tmp_path, class_dir, grader_batch):
    """Files and folders mix; Chinese names survive into a spreadsheet-ready CSV; a hanging, a
    crashing, a memory-eating and a sandbox-attacking submission each get their row."""
    root = class_dir(
        {
            "alice.py": "correct",
            "bob/add-one.py": "wrong_value",
            "张三.py": "correct",
            "李雷/add-one.py": "crash",
            "carol.py": "hangs_on_five",
            "dave.py": "policy_import",
            "erin.py": "eats_memory",
            "frank.py": "syntax_error",
            "gina/": None,
            ".secret.py": "correct",
            "__MACOSX/._alice.py": "correct",
            "-rf.py": "correct",
        }
    )
    (root / "notes.txt").write_text("not a submission")
    out = tmp_path / "out"
    proc = grader_batch("add-one", str(root), "--out", str(out), "--workers", "2")
    assert proc.returncode == 0, proc.stderr

    rows = read_gradebook(out)
    got = [(r["student"], r["exercise"], r["score"], r["max_score"], r["status"]) for r in rows]
    assert got == [
        ("alice", "add-one", "4", "4", "full"),
        ("bob", "add-one", "1", "4", "partial"),
        ("carol", "add-one", "3", "4", "timeout"),
        ("dave", "add-one", "0", "4", "policy"),
        ("erin", "add-one", "0", "4", "error"),
        ("frank", "add-one", "0", "4", "error"),
        ("gina", "add-one", "0", "4", "missing"),
        ("张三", "add-one", "4", "4", "full"),
        ("李雷", "add-one", "0", "4", "error"),
    ]
    assert (out / "gradebook.csv").read_bytes().count(b"\r\n") == len(rows) + 1

    for student, _, score, _, status in got:
        path = out / student / "add-one.json"
        if status == "missing":
            assert not path.exists()
            continue
        doc = json.loads(path.read_text(encoding="utf-8"))
        validate(doc)
        assert doc["score"] == float(score) and doc["max_score"] == 4
    crash = json.loads((out / "李雷" / "add-one.json").read_text(encoding="utf-8"))
    assert {t["reason"] for t in crash["tests"]} == {"error"}

    for name, why in [
        (".secret.py", "hidden"),
        ("__MACOSX", "system folder"),
        ("-rf.py", "starts with -"),
        ("notes.txt", "not a .py file"),
    ]:
        line = next((ln for ln in proc.stderr.splitlines() if repr(name) in ln), "")
        assert line.startswith("warning: skipped") and why in line, (name, proc.stderr)

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    ex = summary["exercises"]["add-one"]
    assert summary["students"] == 9
    assert ex["graded"] == 8 and ex["statuses"]["missing"] == 1
    # The one rule (grader/batch/status.py): the missing file counts as 0 in the mean.
    assert ex["in_means"] == 9
    assert ex["mean"] == round((4 + 1 + 3 + 0 + 0 + 0 + 4 + 0 + 0) / 9, 4)
    assert ex["median"] == 0
    assert sum(ex["distribution"].values()) == 9 and ex["distribution"]["90-100%"] == 2
    assert ex["most_failed_checks"][0] == {"check": "test_sizes[5]", "failed": 6, "of": 8}
    md = (out / "summary.md").read_text(encoding="utf-8")
    assert "## add-one" in md and "`test_sizes[5]`: 6 of 8" in md


def test_file_and_folder_for_one_student_is_an_error_before_grading(
    tmp_path, class_dir, grader_batch
):
    """alice.py beside alice/ is ambiguous: exit 2 naming both, and nothing is written."""
    root = class_dir({"alice.py": "correct", "alice/add-one.py": "correct", "bob.py": "correct"})
    out = tmp_path / "out"
    proc = grader_batch("add-one", str(root), "--out", str(out))
    assert proc.returncode == 2
    assert "alice.py and alice/" in proc.stderr
    assert not out.exists()


def test_names_differing_only_in_case_clash(tmp_path, class_dir, grader_batch):
    """Alice.py and alice.py would share one output folder on macOS or Windows: exit 2."""
    root = class_dir({"Alice.py": "correct", "alice.py": "wrong_value"})
    proc = grader_batch("add-one", str(root), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "Alice.py and alice.py" in proc.stderr


def test_out_inside_the_class_folder_is_refused(class_dir, grader_batch):
    """OUT inside DIR would be read as a student on the next run: exit 2."""
    root = class_dir({"alice.py": "correct"})
    proc = grader_batch("add-one", str(root), "--out", str(root / "results"))
    assert proc.returncode == 2 and "inside the submissions folder" in proc.stderr


def test_all_exercises_with_a_missing_file(tmp_path, class_dir, grader_batch, monkeypatch):
    """`all` grades every exercise of the course; a file a student lacks is a `missing` row; a
    CUDA exercise without a GPU (hidden here, whatever this machine has) is `skipped` with no
    score (exit 3), never a 0."""
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    root = class_dir(
        {
            "alice/add-one.py": "correct",
            "alice/needs-gpu.py": "correct",
            "bob/add-one.py": "wrong_value",
            "bob/add_one.py": "correct",
            "carol.py": "correct",
        }
    )
    out = tmp_path / "out"
    proc = grader_batch("all", str(root), "--out", str(out))
    rows = {(r["student"], r["exercise"]): r for r in read_gradebook(out)}
    assert list(rows) == [
        ("alice", "add-one"),
        ("alice", "needs-gpu"),
        ("bob", "add-one"),
        ("bob", "needs-gpu"),
    ]
    assert rows[("alice", "add-one")]["status"] == "full"
    assert rows[("bob", "add-one")]["status"] == "partial"
    assert (rows[("bob", "needs-gpu")]["score"], rows[("bob", "needs-gpu")]["status"]) == (
        "0",
        "missing",
    )
    gpu = rows[("alice", "needs-gpu")]
    doc = json.loads((out / "alice" / "needs-gpu.json").read_text(encoding="utf-8"))
    validate(doc)
    assert doc["tests"][0]["reason"] == "skipped"
    assert (gpu["score"], gpu["status"]) == ("", "skipped")
    assert proc.returncode == 3, proc.stderr
    assert "'carol.py'" in proc.stderr and "not for `all`" in proc.stderr
    assert "bob/: add_one.py match no exercise id" in proc.stderr


def test_unknown_exercise_is_a_usage_error(tmp_path, class_dir, grader_batch):
    """A typo in the exercise id exits 2 with a suggestion, before anything is written."""
    root = class_dir({"alice.py": "correct"})
    proc = grader_batch("add-onee", str(root), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2 and "Did you mean 'add-one'" in proc.stderr
    assert not Path(tmp_path / "out").exists()
