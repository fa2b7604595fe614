"""`grader exam build` from a private course warns, naming them, about drawn questions that ship
publicly with torch-grader: the same id as a bundled question, or the same content under another
id, ordinary or parametrised (students have the bundled content and `grader show`)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from cli_support import run_grader
from exam_support import COURSE

from grader.course import bundled_root

BUNDLED = bundled_root() / "questions"


def _bundled(path: Path, index: int) -> dict[str, Any]:
    item = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"][index]
    assert isinstance(item, dict)
    return item


def test_copied_bundled_questions_are_named_on_stderr(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    same_id = _bundled(BUNDLED / "tensors.yaml", 0)
    renamed = {**_bundled(BUNDLED / "tensors.yaml", 1), "id": "my-renamed-copy"}
    renamed["tags"] = ["copied", "retagged"]  # tags and difficulty are not content
    renamed["difficulty"] = 5 if renamed.get("difficulty") != 5 else 4
    template = {**_bundled(BUNDLED / "generated" / "shapes-generated.yaml", 0), "id": "my-gen"}
    template["tags"] = ["copied"]
    bank = {"bank": "copied", "title": {"zh": "抄来的", "en": "Copied"}}
    same_id["tags"] = [*same_id.get("tags", ()), "copied"]
    (course / "questions" / "copied.yaml").write_text(
        yaml.safe_dump({**bank, "questions": [same_id, renamed]}, allow_unicode=True), "utf-8"
    )
    (course / "questions" / "generated").mkdir()
    (course / "questions" / "generated" / "gen.yaml").write_text(
        yaml.safe_dump(
            {"bank": "gen-copied", "title": bank["title"], "questions": [template]},
            allow_unicode=True,
        ),
        "utf-8",
    )
    spec = tmp_path / "spec.yaml"
    spec.write_text(
        "exam: q\ndraw:\n  - tag: copied\n    count: 3\n  - bank: exam-basics\n    count: 2\n"
    )
    args = ("exam", "build", str(spec), "--course", str(course), "--out")
    done = run_grader(*args, str(tmp_path / "exam"), cwd=tmp_path, timeout=180)
    assert done.returncode == 0, done.stderr  # a warning, not a failure
    assert "warning: 3 drawn question(s) ship publicly with torch-grader" in done.stderr
    assert f"  {same_id['id']}: the same id as a bundled question" in done.stderr
    tensors = yaml.safe_load((BUNDLED / "tensors.yaml").read_text(encoding="utf-8"))
    original = tensors["questions"][1]["id"]
    assert f"  my-renamed-copy: the same content as bundled {original}" in done.stderr
    assert "  my-gen: the same content as bundled gen-broadcast-add-shape" in done.stderr
    assert "eb-" not in done.stderr  # the course's own questions are not named
    done = run_grader("--lang", "zh", *args, str(tmp_path / "zh"), cwd=tmp_path, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "警告：抽到的 3 道题随 torch-grader 公开发布" in done.stderr
    assert "  my-gen：与内置题目 gen-broadcast-add-shape 内容相同" in done.stderr
    assert "已将 1 份考试文件（每份 5 道题）写入" in done.stdout
