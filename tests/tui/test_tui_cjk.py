"""Chinese line breaking: between ideographs, Latin tokens and inline code whole, no line starting
with closing punctuation; checked on the wrapper and on real widgets at several widths, and the
patch checked against the pinned Rich and Textual (the private names it replaces)."""

from __future__ import annotations

import importlib.metadata
import inspect
import re
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import rich._wrap
import rich.cells
import rich.text
import textual._wrap
import textual.content
import textual.document._wrapped_document
from quiz_pilot import pilot_test
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Markdown, Static, TextArea

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


@pytest.mark.parametrize("tail", ["", "。", "）。"])
def test_no_single_character_on_the_last_line(tail: str) -> None:
    """A paragraph whose last line would hold one character (``解`` / ``析``) breaks one
    character earlier; a line that can hold the rest still takes it."""
    text = "这是一个关于自动求导的解析" + tail
    width = cell_len("这是一个关于自动求导的解")  # room for all but the last character
    lines = cjk.wrap(text, width)
    assert lines == ["这是一个关于自动求导的", "解析" + tail], lines
    assert cjk.wrap(text, cell_len(text)) == [text]
    spaced = cjk.wrap("用 loss.backward() 求解析", cell_len("用 loss.backward() 求解"))
    assert spaced[-1] == "解析", spaced


@pytest.mark.parametrize(
    ("unit", "width", "pieces"),
    [
        ("backward(ctx,\u00a0grad_output)", 20, ["backward(ctx,\u00a0", "grad_output)"]),
        ("autograd.Function", 12, ["autograd.", "Function"]),
        ("torch.autograd.Function", 16, ["torch.autograd.", "Function"]),
        ("optimizer.step()。", 16, ["optimizer.step(", ")。"]),
        ("Backpropagation", 8, ["Backprop", "agation"]),
    ],
)
def test_a_unit_wider_than_the_line_folds_at_a_seam(
    unit: str, width: int, pieces: list[str]
) -> None:
    """An identifier or code span too long for the line folds after a space, `,`, `(`, `.` or
    `_` where it has one (statements read `g` / `rad_output` before); only a unit without any
    seam is cut at the width."""
    assert cjk.chop_cells(unit, width) == pieces


def _rich_words(text: str):  # type: ignore[no-untyped-def]
    """Rich's own word splitter (``rich._wrap.words`` before the patch)."""
    position = 0
    while (match := rich._wrap.re_word.match(text, position)) is not None:
        yield match.start(), match.end(), match.group(0)
        position = match.end()


def test_english_wraps_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text without CJK wraps exactly as Rich wraps it without the patch, except that a word
    longer than a line folds after a seam (`(x.` / `grad).`), where Rich cuts at the width."""
    text = "Backpropagation accumulates gradients into each leaf tensor's grad attribute (x.grad)."
    assert cjk.wrap(text, 8)[-2:] == ["(x.", "grad)."]
    widths = (9, 10, 20, 33)
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


class _SoftWrapped(App[None]):
    def compose(self) -> ComposeResult:
        yield TextArea(TEXTS[0], soft_wrap=True, id="answer")


@pilot_test
async def test_text_area_soft_wrap_breaks_chinese_correctly() -> None:
    """A soft-wrapping TextArea (where learners type their own answers) keeps identifiers whole
    and starts no line with closing punctuation."""
    cjk.install()
    for width in (30, 37, 50):
        app = _SoftWrapped()
        async with app.run_test(size=(width, 12)) as pilot:
            await pilot.pause()
            strips = app.screen._compositor.render_strips()
            lines = [s.text.strip().strip("▊▎▔▁").strip() for s in strips]
        for line in lines:
            assert not line or line[0] not in FORBIDDEN_STARTS, (width, line)
        for token in ("loss.backward()", ".grad", "backward"):
            assert any(token in line for line in lines), (width, token, lines)


class _Note(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("Note: " + "梯度会在每次反向传播时累加" * 3, id="note")


@pilot_test
async def test_static_fills_the_line_after_a_latin_word() -> None:
    """After "Note: " the Chinese continues on the same line and fills every line, instead of
    leaving "Note:" alone and jumping whole to the next one."""
    cjk.install()
    app = _Note()
    async with app.run_test(size=(24, 8)) as pilot:
        await pilot.pause()
        lines = [s.text.rstrip() for s in app.screen._compositor.render_strips()]
    text = [line for line in lines if line]
    assert text[0].startswith("Note: 梯度"), text
    assert all(cell_len(line) >= 22 for line in text[:-1]), text


# -- the patch still fits the libraries ---------------------------------------------------------
# grader/tui/cjk.py replaces private names of Rich and Textual (its docstring says why there is
# no supported hook). These checks fail when an upgrade changes what the patch relies on.

CHANGED = "changed under grader/tui/cjk.py's patch (see its docstring): "
_ARG = "POSITIONAL_OR_KEYWORD"
_TEXT = ("text", _ARG, inspect.Parameter.empty)
_WIDTH = ("width", _ARG, inspect.Parameter.empty)


def _params(function: Callable[..., Any]) -> list[tuple[str, str, object]]:
    """Each parameter's name, kind and default (what a caller relies on)."""
    return [
        (p.name, p.kind.name, p.default) for p in inspect.signature(function).parameters.values()
    ]


