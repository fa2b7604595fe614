"""Parametrised questions in a class exam, end to end through the real commands: `grader exam
build` computes an instance per student (the numbers differ), the student files hold no answer,
`grader exam grade` grades each student against their own numbers (so an answer right for
another student is wrong), and the item analysis counts the question as one item."""

from __future__ import annotations

import csv
import json
import re
import shlex
import shutil
from pathlib import Path
from typing import Any

from cli_support import run_grader
from exam_support import COURSE, answer_all, load, write_roster

from grader.bank.params import derive_seed
from grader.exam.student_file import STUDENT_KEYS

GENERATED = """\
bank: gen-exam
title: {zh: 随机参数题, en: Fresh numbers}
questions:
  - id: gen-exam-numel
    type: numeric
    difficulty: 2
    tags: [broadcasting]
    params:
      n: {int: [2, 40]}
      m: {int: [2, 40]}
    prompt:
      zh: "`torch.zeros({n}, 1) + torch.zeros({m})` 有多少个元素？"
      en: "How many elements does `torch.zeros({n}, 1) + torch.zeros({m})` have?"
    code: |
      import torch
      answer = (torch.zeros({n}, 1) + torch.zeros({m})).numel()
    explanation: {zh: "结果的形状是 ({n}, {m})，共 {answer} 个元素。", en: "The result is ({n}, {m}): {answer} elements."}
  - id: gen-exam-shape
    type: single
    difficulty: 2
    tags: [broadcasting]
    params:
      p: {int: [2, 9]}
      q: {int: [2, 9]}
    constraints:
      - distinct: [p, q]
    prompt:
      zh: "`(torch.zeros({p}, 1) + torch.zeros({q})).shape` 是什么？"
      en: "What is `(torch.zeros({p}, 1) + torch.zeros({q})).shape`?"
    code: |
      import torch
      answer = (torch.zeros({p}, 1) + torch.zeros({q})).shape
    wrong_rules:
      - |
        import torch
        answer = torch.Size([{p}, 1])
      - |
        import torch
        answer = torch.Size([{q}, {p}])
    explanation: {zh: "广播从右边对齐，得到 {answer}。", en: "Broadcasting aligns from the right: {answer}."}
"""

SPEC = """\
exam: params-quiz
seed: a-long-secret-for-fresh-numbers
draw:
  - bank: exam-basics
    count: 2
  - bank: gen-exam
    count: 2
"""

STUDENTS = ["alice", "bob", "carol"]


def _course(tmp: Path) -> Path:
    course = tmp / "course"
    shutil.copytree(COURSE, course)
    (course / "questions" / "generated").mkdir()
    (course / "questions" / "generated" / "gen.yaml").write_text(GENERATED, encoding="utf-8")
    return course


def _instance(key: dict[str, Any], student: str, qid: str) -> dict[str, Any]:
    """The key's entry of ``student``'s item of question ``qid``."""
    (label,) = [k for k, e in key["questions"].items() if e["id"] == qid]
    (entry,) = [e for e in key["students"][student]["items"] if e["item"] == label]
    return {"label": label, **entry}


def _prompt(exam_file: Path, label: str) -> str:
    (item,) = [i for i in load(exam_file)["items"] if i["item"] == label]
    return str(item["prompt"]["en"])


