"""`grader progress export|import|reset`: moving and clearing a learner's progress."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from grader.cli.progress import progress
from grader.study.context import Study

COURSE = Path(__file__).resolve().parents[1] / "data" / "quiz"


def _args(tmp_path: Path, name: str = "data") -> list[str]:
    return ["--course", str(COURSE), "--data-dir", str(tmp_path / name)]


def _answer_two(study: Study) -> None:
    """Answer the first two questions of a practice session (anything of the right kind)."""
    session = study.new_session("practice", banks=("fx-basics",), seed=1)
    for _ in range(2):
        kind = session.question().type
        session.answer({"single": 0, "multiple": [0], "true_false": True, "fill": "x"}[kind])
        session.next()


def test_export_import_round_trip(study: Study, tmp_path: Path) -> None:
    """An export imported into an empty data dir gives the same answers; twice adds nothing."""
    _answer_two(study)
    runner = CliRunner()
    exported = runner.invoke(progress, ["export", str(tmp_path / "p.json"), *_args(tmp_path)])
    assert exported.exit_code == 0, exported.output
    data = json.loads((tmp_path / "p.json").read_text(encoding="utf-8"))
    assert len(data["answers"]) == 2 and data["format"] == "torch-grader-progress"
    for _ in range(2):
        result = runner.invoke(
            progress, ["import", str(tmp_path / "p.json"), *_args(tmp_path, "other")]
        )
        assert result.exit_code == 0, result.output
    again = runner.invoke(progress, ["export", "-", *_args(tmp_path, "other")])
    assert json.loads(again.output)["answers"] == data["answers"]


def test_import_refuses_other_files(tmp_path: Path) -> None:
    """A file that is not a progress export is a usage error naming the file."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"hello": 1}', encoding="utf-8")
    result = CliRunner().invoke(progress, ["import", str(bad), *_args(tmp_path)])
    assert result.exit_code != 0
    assert "not a progress export" in str(result.exception or result.output)


def test_reset_asks_first(study: Study, tmp_path: Path) -> None:
    """reset asks for confirmation: 'n' keeps everything, --yes deletes without asking."""
    _answer_two(study)
    runner = CliRunner()
    kept = runner.invoke(progress, ["reset", *_args(tmp_path)], input="n\n")
    assert kept.exit_code == 1 and "Delete all progress" in kept.output
    assert len(study.store.answers()) == 2
    gone = runner.invoke(progress, ["reset", "--yes", *_args(tmp_path)])
    assert gone.exit_code == 0, gone.output
    assert study.store.answers() == []
