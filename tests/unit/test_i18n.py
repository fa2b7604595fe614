"""grader.i18n.Text, the one bilingual text type: keyword-only, a value, the result JSON's shape."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pytest

from grader.bank.model import BankText
from grader.i18n import EMPTY, Text


def test_positional_construction_is_refused() -> None:
    """``Text("a", "b")`` is a TypeError: which language is which is said where it is written."""
    with pytest.raises(TypeError):
        Text("通过", "passed")  # type: ignore[misc]


def test_get_picks_the_language() -> None:
    """``get("zh")`` is the Chinese text; every other language code gets the English one."""
    text = Text(zh="通过", en="passed")
    assert (text.get("zh"), text.get("en"), text.get("fr")) == ("通过", "passed", "passed")


def test_format_fills_both_languages() -> None:
    """``format`` applies the same values to both templates."""
    text = Text(zh="第 {line} 行", en="line {line}").format(line=3)
    assert text == Text(zh="第 3 行", en="line 3")


def test_to_dict_is_the_result_json_shape_and_from_dict_reads_it_back() -> None:
    """``to_dict`` is ``{"en", "zh"}`` in that order (the result JSON's ``messages``)."""
    text = Text(zh="通过", en="passed")
    assert json.dumps(text.to_dict(), ensure_ascii=False) == '{"en": "passed", "zh": "通过"}'
    assert Text.from_dict(text.to_dict()) == text
    assert Text.from_dict({"en": "x", "line": 3}) == Text(zh="", en="x")


@pytest.mark.parametrize("data", [["en", "zh"], {"en": 1, "zh": "中"}, {"zh": None}])
def test_from_dict_refuses_what_is_not_a_text(data: object) -> None:
    """A value that is not a mapping of strings is a TypeError, not a text of ``'None'``."""
    with pytest.raises(TypeError):
        Text.from_dict(data)  # type: ignore[arg-type]


def test_empty_text_is_falsy() -> None:
    """A passed check's message is :data:`EMPTY`, which is falsy; a text in one language is not."""
    assert not EMPTY and not Text(zh="", en="")
    assert Text(zh="", en="x") and Text(zh="中", en="")


def test_a_text_is_a_frozen_hashable_picklable_value() -> None:
    """Equal texts are equal and hash alike, a bank's validated text included; pickling keeps it."""
    text = Text(zh="通过", en="passed")
    with pytest.raises(dataclasses.FrozenInstanceError):
        text.en = "failed"  # type: ignore[misc]
    bank_text = BankText(zh="通过", en="passed")
    assert bank_text == text and hash(bank_text) == hash(text)
    assert len({text, bank_text, Text(zh="通过", en="passed")}) == 1
    assert pickle.loads(pickle.dumps(text)) == text
    assert text != Text(zh="passed", en="通过")
    assert text != ("通过", "passed")
