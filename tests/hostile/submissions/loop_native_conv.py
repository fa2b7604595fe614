# Native convolutions that run far beyond the time limit: 32-channel 5x5 convolutions over a
# 128x128 image (~0.8 GFLOP each), hundreds of them, with under 100 MB of memory (the executor
# runs ATen's own convolution: oneDNN's JIT needs executable memory).
import torch
import torch.nn.functional as F


def add_one(x):
    image, kernel = torch.ones(1, 32, 128, 128), torch.ones(32, 32, 5, 5)
    out = F.conv2d(image, kernel)
    for _ in range(500):
        out = F.conv2d(image, kernel)
    return x + 1 + out[0, 0, 0, :3] * 0
