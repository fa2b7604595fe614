# A TCP connection through torch.distributed's key-value store.
import torch
import torch.distributed as dist

dist.TCPStore("127.0.0.1", @@TCP_PORT@@, 2, False).set("leak", "1")


def add_one(x):
    return x + 1
