"""The CJK typography lint: each rule, its exclusions, and a real bank file with every mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.bank.lint import lint_bank_file
from grader.bank.lint_typography import is_full_width_punct, lint_typography
from grader.bank.prose import Prose
from grader.bank.scalars import ScalarText

LINT = Path(__file__).resolve().parents[1] / "data" / "banks" / "lint"


def _messages(value: str, lang: str = "zh") -> list[str]:
    """The lint's messages for a one-line value typed as written."""
    return [f.message for f in lint_typography(ScalarText(value, "double", "", 1), lang)]


def test_typed_space_beside_full_width_punctuation() -> None:
    """A typed space on either side of full-width punctuation is reported with the fix."""
    (after,) = _messages("张量， 是多维数组。")
    assert after.startswith(
        "space beside full-width '，' in '张量， 是多维数组。'; delete the space"
    )
    (before,) = _messages("它叫 “张量”。")
    assert "beside full-width '“'" in before


def test_space_between_chinese_and_latin_is_the_house_style() -> None:
    """`调用 `loss.backward()` 之后`, `PyTorch 张量`: spaces between Chinese and Latin stay."""
    assert _messages("调用 `loss.backward()` 之后，用 PyTorch 张量计算 x 的梯度。") == []


def test_english_texts_keep_spaces_around_curly_quotes() -> None:
    """“…” and ‘…’ are English quotes too: spaces around them are fine in an English text, but
    not around a full-width comma."""
    assert _messages("the so-called “dynamic graph” and ‘define-by-run’", "en") == []
    assert len(_messages("a list ， with a full-width comma", "en")) == 2  # one per space


def test_full_width_punct_classes() -> None:
    """CJK punctuation and full-width ASCII forms are full-width; “” only in Chinese text; a
    full-width letter or the middle dot used as a product sign are not punctuation."""
    assert all(is_full_width_punct(c) for c in "，。、；：！？（）「」【】《》")
    assert is_full_width_punct("“", "zh") and not is_full_width_punct("“", "en")
    assert not any(is_full_width_punct(c) for c in "ａ１·, ")


def test_ascii_quotes_around_chinese() -> None:
    """ "…" and '…' around Chinese text are reported with the “…” / ‘…’ to write; quotes around
    Latin text and apostrophes are left alone."""
    double, single = _messages('所谓 "动态图"，也叫 \'即时执行\'，不是 "static" 的 it\'s。')
    assert double.startswith(
        'ASCII quotes around Chinese text "动态图"; write “动态图” and no space'
    )
    assert single.startswith("ASCII quotes around Chinese text '即时执行'; write ‘即时执行’")
    assert _messages('它叫 "define-by-run"，isn\'t it') == []


def test_full_width_letters_and_digits_in_code() -> None:
    """Full-width letters or digits inside a code span or a fenced block are reported with the
    ASCII to write; in prose they are not this rule's business."""
    assert _messages("看 `ｘ.grad１` 的值") == [
        "full-width 'ｘ' in code 'ｘ.grad１'; write the ASCII 'x'",
        "full-width '１' in code 'ｘ.grad１'; write the ASCII '1'",
    ]
    assert _messages("代码块：\n\n```python\nｙ = 1\n```\n")[0].startswith(
        "full-width 'ｙ' in a code block 'ｙ = 1'; write the ASCII 'y'"
    )
    assert _messages("第１步，先算梯度。") == []


def test_mixed_half_and_full_width_punctuation() -> None:
    """A half-width , ; : ! ? . used as Chinese punctuation in a sentence that also has
    full-width punctuation is reported; tuples, formats, ratios and decimals are not."""
    (comma,) = _messages("张量是多维数组, 它可以放在 GPU 上。")
    assert comma.startswith("half-width ',' in a Chinese sentence with full-width punctuation")
    assert comma.endswith("write '，'")
    assert _messages("形状为 (批量, 特征)，格式是“类型:编号”，比例 2:4，约 0.5。") == []
    assert _messages("只有半角, 没有全角") == [], "not mixed: no full-width punctuation"


@pytest.mark.parametrize(
    "value",
    [
        '调用 `print("你好， 世界")` 之后，输出什么？',
        '代码：\n\n```python\n# 注释， 说明 "张量"\n```\n',
        "见 https://example.com/a，b 的说明。",
        "- （可选）先清零梯度\n- （必选）再反向传播",
        "| 中文 | 说明 |\n| --- | --- |\n| （a） | b |",
        "第一段。\n\n第二段。",
    ],
    ids=["code-span", "code-block", "url", "list-markers", "table", "paragraphs"],
)
def test_exclusions(value: str) -> None:
    """Code spans, fenced code blocks, URLs, Markdown list markers, table padding and paragraph
    breaks are not typography mistakes."""
    assert _messages(value) == []


def test_soft_line_break_is_a_space() -> None:
    """A line break inside a Markdown paragraph is shown as a space: beside full-width
    punctuation (or between Chinese characters) it is reported."""
    (message,) = _messages("梯度默认累加。\n所以先清零。")
    assert message.startswith("line break beside full-width '。'")
    assert "Markdown shows a line break inside a paragraph as a space" in message
    assert _messages("梯度默认\n累加。")[0].startswith("line break between Chinese characters")
    assert _messages("调用\n`backward()`。") == []


def test_prose_masks_code_and_urls_keeping_indices() -> None:
    """The masked text has the length of the text; code and URLs are masked, prose is not."""
    prose = Prose("用 `x` 与 https://a.b/c。\n```\n码\n```\n完")
    assert len(prose.masked) == len(prose.text)
    assert prose.masked.count("\x00") == len("`x`") + len("https://a.b/c") + len("```码```")
    assert prose.masked.endswith("\n完")
    assert [s.block for s in prose.code] == [False, True]


def test_typography_fixture_bank_reports_every_mistake_at_its_line() -> None:
    """A real bank file: each mistake at the line of the offending character, with the id and
    field; a space folded by `>-` or by a quoted value says where it comes from."""
    problems = lint_bank_file(LINT / "typography.yaml")
    assert [(p.line, p.id, p.message.split(":")[0]) for p in problems] == [
        (4, None, "description (zh)"),
        (12, "typo-typed-space", "prompt (zh)"),
        (29, "typo-folded", "explanation (zh)"),
        (30, "typo-folded", "explanation (zh)"),
        (45, "typo-soft-break", "reference (zh)"),
        (53, "typo-soft-break", "key_points[0] (zh)"),
        (65, "typo-quotes", "prompt (zh)"),
        (69, "typo-quotes", "options[1] (zh)"),
        (84, "typo-full-width-code", "prompt (zh)"),
        (87, "typo-full-width-code", "prompt (zh)"),
        (102, "typo-mixed", "prompt (zh)"),
    ]
    folded = problems[2].message
    assert "this space comes from `>-` folding the line break" in folded
    assert "use `|` (one line per paragraph) or keep the sentence on one line" in folded
    assert "space between Chinese characters" in problems[3].message
    assert "YAML folding the line break of a value written over several lines" in (
        problems[5].message
    )


def test_clean_fixture_bank_and_typography_off() -> None:
    """The clean fixture (every exclusion, PyTorch's seed vocabulary) has no problem; with
    typography off the typography fixture has none either."""
    assert lint_bank_file(LINT / "clean.yaml") == []
    assert lint_bank_file(LINT / "typography.yaml", typography=False) == []
