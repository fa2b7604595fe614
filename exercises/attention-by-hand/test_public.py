"""Public checks for attention-by-hand: run them with `grader check attention-by-hand FILE`."""

import torch

from grader.checks import assert_close

Q = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
K = [[1.0, 0.0], [0.0, 1.0]]
V = [[1.0, 2.0], [3.0, 4.0]]


def expected(mask_rows):
    """The worked example's output, computed in float64: each row of mask_rows lists the keys
    its query may attend to (an empty list gives zeros)."""
    q, k, v = (torch.tensor(t, dtype=torch.float64) for t in (Q, K, V))
    scores = q @ k.T / 2**0.5
    rows = []
    for i, keys in enumerate(mask_rows):
        if not keys:
            rows.append(torch.zeros(2, dtype=torch.float64))
            continue
        w = torch.softmax(scores[i, keys], dim=0)
        rows.append(w @ v[keys])
    return torch.stack(rows).float()


def test_example_no_mask(submission, device):
    """attention(q, k, v) of the worked example."""
    q, k, v = (torch.tensor(t, device=device) for t in (Q, K, V))
    assert_close(
        submission.attention(q, k, v),
        expected([[0, 1], [0, 1], [0, 1]]).to(device),
        rtol=1e-4,
        atol=1e-5,
        what_en="attention(q, k, v) of the example",
        what_zh="示例中 attention(q, k, v) 的结果",
    )


def test_example_bool_mask(submission, device):
    """A boolean mask keeps its True entries; row 2 may attend to no key and gives zeros."""
    q, k, v = (torch.tensor(t, device=device) for t in (Q, K, V))
    mask = torch.tensor([[True, False], [True, True], [False, False]], device=device)
    assert_close(
        submission.attention(q, k, v, attn_mask=mask),
        expected([[0], [0, 1], []]).to(device),
        rtol=1e-4,
        atol=1e-5,
        what_en="attention(q, k, v, attn_mask=mask) of the example",
        what_zh="示例中 attention(q, k, v, attn_mask=mask) 的结果",
    )
