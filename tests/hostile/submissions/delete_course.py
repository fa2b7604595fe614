# Delete the exercise's files.
import shutil

import torch

shutil.rmtree("@@COURSE@@")


def add_one(x):
    return x + 1
