"""``grader exam grade``: the gradebook, per-student reports, summary, manual sheet and the
checks on what students hand in; ``grader analyze`` over progress exports."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

from cli_support import run_grader
from exam_support import COURSE, answer_all, build, load


def _right(key: dict[str, Any], student: str) -> dict[str, Any]:
    """Per type, a function giving a right response to an item of ``student``'s file."""
    orders = {i["item"]: i["order"] for i in key["students"][student]["items"]}

    def response(item: dict[str, Any]) -> Any:
        q = key["questions"][item["item"]]["question"]
        order = orders[item["item"]]
        kind = q["type"]
        if kind == "single":
            return order.index(q["answer"])
        if kind == "multiple":
            return sorted(order.index(a) for a in q["answer"])
        if kind == "order":
            return [order.index(k) for k in range(len(order))]
        if kind == "code_output":
            return q["answer"]
        if kind == "fill":
            return q["answer"][0]
        if kind == "numeric":
            return "12"
        if kind == "true_false":
            return q["answer"]
        return "because backward adds into .grad"

    return {
        t: response
        for t in (
            "single",
            "multiple",
            "order",
            "code_output",
            "fill",
            "numeric",
            "true_false",
            "short",
        )
    }


def _rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "gradebook.csv is UTF-8 with a BOM"
    return list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))


