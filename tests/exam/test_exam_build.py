"""``grader exam build``: per-student files that hold no answers, and the key that does."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import run_grader
from exam_support import COURSE, SPEC, build, load

from grader.exam.student_file import STUDENT_KEYS

#: Keys that would carry or mark an answer; none may appear anywhere in a student file.
ANSWER_KEYS = {
    "answer",
    "answers",
    "explanation",
    "tolerance",
    "rel_tolerance",
    "regex",
    "reference",
    "key_points",
    "credit",
    "partial_credit",
    "seed",
    "correct",
    "key",
    "verify",
    "accepted",
    "case_sensitive",
    "gives_away",
    "id",
    "bank",
    "order",
}


def _keys(value: object) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def test_bundled_course_is_refused_and_says_why(tmp_path: Path) -> None:
    done = run_grader("exam", "build", str(SPEC), "--out", str(tmp_path / "x"), cwd=tmp_path)
    assert done.returncode == 2
    assert "bundled course" in done.stderr and "answers included" in done.stderr
    assert "--allow-public-bank" in done.stderr
    assert not (tmp_path / "x").exists()


def test_spec_errors_name_file_and_line(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("exam: q\nseed: short\ndraw:\n  - bank: exam-basics\n    count: 2\n")
    done = run_grader(
        "exam", "build", str(spec), "--course", str(COURSE), "--out", "o", cwd=tmp_path
    )
    assert done.returncode == 2 and f"{spec}:2:" in done.stderr and "at least 16" in done.stderr
    spec.write_text("exam: q\ndraw:\n  - bank: exam-basics\n    count: 99\n")
    done = run_grader(
        "exam", "build", str(spec), "--course", str(COURSE), "--out", "o", cwd=tmp_path
    )
    assert done.returncode == 2 and f"{spec}:3:" in done.stderr and "only 8 match" in done.stderr
    spec.write_text("exam: q\ndraw:\n  - bank: exam-basics\n    cuont: 2\n")
    done = run_grader(
        "exam", "build", str(spec), "--course", str(COURSE), "--out", "o", cwd=tmp_path
    )
    assert done.returncode == 2 and f"{spec}:4:" in done.stderr and "'cuont'" in done.stderr


def test_one_file_per_student_same_questions_reproducible(tmp_path: Path) -> None:
    out = build(tmp_path, ["alice", "bob", "carol"])
    assert sorted(p.name for p in out.iterdir()) == [
        "alice.exam",
        "bob.exam",
        "carol.exam",
        "key.json",
    ]
    files = {s: load(out / f"{s}.exam") for s in ("alice", "bob", "carol")}
    sets = {s: sorted(i["item"] for i in f["items"]) for s, f in files.items()}
    assert sets["alice"] == sets["bob"] == sets["carol"] and len(sets["alice"]) == 8
    assert len({tuple(i["item"] for i in f["items"]) for f in files.values()}) > 1
    for f in files.values():
        assert {"zh", "en"} <= set(f["items"][0]["prompt"])
    again = build(tmp_path / "second", ["alice", "bob", "carol"])
    assert (again / "alice.exam").read_text() == (out / "alice.exam").read_text()
    shared = build(tmp_path / "shared", None)
    assert sorted(p.name for p in shared.iterdir()) == ["class.exam", "key.json"]


def test_student_file_cannot_give_the_key(tmp_path: Path) -> None:
    students = [f"s{n:02d}" for n in range(12)]
    out = build(tmp_path, students)
    key = load(out / "key.json")
    texts = []
    for entry in key["questions"].values():
        q = entry["question"]
        texts += [q["explanation"]["en"], q["explanation"]["zh"], entry["id"]]
        if q["type"] == "fill":
            texts += q["answer"]
        if q["type"] == "short":
            texts += [q["reference"]["en"], q["reference"]["zh"]]
            texts += [p["en"] for p in q["key_points"]]
        for hint in q.get("hints") or ():
            if hint.get("gives_away"):
                texts += [hint["en"], hint["zh"]]
    right_positions: dict[str, set[int]] = {}
    for student in students:
        raw = (out / f"{student}.exam").read_text(encoding="utf-8")
        data = json.loads(raw)
        # No answer, explanation, accepted answer, reference or give-away hint, as text ...
        for text in texts:
            assert text not in raw, (student, text)
        assert key["seed"] not in raw
        # ... no field that carries or marks one, anywhere ...
        assert not (_keys(data) & ANSWER_KEYS), _keys(data) & ANSWER_KEYS
        for item in data["items"]:
            assert set(item) <= set(STUDENT_KEYS)
            for option in item.get("options", ()):
                assert isinstance(option, str) or set(option) == {"zh", "en"}
        # ... and where the right option sits depends on the student.
        orders = {i["item"]: i["order"] for i in key["students"][student]["items"]}
        for label, entry in key["questions"].items():
            q = entry["question"]
            if q["type"] == "single":
                right_positions.setdefault(label, set()).add(orders[label].index(q["answer"]))
            if q["type"] == "order":
                shown = [
                    o["en"] for o in next(i for i in data["items"] if i["item"] == label)["options"]
                ]
                assert shown != [o["en"] for o in q["options"]], "an order item shown solved"
    assert all(len(p) > 1 for p in right_positions.values()), right_positions


def test_orders_come_from_the_secret_seed_only(tmp_path: Path) -> None:
    """The orders depend on the seed (another seed, other orders); the seed is in the key only
    (checked above) and too long to try every value (spec errors, above)."""
    out = build(tmp_path, ["alice"])
    other_spec = tmp_path / "other.yaml"
    other_spec.write_text(
        SPEC.read_text().replace("c0ffee-tea-and-biscuits-2026", "another-secret-seed-42xyz")
    )
    other = build(tmp_path / "o", ["alice"], spec=other_spec)
    mine = [i["item"] for i in load(out / "alice.exam")["items"]]
    assert mine != [i["item"] for i in load(other / "alice.exam")["items"]]


def test_an_unknown_tag_is_named_with_the_tags_there_are(tmp_path: Path) -> None:
    """A draw's tag no question has is named, with the course's tags and the nearest one, in
    the language of `grader --lang` (not 'only 0 match')."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("exam: q\ndraw:\n  - tag: autgrad\n    count: 1\n")
    args = ("exam", "build", str(spec), "--course", str(COURSE), "--out", "o")
    done = run_grader(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"{spec}:3: no question of the course has the tag 'autgrad'" in done.stderr
    assert "(did you mean 'autograd'?)" in done.stderr
    assert "(its tags: autograd, basics, training, views)" in done.stderr
    assert "only 0 match" not in done.stderr
    done = run_grader("--lang", "zh", *args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert f"{spec}:3：课程中没有题目带标签 'autgrad'（是不是 'autograd'？）" in done.stderr
    assert "已有的标签：autograd, basics, training, views" in done.stderr


def test_a_failed_build_leaves_no_folder_and_a_full_out_is_refused(tmp_path: Path) -> None:
    """A build that fails leaves no --out folder (nor the parents it made, nor a partial
    sibling); a folder the user had, empty, is kept and filled; one with files is refused and
    left as it was."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("exam: q\ndraw:\n  - bank: exam-basics\n    count: 99\n")
    out = tmp_path / "new" / "deeper" / "exam"
    done = run_grader(
        "exam", "build", str(spec), "--course", str(COURSE), "--out", str(out), cwd=tmp_path
    )
    assert done.returncode == 2 and "only 8 match" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.yaml"]
    mine = tmp_path / "mine"
    mine.mkdir()
    done = run_grader(
        "exam", "build", str(spec), "--course", str(COURSE), "--out", str(mine), cwd=tmp_path
    )
    assert done.returncode == 2 and mine.is_dir() and not any(mine.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "spec.yaml"]
    spec.write_text("exam: q\ndraw:\n  - bank: exam-basics\n    count: 2\n")
    done = run_grader(
        "exam", "build", str(spec), "--course", str(COURSE), "--out", str(mine), cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in mine.iterdir()) == ["class.exam", "key.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "spec.yaml"]
    key = (mine / "key.json").read_text(encoding="utf-8")
    done = run_grader(
        "exam", "build", str(spec), "--course", str(COURSE), "--out", str(mine), cwd=tmp_path
    )
    assert done.returncode == 2
    assert f"{mine} already exists and is not empty: give a new --out folder" in done.stderr
    assert (mine / "key.json").read_text(encoding="utf-8") == key


def test_a_guessable_seed_is_warned_about_and_help_says_to_leave_it_out(tmp_path: Path) -> None:
    """A seed of words and digits (under about 64 bits) builds, with a warning naming its line;
    a seed left out becomes a 32-hex secret in the key, with no warning; --help recommends it."""
    spec = tmp_path / "spec.yaml"
    draw = "draw:\n  - bank: exam-basics\n    count: 2\n"
    for n, (seed, weak) in enumerate(
        [
            ("midterm-2026-secret", True),
            ("correct-horse-battery-staple", True),
            ("0123456789012345678", True),
            ("9f2c4e7a1b3d5f6e8a0c2e4f6a8b0d1c", False),
            ("Kq7-vXe2_Lp9RzT4wNb8Hs", False),
        ]
    ):
        spec.write_text(f"exam: q\nseed: {seed}\n{draw}")
        out = tmp_path / f"out{n}"
        done = run_grader(
            "exam", "build", str(spec), "--course", str(COURSE), "--out", str(out), cwd=tmp_path
        )
        assert done.returncode == 0, done.stderr
        warned = f"warning: {spec}:2: the seed looks guessable" in done.stderr
        assert warned == weak, (seed, done.stderr)
    spec.write_text(f"exam: q\n{draw}")
    args = ("exam", "build", str(spec), "--course", str(COURSE))
    done = run_grader(*args, "--out", str(tmp_path / "none"), cwd=tmp_path)
    assert done.returncode == 0 and "guessable" not in done.stderr, done.stderr
    seed = load(tmp_path / "none" / "key.json")["seed"]
    assert len(seed) == 32 and int(seed, 16) >= 0
    spec.write_text(f"exam: q\nseed: midterm-2026-secret\n{draw}")
    done = run_grader("--lang", "zh", *args, "--out", str(tmp_path / "zh"), cwd=tmp_path)
    assert f"警告：{spec}:2：seed 看起来容易被猜中" in done.stderr, done.stderr
    helped = run_grader("exam", "build", "--help", cwd=tmp_path).stdout
    helped = " ".join(helped.split())
    assert "Leave `seed` out of SPEC: a 32-hex secret is" in helped
    assert "Without --students there is one shared class.exam: everyone gets the same" in helped


def test_build_and_grade_errors_follow_grader_lang(tmp_path: Path) -> None:
    """Under `grader --lang zh` an error of the spec (with its did-you-mean), of the roster, of
    --out and of the key is in Chinese, still with its file:line; English stays the default."""
    spec = tmp_path / "spec.yaml"
    spec.write_text("exam: q\ndraw:\n  - bank: exam-basics\n    cuont: 2\n")
    zh = ("--lang", "zh", "exam", "build")
    done = run_grader(*zh, str(spec), "--course", str(COURSE), "--out", "o", cwd=tmp_path)
    assert f"{spec}:4：抽题行中未知的键 'cuont'（是不是 'count'？）" in done.stderr, done.stderr
    done = run_grader(
        "exam", "build", str(spec), "--course", str(COURSE), "--out", "o", cwd=tmp_path
    )
    assert f"{spec}:4: unknown key 'cuont' in a draw (did you mean 'count'?)" in done.stderr
    spec.write_text("exam: q\ndraw:\n  - bank: exam-basics\n    count: 2\n")
    roster = tmp_path / "roster.csv"
    roster.write_text("student\nann\nbo\nann\n")
    args = (str(spec), "--course", str(COURSE), "--out", "o")
    done = run_grader(*zh, *args, "--students", str(roster), cwd=tmp_path)
    assert f"{roster}:4：学生 'ann' 已经在第 2 行" in done.stderr, done.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    done = run_grader(*zh, str(spec), "--course", str(COURSE), "--out", "full", cwd=tmp_path)
    assert "full 已存在且不是空文件夹" in done.stderr, done.stderr
    done = run_grader(
        "--lang", "zh", "exam", "grade", str(spec), str(tmp_path), "--out", "r", cwd=tmp_path
    )
    assert done.returncode == 2 and f"{spec}：不是考试答案文件（不是 JSON：" in done.stderr
