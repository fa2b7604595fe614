"""`grader quiz` before the app starts: terminal check, option errors, help text."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli.quiz import quiz, run_quiz
from grader.errors import UsageError

COURSE = Path(__file__).resolve().parents[1] / "data" / "quiz"


def test_quiz_needs_a_terminal() -> None:
    """Without a TTY, `grader quiz` refuses with a usage error instead of hanging."""
    result = CliRunner().invoke(quiz, ["--course", str(COURSE)])
    assert isinstance(result.exception, UsageError)
    assert "needs a terminal" in result.exception.message


def test_help_documents_synopsis_and_durations() -> None:
    """--help shows the full synopsis, the duration syntax and the rating rule."""
    text = CliRunner().invoke(quiz, ["--help"]).output
    for part in ("--mode practice|exam|review", "--time DURATION", "1h30m", "90s", "45 (minutes)"):
        assert part in text
    assert "Again" in text and "Good" in text and "Hard" in text


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"banks": ("fx-basic",)}, "unknown bank 'fx-basic' (did you mean 'fx-basics'?)"),
        ({"tags": ("autograd", "nope")}, "unknown tag 'nope'"),
        ({"questions": ("fx-singel",)}, "did you mean 'fx-single'?"),
        ({"time_limit": "30x"}, "--time: '30x' is not a duration"),
        ({"mode": "practice", "time_limit": "30m"}, "use it with --mode exam"),
    ],
)
def test_bad_options_are_usage_errors(
    options: dict[str, object], message: str, tmp_path: Path
) -> None:
    """Unknown banks, tags and question ids, and bad durations stop before the app opens."""
    with pytest.raises(UsageError) as error:
        run_quiz(course=COURSE, data_dir=tmp_path, **options)  # type: ignore[arg-type]
    assert message in error.value.message


def test_an_unknown_question_in_a_big_course_is_not_a_dump_of_every_id(tmp_path: Path) -> None:
    """With the bundled course's hundreds of questions, an unknown id gets a suggestion and a
    count, not every id."""
    from grader.course import resolve_course

    with pytest.raises(UsageError) as error:
        run_quiz(course=resolve_course(None).root, data_dir=tmp_path, questions=("tensors-dtyp",))
    message = error.value.message
    assert "unknown question 'tensors-dtyp'" in message
    assert "questions (`grader list` shows its banks)" in message
    assert len(message) < 300, message
