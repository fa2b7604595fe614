"""The executor's main: harden, import the submission once, answer the judge's requests.

Runs in a process forked from the template. Everything here is untrusted once the submission has
been imported: the judge believes nothing it says except as the submission's own output for
inputs the judge chose (see ``grader/judge``). The loop still answers honestly for an honest
submission: torch's modes are reset before each request, output is flushed to the pipe the
judge reads, exceptions are reported with a traceback through the learner's file.
"""

from __future__ import annotations

import os
import socket
import sys
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import torch

from grader import protocol
from grader.executor import helpers, modes
from grader.executor.objects import Graph, ObjectTable, is_builtin_exception
from grader.processes import close_other_fds, die_with_parent
from grader.sandbox.os import environ  # imported here, in the warm process, not per executor
from grader.sandbox.os import scratch as scratch_quota
from grader.tracebacks import exception_text, learner_traceback

_UNSANDBOXED_FOR_TESTS = False
"""Test-only: run the executor with no policy and no OS layer, as an owned executor would be.

Nothing in the CLI, the environment or a course file can set this; ``tests/judge`` sets it in a
throwaway process to prove that a submission with full Python power in the executor still scores
no more than its honest score."""


@dataclass(frozen=True)
class Job:
    """What the template knows about the submission it forks executors for."""

    source: str
    filename: str
    allow: tuple[str, ...]
    device: str
    cpu_seconds: float
    memory_mb: int
    deny: tuple[str, ...] = ()
    """The exercise's ``deny:`` list: the policy refuses it at run time (the judge has already
    scanned the file for it)."""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Job:
        return cls(
            source=str(data["source"]),
            filename=str(data["filename"]),
            allow=tuple(str(a) for a in data.get("allow", ())),
            deny=tuple(str(d) for d in data.get("deny", ())),
            device=str(data.get("device", "cpu")),
            cpu_seconds=float(data["cpu_seconds"]),
            memory_mb=int(data["memory_mb"]),
        )


def _isolate_fds(chan: socket.socket, out_w: int) -> None:
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(out_w, 1)
    os.dup2(out_w, 2)
    keep = {0, 1, 2, chan.fileno()}
    try:
        from grader.sandbox.os.layers import inherited_fds

        keep.update(inherited_fds())
    except ImportError:
        pass
    close_other_fds(keep)
    sys.stdout = open(1, "w", encoding="utf-8", errors="replace", closefd=False)
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False)


def _harden(job: Job, scratch: Path) -> list[str]:
    """Every OS layer (the scratch tmpfs first); returns the active layers."""
    from grader.sandbox.os.layers import SandboxSpec, available_layers, harden

    cuda = job.device == "cuda"
    spec = SandboxSpec(
        cpu_seconds=job.cpu_seconds,
        memory_bytes=None if cuda else job.memory_mb * 1024 * 1024,
        scratch=scratch,
        cuda=cuda,
    )
    drop = os.geteuid() == 0 and available_layers().get("uid-drop") is None
    tmpfs = scratch_quota.mount_private_tmpfs(scratch, spec.drop_uid if drop else None)
    if drop and not tmpfs:
        os.chown(scratch, spec.drop_uid, spec.drop_uid)
    environ.scrub()
    if not cuda:
        # The seccomp filter refuses executable memory; oneDNN JIT-compiles its CPU kernels into
        # it, so CPU convolutions take ATen's own kernels (the judge does the same: same numbers).
        torch.backends.mkldnn.enabled = False  # type: ignore[assignment]  # typed as ContextProp
    return list(harden(spec))


def _load(job: Job, code: Any) -> types.ModuleType:
    if _UNSANDBOXED_FOR_TESTS:
        module = types.ModuleType("submission")
        module.__file__ = job.filename
        sys.modules["submission"] = module
        exec(compile(job.source, job.filename, "exec"), module.__dict__)
        return module
    from grader.sandbox import policy

    return policy.load_submission(code, module_name="submission", allow=job.allow, deny=job.deny)


def executor_main(job: Job, code: Any, chan: socket.socket, out_w: int, scratch: Path) -> NoReturn:
    """Runs in the forked executor; never returns."""
    status = 0
    try:
        die_with_parent()
        _forget_inherited_violations()
        _isolate_fds(chan, out_w)
        layers: list[str] = []
        if not _UNSANDBOXED_FOR_TESTS:
            layers = _harden(job, scratch)
        else:
            os.chdir(scratch)
        torch.set_num_threads(1)
        device = torch.device(job.device)
        if job.device == "cuda":
            torch.cuda.set_per_process_memory_fraction(0.5)
        Server(job, code, chan, device, layers).run()
    except BaseException:  # the executor ends, the judge reports it
        status = 70
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        os._exit(status)


