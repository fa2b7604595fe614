# A child process through torch.multiprocessing.
import torch
import torch.multiprocessing as mp

mp.Process(target=print, args=("escaped",)).start()


def add_one(x):
    return x + 1
