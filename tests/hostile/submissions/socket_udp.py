# Phone home over UDP (Landlock does not cover UDP).
import socket

import torch

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"leak", ("127.0.0.1", @@UDP_PORT@@))


def add_one(x):
    return x + 1
