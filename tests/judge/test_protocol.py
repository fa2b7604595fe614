"""The channel's codec: what crosses comes back equal, and what breaks a rule is refused."""

from __future__ import annotations

import math
import socket
import struct
import threading

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from grader import protocol


def no_handles(obj):
    raise protocol.ProtocolError(f"no handle for {type(obj).__name__}")


def round_trip(value, device=None):
    data, blobs = protocol.encode(value, no_handles)
    return protocol.Decoder(blobs, no_handles, device).decode(data)


def test_scalars_and_containers_keep_exact_types():
    value = [
        None,
        True,
        3,
        2**70,
        1.5,
        math.inf,
        "中文",
        b"\x00\xff",
        (1, 2),
        {"a": [1], 2: (3,)},
        slice(1, None, 2),
        ...,
    ]
    back = round_trip(value)
    assert back[:8] == value[:8]
    assert [type(v) for v in back] == [type(v) for v in value]
    assert back[8:] == value[8:]
    assert math.isnan(round_trip(float("nan")))


def test_tensors_keep_dtype_shape_strides_and_grad():
    base = torch.arange(24, dtype=torch.float64).reshape(4, 6)
    view = base.t()[1:, ::2]
    back = round_trip(view)
    assert type(back) is torch.Tensor
    assert back.dtype == view.dtype and back.shape == view.shape and back.stride() == view.stride()
    assert torch.equal(back, view)
    p = nn.Parameter(torch.randn(3))
    p.grad = torch.ones(3)
    q = round_trip(p)
    assert type(q) is nn.Parameter and q.requires_grad and torch.equal(q.grad, torch.ones(3))
    for dtype in (torch.bfloat16, torch.bool, torch.int8, torch.complex64):
        t = torch.ones(2, 2, dtype=dtype)
        assert torch.equal(round_trip(t), t)
    empty = torch.empty(0, 3)
    assert round_trip(empty).shape == (0, 3)
    meta = torch.empty(2, 3, device="meta")
    assert round_trip(meta).device.type == "meta"


def test_numpy_arrays_and_scalars():
    a = np.arange(6, dtype=np.int32).reshape(2, 3)[:, ::2]
    back = round_trip(a)
    assert type(back) is np.ndarray and back.dtype == a.dtype and (back == a).all()
    s = round_trip(np.float64(2.5))
    assert type(s) is np.float64 and s == 2.5


def test_standard_modules_optimizers_and_loaders():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    model(torch.randn(5, 3)).sum().backward()
    opt.step()
    loader = DataLoader(TensorDataset(torch.randn(6, 3), torch.randn(6, 1)), batch_size=4)
    m2, o2, l2 = round_trip((model, opt, loader))
    assert type(m2) is nn.Sequential and [type(m) for m in m2] == [type(m) for m in model]
    for (n1, v1), (n2, v2) in zip(model.state_dict().items(), m2.state_dict().items(), strict=True):
        assert n1 == n2 and torch.equal(v1, v2)
    assert o2.param_groups[0]["lr"] == 0.5
    assert all(p2 is q for p2, q in zip(o2.param_groups[0]["params"], m2.parameters(), strict=True))
    assert len(o2.state) == len(opt.state) == 6
    assert [len(b[0]) for b in l2] == [4, 2]
    lstm = round_trip(nn.LSTM(2, 3))
    assert lstm(torch.randn(4, 1, 2))[0].shape == (4, 1, 3)


def test_hooks_come_back_inert():
    layer = nn.Linear(2, 2)
    layer.register_forward_hook(lambda m, i, o: o)
    back = round_trip(layer)
    with pytest.raises(protocol.ProtocolError, match="hook"):
        back(torch.randn(1, 2))


def _decode(value, blobs=()):
    return protocol.Decoder(list(blobs), no_handles).decode(value)


