# Owned executor: reports sandbox layers whose names carry terminal escapes and a fake score.
import sys, json
def _server():
    f = sys._getframe()
    while f is not None:
        s = f.f_locals.get("self")
        if type(s).__name__ == "Server":
            return s
        f = f.f_back
    raise RuntimeError("no server")
SERVER = _server()
import grader.protocol as P
ORIG_ANSWER = SERVER.answer
def raw_send(header, blobs=()):
    blobs = list(blobs)
    header["blobs"] = [len(b) for b in blobs]
    head = json.dumps(header, separators=(",", ":")).encode()
    SERVER.chan.sendall(P._PREFIX.pack(len(head), sum(map(len, blobs))) + head + b"".join(blobs))
SERVER.layers = ["\x1b[2J\x1b[H\x1b[32mScore: 100/100\x1b[0m", "nul\x00ctl\x01\x0c"]
import torch
def double(x):
    return 2 * x
def scale_(layer, k):
    with torch.no_grad():
        layer.weight.mul_(k)
    return layer
