"""The excerpt under a syntax error points at the offending character on a terminal."""

from __future__ import annotations

from rich.cells import cell_len

from grader.executor.compile import caret_excerpt


def _excerpt(source: str) -> tuple[str, str, str]:
    """(shown line, caret line, the character Python blames) for ``source``'s syntax error."""
    try:
        compile(source, "f.py", "exec")
    except SyntaxError as exc:
        assert exc.lineno and exc.offset
        blamed = source.splitlines()[exc.lineno - 1][exc.offset - 1]
        shown, caret = caret_excerpt(source, exc.lineno, exc.offset).strip("\n").split("\n")
        return shown, caret, blamed
    raise AssertionError("the source compiled")


def _width(text: str) -> int:
    return cell_len(text.expandtabs(8))


def _pointed_at(shown: str, caret: str) -> str:
    """The character of ``shown`` that starts at the caret's terminal column."""
    column = _width(caret[: caret.index("^")])
    for index in range(len(shown)):
        if _width(shown[:index]) == column:
            return shown[index]
    raise AssertionError(f"no character of {shown!r} starts at column {column}")


def test_caret_sits_under_the_blamed_character_after_cjk_names() -> None:
    shown, caret, blamed = _excerpt("x = 1\n名字 = (1 2)\n")
    assert blamed == "1"
    assert _pointed_at(shown, caret) == blamed


def test_tabs_inside_the_line_keep_the_caret_in_place() -> None:
    shown, caret, blamed = _excerpt("y = (1,\t\t2 3)\n")
    assert "\t" in caret
    assert _pointed_at(shown, caret) == blamed
