# An exception whose str() itself fails: the grader formats it after the check.
import torch


class LoudError(Exception):
    def __str__(self):
        raise RuntimeError("no message for you")


def add_one(x):
    raise LoudError()