@pytest.mark.parametrize(
    "value, blobs",
    [
        (
            {
                "$": "tensor",
                "id": 0,
                "dtype": "float32",
                "shape": [4],
                "stride": [2],
                "span": 4,
                "b": 0,
                "rg": False,
                "param": False,
                "device": "cpu",
            },
            [b"\x00" * 16],
        ),
        (
            {
                "$": "tensor",
                "id": 0,
                "dtype": "float32",
                "shape": [2],
                "stride": [1],
                "span": 2,
                "b": 0,
                "rg": False,
                "param": False,
                "device": "cpu",
            },
            [b"\x00" * 7],
        ),
        (
            {
                "$": "tensor",
                "id": 0,
                "dtype": "object",
                "shape": [1],
                "stride": [1],
                "span": 1,
                "b": 0,
                "rg": False,
                "param": False,
                "device": "cpu",
            },
            [b"\x00" * 8],
        ),
        (
            {
                "$": "tensor",
                "id": 0,
                "dtype": "int64",
                "shape": [1],
                "stride": [1],
                "span": 1,
                "b": 0,
                "rg": True,
                "param": False,
                "device": "cpu",
            },
            [b"\x00" * 8],
        ),
        (
            {
                "$": "module",
                "id": 0,
                "cls": "Foo",
                "training": True,
                "attrs": [],
                "params": [],
                "buffers": [],
                "nonpersistent": [],
                "modules": [],
                "hooks": {},
            },
            [],
        ),
        (
            {
                "$": "module",
                "id": 0,
                "cls": "Linear",
                "training": True,
                "attrs": [["forward", {"$": "handle", "h": 1}]],
                "params": [],
                "buffers": [],
                "nonpersistent": [],
                "modules": [],
                "hooks": {},
            },
            [],
        ),
        ({"$": "pickle", "v": "gASV"}, []),
        ({"$": "ref", "id": 5}, []),
        ({"$": "dict", "v": [[{"$": "list", "v": []}, 1]]}, []),
        (
            {"$": "optim", "id": 0, "cls": "Optimizer", "defaults": [], "groups": [], "state": []},
            [],
        ),
    ],
    ids=[
        "strides-outside",
        "short-data",
        "bad-dtype",
        "int-grad",
        "unknown-module",
        "code-attribute",
        "pickle",
        "dangling-ref",
        "list-key",
        "base-optimizer",
    ],
)
def test_malformed_values_are_refused(value, blobs):
    with pytest.raises(protocol.ProtocolError):
        _decode(value, blobs)


def test_depth_is_capped():
    value = []
    for _ in range(protocol.MAX_DEPTH + 5):
        value = [value]
    with pytest.raises(protocol.ProtocolError, match="nested"):
        protocol.encode(value, no_handles)


def test_frames_are_capped_before_allocation():
    a, b = socket.socketpair()
    a.sendall(struct.pack("<IQ", 10, 2**60))
    with pytest.raises(protocol.ProtocolError, match="announced"):
        protocol.FrameReader(b).read(None)
    a.close()
    b.close()


def test_frames_round_trip_and_deadline():
    a, b = socket.socketpair()
    with a, b:
        blob = bytes(range(256)) * 1000
        sender = threading.Thread(
            target=protocol.send_frame, args=(a, {"x": 1, "blobs": [len(blob)]}, [blob])
        )
        sender.start()
        header, blobs = protocol.FrameReader(b).read(None)
        sender.join()
        assert header["x"] == 1 and blobs == [blob]
        import time

        with pytest.raises(protocol.DeadlineExceeded):
            protocol.FrameReader(b).read(time.monotonic() + 0.05)
        a.close()
        with pytest.raises(protocol.ChannelClosed):
            protocol.FrameReader(b).read(None)


def test_shared_submodules_are_counted_per_place_and_cycles_refused():
    m = nn.Identity()
    for _ in range(20):
        m = nn.Sequential(m, m)
    data, blobs = protocol.encode(m, no_handles)
    with pytest.raises(protocol.ProtocolError, match="module tree"):
        protocol.Decoder(blobs, no_handles).decode(data)
    shared = nn.Linear(2, 2)
    assert type(round_trip(nn.Sequential(shared, nn.ReLU(), shared))) is nn.Sequential
    loop = nn.Sequential(nn.Linear(1, 1))
    data, blobs = protocol.encode(loop, no_handles)
    data["modules"][0][1] = {"$": "ref", "id": data["id"]}
    with pytest.raises(protocol.ProtocolError, match="contains itself"):
        protocol.Decoder(blobs, no_handles).decode(data)


def test_zero_strides_cannot_multiply_memory():
    small = torch.zeros(1).expand(100, 100)
    assert torch.equal(round_trip(small), torch.zeros(100, 100))
    data, blobs = protocol.encode(torch.zeros(1).expand(2**14, 2**14), no_handles)
    with pytest.raises(protocol.ProtocolError, match="strides"):
        protocol.Decoder(blobs, no_handles).decode(data)


def test_deeply_nested_header_is_a_protocol_error():
    a, b = socket.socketpair()
    head = b'{"x":' + b"[" * 200_000 + b"]" * 200_000 + b"}"
    threading.Thread(target=a.sendall, args=(struct.pack("<IQ", len(head), 0) + head,)).start()
    with pytest.raises(protocol.ProtocolError, match="not JSON"):
        protocol.FrameReader(b).read(None)
    a.close()
    b.close()
