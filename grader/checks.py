"""The API for writing exercise checks (public and hidden): points, bilingual failures, tensor asserts.

A check is an ordinary pytest test that takes the ``submission`` fixture (the learner's module,
already compiled under the sandbox policy) and optionally the ``device`` fixture (the
``torch.device`` the exercise runs on)::

    from grader.checks import points, expect, assert_tensor

    @points(2)
    def test_forward_shape(submission, device):
        out = submission.LinearFunction.apply(torch.randn(4, 3, device=device), ...)
        assert_tensor(out, shape=(4, 2), dtype=torch.float32, device=device)

See ``exercises/README.md`` for the whole contract. Messages are given in English and Chinese,
each named by its keyword, ``fail(en="...", zh="...")`` and ``expect(cond, en="...", zh="...")``,
or as one :class:`grader.i18n.Text` (``fail(Text(zh="...", en="..."))``); the report shows the
learner's language and JSON carries both.

Deprecated: the positional forms ``fail(en, zh)``, ``expect(cond, en, zh)`` and
``CheckFailed(en, zh)``. They still work and mean what they always meant (English first), but
a swapped pair there is a Chinese message shown to English readers that no test notices; write
the keywords. They raise no warning: a check runs while a learner's submission is graded, and
a warning turned into an error there (``-W error``) would cost the learner points.

This module imports torch: it is only ever imported by checks, inside the sandboxed grading
child.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NoReturn

import numpy as np
import pytest
import torch

from grader.i18n import Text
from grader.judge.errors import CheckFailed, check_message

__all__ = [
    "CheckFailed",
    "Text",
    "assert_close",
    "assert_tensor",
    "executor_helper",
    "executor_object",
    "expect",
    "fail",
    "gradcheck64",
    "in_executor",
    "is_remote",
    "keep_result",
    "load_scratch_file",
    "read_scratch_file",
    "loss_decreases",
    "points",
    "remote_bases",
    "seed_everything",
    "type_name",
]


def points(value: float) -> pytest.MarkDecorator:
    """Declare how many points a check is worth (``@points(2)``).

    On a parametrized check the points are split evenly across its cases, so a check's worth does
    not change when cases are added.
    """
    return pytest.mark.points(value)


def fail(*args: str | Text, en: str | None = None, zh: str | None = None) -> NoReturn:
    """Fail the current check with a message in both languages.

    ``fail(en="ds[5] should raise IndexError", zh="ds[5] 应当抛出 IndexError")``, or
    ``fail(text)`` with a :class:`grader.i18n.Text`. The positional ``fail(en, zh)`` is
    deprecated (see the module docstring).
    """
    raise CheckFailed(check_message("fail()", args, en=en, zh=zh))


def expect(
    condition: object, *args: str | Text, en: str | None = None, zh: str | None = None
) -> None:
    """Fail with the given message unless ``condition`` is truthy (a plain ``bool`` is required
    for tensors: ``bool(tensor)`` of a multi-element tensor is an error).

    ``expect(cond, en="...", zh="...")`` or ``expect(cond, text)``; the positional
    ``expect(cond, en, zh)`` is deprecated.
    """
    # Built before the condition is looked at, so a wrong call fails even when cond holds.
    message = check_message("expect()", args, en=en, zh=zh)
    if not condition:
        raise CheckFailed(message)


def _zh(what: str, rest: str) -> str:
    """Join a Chinese phrase: a space only between Latin text (or code) and Chinese."""
    return f"{what} {rest}" if what and what[-1].isascii() else f"{what}{rest}"


def _describe(x: object) -> str:
    if type(x) is torch.Tensor:
        return f"Tensor(shape={tuple(x.shape)}, dtype={x.dtype}, device={x.device})"
    return f"{type(x).__name__}"


def assert_tensor(
    x: object,
    *,
    shape: Sequence[int] | None = None,
    dtype: torch.dtype | None = None,
    device: torch.device | str | None = None,
    what_en: str = "the result",
    what_zh: str = "结果",
) -> torch.Tensor:
    """Check that ``x`` is exactly a ``torch.Tensor`` (no subclass) with the given shape/dtype/device."""
    if type(x) is not torch.Tensor:
        fail(
            en=f"{what_en} should be a torch.Tensor, got {_describe(x)}",
            zh=_zh(what_zh, f"应当是 torch.Tensor，实际得到 {_describe(x)}"),
        )
    assert type(x) is torch.Tensor
    if shape is not None and tuple(x.shape) != tuple(shape):
        fail(
            en=f"{what_en} should have shape {tuple(shape)}, got {tuple(x.shape)}",
            zh=_zh(what_zh, f"的形状应为 {tuple(shape)}，实际为 {tuple(x.shape)}"),
        )
    if dtype is not None and x.dtype != dtype:
        fail(
            en=f"{what_en} should have dtype {dtype}, got {x.dtype}",
            zh=_zh(what_zh, f"的 dtype 应为 {dtype}，实际为 {x.dtype}"),
        )
    if device is not None and x.device.type != torch.device(device).type:
        fail(
            en=f"{what_en} should be on device {torch.device(device).type}, got {x.device}",
            zh=_zh(what_zh, f"应位于设备 {torch.device(device).type} 上，实际在 {x.device}"),
        )
    return x


def assert_close(
    actual: object,
    expected: torch.Tensor,
    *,
    rtol: float = 1e-5,
    atol: float = 1e-6,
    what_en: str = "the result",
    what_zh: str = "结果",
) -> None:
    """Compare a plain tensor with the expected one (shape, dtype, then values with tolerance).

    The comparison is done on float64 copies with plain arithmetic, never through methods of the
    submission's object, so an object that fakes equality cannot pass.
    """
    got = assert_tensor(
        actual, shape=tuple(expected.shape), dtype=expected.dtype, what_en=what_en, what_zh=what_zh
    )
    a = got.detach().to("cpu", torch.float64)
    e = expected.detach().to("cpu", torch.float64)
    if a.numel() == 0:
        return
    diff = (a - e).abs()
    bound = atol + rtol * e.abs()
    bad = ~(diff <= bound)  # NaN counts as bad
    if bool(bad.any()):
        idx = int(torch.nonzero(bad.reshape(-1))[0])
        worst = float(torch.nan_to_num(diff, nan=math.inf).max())
        n_bad = int(bad.sum())
        pos = tuple(int(i) for i in np.unravel_index(idx, tuple(a.shape))) if a.dim() else ()
        fail(
            en=f"{what_en} has wrong values: {n_bad} of {a.numel()} elements differ "
            f"(max abs diff {worst:.3g}); first at index {pos}: expected {e.reshape(-1)[idx].item():.6g}, "
            f"got {a.reshape(-1)[idx].item():.6g}",
            zh=_zh(
                what_zh,
                f"的数值不对：{a.numel()} 个元素中有 {n_bad} 个不同（最大绝对误差 {worst:.3g}）；"
                f"第一个在下标 {pos}：期望 {e.reshape(-1)[idx].item():.6g}，"
                f"实际 {a.reshape(-1)[idx].item():.6g}",
            ),
        )


def gradcheck64(
    fn: Callable[..., Any], inputs: Iterable[object], *, what: str = "backward"
) -> None:
    """Run ``torch.autograd.gradcheck`` on float64 copies of ``inputs``; fail with a clear message.

    Uses gradcheck's fast mode (random projections of the Jacobian, deterministic under the seed
    every check starts with): a handful of calls instead of two per input element, which matters
    when every call crosses to the executor."""
    # gradcheck's typing says tensors only; it passes other inputs (ints, None) through untouched.
    converted: Any = tuple(
        t.detach().to(torch.float64).requires_grad_(t.requires_grad)
        if type(t) is torch.Tensor and t.is_floating_point()
        else t
        for t in inputs
    )
    try:
        ok = torch.autograd.gradcheck(
            fn, converted, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, fast_mode=True
        )
    except CheckFailed:
        raise
    except (
        Exception
    ) as exc:  # gradcheck raises GradcheckError (a RuntimeError) or the fn's own error
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail(
            en=f"{what}: gradients do not match numerical gradients ({first[:300]})",
            zh=f"{what}：梯度与数值梯度不一致（{first[:300]}）",
        )
    expect(ok, en=f"{what}: gradcheck failed", zh=f"{what}：gradcheck 未通过")


def loss_decreases(losses: Sequence[object], *, factor: float = 1.0) -> None:
    """Check that ``losses`` are plain floats and the last is below ``factor`` times the first."""
    for i, value in enumerate(losses):
        if type(value) is not float:
            fail(
                en=f"loss #{i} should be a Python float, got {_describe(value)}",
                zh=f"第 {i} 个损失值应为 Python float，实际为 {_describe(value)}",
            )
    if len(losses) < 2:
        fail(en="need at least two loss values", zh="至少需要两个损失值")
    first, last = float(losses[0]), float(losses[-1])  # type: ignore[arg-type]
    if not (math.isfinite(last) and last < factor * first):
        fail(
            en=f"the loss did not decrease: first {first:.4g}, last {last:.4g}",
            zh=f"损失没有下降：最初 {first:.4g}，最后 {last:.4g}",
        )


def seed_everything(seed: int = 0) -> None:
    """Seed Python's ``random``, NumPy and torch (CPU and every CUDA device)."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _session() -> Any:
    from grader.judge import plugin

    if plugin.CONTEXT is None or plugin.CONTEXT.session is None:
        raise RuntimeError("no submission is being graded")
    return plugin.CONTEXT.session


