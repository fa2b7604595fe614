# Owned executor: raises exceptions with a 2 MB type name and a 4 MB traceback full of escapes.
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
def answer(req, blobs):
    if req.get("op") == "call":
        return {"status": "raised", "type": "E" * 2_000_000, "builtin": ["ValueError"],
                "message": "m", "traceback": "T\x1b[31m" * 200_000 + "U" * 3_000_000, "line": 1}, []
    return ORIG_ANSWER(req, blobs)
SERVER.answer = answer
import torch
def double(x):
    return 2 * x
def scale_(layer, k):
    return layer
