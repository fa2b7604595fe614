"""`scalar_text`: the line of every character of a YAML text, and the spaces YAML made."""

from __future__ import annotations

from pathlib import Path

import pytest
from yaml.nodes import MappingNode, ScalarNode

from grader.bank.scalars import ScalarText, scalar_text
from grader.bank.source import parse

LINT = Path(__file__).resolve().parents[1] / "data" / "banks" / "lint"


def _value(source: str, key: str = "a") -> ScalarText:
    doc, issues = parse(source)
    assert doc is not None and not issues
    assert isinstance(doc.root, MappingNode)
    for key_node, value in doc.root.value:
        if key_node.value == key:
            assert isinstance(value, ScalarNode)
            return scalar_text(value, source)
    raise AssertionError(key)


def _lines(text: ScalarText) -> list[int]:
    return [text.line_at(i) for i in range(len(text.value))]


def test_folded_block_maps_each_character_and_marks_the_folds() -> None:
    """`>-`: a folded line break becomes a space on the line it ends; a blank line a newline."""
    text = _value("a: >-\n  一，\n  二\n\n  三\nb: 1\n")
    assert text.value == "一， 二\n三"
    assert (text.style, text.header, text.line) == ("folded", ">-", 2)
    assert _lines(text) == [2, 2, 2, 3, 4, 5]
    assert text.folds == frozenset({2})


def test_more_indented_lines_keep_their_breaks() -> None:
    """A more-indented line in a folded block keeps the line breaks around it (no fold)."""
    text = _value("a: >\n  one\n    two\n  three\n")
    assert text.value == "one\n  two\nthree\n"
    assert text.folds == frozenset()


def test_literal_block_keeps_breaks_and_chomping() -> None:
    """`|`, `|-` and `|+` keep every line break; only the trailing ones depend on chomping."""
    assert _value("a: |\n  x\n  y\n\nb: 1\n").value == "x\ny\n"
    stripped = _value("a: |-\n  x\n\n  y\n")
    assert (stripped.value, _lines(stripped), stripped.folds) == ("x\n\ny", [2, 2, 3, 4], set())
    assert _value("a: |+\n  x\n\n\nb: 1\n").value == "x\n\n\n"


def test_quoted_and_plain_values_over_several_lines_fold() -> None:
    """Double-quoted (escapes included), single-quoted and plain values fold their breaks too."""
    double = _value('a: "一，\n  二\\u4e09\\\n  四 \\"五\\""\n')
    assert double.value == '一， 二三四 "五"'
    assert double.style == "double" and double.folds == frozenset({2})
    assert _lines(double)[:4] == [1, 1, 1, 2]
    single = _value("a: 'it''s\n  here'\n")
    assert (single.value, single.folds) == ("it's here", frozenset({4}))
    plain = _value("a: one\n  two\n\n  three\n")
    assert (plain.value, plain.folds, plain.line_at(8)) == ("one two\nthree", frozenset({3}), 4)


def test_single_line_value_is_on_its_line() -> None:
    """A one-line value: every character is on the value's line, nothing was folded."""
    text = _value('x: 1\na: "张量， 梯度"\n')
    assert (text.line, text.line_at(3), text.folds, text.multiline) == (2, 2, frozenset(), False)


@pytest.mark.parametrize("source", ["a: |2\n    x\n  y\n", "a: >1\n  x\n"])
def test_what_is_not_replayed_keeps_only_the_first_line(source: str) -> None:
    """An explicit indentation indicator is not replayed: the value keeps its first line and no
    folds, rather than a guessed origin."""
    doc, _ = parse(source)
    assert doc is not None
    node = doc.root.value[0][1]
    text = scalar_text(node, source)
    assert text.value == node.value
    assert (text.starts, text.folds, text.line_at(2)) == ((), frozenset(), 2)


def test_every_text_of_the_fixture_banks_is_replayed() -> None:
    """On real bank files, every multi-line text is replayed exactly (the origin is known)."""
    for path in sorted(LINT.glob("*.yaml")):
        source = path.read_text(encoding="utf-8")
        doc, _ = parse(source)
        assert doc is not None
        stack = [doc.root]
        while stack:
            node = stack.pop()
            if isinstance(node, ScalarNode):
                if node.start_mark.line != node.end_mark.line:
                    assert scalar_text(node, source).starts, (path, node.start_mark.line + 1)
            elif isinstance(node, MappingNode):
                stack.extend(value for _, value in node.value)
            else:
                stack.extend(node.value)
