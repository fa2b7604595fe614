import torch


def quantize(x, scale, zero_point, dtype):
    qdtype = torch.quint8 if dtype == torch.uint8 else torch.qint8
    quantized = torch.quantize_per_tensor(x, scale, zero_point, qdtype)
    return quantized.int_repr()
