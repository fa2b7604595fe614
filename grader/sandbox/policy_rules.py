"""The policy's rule tables: what a submission may import, read, define, write and call.

Data only (no torch import): the AST transformer, the runtime guards and the deny-table
generator (``python -m grader.sandbox.denytable``) all read these tables, and
``grader/sandbox/ALLOWLIST.md`` documents them for people.

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

LIFT_WRAPPED = frozenset({"torch:load", "torch:save", "numpy:load", "numpy:save"})
"""``module:attr`` lifts that hand out a restricting wrapper instead of the raw function
(``torch.load`` always with ``weights_only=True``, ``numpy.load`` never with pickles, ...)."""

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

GLOBAL_NAME_DENY: dict[str, str] = {
    "from_file": "file",
    "fromfile": "file",
    "fromregex": "file",
    "tofile": "file",
    "memmap": "file",
    "save": "file",
    "savez": "file",
    "savez_compressed": "file",
    "savetxt": "file",
    "loadtxt": "file",
    "genfromtxt": "file",
    "share_memory": "file",
    "share_memory_": "file",
    "load": "pickle",
    "dump": "pickle",
    "ctypes": "native",
    "ctypeslib": "native",
    "load_library": "native",
    "load_inline": "native",
    "compile": "compile",
    "get_type_hints": "eval",
    "attrgetter": "introspection",
    "methodcaller": "introspection",
    "register_module_forward_hook": "global",
    "register_module_forward_pre_hook": "global",
    "register_module_backward_hook": "global",
    "register_module_full_backward_hook": "global",
    "register_module_full_backward_pre_hook": "global",
    "register_module_buffer_registration_hook": "global",
    "register_module_module_registration_hook": "global",
    "register_module_parameter_registration_hook": "global",
    "register_optimizer_step_pre_hook": "global",
    "register_optimizer_step_post_hook": "global",
}
"""Attribute names denied on every object the submission did not create (rule ``denied-name``),
whatever the value: they are unambiguous, and bound methods have no stable identity to check."""

NAMEDTUPLE_PUBLIC = frozenset({"_asdict", "_replace", "_fields", "_make", "_field_defaults"})
"""Underscore names that are the public API of named tuples."""

DANGEROUS_MODULES: dict[str, str] = {
    **dict.fromkeys(
        ["os", "posix", "nt", "subprocess", "_posixsubprocess", "pty", "signal", "resource",
         "multiprocessing", "_multiprocessing", "concurrent", "threading", "_thread", "asyncio",
         "socket", "_socket", "ssl", "select", "selectors", "http", "urllib", "ftplib",
         "smtplib", "atexit", "faulthandler", "platform", "webbrowser"],
        "process",
    ),
    **dict.fromkeys(
        ["sys", "gc", "inspect", "traceback", "pdb", "bdb", "dis", "tracemalloc"],
        "introspection",
    ),
    **dict.fromkeys(["ctypes", "_ctypes", "mmap", "cffi"], "native"),
    **dict.fromkeys(
        ["importlib", "_imp", "imp", "pkgutil", "runpy", "zipimport", "site"], "import"
    ),
    **dict.fromkeys(
        ["pickle", "_pickle", "copyreg", "marshal", "shelve", "dill", "cloudpickle"], "pickle"
    ),
    **dict.fromkeys(
        ["io", "_io", "pathlib", "tempfile", "glob", "shutil", "fileinput", "zipfile",
         "tarfile", "gzip", "bz2", "lzma", "sqlite3", "linecache", "tokenize", "codecs",
         "filecmp", "fnmatch"],
        "file",
    ),
    **dict.fromkeys(["code", "codeop"], "eval"),
    **dict.fromkeys(["warnings", "logging"], "global"),
    "torch.serialization": "pickle",
    "torch.package": "pickle",
    "torch.hub": "file",
    "torch.onnx": "file",
    "torch.profiler": "file",
    "torch.autograd.profiler": "file",
    "torch.utils.data.datapipes": "file",
    "torch.jit": "compile",
    "torch._jit_internal": "compile",
    "torch._dynamo": "compile",
    "torch._inductor": "compile",
    "torch.compiler": "compile",
    "torch.export": "compile",
    "torch._export": "compile",
    "torch._higher_order_ops": "compile",
    "torch.fx": "compile",
    "torch.library": "override",
    "torch._library": "override",
    "torch.overrides": "override",
    "torch.utils.backend_registration": "override",
    "torch._ops": "native",
    "torch.utils.cpp_extension": "native",
    "torch.distributed": "process",
    "torch.multiprocessing": "process",
    "torch.utils.collect_env": "process",
    "numpy.ctypeslib": "native",
    "numpy.f2py": "native",
    "numpy.lib._npyio_impl": "file",
    "numpy.lib.npyio": "file",
    "numpy.lib.format": "file",
    "numpy.lib._format_impl": "file",
    "numpy.lib._datasource": "file",
    "numpy._core.memmap": "file",
    "numpy.testing": "process",
    "numpy._pytesttester": "process",
}  # fmt: skip
"""Defining modules (prefixes) whose functions, classes and instances a submission may never
hold, whatever name they were reached by (rule ``denied-value``)."""

EXPLICIT_DENY: dict[str, str] = {
    "torch:load": "pickle",
    "torch:save": "file",
    "torch:from_file": "file",
    "torch:compile": "compile",
    "torch:cond": "compile",
    "torch:while_loop": "compile",
    "torch:fork": "process",
    "torch:wait": "process",
    "torch:init_num_threads": "global",
    "torch:use_deterministic_algorithms": "global",
    "torch:set_grad_enabled": "global",
    "torch.autograd:set_grad_enabled": "global",
    "torch.autograd:set_detect_anomaly": "global",
    "torch.autograd:set_multithreading_enabled": "global",
    "numpy:load": "pickle",
    "numpy:save": "file",
    "numpy:savez": "file",
    "numpy:savez_compressed": "file",
    "numpy:savetxt": "file",
    "numpy:loadtxt": "file",
    "numpy:genfromtxt": "file",
    "numpy:fromfile": "file",
    "numpy:fromregex": "file",
    "numpy:memmap": "file",
    "numpy:seterr": "global",
    "numpy:seterrcall": "global",
    "numpy:setbufsize": "global",
    "numpy:set_printoptions": "global",
    "numpy:test": "process",
    "numpy:show_config": "process",
    "numpy:show_runtime": "process",
    "numpy:ndarray.tofile": "file",
    "numpy:ndarray.dump": "pickle",
    "numpy:ndarray.ctypes": "native",
    "torch:UntypedStorage.from_file": "file",
    "torch:TypedStorage.from_file": "file",
    "torch:Tensor.share_memory_": "file",
    "torch.nn:Module.compile": "compile",
    "torch.nn:Module.share_memory": "file",
    "typing:get_type_hints": "eval",
    "random:SystemRandom": "nondeterministic",
    "operator:attrgetter": "introspection",
    "operator:methodcaller": "introspection",
    "functools:update_wrapper": "override",
    "functools:wraps": "override",
    "functools:singledispatch": "eval",
    "functools:singledispatchmethod": "eval",
    "dataclasses:make_dataclass": "override",
    "torch.utils.data:IterDataPipe": "file",
    "torch.utils.data:MapDataPipe": "file",
    "torch.utils.data:DFIterDataPipe": "file",
    "torch.utils.data:functional_datapipe": "file",
}
"""Named objects the walk always denies (most have ``__module__`` rewritten to ``torch`` or
``numpy``, so their defining module does not give them away)."""

TORCH_INTERNALS: dict[str, str] = {
    **dict.fromkeys(
        ["PyTorchFileReader", "PyTorchFileWriter", "DeserializationStorageContext",
         "SerializationStorageContext", "ScriptModuleSerializer", "import_ir_module",
         "import_ir_module_from_buffer", "get_file_path"],
        "file",
    ),
    **dict.fromkeys(
        ["AliasDb", "Argument", "ArgumentSpec", "BenchmarkConfig", "BenchmarkExecutionStats",
         "Block", "BufferDict", "CallStack", "Capsule", "Code", "CompleteArgumentSpec",
         "ConcreteModuleTypeBuilder", "DeepCopyMemoTable", "ErrorReport", "ExecutionPlan",
         "FileCheck", "FunctionSchema", "Future", "Gradient", "Graph", "GraphExecutorState",
         "IODescriptor", "LiteScriptModule", "LockingLogger", "LoggerBase", "ModuleDict", "Node",
         "NoopLogger", "OperatorInfo", "ParameterDict", "ScriptClass", "ScriptClassFunction",
         "ScriptDict", "ScriptDictIterator", "ScriptDictKeyIterator", "ScriptList",
         "ScriptListIterator", "ScriptMethod", "ScriptModule", "ScriptObject",
         "ScriptObjectProperty", "StaticModule", "ThroughputBenchmark", "TracingState", "Type",
         "Use", "Value", "parse_ir", "parse_schema", "parse_type_comment",
         "merge_type_from_type_comment", "unify_type_list"],
        "compile",
    ),
    **dict.fromkeys(
        ["DispatchKey", "DispatchKeySet", "ExcludeDispatchKeyGuard", "DisableTorchFunction",
         "DisableTorchFunctionSubclass"],
        "override",
    ),
    "prepare_multiprocessing_environment": "process",
    "profiler_allow_cudagraph_cupti_lazy_reinit_cuda12": "global",
}  # fmt: skip
"""TorchScript, serialization and dispatch internals that torch re-exports in its namespace with
``__module__ == "torch"`` (so only their names give them away). Classes of the torch namespace
whose name ends in ``Type`` (TorchScript's type objects) are denied with reason ``compile`` too."""

EXPLICIT_DENY.update({f"torch:{name}": reason for name, reason in TORCH_INTERNALS.items()})

SETTER_PREFIXES = ("set_",)
"""Module-level functions of torch and numpy named like this change process-wide state and are
denied (reason ``global``), except for the names in ``SETTER_ALLOWED``."""

SETTER_ALLOWED = frozenset({"set_rng_state", "set_state"})

RAW_BUILTINS_DENY: dict[str, str] = {
    "open": "file",
    "eval": "eval",
    "exec": "eval",
    "compile": "eval",
    "__import__": "import",
    "__build_class__": "override",
    "getattr": "introspection",
    "setattr": "override",
    "delattr": "override",
    "vars": "introspection",
    "dir": "introspection",
    "globals": "introspection",
    "locals": "introspection",
    "input": "process",
    "breakpoint": "introspection",
    "memoryview": "native",
}
"""The interpreter's own builtins that no value a submission holds may be (they bypass the
guards); the submission's builtins are guarded replacements or absent."""

RESERVED_NAME_PREFIXES = ("_tmp", "_print")
"""Prefixes of names the transformer generates; a submission may not define or read them."""
