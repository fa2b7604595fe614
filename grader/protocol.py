"""The channel between the judge (trusted) and the executor (untrusted): frames and values.

This is the only module the two sides share. Only data crosses, never code and never pickle:

* JSON scalars: ``None``, ``bool``, ``int``, ``float`` (NaN and infinities included), ``str``;
* tagged containers: lists, tuples, dicts (keys of those scalar types), bytes, slices, ``...``;
* tensors (dtype from an allow-list, shape, strides, storage offset, bytes, ``requires_grad``,
  ``nn.Parameter``-ness and ``.grad``);
* structural encodings of standard torch objects: modules whose exact class is a ``torch.nn``
  class (parameters, buffers, plain attributes, submodules, a count of hooks), optimizers whose
  exact class is a ``torch.optim`` class, a ``DataLoader`` over a ``TensorDataset``, dtypes and
  devices;
* opaque handles to objects that stay in the executor (the learner's functions, classes and
  instances), and references to autograd nodes of a remote call.

Every decoded value is checked on arrival: exact types, sizes, depth, dtypes, that strides stay
inside the bytes sent. A value that breaks a rule raises :class:`ProtocolError`, which the judge
turns into a failed check with a clear message. A frame is ``u32 header length, u64 blob length,
JSON header, blob bytes``; both lengths are capped before anything is allocated.
"""

from __future__ import annotations

import json
import math
import os
import select
import socket
import struct
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

MAX_HEADER = 8 << 20
"""Bytes of a frame's JSON header at most."""
MAX_BLOBS = 512 << 20
"""Bytes of a frame's tensor data at most."""
MAX_DEPTH = 64
"""Nesting depth of a value at most (deeper values are refused, cycles included)."""
MAX_ITEMS = 200_000
"""Values in one frame at most."""
MAX_DIMS = 16
MAX_MODULE_NODES = 10_000
"""Modules in one module tree, counting a shared submodule once per place it appears: a tree
that shares submodules level after level (``m = nn.Sequential(m, m)``) is tiny on the wire but
exponential for ``repr``, ``state_dict`` or ``train``."""
MAX_EXPANSION = 64
"""A received tensor may have at most this many elements per element of data sent (plus
:data:`FREE_ELEMENTS`): zero strides (``expand``) must not turn 4 bytes into gigabytes."""
FREE_ELEMENTS = 1 << 22
TEXT_LIMIT = 8_000
"""Characters of a free text field (an exception message, a traceback) kept at most."""

_PREFIX = struct.Struct("<IQ")

DTYPES: dict[str, torch.dtype] = {
    "float16": torch.float16,
    "bfloat16": torch.bfloat16,
    "float32": torch.float32,
    "float64": torch.float64,
    "complex64": torch.complex64,
    "complex128": torch.complex128,
    "uint8": torch.uint8,
    "int8": torch.int8,
    "int16": torch.int16,
    "int32": torch.int32,
    "int64": torch.int64,
    "bool": torch.bool,
}
DTYPE_NAMES = {v: k for k, v in DTYPES.items()}
NUMPY_DTYPES = frozenset(
    {
        "bool",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "float16",
        "float32",
        "float64",
        "complex64",
        "complex128",
    }
)


class ProtocolError(Exception):
    """A frame or value broke the channel's rules (or the other side vanished)."""


class ChannelClosed(ProtocolError):
    """The other side closed the channel (it exited or was killed)."""


class DeadlineExceeded(Exception):
    """No complete frame arrived before the deadline."""


# --------------------------------------------------------------------------------------------
# Frames


def send_frame(sock: socket.socket, header: dict[str, Any], blobs: list[bytes]) -> None:
    """Write one frame (blocking)."""
    head = json.dumps(header, separators=(",", ":")).encode()
    total = sum(len(b) for b in blobs)
    if len(head) > MAX_HEADER or total > MAX_BLOBS:
        raise ProtocolError(
            f"message too large ({len(head)} header bytes, {total} data bytes; the limits are "
            f"{MAX_HEADER} and {MAX_BLOBS})"
        )
    parts = [_PREFIX.pack(len(head), total) + head, *blobs]
    sent = sock.sendmsg(parts)  # one system call for a small frame
    size = sum(len(p) for p in parts)
    if sent < size:
        rest = b"".join(parts)[sent:]
        sock.sendall(rest)


