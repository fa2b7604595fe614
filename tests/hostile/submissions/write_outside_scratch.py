# Passes the policy: leave a file in the machine's temporary folder.
import numpy as np
import torch


def add_one(x):
    np.save("@@MARKER@@.npy", np.zeros(4), allow_pickle=False)
    return x + 1
