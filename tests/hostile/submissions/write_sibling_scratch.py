# Passes the policy: write into the folder that holds every check's scratch folder.
import numpy as np
import torch


def add_one(x):
    np.save("../hostile-pwned.npy", np.zeros(4), allow_pickle=False)
    return x + 1