class FrameReader:
    """Reads frames from a socket with a deadline, never allocating past the caps.

    ``on_idle`` is called whenever select() returns, so the caller can drain other descriptors
    (the executor's output pipe) while it waits.
    """

    def __init__(self, sock: socket.socket, extra_fds: Callable[[], list[int]] | None = None):
        self.sock = sock
        self.buf = bytearray()
        self.extra_fds = extra_fds or (lambda: [])

    def read(
        self, deadline: float | None, on_ready: Callable[[list[int]], None] | None = None
    ) -> tuple[dict[str, Any], list[bytes]]:
        need = _PREFIX.size
        head_len = blob_len = -1
        while True:
            if head_len < 0 and len(self.buf) >= _PREFIX.size:
                head_len, blob_len = _PREFIX.unpack_from(self.buf)
                if head_len > MAX_HEADER or blob_len > MAX_BLOBS:
                    raise ProtocolError(
                        f"a message announced {head_len} header bytes and {blob_len} data bytes "
                        f"(the limits are {MAX_HEADER} and {MAX_BLOBS})"
                    )
                need = _PREFIX.size + head_len + blob_len
            if head_len >= 0 and len(self.buf) >= need:
                break
            timeout = None if deadline is None else deadline - time.monotonic()
            if timeout is not None and timeout <= 0:
                raise DeadlineExceeded()
            fds = [self.sock.fileno(), *self.extra_fds()]
            ready, _, _ = select.select(fds, [], [], timeout)
            others = [fd for fd in ready if fd != self.sock.fileno()]
            if others and on_ready is not None:
                on_ready(others)
            if self.sock.fileno() not in ready:
                continue
            want = min(max(need - len(self.buf), 1), 1 << 20)
            try:
                chunk = self.sock.recv(want)
            except (ConnectionResetError, OSError) as exc:
                raise ChannelClosed(str(exc)) from None
            if not chunk:
                raise ChannelClosed("the other side closed the channel")
            self.buf += chunk
        start = _PREFIX.size
        head = bytes(self.buf[start : start + head_len])
        data = bytes(self.buf[start + head_len : need])
        del self.buf[:need]
        try:
            header = json.loads(head)
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            raise ProtocolError(f"a message header is not JSON: {type(exc).__name__}") from None
        if type(header) is not dict:
            raise ProtocolError("a message header is not an object")
        sizes = header.get("blobs", [])
        if type(sizes) is not list or not all(type(n) is int and n >= 0 for n in sizes):
            raise ProtocolError("a message has a malformed blob table")
        if sum(sizes) != len(data):
            raise ProtocolError("a message's blob table does not match its data")
        blobs: list[bytes] = []
        offset = 0
        for n in sizes:
            blobs.append(data[offset : offset + n])
            offset += n
        return header, blobs


# --------------------------------------------------------------------------------------------
# Values


class InertHook:
    """Stands in, on the judge, for a hook the learner's code registered on a module.

    The hook itself is code and cannot cross; calling the module runs this and fails clearly.
    """

    def __init__(self, where: str) -> None:
        self.where = where

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise ProtocolError(
            f"the module came back with a {self.where} hook registered by your code; "
            "a hook is code and cannot be run by the grader"
        )

    def __repr__(self) -> str:
        return f"<hook registered by the submission ({self.where})>"


_HOOK_DICTS = (
    ("_forward_pre_hooks", "forward pre"),
    ("_forward_hooks", "forward"),
    ("_backward_pre_hooks", "backward pre"),
    ("_backward_hooks", "backward"),
    ("_state_dict_hooks", "state_dict"),
    ("_state_dict_pre_hooks", "state_dict pre"),
    ("_load_state_dict_pre_hooks", "load_state_dict pre"),
    ("_load_state_dict_post_hooks", "load_state_dict post"),
)
_BASE_MODULE_ATTRS: frozenset[str] | None = None
_SKIPPED_MODULE_ATTRS = frozenset({"_flat_weights", "_flat_weight_refs"})
"""RNN internals that alias parameters; rebuilt with ``_init_flat_weights()`` after decoding."""


def _base_module_attrs() -> frozenset[str]:
    global _BASE_MODULE_ATTRS
    if _BASE_MODULE_ATTRS is None:
        _BASE_MODULE_ATTRS = frozenset(nn.Module().__dict__)
    return _BASE_MODULE_ATTRS


def standard_module_class(cls: type) -> bool:
    """``cls`` is exactly one of torch.nn's own module classes (never a subclass)."""
    return (
        isinstance(cls, type)
        and issubclass(cls, nn.Module)
        and cls.__module__.startswith("torch.nn.modules.")
        and getattr(nn, cls.__name__, None) is cls
    )


def standard_optimizer_class(cls: type) -> bool:
    return (
        isinstance(cls, type)
        and issubclass(cls, torch.optim.Optimizer)
        and cls is not torch.optim.Optimizer
        and getattr(torch.optim, cls.__name__, None) is cls
    )


