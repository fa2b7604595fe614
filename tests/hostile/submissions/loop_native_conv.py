# One native op that runs far beyond the time limit: a 64-channel 31x31 convolution over a
# 512x512 image (~1.8 TFLOP, over ten seconds on one thread), with under 200 MB of tensors.
import torch
import torch.nn.functional as F


def add_one(x):
    out = F.conv2d(torch.ones(1, 64, 512, 512), torch.ones(64, 64, 31, 31))
    return x + 1 + out[0, 0, 0, :3] * 0
