"""The executor's table of objects the judge refers to by handle, and of remote autograd graphs."""

from __future__ import annotations

import builtins
import types
from typing import Any

import torch

from grader.protocol import ProtocolError

_STANDARD_ROOTS = ("torch", "builtins", "collections", "typing", "abc")


def _kind(obj: Any) -> str:
    if isinstance(obj, types.ModuleType):
        return "module"
    if isinstance(obj, type):
        return "class"
    if isinstance(obj, types.GeneratorType):
        return "generator"
    if callable(obj) and isinstance(
        obj,
        types.FunctionType
        | types.BuiltinFunctionType
        | types.MethodType
        | types.BuiltinMethodType
        | types.MethodWrapperType,
    ):
        return "function"
    return "object"


def _bases(obj: Any) -> list[str]:
    cls = obj if isinstance(obj, type) else type(obj)
    out = []
    try:
        mro = type.mro(cls) if isinstance(cls, type) else []
    except TypeError:
        mro = []
    for c in mro[1:] if isinstance(obj, type) else mro:
        module = getattr(c, "__module__", "") or ""
        if module.split(".")[0] in _STANDARD_ROOTS:
            out.append(f"{module}.{c.__qualname__}" if module != "builtins" else c.__qualname__)
    return out[:32]


def _type_name(obj: Any) -> str:
    if isinstance(obj, types.ModuleType):
        return "module"
    name = getattr(obj, "__name__", None) if isinstance(obj, type) else type(obj).__name__
    if not isinstance(name, str) or not name.isidentifier():
        return "object"
    return name[:100]


class Graph:
    """The inputs and outputs of one remote call whose outputs the judge may backpropagate."""

    def __init__(self, inputs: list[torch.Tensor], outputs: list[torch.Tensor]) -> None:
        self.inputs = inputs
        self.outputs = outputs


class ObjectTable:
    def __init__(self, root: Any) -> None:
        self.objects: dict[int, Any] = {0: root}
        self.ids: dict[int, int] = {id(root): 0}
        self.graphs: dict[int, Graph] = {}
        self._next = 1
        self._next_graph = 1

    def handle_for(self, obj: Any) -> dict[str, Any]:
        h = self.ids.get(id(obj))
        if h is None or self.objects.get(h) is not obj:
            h = self._next
            self._next += 1
            self.objects[h] = obj
            self.ids[id(obj)] = h
        return {
            "$": "handle",
            "h": h,
            "type": _type_name(obj),
            "kind": _kind(obj),
            "bases": _bases(obj),
        }

    def resolve(self, spec: dict[str, Any]) -> Any:
        if spec.get("$") == "gradfn":
            graph = self.graphs.get(spec.get("g"))  # type: ignore[arg-type]
            if graph is None or not graph.outputs:
                raise ProtocolError("a reference to an autograd node that no longer exists")
            node = graph.outputs[0].grad_fn
            if node is None:
                raise ProtocolError("the remote output has no autograd node")
            return node
        h = spec.get("h")
        if type(h) is not int or h not in self.objects:
            raise ProtocolError(f"unknown handle {h!r}")
        return self.objects[h]

    def get(self, h: Any) -> Any:
        if type(h) is not int or h not in self.objects:
            raise ProtocolError(f"unknown handle {h!r}")
        return self.objects[h]

    def add_graph(self, graph: Graph) -> int:
        g = self._next_graph
        self._next_graph += 1
        self.graphs[g] = graph
        return g

    def release_graphs(self) -> None:
        self.graphs.clear()


def is_builtin_exception(cls: type) -> bool:
    return getattr(builtins, cls.__name__, None) is cls