class Encoder:
    """Turns a value into JSON plus blobs.

    ``handle`` is asked for anything that is not data: it returns a JSON value (a handle or a
    reference the other side understands) or raises :class:`ProtocolError`.
    """

    def __init__(self, handle: Callable[[Any], dict[str, Any]]) -> None:
        self.handle = handle
        self.blobs: list[bytes] = []
        self.memo: dict[int, int] = {}
        self.keep: list[Any] = []  # keeps memoised objects alive so ids stay unique
        self.items = 0

    def _remember(self, obj: Any) -> int:
        index = len(self.keep)
        self.memo[id(obj)] = index
        self.keep.append(obj)
        return index

    def encode(self, value: Any, depth: int = 0) -> Any:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise ProtocolError(f"the value has more than {MAX_ITEMS} parts")
        if depth > MAX_DEPTH:
            raise ProtocolError(f"the value is nested more than {MAX_DEPTH} levels deep")
        t = type(value)
        if value is None or t is bool or t is str:
            return value
        if t is int:
            return value if -(2**63) <= value < 2**63 else {"$": "bigint", "v": str(value)}
        if t is float:
            if math.isfinite(value):
                return value
            return {"$": "float", "v": repr(value)}
        known = self.memo.get(id(value))
        if known is not None:
            return {"$": "ref", "id": known}
        d = depth + 1
        if t is list:
            return {"$": "list", "v": [self.encode(x, d) for x in value]}
        if t is tuple or t is torch.Size:
            return {"$": "tuple", "v": [self.encode(x, d) for x in value]}
        if t is dict or t is OrderedDict:
            return {
                "$": "dict",
                "o": t is OrderedDict,
                "v": [[self.encode(k, d), self.encode(v, d)] for k, v in value.items()],
            }
        if t is bytes:
            self.blobs.append(value)
            return {"$": "bytes", "b": len(self.blobs) - 1}
        if t is slice:
            return {
                "$": "slice",
                "v": [
                    self.encode(value.start, d),
                    self.encode(value.stop, d),
                    self.encode(value.step, d),
                ],
            }
        if value is Ellipsis:
            return {"$": "ellipsis"}
        if t is torch.dtype:
            if value not in DTYPE_NAMES:
                raise ProtocolError(f"dtype {value} cannot be sent")
            return {"$": "dtype", "v": DTYPE_NAMES[value]}
        if t is torch.device:
            return {"$": "device", "v": str(value)}
        if t is torch.Tensor or t is nn.Parameter:
            return self._tensor(value, d)
        if t is np.ndarray or (isinstance(value, np.generic) and type(value).__module__ == "numpy"):
            return self._ndarray(value)
        if standard_module_class(t):
            return self._module(value, d)
        if standard_optimizer_class(t):
            return self._optimizer(value, d)
        if (
            t is torch.utils.data.DataLoader
            and type(value.dataset) is torch.utils.data.TensorDataset
        ):
            return self._loader(value, d)
        if t is torch.utils.data.TensorDataset:
            index = self._remember(value)
            return {"$": "tdataset", "id": index, "v": [self.encode(x, d) for x in value.tensors]}
        return self.handle(value)

    def _tensor(self, t: torch.Tensor, depth: int) -> dict[str, Any]:
        if t.layout is not torch.strided or t.is_quantized or t.is_nested:
            raise ProtocolError(f"a {t.layout} tensor cannot be sent (only dense tensors)")
        if t.dtype not in DTYPE_NAMES:
            raise ProtocolError(f"a tensor of dtype {t.dtype} cannot be sent")
        if t.dim() > MAX_DIMS:
            raise ProtocolError(f"a tensor with {t.dim()} dimensions cannot be sent")
        index = self._remember(t)
        data = t.detach()
        if data.is_conj():
            data = data.resolve_conj()
        if data.is_neg():
            data = data.resolve_neg()
        shape = list(data.shape)
        stride = list(data.stride())
        if data.is_meta:  # shape, strides and dtype only: a meta tensor has no data
            span, flat = 0, data
        elif data.numel() == 0:
            span, flat = 0, data.new_empty(0)
            stride = [0] * len(shape)
        else:
            span = 1 + sum((n - 1) * s for n, s in zip(shape, stride, strict=True))
            flat = torch.as_strided(data, (span,), (1,), data.storage_offset())
        raw = flat.contiguous().cpu().view(torch.uint8).numpy().tobytes() if span else b""
        self.blobs.append(raw)
        out: dict[str, Any] = {
            "$": "tensor",
            "id": index,
            "dtype": DTYPE_NAMES[data.dtype],
            "shape": shape,
            "stride": stride,
            "span": span,
            "b": len(self.blobs) - 1,
            "rg": bool(t.requires_grad),
            "param": type(t) is nn.Parameter,
            "device": t.device.type,
        }
        grad = t.grad if t.is_leaf else None
        if grad is not None:
            out["grad"] = self.encode(grad, depth)
        return out

    def _ndarray(self, a: Any) -> dict[str, Any]:
        scalar = not isinstance(a, np.ndarray)
        arr = np.asarray(a)
        name = arr.dtype.name
        if name not in NUMPY_DTYPES or arr.ndim > MAX_DIMS:
            raise ProtocolError(f"a NumPy array of dtype {arr.dtype} cannot be sent")
        if not scalar:
            self._remember(a)
        self.blobs.append(np.ascontiguousarray(arr).tobytes())
        return {
            "$": "ndarray",
            "dtype": name,
            "shape": list(arr.shape),
            "b": len(self.blobs) - 1,
            "scalar": scalar,
        }

    def _module(self, m: nn.Module, depth: int) -> dict[str, Any]:
        index = self._remember(m)
        base = _base_module_attrs()
        attrs = []
        for name, value in m.__dict__.items():
            if name in base or name in _SKIPPED_MODULE_ATTRS:
                continue
            attrs.append([name, self.encode(value, depth)])
        hooks = {}
        for name, _ in _HOOK_DICTS:
            count = len(getattr(m, name, {}) or {})
            if count:
                hooks[name] = count
        return {
            "$": "module",
            "id": index,
            "cls": type(m).__name__,
            "training": bool(m.training),
            "attrs": attrs,
            "params": [[k, self.encode(v, depth)] for k, v in m._parameters.items()],
            "buffers": [[k, self.encode(v, depth)] for k, v in m._buffers.items()],
            "nonpersistent": sorted(str(n) for n in m._non_persistent_buffers_set),
            "modules": [[k, self.encode(v, depth)] for k, v in m._modules.items()],
            "hooks": hooks,
        }

    def _optimizer(self, opt: torch.optim.Optimizer, depth: int) -> dict[str, Any]:
        index = self._remember(opt)
        groups = []
        for group in opt.param_groups:
            options = [[k, self.encode(v, depth)] for k, v in group.items() if k != "params"]
            groups.append(
                {"params": [self.encode(p, depth) for p in group["params"]], "options": options}
            )
        state = []
        for p, st in opt.state.items():
            state.append([self.encode(p, depth), self.encode(dict(st), depth)])
        return {
            "$": "optim",
            "id": index,
            "cls": type(opt).__name__,
            "defaults": [[k, self.encode(v, depth)] for k, v in opt.defaults.items()],
            "groups": groups,
            "state": state,
        }

    def _loader(self, loader: torch.utils.data.DataLoader, depth: int) -> dict[str, Any]:
        from torch.utils.data import RandomSampler, SequentialSampler

        if loader.num_workers or type(loader.sampler) not in (SequentialSampler, RandomSampler):
            raise ProtocolError("only a plain DataLoader (no workers, default sampler) can be sent")
        if loader.batch_size is None:
            raise ProtocolError("only a DataLoader with a batch_size can be sent")
        index = self._remember(loader)
        return {
            "$": "loader",
            "id": index,
            "dataset": self.encode(loader.dataset, depth),
            "batch_size": loader.batch_size,
            "shuffle": type(loader.sampler) is RandomSampler,
            "drop_last": bool(loader.drop_last),
        }


