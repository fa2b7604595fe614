"""The policy's runtime guard for an exercise's ``deny:`` list, as the executor runs it: what the
judge's static scan cannot see (computed names, values handed back by library code) is refused
when the submission reaches it, with rule ``deny`` and the learner's line."""

from __future__ import annotations

import pytest
import torch

from grader.sandbox.policy import VIOLATIONS, PolicyViolation, compile_submission, load_submission

DENY = (
    "torch.softmax",
    "torch.nn.functional.softmax",
    "Tensor.softmax",
    "torch.nn.Softmax",
    "torch.nn.functional",
)
NAME = "''.join(reversed('xamtfos'))"  # "softmax", computed at run time


def run(source: str, deny: tuple[str, ...] = DENY, name: str = "deny_submission"):
    code = compile_submission(source, "submission.py", deny=deny)
    return load_submission(code, module_name=name, deny=deny)


def refused(source: str, deny: tuple[str, ...] = DENY) -> PolicyViolation:
    with pytest.raises(PolicyViolation) as caught:
        run(source, deny)
    return caught.value


CASES = {
    "getattr_module": (f"import torch\nf = getattr(torch, {NAME})\n", "torch.softmax", 2),
    "getattr_tensor": (
        f"import torch\nx = torch.ones(2)\nf = getattr(x, {NAME})\n",
        "Tensor.softmax",
        3,
    ),
    "getattr_parameter": (
        f"import torch\np = torch.nn.Parameter(torch.ones(2))\nf = getattr(p, {NAME})\n",
        "Tensor.softmax",
        3,
    ),
    "getattr_tensor_class": (
        f"import torch\nf = getattr(torch.Tensor, {NAME})\n",
        "Tensor.softmax",
        2,
    ),
    "hasattr_tensor": (
        f"import torch\nf = hasattr(torch.ones(2), {NAME})\n",
        "Tensor.softmax",
        2,
    ),
    "type_of_tensor": (
        f"import torch\nf = getattr(type(torch.ones(2)), {NAME})\n",
        "Tensor.softmax",
        2,
    ),
    "class_by_computed_name": (
        "import torch\nf = getattr(torch.nn, 'Soft' + 'max'.lower())\n",
        "torch.nn.Softmax",
        2,
    ),
    "import_denied_module": ("import torch.nn.functional as F\n", "torch.nn.functional", 1),
    "from_import_denied_module": ("from torch.nn import functional\n", "torch.nn.functional", 1),
    "from_denied_module": ("from torch.nn.functional import relu\n", "torch.nn.functional", 1),
    "module_by_attribute": ("import torch\nF = torch.nn.functional\n", "torch.nn.functional", 2),
}


@pytest.mark.parametrize("case", list(CASES))
def test_refused_at_run_time(case):
    source, api, line = CASES[case]
    violation = refused(source)
    assert (violation.rule, violation.lineno) == ("deny", line)
    assert violation.en.startswith(f"line {line}: this exercise does not allow `{api}`")
    assert violation.zh.startswith(f"第 {line} 行：本练习不允许使用 `{api}`")
    assert violation.en.endswith("(rule: deny)") and violation.zh.endswith("（规则：deny）")


def test_swallowed_refusal_is_recorded():
    module = run(
        "import torch\n"
        "def f(x):\n"
        "    try:\n"
        f"        return getattr(x, {NAME})(0)\n"
        "    except Exception:\n"
        "        return None\n",
        name="deny_swallow",
    )
    before = len(VIOLATIONS)
    assert module.f(torch.ones(2)) is None
    assert len(VIOLATIONS) == before + 1
    assert (VIOLATIONS[-1].rule, VIOLATIONS[-1].lineno) == ("deny", 4)


def test_learner_objects_and_other_names_pass():
    """Own objects with an attribute `softmax`, other tensor methods and functions of torch
    (also computed) are not refused."""
    module = run(
        "import torch\n"
        "class Own:\n"
        "    def softmax(self):\n"
        "        return 1\n"
        f"own = getattr(Own(), {NAME})()\n"
        "x = torch.ones(3)\n"
        "e = getattr(x, 'ex' + 'p')()\n"
        "s = getattr(torch, 'log_' + 'softmax')(x, 0)\n",
        deny=("torch.softmax", "Tensor.softmax"),
        name="deny_pass",
    )
    assert module.own == 1
    assert torch.allclose(module.s, torch.log_softmax(torch.ones(3), 0))


def test_library_code_still_uses_denied_functions():
    """deny is about what the learner's code names: torch's own modules may call F.softmax."""
    module = run(
        "import torch\n"
        "attention = torch.nn.MultiheadAttention(4, 1)\n"
        "q = torch.ones(2, 1, 4)\n"
        "out, weights = attention(q, q, q)\n",
        deny=("torch.softmax", "torch.nn.functional.softmax", "Tensor.softmax"),
        name="deny_library",
    )
    assert module.weights.shape == (1, 2, 2)


def test_invalid_entry_is_a_value_error():
    with pytest.raises(ValueError, match="'torch.sofmax' names nothing"):
        compile_submission("x = 1\n", deny=("torch.sofmax",))


def test_without_deny_nothing_changes():
    module = run(f"import torch\nf = getattr(torch, {NAME})\n", deny=(), name="deny_none")
    assert module.f is torch.softmax
