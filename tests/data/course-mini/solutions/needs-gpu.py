import torch


def to_gpu(x):
    return x.to("cuda")