def encode(value: Any, handle: Callable[[Any], dict[str, Any]]) -> tuple[Any, list[bytes]]:
    enc = Encoder(handle)
    return enc.encode(value), enc.blobs


def _fail(what: str) -> ProtocolError:
    return ProtocolError(what)


def _name(value: Any, what: str) -> str:
    if type(value) is not str or not value.isidentifier() or len(value) > 200:
        raise _fail(f"{what} is not a valid name")
    return value


def _key(value: Any, what: str) -> str:
    """A name in a module's tables: any non-empty string without a dot (``nn.Sequential``
    names its children ``"0"``, ``"1"``, ...)."""
    if type(value) is not str or not value or "." in value or len(value) > 200:
        raise _fail(f"{what} is not a valid name")
    return value


class Decoder:
    """Turns JSON plus blobs back into values, checking every rule on the way.

    ``handle`` turns a ``handle`` (or ``gradfn``) entry into an object; ``device`` is where
    decoded tensors are put (the receiving side's device for the exercise).
    """

    def __init__(
        self,
        blobs: list[bytes],
        handle: Callable[[dict[str, Any]], Any],
        device: torch.device | None = None,
        memo: dict[int, Any] | None = None,
    ) -> None:
        self.blobs = blobs
        self.handle = handle
        self.device = device
        self.memo: dict[int, Any] = {} if memo is None else memo
        self.items = 0
        self.used_blobs: set[int] = set()

    def decode(self, value: Any, depth: int = 0) -> Any:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise _fail(f"the value has more than {MAX_ITEMS} parts")
        if depth > MAX_DEPTH:
            raise _fail(f"the value is nested more than {MAX_DEPTH} levels deep")
        t = type(value)
        if value is None or t is bool or t is str or t is int:
            return value
        if t is float:
            return value
        if t is not dict:
            raise _fail(f"unexpected JSON value of type {t.__name__}")
        tag = value.get("$")
        d = depth + 1
        if tag == "ref":
            key = value.get("id")
            if type(key) is not int or key not in self.memo:
                raise _fail("a reference points to nothing")
            return self.memo[key]
        if tag == "bigint":
            text = value.get("v")
            if type(text) is not str or len(text) > 4000:
                raise _fail("malformed integer")
            try:
                return int(text)
            except ValueError:
                raise _fail("malformed integer") from None
        if tag == "float":
            text = value.get("v")
            if text not in ("nan", "inf", "-inf"):
                raise _fail("malformed float")
            return float(text)
        if tag == "list":
            return [self.decode(x, d) for x in self._list(value.get("v"))]
        if tag == "tuple":
            return tuple(self.decode(x, d) for x in self._list(value.get("v")))
        if tag == "dict":
            out: dict[Any, Any] = OrderedDict() if value.get("o") is True else {}
            for pair in self._list(value.get("v")):
                if type(pair) is not list or len(pair) != 2:
                    raise _fail("malformed dict entry")
                key = self.decode(pair[0], d)
                if type(key) not in (str, int, float, bool, type(None), tuple):
                    raise _fail(f"a dict key of type {type(key).__name__} cannot be sent")
                out[key] = self.decode(pair[1], d)
            return out
        if tag == "bytes":
            return self._blob(value.get("b"))
        if tag == "slice":
            parts = self._list(value.get("v"))
            if len(parts) != 3:
                raise _fail("malformed slice")
            a, b, c = (self.decode(x, d) for x in parts)
            for x in (a, b, c):
                if x is not None and type(x) is not int:
                    raise _fail("a slice bound is not an int")
            return slice(a, b, c)
        if tag == "ellipsis":
            return Ellipsis
        if tag == "dtype":
            name = value.get("v")
            if name not in DTYPES:
                raise _fail(f"unknown dtype {name!r}")
            return DTYPES[name]
        if tag == "device":
            name = value.get("v")
            if type(name) is not str or len(name) > 20:
                raise _fail("malformed device")
            try:
                dev = torch.device(name)
            except (RuntimeError, ValueError):
                raise _fail(f"unknown device {name!r}") from None
            if dev.type not in ("cpu", "cuda", "meta"):
                raise _fail(f"device {name!r} cannot be sent")
            return dev
        if tag == "tensor":
            return self._tensor(value, d)
        if tag == "module":
            return self._module(value, d)
        if tag == "ndarray":
            return self._ndarray(value)
        if tag == "optim":
            return self._optimizer(value, d)
        if tag == "tdataset":
            tensors = [self.decode(x, d) for x in self._list(value.get("v"))]
            if not all(type(x) in (torch.Tensor, nn.Parameter) for x in tensors):
                raise _fail("a TensorDataset holds something other than tensors")
            try:
                ds = torch.utils.data.TensorDataset(*tensors)
            except (AssertionError, ValueError) as exc:
                raise _fail(f"malformed TensorDataset: {exc}") from None
            return self._keep(value, ds)
        if tag == "loader":
            return self._loader(value, d)
        if tag in ("handle", "gradfn"):
            return self.handle(value)
        raise _fail(f"unknown value tag {tag!r}")

    def _keep(self, spec: dict[str, Any], obj: Any) -> Any:
        key = spec.get("id")
        if type(key) is not int or key in self.memo:
            raise _fail("malformed or repeated object id")
        self.memo[key] = obj
        return obj

    @staticmethod
    def _list(value: Any) -> list[Any]:
        if type(value) is not list:
            raise _fail("expected a list")
        return value

    def _blob(self, index: Any) -> bytes:
        if type(index) is not int or not 0 <= index < len(self.blobs) or index in self.used_blobs:
            raise _fail("malformed data reference")
        self.used_blobs.add(index)
        return self.blobs[index]

    def _ints(self, value: Any, what: str) -> list[int]:
        items = self._list(value)
        if len(items) > MAX_DIMS or not all(type(n) is int and 0 <= n < 2**48 for n in items):
            raise _fail(f"malformed tensor {what}")
        return items

    def _tensor(self, spec: dict[str, Any], depth: int) -> torch.Tensor:
        dtype = DTYPES.get(spec.get("dtype"))  # type: ignore[arg-type]
        if dtype is None:
            raise _fail(f"a tensor of dtype {spec.get('dtype')!r} cannot be received")
        shape = self._ints(spec.get("shape"), "shape")
        stride = self._ints(spec.get("stride"), "strides")
        span = spec.get("span")
        if len(shape) != len(stride) or type(span) is not int or span < 0:
            raise _fail("malformed tensor layout")
        raw = self._blob(spec.get("b"))
        size = torch.empty((), dtype=dtype).element_size()
        if len(raw) != span * size:
            raise _fail("a tensor's data does not match its size")
        numel = math.prod(shape)
        if numel > MAX_EXPANSION * span + FREE_ELEMENTS:
            raise _fail(
                f"a tensor of shape {tuple(shape)} was sent with only {span} elements of data "
                "(its strides repeat them); send a tensor that owns its memory (.contiguous())"
            )
        if spec.get("device") == "meta":
            if raw:
                raise _fail("a meta tensor carries data")
            t = torch.empty_strided(shape, stride, dtype=dtype, device="meta")
            return self._finish_tensor(t, spec, dtype, depth, to_device=False)
        if numel:
            extent = 1 + sum((n - 1) * s for n, s in zip(shape, stride, strict=True))
            if extent > span:
                raise _fail("a tensor's strides reach outside its data")
        elif span:
            raise _fail("an empty tensor carries data")
        if span:
            base = torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(dtype)
            t = torch.as_strided(base, shape, stride) if numel else base.new_empty(shape)
        else:
            t = torch.empty(shape, dtype=dtype)
        return self._finish_tensor(t, spec, dtype, depth, to_device=spec.get("device") == "cuda")

    def _finish_tensor(
        self, t: torch.Tensor, spec: dict[str, Any], dtype: torch.dtype, depth: int, to_device: bool
    ) -> torch.Tensor:
        if to_device:
            # A CUDA tensor on one side is a CUDA tensor on the other (when this side has CUDA).
            if self.device is None or self.device.type != "cuda":
                raise _fail("a CUDA tensor was sent to a side that does not run on CUDA")
            t = t.to(self.device)
        rg = spec.get("rg") is True
        if rg and not (dtype.is_floating_point or dtype.is_complex):
            raise _fail("only floating point tensors can require gradients")
        if spec.get("param") is True:
            t = nn.Parameter(t, requires_grad=rg)
        elif rg:
            t = t.requires_grad_(True)
        self._keep(spec, t)
        if "grad" in spec:
            grad = self.decode(spec["grad"], depth)
            if type(grad) is not torch.Tensor:
                raise _fail("a tensor's .grad is not a plain tensor")
            try:
                t.grad = grad
            except RuntimeError as exc:
                raise _fail(f"a tensor's .grad does not match it: {exc}") from None
        return t

    def _ndarray(self, spec: dict[str, Any]) -> Any:
        name = spec.get("dtype")
        if name not in NUMPY_DTYPES:
            raise _fail(f"a NumPy array of dtype {name!r} cannot be received")
        shape = self._ints(spec.get("shape"), "shape")
        raw = self._blob(spec.get("b"))
        dtype = np.dtype(name)
        if len(raw) != math.prod(shape) * dtype.itemsize:
            raise _fail("a NumPy array's data does not match its size")
        arr = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
        if spec.get("scalar") is True:
            if shape:
                raise _fail("a NumPy scalar with a shape")
            return arr[()]
        return arr

    def _pairs(self, value: Any) -> list[tuple[str, Any]]:
        out = []
        for pair in self._list(value):
            if type(pair) is not list or len(pair) != 2:
                raise _fail("malformed name/value pair")
            out.append((_key(pair[0], "an attribute"), pair[1]))
        return out

    def _module(self, spec: dict[str, Any], depth: int) -> nn.Module:
        cls = getattr(nn, _name(spec.get("cls"), "a module class"), None)
        if cls is None or not standard_module_class(cls):
            raise _fail(f"module class {spec.get('cls')!r} is not a standard torch.nn class")
        m = cls.__new__(cls)
        nn.Module.__init__(m)
        self._keep(spec, m)
        base = _base_module_attrs()
        for name, raw in self._pairs(spec.get("attrs")):
            if name in base or name in _SKIPPED_MODULE_ATTRS:
                raise _fail(f"module attribute {name!r} cannot be set")
            value = self.decode(raw, depth)
            if isinstance(value, nn.Module | torch.optim.Optimizer) or callable(value):
                if not isinstance(value, torch.Tensor):
                    raise _fail(f"module attribute {name!r} must be plain data")
            m.__dict__[name] = value
        for name, raw in self._pairs(spec.get("params")):
            value = self.decode(raw, depth)
            if value is not None and type(value) is not nn.Parameter:
                raise _fail(f"parameter {name!r} is not an nn.Parameter")
            m._parameters[name] = value
        for name, raw in self._pairs(spec.get("buffers")):
            value = self.decode(raw, depth)
            if value is not None and type(value) not in (torch.Tensor, nn.Parameter):
                raise _fail(f"buffer {name!r} is not a tensor")
            m._buffers[name] = value
        nonpersistent = self._list(spec.get("nonpersistent"))
        m._non_persistent_buffers_set = {_key(n, "a buffer") for n in nonpersistent}
        for name, raw in self._pairs(spec.get("modules")):
            value = self.decode(raw, depth)
            if value is not None and not isinstance(value, nn.Module):
                raise _fail(f"submodule {name!r} is not a module")
            m._modules[name] = value
        m.training = spec.get("training") is True
        hooks = spec.get("hooks")
        if type(hooks) is not dict:
            raise _fail("malformed hook table")
        where = dict(_HOOK_DICTS)
        for name, count in hooks.items():
            if name not in where or type(count) is not int or not 0 < count <= 1000:
                raise _fail("malformed hook table")
            table = getattr(m, name)
            for i in range(count):
                table[-1 - i] = InertHook(where[name])
        if hasattr(m, "_init_flat_weights") and "_flat_weights_names" in m.__dict__:
            try:
                m._init_flat_weights()
            except (AttributeError, RuntimeError, TypeError) as exc:
                raise _fail(f"malformed recurrent module: {exc}") from None
        check_module_tree(m)
        return m

    def _optimizer(self, spec: dict[str, Any], depth: int) -> torch.optim.Optimizer:
        cls = getattr(torch.optim, _name(spec.get("cls"), "an optimizer class"), None)
        if cls is None or not standard_optimizer_class(cls):
            raise _fail(f"optimizer class {spec.get('cls')!r} is not a standard torch.optim class")
        groups = []
        for raw in self._list(spec.get("groups")):
            if type(raw) is not dict:
                raise _fail("malformed parameter group")
            params = [self.decode(p, depth) for p in self._list(raw.get("params"))]
            if not all(type(p) in (torch.Tensor, nn.Parameter) for p in params):
                raise _fail("an optimizer's parameter is not a tensor")
            options = {k: self.decode(v, depth) for k, v in self._pairs(raw.get("options"))}
            groups.append({"params": params, **options})
        defaults = {k: self.decode(v, depth) for k, v in self._pairs(spec.get("defaults"))}
        try:
            opt = cls(groups, **defaults) if groups else None
        except (TypeError, ValueError, RuntimeError) as exc:
            raise _fail(f"the {cls.__name__} optimizer could not be rebuilt: {exc}") from None
        if opt is None:
            raise _fail("an optimizer without parameters cannot be sent")
        self._keep(spec, opt)
        for pair in self._list(spec.get("state")):
            if type(pair) is not list or len(pair) != 2:
                raise _fail("malformed optimizer state")
            p = self.decode(pair[0], depth)
            st = self.decode(pair[1], depth)
            if type(p) not in (torch.Tensor, nn.Parameter) or type(st) is not dict:
                raise _fail("malformed optimizer state")
            opt.state[p] = st
        return opt

    def _loader(self, spec: dict[str, Any], depth: int) -> torch.utils.data.DataLoader:
        ds = self.decode(spec.get("dataset"), depth)
        if type(ds) is not torch.utils.data.TensorDataset:
            raise _fail("a DataLoader can only be sent over a TensorDataset")
        batch = spec.get("batch_size")
        if type(batch) is not int or batch <= 0:
            raise _fail("malformed batch_size")
        loader = torch.utils.data.DataLoader(
            ds,
            batch_size=batch,
            shuffle=spec.get("shuffle") is True,
            drop_last=spec.get("drop_last") is True,
        )
        return self._keep(spec, loader)


