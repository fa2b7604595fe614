"""The judge's view of the submission: proxies whose every use is a request to the executor.

``submission.prune_linear(layer, 0.5)`` sends a copy of ``layer`` and decodes the answer here;
``submission.PairDataset(x, y)`` returns a :class:`RemoteObject` (the instance stays in the
executor) whose ``len()``, ``[i]``, iteration, attributes and calls are remote too;
``submission.LinearFunction.apply(x, w, b)`` returns a judge-side tensor whose ``backward`` runs the
learner's backward in the executor and brings the gradients back (:class:`RemoteCall`).

Arguments are sent by value: the learner's code works on its own copies, so nothing it does to
them (an in-place ``grad_output.zero_()``, overwritten targets) reaches the judge's objects. The
one exception is by design: a standard module or optimizer passed as an argument comes back with
the learner's changes (the statements say "prune the layer in place", "train the model"), merged
into the judge's object. Checks compute their references on their own copies, before the call.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

import torch
from torch import nn

from grader import protocol
from grader.judge.errors import CheckFailed, Unsendable, remote_exception
from grader.judge.executor_link import ExecutorLink


class RemoteObject:
    """An object that lives in the executor (the learner's function, class or instance).

    Its Python type is a subclass named after the learner's class, for messages only; what the
    executor says about it (its name, its bases) is never a fact a verdict rests on.
    """

    __slots__ = ("_r_bases", "_r_generation", "_r_handle", "_r_kind", "_r_label", "_r_session")

    def __init__(
        self,
        session: RemoteSession,
        handle: int,
        kind: str,
        bases: tuple[str, ...],
        generation: int,
    ):
        object.__setattr__(self, "_r_session", session)
        object.__setattr__(self, "_r_handle", handle)
        object.__setattr__(self, "_r_kind", kind)
        object.__setattr__(self, "_r_bases", bases)
        object.__setattr__(self, "_r_generation", generation)
        object.__setattr__(self, "_r_label", "")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._r_session.getattr(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        self._r_session.special(self, "setattr", [name, value])

    def __delattr__(self, name: str) -> None:
        self._r_session.special(self, "delattr", [name])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._r_session.call(self, None, args, kwargs)

    def __len__(self) -> int:
        n = self._r_session.special(self, "len", [])
        if type(n) is not int or n < 0:
            raise CheckFailed(
                en=f"len() of your {type(self).__name__} returned {n!r}, not a non-negative int",
                zh=f"你的 {type(self).__name__} 的 len() 返回了 {n!r}，不是非负整数",
            )
        return n

    def __getitem__(self, key: Any) -> Any:
        return self._r_session.special(self, "getitem", [key])

    def __setitem__(self, key: Any, value: Any) -> None:
        self._r_session.special(self, "setitem", [key, value])

    def __iter__(self) -> Any:
        it = self._r_session.special(self, "iter", [])
        if not isinstance(it, RemoteObject):
            raise CheckFailed(
                en=f"iter() of your {type(self).__name__} did not return an iterator",
                zh=f"你的 {type(self).__name__} 的 iter() 没有返回迭代器",
            )
        return it

    def __next__(self) -> Any:
        return self._r_session.special(self, "next", [])

    def __contains__(self, item: Any) -> bool:
        return bool(self._r_session.special(self, "contains", [item]) is True)

    def __bool__(self) -> bool:
        value = self._r_session.special(self, "bool", [])
        if type(value) is not bool:
            raise CheckFailed(en="bool() did not return a bool", zh="bool() 没有返回布尔值")
        return value

    def __repr__(self) -> str:
        return f"<{type(self).__name__} (in your code)>"

    __str__ = __repr__

    def __hash__(self) -> int:
        return hash((id(self._r_session), self._r_handle))

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, RemoteObject)
            and other._r_session is self._r_session
            and other._r_handle == self._r_handle
        )


_TYPES: dict[str, type[RemoteObject]] = {}


def _remote_type(name: str) -> type[RemoteObject]:
    cls = _TYPES.get(name)
    if cls is None:
        cls = type(name, (RemoteObject,), {"__slots__": ()})
        _TYPES[name] = cls
    return cls


class SubmissionProxy(RemoteObject):
    """The learner's module (handle 0 in every executor): ``submission.name`` is a remote lookup,
    and a name the file does not define fails the check with a clear message."""

    __slots__ = ()

    @classmethod
    def of(cls, session: RemoteSession) -> SubmissionProxy:
        return cls(session, 0, "module", (), 0)

    def __repr__(self) -> str:
        return "<your submission>"

    __str__ = __repr__


def _refused(what: str, exc: protocol.ProtocolError) -> Unsendable:
    """The failure for an answer that broke the channel's rules on arrival."""
    return Unsendable(
        en=f"{what} sent back something the grader cannot accept: {exc}",
        zh=f"{what}返回了评分程序无法接受的内容：{exc}",
    )


def _label(obj: RemoteObject) -> str:
    return obj._r_label or type(obj).__name__


def remote_bases(obj: Any) -> tuple[str, ...]:
    """The standard classes the executor says a remote object's class derives from (for
    messages and for contract checks worth no points)."""
    return obj._r_bases if isinstance(obj, RemoteObject) else ()


def is_remote(obj: Any) -> bool:
    return isinstance(obj, RemoteObject)


class _Box:
    """What a :class:`RemoteCall` needs, passed through ``apply`` as one non-tensor argument."""

    def __init__(
        self,
        session: RemoteSession,
        request: dict[str, Any],
        blobs: list[bytes],
        restore: list[Any],
    ):
        self.session = session
        self.request = request
        self.blobs = blobs
        self.restore = restore
        self.result: Any = None
        self.graph: int | None = None
        self.outputs: list[torch.Tensor] = []


class RemoteCall(torch.autograd.Function):
    """A call into the submission whose tensor outputs backpropagate into its inputs.

    Forward sends the call (the learner's code builds its graph on its own copies); backward sends
    the output gradients and receives the input gradients that the learner's backward computed.
    """

    @staticmethod
    def forward(ctx: Any, box: _Box, *inputs: torch.Tensor) -> Any:
        box.session.run_call(box)
        ctx._grader_graph = box.graph
        ctx._grader_session = box.session
        ctx._grader_inputs = len(inputs)
        return tuple(t.detach() for t in box.outputs)

    @staticmethod
    def backward(ctx: Any, *grads: torch.Tensor) -> Any:
        session: RemoteSession = ctx._grader_session
        result = session.backward(ctx._grader_graph, list(grads), ctx._grader_inputs)
        return (None, *result)


def _substitute(value: Any, swap: dict[int, Any]) -> Any:
    """``value`` with the objects in ``swap`` (by id) replaced, inside lists, tuples and dicts."""
    if id(value) in swap:
        return swap[id(value)]
    t = type(value)
    if t is list:
        return [_substitute(v, swap) for v in value]
    if t is tuple:
        return tuple(_substitute(v, swap) for v in value)
    if t is dict:
        return {k: _substitute(v, swap) for k, v in value.items()}
    return value


def _restorable(value: Any) -> bool:
    return protocol.standard_module_class(type(value)) or protocol.standard_optimizer_class(
        type(value)
    )


class RemoteSession:
    """Requests on behalf of the checks of one submission."""

    def __init__(self, link: ExecutorLink) -> None:
        self.link = link
        self.device = link.device
        self._module_names: dict[str, RemoteObject] = {}

    # -- encoding --------------------------------------------------------------------------
    def _handle_out(self, obj: Any) -> dict[str, Any]:
        if isinstance(obj, RemoteObject):
            self._check_generation(obj)
            return {"$": "handle", "h": obj._r_handle}
        graph = getattr(obj, "_grader_graph", None)
        if graph is not None and getattr(obj, "_grader_session", None) is self:
            return {"$": "gradfn", "g": graph}
        raise CheckFailed(
            en=f"the check tried to send a {type(obj).__name__} to your code (a bug in the check)",
            zh=f"检查试图把 {type(obj).__name__} 传给你的代码（检查本身的错误）",
        )

    def _check_generation(self, obj: RemoteObject) -> None:
        if obj._r_handle == 0:  # the submission's module: re-imported by every executor
            return
        if obj._r_generation != self.link.generation or self.link.live is None:
            raise CheckFailed(
                en=f"this {type(obj).__name__} lived in a run of your code that was restarted "
                "(after a timeout or a crash)",
                zh=f"这个 {type(obj).__name__} 属于你的代码的一次已被重启的运行（超时或崩溃之后）",
            )

    def _encode(self, value: Any) -> tuple[Any, list[bytes], protocol.Encoder]:
        enc = protocol.Encoder(self._handle_out)
        try:
            return enc.encode(value), enc.blobs, enc
        except protocol.ProtocolError as exc:
            raise CheckFailed(
                en=f"the check's input cannot be sent to your code ({exc}; a bug in the check)",
                zh=f"检查的输入无法传给你的代码（{exc}；检查本身的错误）",
            ) from None

    # -- decoding --------------------------------------------------------------------------
    def _decoder(self, blobs: list[bytes], generation: int) -> protocol.Decoder:
        def handle_in(spec: dict[str, Any]) -> Any:
            if spec.get("$") != "handle":
                raise protocol.ProtocolError("your code sent an autograd node")
            h = spec.get("h")
            kind = spec.get("kind")
            bases = spec.get("bases")
            name = spec.get("type")
            if type(h) is not int or type(kind) is not str or type(bases) is not list:
                raise protocol.ProtocolError("malformed handle")
            if type(name) is not str or not name.isidentifier() or len(name) > 100:
                name = "object"
            clean = tuple(b for b in bases[:32] if type(b) is str and len(b) < 200)
            return _remote_type(name)(self, h, kind[:20], clean, generation)

        return protocol.Decoder(blobs, handle_in, self.device)

    def _reply_value(
        self, reply: dict[str, Any], blobs: list[bytes], generation: int, what: str
    ) -> Any:
        status = reply.get("status")
        if status == "ok":
            try:
                return self._decoder(blobs, generation).decode(reply.get("value"))
            except protocol.ProtocolError as exc:
                raise _refused(what, exc) from None
        self._raise_for(reply, what)
        raise AssertionError("unreachable")

    def _raise_for(self, reply: dict[str, Any], what: str) -> None:
        status = reply.get("status")
        if status == "raised":
            raise remote_exception(reply)
        if status == "stop":
            raise StopIteration
        if status == "missing":
            raise CheckFailed(
                en=f"your file does not define `{what}`",
                zh=f"你的文件中没有定义 `{what}`",
            )
        message = protocol.clip_text(reply.get("message"), 2000)
        if status == "unsendable":
            raise Unsendable(
                en=f"{what} returned something that cannot be graded: {message}",
                zh=f"{what}返回了无法评分的内容：{message}",
            )
        raise Unsendable(
            en=f"your code's process did not answer properly ({message or status})",
            zh=f"你的代码所在的进程没有正确应答（{message or status}）",
        )

    # -- operations ------------------------------------------------------------------------
    def getattr(self, target: RemoteObject | None, name: str) -> Any:
        h = 0
        if target is not None:
            self._check_generation(target)
            h = target._r_handle
        cached = self._module_names.get(name) if h == 0 else None
        if cached is not None and cached._r_generation == self.link.generation and self.link.live:
            return cached
        reply, blobs, gen = self.link.request({"op": "getattr", "target": h, "name": name}, [])
        value = self._reply_value(reply, blobs, gen, name)
        if isinstance(value, RemoteObject):  # messages then name what the check called
            label = name if h == 0 else f"{_label(target)}.{name}"  # type: ignore[arg-type]
            object.__setattr__(value, "_r_label", label)
            if h == 0 and value._r_kind in ("function", "class"):
                # The file's functions and classes, looked up once per executor: a call is then
                # one request, not two.
                self._module_names[name] = value
        return value

    def special(self, target: RemoteObject, name: str, args: list[Any]) -> Any:
        self._check_generation(target)
        encoded, blobs, _ = self._encode(list(args))
        reply, out, gen = self.link.request(
            {"op": "special", "target": target._r_handle, "name": name, "args": encoded}, blobs
        )
        return self._reply_value(reply, out, gen, f"your {type(target).__name__}")

    def call(
        self,
        target: RemoteObject,
        attr: str | None,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        keep: bool = False,
    ) -> Any:
        self._check_generation(target)
        args_list = list(args)
        encoded, blobs, enc = self._encode((args_list, dict(kwargs)))
        restore = [i for i, a in enumerate(args_list) if _restorable(a)]
        request = {
            "op": "call",
            "target": target._r_handle,
            "attr": attr,
            "args": encoded["v"][0],
            "kwargs": encoded["v"][1],
            "restore": restore,
        }
        if keep:
            request["keep"] = True
        box = _Box(self, request, blobs, [args_list[i] for i in restore])
        box.request["what"] = _label(target)
        inputs = (
            protocol.tensor_leaves((args_list, dict(kwargs))) if torch.is_grad_enabled() else []
        )
        if not inputs:
            self.run_call(box)
            return box.result
        request["track"] = True
        request["grad"] = True
        outs = RemoteCall.apply(box, *inputs)
        if not isinstance(outs, tuple):
            outs = (outs,)
        swap = {id(old): new for old, new in zip(box.outputs, outs, strict=True)}
        return _substitute(box.result, swap)

    def run_call(self, box: _Box) -> None:
        what = box.request.pop("what", "your function")
        reply, blobs, gen = self.link.request(box.request, box.blobs)
        if reply.get("status") != "ok":
            self._raise_for(reply, what)
        decoder = self._decoder(blobs, gen)
        value = reply.get("value")
        try:
            if type(value) is not dict or value.get("$") != "tuple" or len(value.get("v", [])) != 2:
                raise protocol.ProtocolError("malformed call answer")
            restored = decoder.decode(value["v"][0])
            if type(restored) is not list or len(restored) != len(box.restore):
                raise protocol.ProtocolError("malformed call answer")
            swap: dict[int, Any] = {}
            for original, fresh in zip(box.restore, restored, strict=True):
                merge_into(original, fresh, swap)
            for key, obj in list(decoder.memo.items()):
                if id(obj) in swap:
                    decoder.memo[key] = swap[id(obj)]
            box.result = decoder.decode(value["v"][1])
            ids = reply.get("outputs", [])
            if box.request.get("track") and type(ids) is list:
                outputs: list[torch.Tensor] = []
                for key in ids:
                    t = decoder.memo.get(key) if type(key) is int else None
                    if type(t) not in (torch.Tensor, nn.Parameter):
                        raise protocol.ProtocolError("malformed autograd outputs")
                    outputs.append(cast(torch.Tensor, t))
                box.outputs = outputs
                graph = reply.get("graph")
                box.graph = graph if type(graph) is int else None
                if box.graph is not None:
                    self.link.graphs_open = True
        except protocol.ProtocolError as exc:
            raise _refused(what, exc) from None
        except (RuntimeError, TypeError, ValueError) as exc:
            raise Unsendable(
                en=f"the objects {what} changed cannot be taken back: {exc}",
                zh=f"{what}修改过的对象无法取回：{exc}",
            ) from None

    def backward(
        self, graph: int | None, grads: list[torch.Tensor | None], n_inputs: int
    ) -> list[Any]:
        if graph is None:
            return [None] * n_inputs
        encoded, blobs, _ = self._encode(list(grads))
        reply, out, gen = self.link.request(
            {"op": "backward", "graph": graph, "grads": encoded, "grad": False}, blobs
        )
        result = self._reply_value(reply, out, gen, "your backward")
        if type(result) is not list or len(result) != n_inputs:
            raise Unsendable(
                en="your backward sent back the wrong number of gradients",
                zh="你的 backward 返回的梯度数量不对",
            )
        for g in result:
            if g is not None and type(g) is not torch.Tensor:
                raise Unsendable(
                    en=f"a gradient from your backward is a {type(g).__name__}, not a tensor",
                    zh=f"你的 backward 返回的梯度是 {type(g).__name__}，不是张量",
                )
        return result

    def keep(
        self,
        value: Any = None,
        *,
        make: str | None = None,
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> RemoteObject:
        """A copy of ``value`` (or a new grader-library object ``make(*args)``) kept in the
        executor; the check gets a handle, and nothing is merged back."""
        payload = [value] if make is None else list(args)
        encoded, blobs, _ = self._encode((payload, dict(kwargs or {})))
        request = {"op": "keep", "args": encoded["v"][0], "kwargs": encoded["v"][1]}
        if make is not None:
            request["name"] = make
        reply, out, gen = self.link.request(request, blobs)
        result = self._reply_value(reply, out, gen, "the grader")
        if not isinstance(result, RemoteObject):
            raise Unsendable(en="the executor did not keep the object", zh="执行进程没有保留该对象")
        return result

    def scratch_file(self, name: str, limit: int) -> bytes | None:
        try:
            return self.link.read_scratch_file(name, limit)
        except OSError as exc:
            why = {"not-a-file": "is not a regular file", "too-large": "is too large"}.get(
                str(exc), "cannot be read"
            )
            raise CheckFailed(
                en=f"the file {name!r} your code wrote {why}",
                zh=f"你的代码写入的文件 {name!r} {'不是普通文件' if str(exc) == 'not-a-file' else '过大' if str(exc) == 'too-large' else '无法读取'}",
            ) from None

    def helper(self, name: str, *args: Any, **kwargs: Any) -> Any:
        encoded, blobs, _ = self._encode((list(args), dict(kwargs)))
        reply, out, gen = self.link.request(
            {"op": "helper", "name": name, "args": encoded["v"][0], "kwargs": encoded["v"][1]},
            blobs,
        )
        return self._reply_value(reply, out, gen, f"the grader's helper {name}")


def merge_into(original: Any, fresh: Any, swap: dict[int, Any]) -> None:
    """Apply the learner's changes to a module or optimizer the check passed in, in place.

    Parameters and buffers keep their identity where their name survives (their data, grad and
    ``requires_grad`` are replaced), so optimizers and other references of the check still see
    them. ``swap`` maps every fresh object merged into an original to that original.
    """
    if type(original) is not type(fresh):
        raise ValueError(
            f"a {type(original).__name__} argument came back as a {type(fresh).__name__}"
        )
    swap[id(fresh)] = original
    if isinstance(original, nn.Module):
        _merge_module(original, fresh, swap)
    else:
        _merge_optimizer(original, fresh, swap)


def _merge_tensor(old: torch.Tensor, new: torch.Tensor, swap: dict[int, Any]) -> torch.Tensor:
    if type(old) is not type(new):
        return new
    with torch.no_grad():
        old.data = new.data
    if old.requires_grad != new.requires_grad:
        old.requires_grad_(new.requires_grad)
    old.grad = new.grad
    swap[id(new)] = old
    return old


def _merge_module(original: nn.Module, fresh: nn.Module, swap: dict[int, Any]) -> None:
    for table in ("_parameters", "_buffers"):
        old_table = getattr(original, table)
        merged = {}
        for name, new in getattr(fresh, table).items():
            old = old_table.get(name)
            if old is not None and new is not None:
                merged[name] = _merge_tensor(old, new, swap)
            else:
                merged[name] = new
        old_table.clear()
        old_table.update(merged)
    modules: dict[str, nn.Module | None] = {}
    for name, new in fresh._modules.items():
        old = original._modules.get(name)
        if old is not None and new is not None and type(old) is type(new):
            merge_into(old, new, swap)
            modules[name] = old
        else:
            modules[name] = new
    original._modules.clear()
    original._modules.update(modules)
    base = protocol._base_module_attrs()
    for name in [n for n in original.__dict__ if n not in base]:
        if name not in fresh.__dict__:
            del original.__dict__[name]
    for name, value in fresh.__dict__.items():
        if name in base:
            continue
        if isinstance(value, torch.Tensor):
            value = swap.get(id(value), value)
        original.__dict__[name] = value
    original.training = fresh.training
    original._non_persistent_buffers_set = set(fresh._non_persistent_buffers_set)
    for name, _ in protocol._HOOK_DICTS:
        setattr(original, name, getattr(fresh, name))
    if hasattr(original, "_init_flat_weights") and "_flat_weights_names" in original.__dict__:
        cast(Any, original)._init_flat_weights()  # an RNN's; Module's typing says Tensor


def _merge_optimizer(
    original: torch.optim.Optimizer, fresh: torch.optim.Optimizer, swap: dict[int, Any]
) -> None:
    groups = []
    for group in fresh.param_groups:
        merged = dict(group)
        merged["params"] = [swap.get(id(p), p) for p in group["params"]]
        groups.append(merged)
    original.param_groups = groups
    state: defaultdict[Any, Any] = defaultdict(dict)
    for p, st in fresh.state.items():
        state[swap.get(id(p), p)] = st
    original.state = state
    original.defaults = dict(fresh.defaults)
