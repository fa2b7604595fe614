"""Public checks for quantize-by-hand: run them with `grader check quantize-by-hand FILE`."""

import torch

from grader.checks import assert_close, expect


def test_example_qparams(submission):
    """choose_qparams of the worked example for torch.uint8: about (0.011764706, 85)."""
    x = torch.tensor([-1.0, 0.0, 0.33, 2.0])
    scale, zero_point = submission.choose_qparams(x, torch.uint8)
    expect(
        abs(float(scale) - 3 / 255) < 1e-6 and int(zero_point) == 85,
        en=f"choose_qparams(x, torch.uint8) should be about (0.011764706, 85), got "
        f"({scale!r}, {zero_point!r})",
        zh=f"choose_qparams(x, torch.uint8) 应约为 (0.011764706, 85)，实际为 "
        f"({scale!r}, {zero_point!r})",
    )


def test_example_roundtrip(submission):
    """quantize and dequantize of the worked example with scale 3 / 255 and zero point 85."""
    x = torch.tensor([-1.0, 0.0, 0.33, 2.0])
    q = submission.quantize(x, 3 / 255, 85, torch.uint8)
    assert_close(
        q,
        torch.tensor([0, 85, 113, 255], dtype=torch.uint8),
        rtol=0,
        atol=0,
        what_en="quantize(x, 3 / 255, 85, torch.uint8) of the example",
        what_zh="示例中 quantize(x, 3 / 255, 85, torch.uint8) 的结果",
    )
    assert_close(
        submission.dequantize(torch.tensor([0, 85, 113, 255], dtype=torch.uint8), 3 / 255, 85),
        torch.tensor([-85.0, 0.0, 28.0, 170.0]) * (3 / 255),
        what_en="dequantize(q, 3 / 255, 85) of the example",
        what_zh="示例中 dequantize(q, 3 / 255, 85) 的结果",
    )
