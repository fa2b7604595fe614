"""The policy's admission tables: what a submission may import, read and define.

Data only (no torch import): the AST transformer, the runtime guards and the deny-table
generator (``python -m grader.sandbox.policy.denytable``) all read these tables (the deny side lives in
``policy_deny.py``), and ``grader/sandbox/policy/ALLOWLIST.md`` documents them for people.

A module's attribute allow-list is one of:

* ``None``: every public attribute, subject to the deny rules (deny table, value checks);
* ``"__all__"``: the names in the module's own ``__all__``, subject to the deny rules;
* a frozenset: exactly these names (used where a module is mostly unsafe or irrelevant).
"""

from __future__ import annotations

AttrAllow = frozenset[str] | str | None

DEFAULT_MODULES: dict[str, AttrAllow] = {
    "torch": None,
    "torch.nn": None,
    "torch.nn.functional": None,
    "torch.nn.init": None,
    "torch.nn.parameter": frozenset(
        {"Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer"}
    ),
    "torch.nn.utils": None,
    "torch.nn.utils.prune": None,
    "torch.nn.utils.rnn": None,
    "torch.utils": frozenset({"data"}),
    "torch.utils.data": frozenset(
        {
            "BatchSampler",
            "ChainDataset",
            "ConcatDataset",
            "DataLoader",
            "Dataset",
            "IterableDataset",
            "RandomSampler",
            "Sampler",
            "SequentialSampler",
            "StackDataset",
            "Subset",
            "SubsetRandomSampler",
            "TensorDataset",
            "WeightedRandomSampler",
            "default_collate",
            "default_convert",
            "get_worker_info",
            "random_split",
        }
    ),
    "torch.optim": None,
    "torch.optim.lr_scheduler": None,
    "torch.autograd": None,
    "torch.autograd.function": frozenset(
        {"Function", "FunctionCtx", "InplaceFunction", "once_differentiable"}
    ),
    "torch.linalg": None,
    "torch.fft": None,
    "torch.special": None,
    "torch.amp": frozenset({"autocast", "GradScaler"}),
    "torch.cuda": frozenset(
        {
            "is_available",
            "device_count",
            "current_device",
            "get_device_name",
            "get_device_capability",
            "get_device_properties",
            "is_bf16_supported",
            "synchronize",
            "manual_seed",
            "manual_seed_all",
            "empty_cache",
            "memory_allocated",
            "max_memory_allocated",
            "memory_reserved",
            "reset_peak_memory_stats",
        }
    ),
    "torch.backends": frozenset({"cuda", "cudnn", "mps"}),
    "torch.backends.cuda": frozenset({"is_built"}),
    "torch.backends.cudnn": frozenset({"is_available", "version"}),
    "torch.backends.mps": frozenset({"is_available", "is_built"}),
    "numpy": None,
    "numpy.linalg": None,
    "numpy.random": None,
    "math": None,
    "random": "__all__",
    "typing": "__all__",
    "collections": "__all__",
    "collections.abc": "__all__",
    "itertools": None,
    "functools": "__all__",
    "dataclasses": "__all__",
    "enum": "__all__",
    "abc": None,
    "numbers": "__all__",
    "operator": "__all__",
    "statistics": "__all__",
    "copy": "__all__",
    "__future__": "__all__",
}
"""Modules every submission may import, with their attribute allow-lists."""

EXTENSION_MODULES: dict[str, AttrAllow] = {
    "torch.distributions": None,
    "torch.func": None,
    "torch.utils.checkpoint": frozenset({"checkpoint", "checkpoint_sequential"}),
    "torch.nn.utils.parametrize": None,
    "torch.nn.utils.parametrizations": None,
    "torch.ao.quantization": None,
    "torch.ao.nn.quantized.dynamic": None,
    "numpy.fft": None,
}
"""Modules an exercise may admit with ``allow:`` in its exercise.yaml. The deny table walks them
too, so an exercise can only admit a module whose surface has been reviewed; add a module here
(and regenerate the table) before an exercise may name it."""

ALLOWED_DUNDER_READS = frozenset({"__init__", "__name__", "__qualname__", "__doc__", "__version__"})
"""Double-underscore attributes a submission may read (``__init__`` only on ``super()`` and on
classes, the others only when the value is a string)."""

ALLOWED_DUNDER_DEFS = frozenset(
    {
        "__init__",
        "__post_init__",
        "__len__",
        "__getitem__",
        "__setitem__",
        "__iter__",
        "__next__",
        "__call__",
        "__contains__",
        "__repr__",
        "__str__",
    }
)
"""Special methods a submission's class may define (protocol methods that cannot fake results)."""

OVERRIDE_DUNDERS = frozenset(
    {
        "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__",
        "__torch_function__", "__torch_dispatch__", "__del__", "__getattr__", "__getattribute__",
        "__setattr__", "__delattr__", "__init_subclass__", "__class_getitem__", "__new__",
        "__array__", "__array_function__", "__array_ufunc__", "__array_interface__",
        "__array_priority__", "__array_wrap__", "__array_finalize__", "__dlpack__",
        "__dlpack_device__", "__instancecheck__", "__subclasscheck__", "__set_name__", "__get__",
        "__set__", "__delete__", "__reduce__", "__reduce_ex__", "__getstate__", "__setstate__",
        "__copy__", "__deepcopy__", "__format__", "__index__", "__int__", "__float__",
        "__complex__", "__enter__", "__exit__", "__mro_entries__", "__prepare__", "__slots__",
        "__class__", "__dict__", "__len_hint__", "__length_hint__", "__fspath__",
    }
)  # fmt: skip
"""Special methods whose definition is reported as rule ``override``: comparison, hashing,
truth, dispatch, attribute and lifecycle hooks, pickling and conversion protocols."""

DENIED_BUILTINS: dict[str, str] = {
    "open": "file",
    "eval": "eval",
    "exec": "eval",
    "compile": "eval",
    "input": "process",
    "breakpoint": "introspection",
    "globals": "introspection",
    "locals": "introspection",
    "exit": "process",
    "quit": "process",
    "help": "introspection",
    "memoryview": "native",
    "copyright": "introspection",
    "credits": "introspection",
    "license": "introspection",
}
"""Builtins a submission may not use (reported as rule ``builtin``); calling one raises."""

BASE_EXCEPTION_NAMES = frozenset(
    {"BaseException", "BaseExceptionGroup", "SystemExit", "KeyboardInterrupt", "GeneratorExit"}
)
"""Builtin names of exceptions that are not ``Exception`` (rule ``base-exception``)."""

INTROSPECTION_ATTRS = frozenset(
    {
        "tb_frame", "tb_next", "f_back", "f_builtins", "f_code", "f_generator", "f_globals",
        "f_locals", "f_trace", "co_code", "gi_frame", "gi_code", "gi_yieldfrom", "cr_await",
        "cr_frame", "cr_code", "cr_origin", "ag_await", "ag_frame", "ag_code",
    }
)  # fmt: skip
"""Frame, code and generator internals (rule ``introspection``), denied on every object."""

NAMEDTUPLE_PUBLIC = frozenset({"_asdict", "_replace", "_fields", "_make", "_field_defaults"})
"""Underscore names that are the public API of named tuples."""

RESERVED_NAME_PREFIXES = ("_tmp", "_print")
"""Prefixes of names the transformer generates; a submission may not define or read them."""
