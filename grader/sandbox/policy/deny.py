"""The policy's deny tables: names, defining modules and named objects a submission may never
reach, whatever path it takes. Data only; the deny-table generator turns these rules into
``deny_table.json`` and the runtime guards read both (see ``ALLOWLIST.md``)."""

from __future__ import annotations

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
    "register": "global",
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
