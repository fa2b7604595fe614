# A thread that keeps running after the check.
import threading

import torch


def spin():
    while True:
        pass


threading.Thread(target=spin, daemon=False).start()


def add_one(x):
    return x + 1