def test_each_student_gets_and_is_graded_on_their_own_numbers(tmp_path: Path) -> None:
    course = _course(tmp_path)
    (tmp_path / "spec.yaml").write_text(SPEC, encoding="utf-8")
    roster = write_roster(tmp_path / "roster.csv", STUDENTS)
    out = tmp_path / "exam"
    done = run_grader(
        "exam", "build", "spec.yaml", "--course", str(course), "--students", str(roster),
        "--out", str(out), cwd=tmp_path, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    key = load(out / "key.json")

    numel = {s: _instance(key, s, "gen-exam-numel") for s in STUDENTS}
    label = numel["alice"]["label"]
    assert key["questions"][label]["parametrised"] is True  # one item for everyone
    answers: dict[str, float] = {}
    for student, entry in numel.items():
        # The seed is the quiz's derivation, from the student, the question and the exam.
        assert entry["seed"] == derive_seed(student, "gen-exam-numel", _exam_label(key, entry))
        prompt = _prompt(out / f"{student}.exam", label)
        n, m = map(int, re.search(r"zeros\((\d+), 1\) \+ torch\.zeros\((\d+)\)", prompt).groups())
        # The key's answer is what torch computed for this student's numbers.
        assert entry["question"]["answer"] == n * m
        assert (
            entry["question"]["explanation"]["en"] == f"The result is ({n}, {m}): {n * m} elements."
        )
        answers[student] = entry["question"]["answer"]
    prompts = {_prompt(out / f"{s}.exam", label) for s in STUDENTS}
    assert len(prompts) == len(STUDENTS)  # everyone has their own numbers
    assert answers["alice"] != answers["carol"]

    # The student files hold no answer, explanation or seed of any item.
    for student in STUDENTS:
        text = (out / f"{student}.exam").read_text(encoding="utf-8")
        document = json.loads(text)
        for item in document["items"]:
            assert set(item) <= set(STUDENT_KEYS), item
        for entry in key["students"][student]["items"]:
            if "question" in entry:
                assert str(entry["seed"]) not in text
                assert entry["question"]["explanation"]["en"] not in text
                assert entry["question"]["explanation"]["zh"] not in text

    # alice and bob answer their own numbers; carol gives alice's answer, wrong for hers.
    shape = {s: _instance(key, s, "gen-exam-shape") for s in STUDENTS}
    folder = tmp_path / "answers"
    folder.mkdir()
    for student in STUDENTS:
        given = answers["alice"] if student == "carol" else answers[student]
        order = shape[student]["order"]
        right_option = order.index(shape[student]["question"]["answer"])
        pick = {
            "numeric": lambda item, g=given: f"{g:g}" if item["item"] == label else None,
            "single": lambda item, r=right_option: (
                r if item["item"] == shape["alice"]["label"] else None
            ),
        }
        handed = answer_all(out / f"{student}.exam", tmp_path / f"data-{student}", pick)
        shutil.copy(handed, folder)
    results = tmp_path / "results"
    done = run_grader(
        "exam", "grade", str(out / "key.json"), str(folder), "--out", str(results), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    rows = {r["student"]: r for r in csv.DictReader(_text(results / "gradebook.csv"))}
    shape_label = shape["alice"]["label"]
    assert [rows[s][label] for s in STUDENTS] == ["1.0", "1.0", "0.0"]
    assert [rows[s][shape_label] for s in STUDENTS] == ["1.0", "1.0", "1.0"]
    report = load(results / "students" / "carol.json")
    (item,) = [i for i in report["items"] if i["item"] == label]
    assert item["right_answer"]["en"] == f"{answers['carol']:g}"  # carol's own answer

    # The item analysis: each parametrised question is one item over the three students.
    table = list(csv.DictReader(_text(results / "analysis.csv")))
    by_question = {r["question"]: r for r in table}
    assert sum(r["question"] == "gen-exam-numel" for r in table) == 1
    assert by_question["gen-exam-numel"]["n"] == "3"
    assert by_question["gen-exam-numel"]["facility"] == "0.667"
    assert by_question["gen-exam-shape"]["type"] == "single"
    assert by_question["gen-exam-shape"]["top_third_picks"] == ""  # options differ per student


def _exam_label(key: dict[str, Any], entry: dict[str, Any]) -> str:
    """The third value of the seed derivation: the exam id and a tag of the secret seed."""
    import hashlib
    import hmac

    tag = hmac.new(key["seed"].encode(), b"params", hashlib.sha256).hexdigest()[:16]
    return f"exam:{key['exam_id']}:{tag}"


def _text(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").splitlines()


def test_analyze_counts_a_parametrised_question_as_one_item(tmp_path: Path) -> None:
    """`grader analyze` over progress exports: a parametrised question, answered by three
    learners on three different instances, is one item of N = 3 with its type and no option
    table (its option 0 was a different number for each)."""
    course = _course(tmp_path)
    exports = []
    for n, score in enumerate([1.0, 1.0, 0.0]):
        answers = [
            {
                "uid": f"u{n}",
                "question_id": "gen-exam-shape",
                "score": score,
                "response": n,
                "answered_at": "2026-01-01T00:00:00+00:00",
                "attempt": 1,
            },
            {
                "uid": f"v{n}",
                "question_id": "eb-true-false",
                "score": score,
                "response": True,
                "answered_at": "2026-01-02T00:00:00+00:00",
                "attempt": 1,
            },
        ]
        path = tmp_path / f"learner{n}.json"
        path.write_text(json.dumps({"format": "torch-grader-progress", "answers": answers}))
        exports.append(path.name)
    done = run_grader("analyze", *exports, "--course", str(course), "--out", "a", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "analysed 3 learner(s), 2 question(s)" in done.stdout
    table = list(csv.DictReader(_text(tmp_path / "a" / "analysis.csv")))
    (row,) = [
        r for r in table if r["question"] == "gen-exam-shape" or r["item"] == "gen-exam-shape"
    ]
    assert (row["type"], row["n"], row["facility"]) == ("single", "3", "0.667")
    assert row["top_third_picks"] == ""


def test_a_broken_parametrised_question_is_left_out_with_a_note(tmp_path: Path) -> None:
    """A parametrised question with a problem is not drawn; the build says so and goes on."""
    course = _course(tmp_path)
    broken = GENERATED.replace("answer = (torch.zeros({n}, 1)", "answer = (torch.zeros({k}, 1)")
    (course / "questions" / "generated" / "gen.yaml").write_text(broken, encoding="utf-8")
    (tmp_path / "spec.yaml").write_text(SPEC.replace("count: 2\n", "count: 1\n"), "utf-8")
    done = run_grader(
        "exam", "build", "spec.yaml", "--course", str(course), "--out", "exam", cwd=tmp_path,
        timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "note: 1 problem(s) in " in done.stderr and "gen-exam-numel" in done.stderr
    assert "unknown placeholder '{k}'" in done.stderr
    key = load(tmp_path / "exam" / "key.json")
    assert "gen-exam-numel" not in {e["id"] for e in key["questions"].values()}
    assert "gen-exam-shape" in {e["id"] for e in key["questions"].values()}


BROKEN = """\
  - id: gen-exam-view
    type: numeric
    difficulty: 2
    tags: [broken]
    params:
      n: {int: [4, 9]}
    prompt:
      zh: "`torch.zeros({n}).view(3)` 有多少个元素？"
      en: "How many elements does `torch.zeros({n}).view(3)` have?"
    code: |
      import torch
      answer = torch.zeros({n}).view(3).numel()
    explanation: {zh: "共 {answer} 个。", en: "{answer} in all."}
"""


def test_an_instance_that_fails_names_its_file_line_and_a_command_that_reproduces_it(
    tmp_path: Path,
) -> None:
    """A parametrised question whose code raises for a student's numbers stops the build with
    the question's file:line and a `grader show` command that, run as printed, shows the
    failure (it names the course: without it `grader show` looks in the bundled content)."""
    course = _course(tmp_path)
    generated = course / "questions" / "generated" / "gen.yaml"
    generated.write_text(GENERATED + BROKEN, encoding="utf-8")
    line = (GENERATED + BROKEN).splitlines().index("  - id: gen-exam-view") + 1
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        SPEC.replace("bank: gen-exam", "tag: broken").replace("count: 2\n", "count: 1\n", 2)
    )
    roster = write_roster(tmp_path / "roster.csv", ["alice"])
    done = run_grader(
        "exam", "build", str(spec), "--course", str(course), "--students", str(roster),
        "--out", str(tmp_path / "exam"), cwd=tmp_path, timeout=180,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert f"{generated}:{line}: parametrised question 'gen-exam-view'" in done.stderr
    assert "the code raises RuntimeError" in done.stderr
    assert not (tmp_path / "exam").exists()  # nothing half-written is left
    command = re.search(r"reproduce: grader (show [^)]*)\)", done.stderr)
    assert command is not None, done.stderr
    shown = run_grader(*shlex.split(command.group(1)), cwd=tmp_path, timeout=120)
    assert shown.returncode == 1, shown.stderr  # the instance fails, as the build said
    assert "the code raises RuntimeError" in shown.stdout + shown.stderr
