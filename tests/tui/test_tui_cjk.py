"""Chinese line breaking: between ideographs, Latin tokens and inline code whole, no line starting
with closing punctuation; checked on the wrapper and on real widgets at several widths."""

from __future__ import annotations

import re

import pytest
import rich._wrap
import rich.cells
from quiz_pilot import pilot_test
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Markdown, Static

from grader.tui import cjk

FORBIDDEN_STARTS = "，。：；）、！？」』】》"
TEXTS = [
    "在 PyTorch 中，调用loss.backward()之后，梯度保存在叶子张量的.grad属性中（不是模型的backward方法返回值）。",
    "判断：`nn.Module` 自带 `backward` 方法，训练时要调用 `model.backward()`；优化器用optimizer.zero_grad()清零。",
    "张量x的形状是(3, 4)，x.view(-1)返回视图：它与原张量共享存储；而x.clone()复制数据，x.tolist()返回列表。",
    "先清零梯度，再前向计算损失，然后反向传播，最后更新参数：optimizer.step()。",
]
WIDTHS = [12, 17, 20, 27, 33, 41, 60]
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*(?:\(\))?")


def _check(lines: list[str], text: str, width: int) -> None:
    plain = text.replace("`", "")
    for line in lines:
        assert cell_len(line) <= width, (width, line)
        assert not line.strip() or line.strip()[0] not in FORBIDDEN_STARTS, (width, line)
    for token in IDENTIFIER.findall(plain):
        if len(token) <= width - 2:
            assert any(token in line for line in lines), (width, token, lines)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_wrap_breaks_between_ideographs(text: str, width: int) -> None:
    """Lines fit, none starts with ，。：；）, identifiers stay whole, nothing is lost."""
    lines = cjk.wrap(text, width)
    _check(lines, text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_chinese_fills_lines() -> None:
    """Unspaced Chinese fills each line instead of jumping whole to the next one."""
    lines = cjk.wrap("注意：" + "梯度会在每次反向传播时累加" * 3, 24)
    assert lines[0].startswith("注意：梯度")
    assert all(cell_len(line) >= 22 for line in lines[:-1])


def _rich_words(text: str):  # type: ignore[no-untyped-def]
    """Rich's own word splitter (``rich._wrap.words`` before the patch)."""
    position = 0
    while (match := rich._wrap.re_word.match(text, position)) is not None:
        yield match.start(), match.end(), match.group(0)
        position = match.end()


def test_english_wraps_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text without CJK wraps exactly as Rich wraps it without the patch."""
    text = "Backpropagation accumulates gradients into each leaf tensor's grad attribute (x.grad)."
    widths = (8, 10, 20, 33)
    patched = [cjk.wrap(text, width) for width in widths]
    monkeypatch.setattr(rich._wrap, "words", _rich_words)
    monkeypatch.setattr(rich._wrap, "chop_cells", rich.cells.chop_cells)
    original = []
    for width in widths:
        offsets = [0, *rich._wrap.divide_line(text, width), len(text)]
        original.append([text[a:b].rstrip() for a, b in zip(offsets, offsets[1:], strict=False)])
    assert patched == original


def test_inline_code_with_spaces_stays_whole() -> None:
    """protect_inline_code keeps a short code span on one line."""
    protected = cjk.protect_inline_code(
        "使用 `torch.no_grad() as ctx` 上下文管理器时不记录计算图。"
    )
    lines = cjk.wrap(protected.replace("`", ""), 26)
    assert any("torch.no_grad()\u00a0as\u00a0ctx" in line for line in lines), lines


class _Wrapped(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(TEXTS[0], id="static")
        yield Markdown(cjk.protect_inline_code(TEXTS[1]), id="markdown")


@pilot_test
async def test_widgets_wrap_chinese_correctly() -> None:
    """Static and Markdown in the running app break lines by the same rules at several widths."""
    cjk.install()
    for width in (30, 37, 50):
        app = _Wrapped()
        async with app.run_test(size=(width, 30)) as pilot:
            await pilot.pause()
            lines = [s.text.rstrip() for s in app.screen._compositor.render_strips()]
        for line in lines:
            assert not line.strip() or line.strip()[0] not in FORBIDDEN_STARTS, (width, line)
        body = "\n".join(lines)
        for token in ("loss.backward()", ".grad", "model.backward()", "optimizer.zero_grad()"):
            assert token in body, (width, token, lines)