def _forget_inherited_violations() -> None:
    """Start with an empty violation record: a fork copies its parent's, and a parent that once
    loaded a submission itself (an in-process worker, a test) would otherwise report that
    submission's violations as this one's."""
    if _UNSANDBOXED_FOR_TESTS:
        return
    from grader.sandbox.policy import VIOLATIONS

    VIOLATIONS.clear()


def _violations() -> list[dict[str, Any]]:
    if _UNSANDBOXED_FOR_TESTS:
        return []
    from grader.sandbox.policy import VIOLATIONS

    found = [
        {
            "en": protocol.clip_text(getattr(v, "en", str(v)), 2000),
            "zh": protocol.clip_text(getattr(v, "zh", str(v)), 2000),
            "line": getattr(v, "lineno", None) if type(getattr(v, "lineno", None)) is int else None,
        }
        for v in VIOLATIONS[:5]
    ]
    VIOLATIONS.clear()
    return found


class _Kept:
    """Marks a call's result that goes back as a handle, whatever it is."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class Server:
    def __init__(
        self,
        job: Job,
        code: Any,
        chan: socket.socket,
        device: torch.device,
        layers: list[str],
    ) -> None:
        self.job = job
        self.code = code
        self.chan = chan
        self.device = device
        self.layers = layers
        self.reader = protocol.FrameReader(chan)
        self.table: ObjectTable | None = None
        self.rng: torch.Tensor | None = None
        """The torch random state the judge sent last (requests say when it is unchanged)."""

    # -- framing ---------------------------------------------------------------------------
    def _flush(self) -> None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass

    def send(self, header: dict[str, Any], blobs: list[bytes] | None = None) -> None:
        self._flush()
        header["violations"] = _violations()
        blobs = blobs or []
        header["blobs"] = [len(b) for b in blobs]
        protocol.send_frame(self.chan, header, blobs)

    def raised(self, exc: BaseException) -> dict[str, Any]:
        trace, line = learner_traceback(exc, self.job.filename, self.job.source)
        names = [c.__name__ for c in type(exc).__mro__ if is_builtin_exception(c)]
        return {
            "status": "raised",
            "type": type(exc).__name__[:100],
            "builtin": names[:20],
            "message": exception_text(exc),
            "traceback": trace,
            "line": line,
        }

    # -- main loop -------------------------------------------------------------------------
    def run(self) -> None:
        modes.reset(True, torch.float32, None, 0)
        try:
            module = _load(self.job, self.code)
        except BaseException as exc:  # the learner's import failed
            self.send({"event": "import_failed", **self.raised(exc)})
            return
        self.table = ObjectTable(module)
        self.send({"event": "ready", "layers": self.layers})
        while True:
            try:
                header, blobs = self.reader.read(None)
            except protocol.ChannelClosed:
                return
            reply, out_blobs = self.answer(header, blobs)
            self.send(reply, out_blobs)

    def answer(self, req: dict[str, Any], blobs: list[bytes]) -> tuple[dict[str, Any], list[bytes]]:
        assert self.table is not None
        table = self.table
        rng = self.rng if req.get("rng_same") is True else None
        if type(req.get("rng")) is int and 0 <= req["rng"] < len(blobs):
            rng = torch.frombuffer(bytearray(blobs[req["rng"]]), dtype=torch.uint8).clone()
            self.rng = rng
        dtype = protocol.DTYPES.get(req.get("dtype"), torch.float32)  # type: ignore[arg-type]
        modes.reset(req.get("grad") is not False, dtype, rng, int(req.get("seed", 0)) & 0xFFFFFFFF)
        decoder = protocol.Decoder(blobs, table.resolve, self.device)
        op = req.get("op")
        try:
            if op == "release":
                table.release_graphs()
                return {"status": "ok", "value": None}, []
            if op == "backward":
                return self._backward(req, decoder)
            args = decoder.decode(req.get("args", {"$": "list", "v": []}))
            kwargs = decoder.decode(req.get("kwargs", {"$": "dict", "v": []}))
        except protocol.ProtocolError as exc:
            return {"status": "error", "message": str(exc)}, []
        try:
            if op == "getattr":
                target = table.get(req.get("target"))
                name = str(req.get("name"))
                if target is table.objects[0]:
                    if name.startswith("__") or name not in target.__dict__:
                        return {"status": "missing"}, []
                    value: Any = target.__dict__[name]
                else:
                    value = getattr(target, name)
                return self._reply(value)
            if op == "call":
                target = table.get(req.get("target"))
                if req.get("attr") is not None:
                    target = getattr(target, str(req["attr"]))
                inputs = protocol.tensor_leaves((args, kwargs)) if req.get("track") else []
                result = target(*args, **kwargs)
                restore = [
                    args[i] for i in req.get("restore", []) if type(i) is int and 0 <= i < len(args)
                ]
                outputs = protocol.tensor_leaves(result) if inputs else []
                if req.get("keep"):  # the check wants the result to stay here, as a handle
                    result = _Kept(result)
                return self._reply((restore, result), inputs=inputs, outputs=outputs)
            if op == "special":
                return self._special(str(req.get("name")), table.get(req.get("target")), args)
            if op == "helper":
                return self._reply(helpers.run(str(req.get("name")), args, kwargs))
            if op == "keep":  # a copy of the judge's value, kept here: the judge gets a handle
                value = args[0] if args else None
                if req.get("name"):
                    value = helpers.make(str(req["name"]), args, kwargs)
                return {"status": "ok", "value": table.handle_for(value)}, []
            return {"status": "error", "message": f"unknown request {op!r}"}, []
        except StopIteration:
            return {"status": "stop"}, []
        except protocol.ProtocolError as exc:
            return {"status": "error", "message": str(exc)}, []
        except BaseException as exc:  # the learner's code raised
            return self.raised(exc), []

    def _special(
        self, name: str, target: Any, args: list[Any]
    ) -> tuple[dict[str, Any], list[bytes]]:
        if name == "len":
            return self._reply(len(target))
        if name == "getitem":
            return self._reply(target[args[0]])
        if name == "setitem":
            target[args[0]] = args[1]
            return self._reply(None)
        if name == "iter":
            return self._reply(iter(target))
        if name == "next":
            return self._reply(next(target))
        if name == "contains":
            return self._reply(args[0] in target)
        if name == "bool":
            return self._reply(bool(target))
        if name in ("str", "repr"):
            text = str(target) if name == "str" else repr(target)
            return self._reply(protocol.clip_text(str.__str__(text), 4000))
        if name == "setattr":
            setattr(target, str(args[0]), args[1])
            return self._reply(None)
        if name == "delattr":
            delattr(target, str(args[0]))
            return self._reply(None)
        return {"status": "error", "message": f"unknown operation {name!r}"}, []

    def _reply(
        self,
        value: Any,
        inputs: list[torch.Tensor] | None = None,
        outputs: list[torch.Tensor] | None = None,
    ) -> tuple[dict[str, Any], list[bytes]]:
        assert self.table is not None
        table = self.table

        def handle(obj: Any) -> dict[str, Any]:
            return table.handle_for(obj.value if type(obj) is _Kept else obj)

        enc = protocol.Encoder(handle)
        try:
            encoded = enc.encode(value)
        except protocol.ProtocolError as exc:
            return {"status": "unsendable", "message": str(exc)}, []
        reply: dict[str, Any] = {"status": "ok", "value": encoded}
        if inputs and outputs:
            if all(id(t) in enc.memo for t in outputs):
                reply["graph"] = self.table.add_graph(Graph(inputs, outputs))
                reply["outputs"] = [enc.memo[id(t)] for t in outputs]
        return reply, enc.blobs

    def _backward(
        self, req: dict[str, Any], decoder: protocol.Decoder
    ) -> tuple[dict[str, Any], list[bytes]]:
        assert self.table is not None
        graph = self.table.graphs.get(req.get("graph"))  # type: ignore[arg-type]
        if graph is None:
            return {"status": "error", "message": "unknown autograd graph"}, []
        grads = decoder.decode(req.get("grads"))
        if type(grads) is not list or len(grads) != len(graph.outputs):
            return {"status": "error", "message": "malformed gradients"}, []
        pairs = [(o, g) for o, g in zip(graph.outputs, grads, strict=True) if g is not None]
        try:
            if not pairs or not graph.inputs:
                result: list[Any] = [None] * len(graph.inputs)
            else:
                # An ordinary backward, as the learner's code would see it: leaves that live here
                # (the parameters of the learner's modules) accumulate their .grad too; what the
                # judge gets is what this backward added to its inputs' copies.
                before = [t.grad.clone() if t.grad is not None else None for t in graph.inputs]
                torch.autograd.backward(
                    [o for o, _ in pairs], [g for _, g in pairs], retain_graph=True
                )
                result = [
                    None if t.grad is None else (t.grad if old is None else t.grad - old)
                    for t, old in zip(graph.inputs, before, strict=True)
                ]
        except BaseException as exc:  # the learner's backward raised
            return self.raised(exc), []
        return self._reply(result)