def test_rich_still_fits_the_patch() -> None:
    """``divide_line`` (which Rich's Text and Textual's Content wrap with) still calls the module's
    ``words`` and ``chop_cells``, whose signatures and word contract the replacements keep."""
    cjk.install()
    words, chop_cells = cjk.REPLACED["rich._wrap.words"], cjk.REPLACED["rich._wrap.chop_cells"]
    assert _params(words) == [_TEXT] == _params(cjk.words), CHANGED + "words"
    assert rich._wrap.re_word.pattern == r"\s*\S+\s*", CHANGED + "the word pattern"
    assert chop_cells is rich.cells.chop_cells, CHANGED + "chop_cells"
    chop = [_TEXT, _WIDTH, ("unicode_version", _ARG, "auto")]
    assert _params(chop_cells) == chop == _params(cjk.chop_cells), CHANGED + "chop_cells"
    divide_line = rich._wrap.divide_line
    assert _params(divide_line) == [_TEXT, _WIDTH, ("fold", _ARG, True)], CHANGED + "divide_line"
    assert divide_line.__globals__ is vars(rich._wrap), CHANGED + "divide_line's module"
    assert {"words", "chop_cells"} <= set(divide_line.__code__.co_names), CHANGED + "divide_line"
    assert rich.text.divide_line is divide_line, CHANGED + "rich.text.Text.wrap"
    assert textual.content.divide_line is divide_line, CHANGED + "textual.content.Content"
    assert (rich._wrap.words, rich._wrap.chop_cells) == (cjk.words, cjk.chop_cells)


def test_textual_still_fits_the_patch() -> None:
    """TextArea's soft wrap still splits text with ``textual._wrap.re_chunk`` (looked up when
    called), whose pattern the replacement mirrors."""
    cjk.install()
    assert cjk.REPLACED["textual._wrap.re_chunk"].pattern == r"\S+\s*|\s+", CHANGED + "re_chunk"
    assert "re_chunk" in textual._wrap.chunks.__code__.co_names, CHANGED + "chunks"
    assert "chunks" in textual._wrap.compute_wrap_offsets.__code__.co_names, CHANGED + "wrapping"
    wrapped_document = textual.document._wrapped_document
    assert wrapped_document.compute_wrap_offsets is textual._wrap.compute_wrap_offsets, (
        CHANGED + "TextArea's WrappedDocument"
    )
    assert textual._wrap.re_chunk is cjk._CHUNK


def test_wrapping_libraries_are_installed_at_their_pins() -> None:
    """pyproject.toml pins textual and rich exactly, and those are the versions installed (the
    checks above and the snapshots were made against them)."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    dependencies = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["dependencies"]
    exact = (re.fullmatch(r"([A-Za-z0-9_.-]+)==([^;\s]+)", d.strip()) for d in dependencies)
    pins = dict(match.groups() for match in exact if match)
    for name in ("textual", "rich"):
        assert name in pins, f"pyproject.toml must pin {name} exactly (see grader/tui/cjk.py)"
        assert importlib.metadata.version(name) == pins[name], (name, pins[name])
