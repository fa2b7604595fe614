"""Exercises' ``deny:`` lists: every entry names something in the installed torch, and
submissions that use a denied API are refused, graded through the real grader.

The refused submissions are not variants: ``variants/<id>/manifest.yaml`` says which checks a
buggy variant loses and requires it to keep some points, while a denied API is a verdict for the
whole file (every check ``policy``, score 0). They live in ``data/denied/<id>/``, and ``DENIED``
says what each must be refused for: the API (as the exercise's ``deny:`` names it) and the line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from grader.denylist import resolve
from grader.exercises.loader import load_exercises

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data" / "denied"

EXERCISES = load_exercises(ROOT / "exercises", ROOT / "solutions")

DENIED = {
    "softmax-by-hand": {
        "torch_softmax.py": ("torch.softmax", 5),
        "functional_alias.py": ("torch.nn.functional.softmax", 5),
        "tensor_method.py": ("Tensor.softmax", 2),
        "log_softmax_exp.py": ("Tensor.log_softmax", 3),
        "functional_log_softmax.py": ("torch.nn.functional.log_softmax", 2),
        "nn_module.py": ("torch.nn.Softmax", 5),
        "softmin_trick.py": ("torch.nn.functional.softmin", 5),
        "special_module.py": ("torch.special.softmax", 5),
        "unreached_fallback.py": ("torch.softmax", 6),
        "computed_name.py": ("torch.softmax", 6),  # refused at run time, by the executor
        "adaptive_log_softmax.py": ("torch.nn.AdaptiveLogSoftmaxWithLoss", 9),
    },
    "autograd-function": {
        "functional_softplus.py": ("torch.nn.functional.softplus", 5),
        "logaddexp_method.py": ("Tensor.logaddexp", 6),
        "bce_with_logits.py": ("torch.nn.functional.binary_cross_entropy_with_logits", 8),
        "autograd_in_backward.py": ("torch.autograd.grad", 18),
        "backward_self_test.py": ("Tensor.backward", 27),  # in code that never runs
    },
    "attention-by-hand": {
        "sdpa_alias.py": ("torch.nn.functional.scaled_dot_product_attention", 1),
        "constant_getattr.py": ("torch.nn.functional.scaled_dot_product_attention", 7),
        "computed_name.py": ("torch.nn.functional.scaled_dot_product_attention", 6),  # run time
        "multi_head_forward.py": ("torch.nn.functional.multi_head_attention_forward", 8),
        "transformer_layer.py": ("torch.nn.TransformerEncoderLayer", 5),
    },
    "layernorm-by-hand": {
        "functional_layer_norm.py": ("torch.nn.functional.layer_norm", 7),
        "batch_norm_disguise.py": ("torch.nn.functional.batch_norm", 8),
        "group_norm_module.py": ("torch.nn.modules.normalization", 12),
        "backward_through_autograd.py": ("Tensor.backward", 23),
    },
    "quantize-by-hand": {
        "quantize_per_tensor.py": ("torch.quantize_per_tensor", 6),
        "fake_quantize.py": ("torch.fake_quantize_per_tensor_affine", 6),
        "observer.py": ("torch.ao", 1),
        "dequantize_method.py": ("Tensor.dequantize", 2),
    },
}


@pytest.mark.parametrize("exercise", [e for e in EXERCISES if e.spec.deny], ids=lambda e: e.id)
def test_deny_entries_resolve(exercise):
    """`grader validate` checks an entry's form without torch; this checks that each one names
    something in the installed torch (grading would refuse the exercise otherwise)."""
    resolve(exercise.spec.deny)


def test_every_denied_submission_is_listed():
    on_disk = {(p.parent.name, p.name) for p in DATA.glob("*/*.py")}
    listed = {(eid, name) for eid, files in DENIED.items() for name in files}
    assert on_disk == listed


@pytest.mark.parametrize(
    ("exercise_id", "name"),
    [(eid, name) for eid, files in DENIED.items() for name in files],
    ids=lambda v: v,
)
def test_denied_submission_is_refused(grade, exercise_id, name):
    """Every check `policy`, score 0, the API and the line named in English and Chinese."""
    api, line = DENIED[exercise_id][name]
    result = grade(exercise_id, DATA / exercise_id / name)
    assert result.tests and result.score == 0
    for test in result.tests:
        assert str(test.reason) == "policy", (test.name, test.reason, test.message.en)
        assert test.lineno == line
        assert test.message.en.startswith(f"line {line}: this exercise does not allow `{api}`")
        assert test.message.zh.startswith(f"第 {line} 行：本练习不允许使用 `{api}`")
