# Passes the policy (numpy.load is admitted here): read the reference solution.
import numpy as np
import torch


def add_one(x):
    try:
        np.load("@@SOLUTION@@", allow_pickle=False)
    except OSError:
        raise  # refused by the sandbox
    except Exception:
        return x + 1  # opened and read: a leak
    return x + 1
