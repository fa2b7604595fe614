"""The table of hostile submissions: what each attacks, the layer that stops it, what it must get.

``layer`` names what the test relies on: ``policy`` (the RestrictedPython policy), ``runner``
(the grading machinery itself: the per-check wall clock, the result pipe, the verdict classifier,
the grader's own pytest configuration) and ``checks`` (the check API's exact-type asserts) are
always present and never skipped; any other name is an OS layer of ``grader.sandbox.os.layers.LAYERS``
and the test is skipped, with the probe's reason, where the worker does not have it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hostile_support import NEIGHBOURS, SUBMISSIONS

ALWAYS = ("policy", "runner", "checks")


@dataclass(frozen=True)
class Attack:
    """One hostile submission and what grading it must give."""

    file: str
    """The submission (under submissions/, or ``with_neighbours`` for the folder under data/)."""
    layer: str
    """What stops it (see the module docstring); ``a|b``: either layer suffices."""
    reasons: tuple[str, ...]
    """The acceptable reasons of its one check."""
    needle: str = ""
    """A text the check's English message (or the summary) must contain."""
    exercise: str = "add-one"
    """``add-one``, or ``checkpoint`` (admits torch/numpy save and load: only the OS layer
    decides which files they reach)."""
    max_seconds: float = 12.0
    """Generous bound on the whole grading call (the machine is shared)."""

    @property
    def name(self) -> str:
        return self.file.removesuffix(".py")


P, E, T, F = ("policy",), ("error",), ("timeout",), ("failed",)
CK = "checkpoint"