def check_module_tree(root: nn.Module) -> None:
    """Refuse a module tree with a cycle or more than :data:`MAX_MODULE_NODES` places."""
    sizes: dict[int, int] = {}
    active: set[int] = set()

    def size(m: nn.Module) -> int:
        key = id(m)
        if key in sizes:
            return sizes[key]
        if key in active:
            raise _fail("a module contains itself")
        active.add(key)
        total = 1
        for child in m._modules.values():
            if child is not None:
                total += size(child)
                if total > MAX_MODULE_NODES:
                    raise _fail(
                        f"a module tree with more than {MAX_MODULE_NODES} modules (counting shared "
                        "submodules once per place) cannot be received"
                    )
        active.discard(key)
        sizes[key] = total
        return total

    size(root)


def clip_text(value: Any, limit: int = TEXT_LIMIT) -> str:
    """A free text field from the other side: a str, clipped."""
    if type(value) is not str:
        return ""
    return value if len(value) <= limit else value[:limit] + "\n[…]"


def tensor_leaves(value: Any) -> list[torch.Tensor]:
    """The tensors that require grad inside lists, tuples and dicts of ``value`` (and the
    parameters of standard modules there), in order, each once: the inputs of a remote call that
    the judge may backpropagate into (both sides walk the same way, so the lists line up)."""
    out: list[torch.Tensor] = []
    seen: set[int] = set()
    stack: list[Any] = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t in (list, tuple):
            stack.extend(reversed(v))
        elif t is dict or t is OrderedDict:
            stack.extend(reversed(list(v.values())))
        elif t in (torch.Tensor, nn.Parameter) and v.requires_grad and id(v) not in seen:
            seen.add(id(v))
            out.append(v)
        elif standard_module_class(t):
            for p in v.parameters():
                if p.requires_grad and id(p) not in seen:
                    seen.add(id(p))
                    out.append(p)
    return out