def is_remote(obj: object) -> bool:
    """``obj`` lives in the executor (the learner's function, class or instance): the check holds
    a handle, and every use of it is a request."""
    from grader.judge.remote import RemoteObject

    return isinstance(obj, RemoteObject)


def remote_bases(obj: object) -> tuple[str, ...]:
    """The standard classes (``torch.nn.modules.module.Module``, ``torch.utils.data.dataset.
    Dataset``, ...) that the executor says a remote object's class derives from. Only for
    messages and for checks worth no points: an owned executor can say anything here."""
    from grader.judge.remote import remote_bases as bases

    return bases(obj)


def type_name(obj: object) -> str:
    """The name of ``obj``'s class, for messages (a remote object's class as the learner named it)."""
    return type(obj).__name__


def in_executor(value: object) -> Any:
    """Send a copy of ``value`` (a tensor, a standard module, a DataLoader, ...) to the executor
    and keep it there: the check gets a handle, so e.g. hooks the learner's code registers on a
    module stay with it and run when the check calls ``handle(x)``. Nothing is merged back."""
    return _session().keep(value)


def executor_object(name: str, *args: object, **kwargs: object) -> Any:
    """A new grader-library object (``grader.executor.helpers.OBJECTS``) created in the executor,
    as a handle: e.g. ``executor_object("Affine", 2.0, 1.0)``, a transform to hand the learner's
    code."""
    return _session().keep(make=name, args=args, kwargs=kwargs)


