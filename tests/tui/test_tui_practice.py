"""Practice mode, one test per question type: what the learner does with the keyboard (or the
mouse), what the store records, and the verdict shown."""

from __future__ import annotations

from pathlib import Path

from quiz_pilot import SIZE, display_position, make_app, pilot_test, screen_text
from textual.events import Paste

from grader.study.clock import FakeClock
from grader.tui.app import QuizApp


def _answers(app: QuizApp, qid: str) -> list[tuple[object, float, int]]:
    return [(a.response, a.score, a.attempt) for a in app.study.store.answers(qid)]


@pilot_test
async def test_single_choice_by_digit(data_dir: Path, clock: FakeClock) -> None:
    """A digit picks the shown option, Enter submits; the original index is stored, scored 1."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-single",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(str(display_position(app.screen, 0)), "enter")
        await pilot.pause()
        assert _answers(app, "fx-single") == [(0, 1.0, 1)]
        text = screen_text(app)
        assert "✔ Correct" in text and "Backpropagation accumulates" in text


@pilot_test
async def test_multiple_choice_partial_credit(data_dir: Path, clock: FakeClock) -> None:
    """Ticking one of two right options earns half, as the bank engine's partial credit says."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-multiple",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(str(display_position(app.screen, 2)), "ctrl+s")
        await pilot.pause()
        assert _answers(app, "fx-multiple") == [([2], 0.5, 1)]
        assert "◐ Partly right: 50%" in screen_text(app)


@pilot_test
async def test_true_false_and_retry(data_dir: Path, clock: FakeClock) -> None:
    """A wrong answer, then a retry: both tries are stored; Enter once more moves on."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-true-false",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "enter")
        await pilot.pause()
        assert "✘ Wrong" in screen_text(app)
        await pilot.press("2", "enter")
        await pilot.pause()
        assert _answers(app, "fx-true-false") == [(True, 0.0, 1), (False, 1.0, 2)]
        assert "✔ Correct  (attempt 2)" in screen_text(app)
        await pilot.press("enter")  # Enter on an answer already graded moves on
        await pilot.pause()
        assert len(app.study.store.answers("fx-true-false")) == 2
        assert "Session summary" in screen_text(app)


@pilot_test
async def test_fill_in_types_every_key(data_dir: Path, clock: FakeClock) -> None:
    """In a text box ? l n p and digits type themselves (no hint, no language switch, no move)."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-fill",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"null?lp1", "enter")
        await pilot.pause()
        assert app.lang == "en" and app.screen.session.current.question_id == "fx-fill"
        assert _answers(app, "fx-fill") == [("null?lp1", 0.0, 1)]
        await pilot.press(*["backspace"] * 8, *"ZERO_GRAD", "enter")
        await pilot.pause()
        assert _answers(app, "fx-fill")[-1] == ("ZERO_GRAD", 1.0, 2)
        assert "Hint" not in screen_text(app).split("Question")[1].split("Explanation")[0]


@pilot_test
async def test_numeric_input(data_dir: Path, clock: FakeClock) -> None:
    """The number box takes digits and submits with Enter; letters are not accepted."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-numeric",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "1", "2", "enter")
        await pilot.pause()
        assert _answers(app, "fx-numeric") == [("12", 1.0, 1)]
        assert "✔ Correct" in screen_text(app)


@pilot_test
async def test_order_list_moved_by_keys(data_dir: Path, clock: FakeClock) -> None:
    """Shift+arrows move items; the order submitted is stored as option indices and graded."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-order",))
    async with app.run_test(size=SIZE) as pilot:
        shown = list(app.screen.session.current.order)
        # selection sort with the keyboard: bring item k to position k
        for target in range(len(shown)):
            position = shown.index(target)
            await pilot.press(str(position + 1))
            for _ in range(position - target):
                await pilot.press("shift+up")
            shown.insert(target, shown.pop(position))
        await pilot.press("enter")
        await pilot.pause()
        assert _answers(app, "fx-order") == [([0, 1, 2, 3], 1.0, 1)]
        assert "✔ Correct" in screen_text(app)