# --------------------------------------------------------------------------------------------
# The control channel to the executor template (JSON over SOCK_SEQPACKET; executors' descriptors
# travel as SCM_RIGHTS). The template is trusted: it never runs the submission's code.

CONTROL_CHUNK = 32 * 1024
"""Bytes of the submission's source per control message."""
_MAX_MESSAGE = 64 * 1024


def send_control(sock: socket.socket, msg: dict[str, Any], fds: list[int] | None = None) -> None:
    data = json.dumps(msg).encode()
    if fds:
        socket.send_fds(sock, [data], fds)
    else:
        sock.send(data)


def recv_control(sock: socket.socket, maxfds: int = 0) -> tuple[dict[str, Any] | None, list[int]]:
    if maxfds:
        data, fds, _, _ = socket.recv_fds(sock, _MAX_MESSAGE, maxfds)
    else:
        data, fds = sock.recv(_MAX_MESSAGE), []
    if not data:
        return None, fds
    return json.loads(data), fds


class TemplateClient:
    """The judge's (and the warm process's) view of a template process."""

    def __init__(self, pid: int, sock: socket.socket) -> None:
        self.pid = pid
        self.sock = sock

    def send_job(self, job: dict[str, Any], hide: list[str]) -> dict[str, Any] | None:
        """Hand the template the submission (and the paths its executors must never read);
        returns why the submission cannot run at all (a syntax error, compile-time policy
        violations: ``reason``, ``en``, ``zh``, ``line``), or None."""
        source = job["source"].encode("utf-8")
        chunks = [source[i : i + CONTROL_CHUNK] for i in range(0, len(source), CONTROL_CHUNK)]
        header = {k: v for k, v in job.items() if k != "source"}
        send_control(self.sock, {"op": "job", "job": header, "hide": hide, "chunks": len(chunks)})
        for chunk in chunks:
            self.sock.send(chunk)
        reply, _ = recv_control(self.sock)
        if reply is None or not reply.get("ok"):
            raise OSError("the executor template did not accept the submission")
        problem = reply.get("problem")
        return problem if type(problem) is dict else None

    def spawn(self) -> tuple[int, socket.socket, int]:
        """A fresh executor: its pid, the request socket and the read end of its output pipe."""
        send_control(self.sock, {"op": "spawn"})
        reply, fds = recv_control(self.sock, maxfds=2)
        if reply is None or "pid" not in reply or len(fds) != 2:
            for fd in fds:
                os.close(fd)
            raise OSError("the executor template could not start an executor")
        chan = socket.socket(fileno=fds[0])
        return int(reply["pid"]), chan, fds[1]

    def usage(self, pid: int) -> dict[str, int]:
        """Files and bytes in executor ``pid``'s scratch folder, as this side of its mounts sees
        it (counted with lstat only; empty when the executor has a private tmpfs), and the
        quota: ``files``, ``bytes``, ``max_files``, ``max_bytes``."""
        send_control(self.sock, {"op": "usage", "pid": pid})
        reply, _ = recv_control(self.sock)
        keys = ("files", "bytes", "max_files", "max_bytes")
        return {k: int(reply.get(k, 0)) for k in keys} if reply else dict.fromkeys(keys, 0)

    def quota_kept(self, pid: int) -> bool:
        """Whether the kernel keeps executor ``pid``'s scratch quota (a private tmpfs)."""
        send_control(self.sock, {"op": "quota_kept", "pid": pid})
        reply, _ = recv_control(self.sock)
        return bool(reply and reply.get("kept") is True)

    def open_scratch_file(self, pid: int, name: str) -> tuple[int | None, dict[str, Any]]:
        """A descriptor for file ``name`` in executor ``pid``'s scratch folder, opened by the
        template (no link followed, regular files only, size-capped), and the template's reply;
        None when there is no such file."""
        send_control(self.sock, {"op": "open", "pid": pid, "name": name})
        reply, fds = recv_control(self.sock, maxfds=1)
        if reply is None or not reply.get("ok") or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            return None, reply or {"error": "gone"}
        return fds[0], reply

    def reap(self, pid: int) -> int:
        """Kill executor ``pid`` (if still running) and return its wait status."""
        send_control(self.sock, {"op": "reap", "pid": pid})
        reply, _ = recv_control(self.sock)
        return int(reply.get("status", 0)) if reply else 0

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass

    def wait(self, timeout: float = 5.0) -> None:
        """In the process that forked the template: reap it (kill it after ``timeout``)."""
        from grader.processes import wait_or_kill

        self.close()
        wait_or_kill(self.pid, timeout)
