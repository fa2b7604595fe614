import torch
import torch.nn.functional as F


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    rows = x.reshape(1, -1, int(torch.tensor(shape).prod()))  # one "channel" per group
    y = F.batch_norm(rows, None, None, training=True, eps=eps).reshape(x.shape)
    y = y * weight if weight is not None else y
    return y + bias if bias is not None else y