def test_grade_class(tmp_path: Path) -> None:
    out = build(tmp_path, ["alice", "bob", "carol", "dave"])
    key = load(out / "key.json")
    answers = tmp_path / "answers"
    answers.mkdir()
    # alice: all right; bob: nothing answered; carol: no file; dave: two submissions.
    shutil.copy(answer_all(out / "alice.exam", tmp_path / "d-a", _right(key, "alice")), answers)
    shutil.copy(answer_all(out / "bob.exam", tmp_path / "d-b", {}), answers)
    first = answer_all(out / "dave.exam", tmp_path / "d-d1", {})
    data = load(first)
    data["submitted_at"] = "2000-01-01T00:00:00+00:00"
    (answers / "dave-early.answers.json").write_text(json.dumps(data))
    shutil.copy(answer_all(out / "dave.exam", tmp_path / "d-d2", _right(key, "dave")), answers)
    # Rejected: another exam's file, a stranger, and a damaged file named for carol.
    other = load(answers / "bob.answers.json")
    other["exam_id"] = "another-exam"
    (answers / "x-other.answers.json").write_text(json.dumps(other))
    stranger = dict(load(answers / "bob.answers.json"), student="mallory")
    (answers / "mallory.answers.json").write_text(json.dumps(stranger))
    (answers / "carol.answers.json").write_text("{not json")
    results = tmp_path / "results"
    done = run_grader(
        "exam", "grade", str(out / "key.json"), str(answers), "--out", str(results), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    rows = {r["student"]: r for r in _rows(results / "gradebook.csv")}
    assert rows["alice"]["status"] == "pending" and rows["alice"]["points"] == "7.0"
    assert rows["bob"]["points"] == "0.0"
    assert rows["carol"]["status"] == "missing" and "unreadable" in rows["carol"]["note"]
    assert rows["dave"]["points"] == "7.0"  # the later submission was kept
    summary = load(results / "summary.json")
    assert summary["missing"] == ["carol"]
    assert summary["duplicates"] == [
        {"student": "dave", "kept": "dave.answers.json", "ignored": ["dave-early.answers.json"]}
    ]
    reasons = {r["file"]: r["reason"] for r in summary["rejected"]}
    assert "another exam" in reasons["x-other.answers.json"]
    assert "not on this exam's roster" in reasons["mallory.answers.json"]
    assert "unreadable" in reasons["carol.answers.json"]
    assert "duplicate: dave" in done.stdout and "missing: carol" in done.stdout
    report = (results / "students" / "alice.md").read_text(encoding="utf-8")
    assert "Right answer" in report and "正确答案" in report
    assert "A view reads the same data under another shape." in report
    # A code_output item shows the code it asked about (the prompt alone is "What does this
    # code print?").
    assert "```python\nimport torch\nprint(torch.zeros(2, 3).T.shape)\n```" in report
    (coded,) = [i for i in load(results / "students" / "alice.json")["items"] if "code" in i]
    assert coded["type"] == "code_output" and "torch.zeros(2, 3).T" in coded["code"]
    for name in ("analysis.md", "analysis.csv", "analysis.html"):
        assert (results / name).is_file()
    # The short answers go to the instructor, and come back with --manual.
    sheet = list(csv.DictReader((results / "manual.csv").read_text("utf-8-sig").splitlines()))
    assert {r["student"] for r in sheet} == {"alice", "bob", "dave"}
    for row in sheet:
        row["credit"] = "1" if row["student"] == "alice" else "0.5"
    filled = tmp_path / "filled.csv"
    with filled.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(sheet[0]))
        writer.writeheader()
        writer.writerows(sheet)
    done = run_grader(
        "exam",
        "grade",
        str(out / "key.json"),
        str(answers),
        "--out",
        str(results),
        "--manual",
        str(filled),
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    rows = {r["student"]: r for r in _rows(results / "gradebook.csv")}
    assert rows["alice"]["status"] == "graded" and rows["alice"]["points"] == "8.0"
    assert rows["bob"]["points"] == "0.5"
    bad = tmp_path / "bad.csv"
    bad.write_text("student,item,question,response,credit\nalice,Q01,x,y,7\n")
    done = run_grader(
        "exam",
        "grade",
        str(out / "key.json"),
        str(answers),
        "--out",
        str(results),
        "--manual",
        str(bad),
        cwd=tmp_path,
    )
    assert done.returncode == 2 and f"{bad}:2:" in done.stderr


def test_analyze_progress_exports(tmp_path: Path) -> None:
    """`grader analyze` reads `grader progress export` files, one learner each."""
    exports = []
    for n, scores in enumerate([(1, 1), (1, 0), (0, 0)]):
        answers = [
            {
                "uid": f"u{n}{k}",
                "question_id": qid,
                "score": float(s),
                "response": 0,
                "answered_at": f"2026-01-0{k + 1}T00:00:00+00:00",
                "attempt": 1,
            }
            for k, (qid, s) in enumerate(
                zip(["eb-view-shares", "eb-true-false"], scores, strict=True)
            )
        ]
        path = tmp_path / f"learner{n}.json"
        path.write_text(json.dumps({"format": "torch-grader-progress", "answers": answers}))
        exports.append(str(path))
    done = run_grader("analyze", *exports, "--course", str(COURSE), "--out", "a", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "analysed 3 learner(s), 2 question(s)" in done.stdout
    zh = run_grader(
        "--lang", "zh", "analyze", *exports, "--course", str(COURSE), "--out", "a", cwd=tmp_path
    )
    assert zh.returncode == 0 and "已分析 3 名学习者、2 道题" in zh.stdout, zh.stdout
    table = (tmp_path / "a" / "analysis.md").read_text(encoding="utf-8")
    assert "| eb-view-shares | " in table and "0.67" in table
    (tmp_path / "bad.json").write_text("[]")
    done = run_grader("analyze", "bad.json", "--course", str(COURSE), "--out", "a", cwd=tmp_path)
    assert done.returncode == 2 and "grader progress export" in done.stderr


def test_different_questions_per_student_report_each_items_n(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "exam: mixed\nseed: another-long-secret-for-mixing\nsame_questions: false\n"
        "draw:\n  - bank: exam-basics\n    count: 3\n"
    )
    students = [f"s{n}" for n in range(5)]
    out = build(tmp_path, students, spec=spec)
    key = load(out / "key.json")
    seen = {s: {i["item"] for i in key["students"][s]["items"]} for s in students}
    assert len({frozenset(v) for v in seen.values()}) > 1
    answers = tmp_path / "answers"
    answers.mkdir()
    for n, student in enumerate(students):
        shutil.copy(answer_all(out / f"{student}.exam", tmp_path / f"d{n}", {}), answers)
    results = tmp_path / "results"
    done = run_grader(
        "exam", "grade", str(out / "key.json"), str(answers), "--out", str(results), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    table = list(csv.DictReader((results / "analysis.csv").read_text("utf-8-sig").splitlines()))
    counts = {r["item"]: int(r["n"]) for r in table}
    short = {k for k, e in key["questions"].items() if e["question"]["type"] == "short"}
    expected = {
        label: sum(label in seen[s] for s in students)
        for label in key["questions"]
        if label not in short
    }
    assert counts == {k: v for k, v in expected.items() if v}
    assert any(v < len(students) for v in counts.values())


def test_grade_messages_follow_grader_lang(tmp_path: Path) -> None:
    """Under `grader --lang zh` the summary, the missing, rejected and duplicate lines, the
    manual-grading note and an error of `exam grade` are in Chinese."""
    out = build(tmp_path, ["alice", "bob", "carol"])
    answers = tmp_path / "answers"
    answers.mkdir()
    shutil.copy(answer_all(out / "alice.exam", tmp_path / "d-a", {}), answers)
    early = load(answers / "alice.answers.json")
    early["submitted_at"] = "2000-01-01T00:00:00+00:00"
    (answers / "alice-early.answers.json").write_text(json.dumps(early))
    (answers / "mallory.answers.json").write_text(json.dumps(dict(early, student="mallory")))
    args = ("exam", "grade", str(out / "key.json"), str(answers), "--out", str(tmp_path / "r"))
    done = run_grader("--lang", "zh", *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    for line in (
        "已评分 1/3 名学生，结果写入 ",
        "缺交：bob（没有答卷文件）",
        "拒收：mallory.answers.json：学生 'mallory' 不在本场考试的名单上",
        "重复提交：alice：保留 alice.answers.json，忽略 alice-early.answers.json",
        "道简答题等待人工评分：请填写 ",
    ):
        assert line in done.stdout, (line, done.stdout)
    assert "graded" not in done.stdout and "missing" not in done.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("student,item,question,response,credit\nalice,Q01,x,y,7\n")
    done = run_grader("--lang", "zh", *args, "--manual", str(bad), cwd=tmp_path)
    assert done.returncode == 2 and f"{bad}:2：credit '7' 必须是 0 到 1 之间的数" in done.stderr
