# Allowed state games: reseed every generator at import and on each call. The submission is
# otherwise correct; the state must not outlive its own check.
import random

import numpy as np
import torch

torch.manual_seed(1234)
np.random.seed(1234)
random.seed(1234)


def add_one(x):
    torch.manual_seed(4321)
    return x + 1