ATTACKS: tuple[Attack, ...] = (
    # Infinite loops, in Python and inside native torch ops.
    Attack("loop_python.py", "runner", T, "time limit"),
    Attack("loop_catches_everything.py", "runner", T, "took longer"),
    Attack("loop_native_conv.py", "runner", T, "time limit"),
    Attack("loop_native_matrix_power.py", "runner", T, "time limit"),
    # Memory bombs beyond the 1 GiB address-space limit.
    Attack("memory_list.py", "rlimits", E, "out of memory"),
    Attack("memory_list_grow.py", "rlimits", E, "out of memory"),
    Attack("memory_tensor.py", "rlimits", E, "can't allocate memory"),
    Attack("memory_tensor_huge.py", "rlimits", E, "can't allocate memory"),
    # Processes: fork bombs and every route to a shell.
    Attack("fork_bomb.py", "policy", P, "os"),
    # DataLoader workers: Landlock refuses the semaphore in /dev/shm (EACCES) before seccomp could
    # refuse the fork (EPERM); either suffices, so the test needs only one of them.
    Attack("fork_dataloader.py", "landlock-fs|seccomp", E, "PermissionError"),
    Attack("spawn_os_system.py", "policy", P, "os"),
    Attack("spawn_subprocess.py", "policy", P, "subprocess"),
    Attack("spawn_importlib.py", "policy", P, "importlib"),
    Attack("spawn_builtins.py", "policy", P, "__builtins__"),
    Attack("spawn_subclass_walk.py", "policy", P, "__class__"),
    Attack("spawn_gc.py", "policy", P, "gc"),
    Attack("spawn_torch_os.py", "policy", P, "`os`"),
    Attack("spawn_from_torch_import_os.py", "policy", P, "os"),
    Attack("spawn_getattr_dynamic.py", "policy", P, "os"),
    Attack("spawn_cpp_extension.py", "policy", P, "cpp_extension"),
    Attack("spawn_ctypes.py", "policy", P, "ctypes"),
    Attack("spawn_numpy_ctypeslib.py", "policy", P, "ctypeslib"),
    Attack("spawn_torch_multiprocessing.py", "policy", P, "multiprocessing"),
    Attack("spawn_torch_compile.py", "policy", P, "compile"),
    # Reading the hidden checks, the solutions and the environment.
    Attack("read_hidden_open.py", "policy", P, "open"),
    Attack("read_hidden_pathlib.py", "policy", P, "pathlib"),
    Attack("read_hidden_numpy_fromfile.py", "policy", P, "fromfile"),
    Attack("read_hidden_torch_from_file.py", "policy", P, "from_file"),
    Attack("read_hidden_numpy_memmap.py", "policy", P, "memmap"),
    Attack("read_hidden_pickle.py", "policy", P, "pickle"),
    Attack("read_hidden_inspect.py", "policy", P, "inspect"),
    Attack("read_check_frames.py", "policy", P, "gi_frame"),
    Attack("read_hidden_importlib_resources.py", "policy", P, "importlib"),
    Attack("read_check_module.py", "policy", P, "sys"),
    Attack("read_solution_site_packages.py", "policy", P, "grader"),
    Attack("read_os_environ.py", "policy", P, "os"),
    Attack("read_hidden_torch_load.py", "landlock-fs", E, "PermissionError", CK),
    Attack("read_solution_numpy_load.py", "landlock-fs", E, "PermissionError", CK),
    Attack("read_repo_solutions.py", "landlock-fs", E, "PermissionError", CK),
    Attack("read_hidden_relative.py", "landlock-fs", E, "PermissionError", CK),
    Attack("read_hidden_proc_cwd.py", "landlock-fs", E, "PermissionError", CK),
    Attack("read_proc_self_environ.py", "landlock-fs", E, "PermissionError", CK),
    Attack("read_proc_1_environ.py", "landlock-fs", E, "PermissionError", CK),
    # Writing, overwriting and deleting files.
    Attack("write_open.py", "policy", P, "open"),
    Attack("write_big_checkpoint.py", "rlimits", E, "RuntimeError", CK),
    Attack("write_hidden_check.py", "landlock-fs", E, "Permission", CK),
    Attack("write_outside_scratch.py", "landlock-fs", E, "Permission", CK),
    Attack("write_sibling_scratch.py", "landlock-fs", E, "Permission", CK),
    Attack("delete_course.py", "policy", P, "shutil"),
    # Network.
    Attack("socket_tcp.py", "policy", P, "socket"),
    Attack("socket_udp.py", "policy", P, "socket"),
    Attack("socket_torch_distributed.py", "policy", P, "distributed"),
    # Monkeypatching torch, the checks, pytest and builtins (also from a thread).
    Attack("patch_torch.py", "policy", P, "allclose"),
    Attack("patch_tensor_class.py", "policy", P, "Tensor"),
    Attack("patch_numpy.py", "policy", P, "allclose"),
    Attack("patch_builtins.py", "policy", P, "builtins"),
    Attack("patch_checks.py", "policy", P, "pytest"),
    Attack("patch_from_thread.py", "policy", P, "threading"),
    Attack("patch_torch_library.py", "policy", P, "library"),
    # Early exits, BaseException, forged verdicts.
    Attack("exit_sys.py", "policy", P, "sys"),
    Attack("exit_os.py", "policy", P, "os"),
    Attack("exit_builtin.py", "policy", P, "exit"),
    Attack("exit_systemexit.py", "policy", P, "SystemExit"),
    Attack("base_exception.py", "policy", P, "BaseException"),
    Attack("keyboard_interrupt.py", "policy", P, "KeyboardInterrupt"),
    Attack("fake_skip.py", "runner", E, "Skipped"),
    Attack("fake_stdout.py", "runner", F, "wrong values"),
    Attack("write_result_pipe.py", "runner", F + E, "", CK),
    Attack("huge_exception_message.py", "runner", E, "ValueError"),
    Attack("hostile_exception_str.py", "runner", E, "LoudError"),
    Attack("with_neighbours", "runner", F, "wrong values"),
    # Recursion: at run time, and in the source itself (the grader must not crash compiling it).
    Attack("recursion_python.py", "runner", E, "recursion"),
    Attack("nested_source_recursion.py", "runner", E, "nested too deeply"),
    Attack("nested_source_memory.py", "runner", E, "nested too deeply"),
    # Signals, exit hooks, threads.
    Attack("signal_handler.py", "policy", P, "signal"),
    Attack("signal_parent.py", "policy", P, "os"),
    Attack("atexit_hook.py", "policy", P, "atexit"),
    Attack("lingering_thread.py", "policy", P, "threading"),
    # Objects that fake equality.
    Attack("fake_eq.py", "policy", P, "__eq__"),
    Attack("tensor_subclass.py", "policy", P, "Tensor"),
    Attack("torch_function.py", "policy", P, "__torch_function__"),
    Attack("fake_numpy_result.py", "checks", F, "torch.Tensor"),
    # Global torch state.
    Attack("global_default_dtype.py", "policy", P, "set_default_dtype"),
    Attack("global_grad_disabled.py", "policy", P, "set_grad_enabled"),
    Attack("global_seed.py", "runner", ("passed",)),
    # Output floods: through print (capped by the policy) and around it (the judge drains the
    # output pipe and stops an executor that prints more than 8 MiB in one check).
    Attack("flood_print.py", "policy", ("passed",)),
    Attack("flood_numpy_info.py", "runner", E, "MiB of output"),
)

#: A few attacks, one per kind of containment, re-run as an unprivileged uid.
UNPRIVILEGED_SAMPLE = (
    "loop_native_conv",
    "memory_tensor",
    "fork_dataloader",
    "read_hidden_torch_load",
    "write_hidden_check",
    "spawn_torch_os",
    "flood_numpy_info",
)


def submission_source(attack: Attack) -> Path:
    """The source of an attack's submission (a file, or the folder with its neighbours)."""
    return NEIGHBOURS if attack.file == "with_neighbours" else SUBMISSIONS / attack.file