@pilot_test
async def test_order_list_moved_by_mouse(data_dir: Path, clock: FakeClock) -> None:
    """Clicking ▼ on the first row swaps it with the second; partial credit counts positions."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-order",))
    async with app.run_test(size=SIZE) as pilot:
        shown = list(app.screen.session.current.order)
        await pilot.click("#order-1 .order-down")
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown[0], shown[1] = shown[1], shown[0]
        expected = sum(pos == item for pos, item in enumerate(shown)) / 4
        assert _answers(app, "fx-order") == [(shown, expected, 1)]


@pilot_test
async def test_code_output_with_choices(data_dir: Path, clock: FakeClock) -> None:
    """The snippet is shown highlighted; the chosen output text is what is stored."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-code-choice",))
    async with app.run_test(size=SIZE) as pilot:
        assert "print(x * 2)" in screen_text(app)
        await pilot.click(f"#choice-{display_position(app.screen, 0)}")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _answers(app, "fx-code-choice") == [("tensor([2., 4.])", 1.0, 1)]


@pilot_test
async def test_code_output_typed(data_dir: Path, clock: FakeClock) -> None:
    """Without candidates the output is typed (or pasted) in a text area; Ctrl+S submits."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-code-typed",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "o")
        app.post_message(Paste("rch.Size([2, 3])"))  # as a terminal delivers a paste
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        assert _answers(app, "fx-code-typed") == [("torch.Size([2, 3])\n", 1.0, 1)]


@pilot_test
async def test_short_answer_self_rating(data_dir: Path, clock: FakeClock) -> None:
    """Reveal the reference, rate "partly right": stored as "partial", scored 0.5."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-short",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.study.store.answers("fx-short") == []
        await pilot.click("#show-reference")
        await pilot.pause()
        assert "stops autograd from recording" in screen_text(app)
        await pilot.press("2", "enter")
        await pilot.pause()
        assert _answers(app, "fx-short") == [("partial", 0.5, 1)]
        assert "◐ Partly right: 50%" in screen_text(app)


@pilot_test
async def test_hint_and_summary(data_dir: Path, clock: FakeClock) -> None:
    """? shows the hint; after the last question a summary shows the first-try score."""
    app = make_app(data_dir, clock, mode="practice", seed=1, banks=("fx-basics",), count=2)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.session.current.hint_shown
        question = app.screen.session.question()
        expected = question.hint.en if question.hint else "This question has no hint."
        assert expected.replace("`", "") in screen_text(app).replace("`", "")
        await pilot.press("n", "n")
        await pilot.pause()
        assert "Session summary" in screen_text(app)
        assert "Score 0/2 (0%)" in screen_text(app)


@pilot_test
async def test_not_yet_without_revealing_still_shows_the_reference(
    data_dir: Path, clock: FakeClock
) -> None:
    """Rating "not yet" straight away (the reference never revealed) shows the reference with
    the feedback: the learner who knows least must not miss it."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-short",))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "stops autograd from recording" not in screen_text(app)
        app.screen.query_one("#ratings").focus()
        await pilot.press("3", "enter")
        await pilot.pause()
        assert _answers(app, "fx-short") == [("none", 0.0, 1)]
        assert "stops autograd from recording" in screen_text(app)


@pilot_test
async def test_the_retry_note_names_a_key_that_works_where_the_focus_is(
    data_dir: Path, clock: FakeClock
) -> None:
    """After a wrong fill-in answer the focus is still in the text box, where n types an n:
    the note names the footer's key for Next, which then goes on. After a wrong choice it
    names n, which works there."""
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-fill", "fx-single"))
    async with app.run_test(size=SIZE) as pilot:
        if app.screen.session.current.question_id != "fx-fill":
            await pilot.press("n")
        await pilot.press(*"nope", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "or press ^n for the next question" in text, text
        quiz = app.screen
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen is not quiz or quiz.session.current.question_id != "fx-fill"
        assert "nope" in [a.response for a in app.study.store.answers("fx-fill")]
    app = make_app(data_dir, clock, mode="practice", seed=1, questions=("fx-single",))
    async with app.run_test(size=SIZE) as pilot:
        wrong = next(i for i in range(4) if i != app.screen.session.question().answer)
        await pilot.press(str(display_position(app.screen, wrong)), "enter")
        await pilot.pause()
        assert "or press n for the next question" in screen_text(app)
