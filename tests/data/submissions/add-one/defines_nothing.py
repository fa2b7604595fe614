import torch

value = torch.ones(1)