def executor_helper(name: str, *args: object, **kwargs: object) -> Any:
    """Run grader library code (``grader.executor.helpers.HELPERS``) inside the executor and get
    its data back (e.g. training steps on a model kept there). What comes back is the
    submission's output: check it against your own reference, never trust it as a verdict. For
    files the learner wrote use :func:`read_scratch_file`, which reads the file itself."""
    return _session().helper(name, *args, **kwargs)


def keep_result(function: Any, *args: object, **kwargs: object) -> Any:
    """Call a function of the submission and keep its result in the executor: the check gets a
    handle instead of a copy, e.g. for a dict the learner's hooks fill in later
    (``acts = keep_result(submission.record_activations, model, names)``; later ``acts.copy()``
    brings a copy of its current contents)."""
    from grader.judge.remote import RemoteObject

    if not isinstance(function, RemoteObject):
        raise TypeError("keep_result() takes a function of the submission")
    return function._r_session.call(function, None, args, kwargs, keep=True)


SCRATCH_READ_LIMIT = 64 << 20


def read_scratch_file(name: str) -> bytes | None:
    """The bytes of the file ``name`` the learner's code wrote in its scratch folder (its working
    directory), or None when there is none. The executor template opens it (no link followed, no
    FIFO, regular files only) and hands the judge the descriptor: what comes back is the file on
    disk, not the executor's word about it."""
    return _session().scratch_file(name, SCRATCH_READ_LIMIT)


def load_scratch_file(name: str, *, what_en: str | None = None, what_zh: str | None = None) -> Any:
    """``torch.load(..., weights_only=True)`` of a file the learner's code wrote; fails the check
    with a clear message when the file is missing or is not a checkpoint ``weights_only`` loads."""
    import io

    data = read_scratch_file(name)
    what_en = what_en or f"the file {name!r}"
    what_zh = what_zh or f"文件 {name!r}"
    if data is None:
        fail(en=f"{what_en} was not written", zh=f"{what_zh} 没有被写入")
    try:
        return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as exc:  # whatever the unpickler refuses
        first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__
        fail(
            en=f"{what_en} cannot be loaded with torch.load(weights_only=True): {first}",
            zh=f"{what_zh} 无法用 torch.load(weights_only=True) 加载：{first}",
        )
