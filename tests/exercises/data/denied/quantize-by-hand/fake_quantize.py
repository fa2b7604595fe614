import torch


def quantize(x, scale, zero_point, dtype):
    qmin, qmax = (0, 255) if dtype == torch.uint8 else (-128, 127)
    fake = torch.fake_quantize_per_tensor_affine(x, scale, zero_point, qmin, qmax)
    return torch.round(fake / scale + zero_point).to(dtype)
