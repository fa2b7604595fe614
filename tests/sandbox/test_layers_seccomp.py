"""The seccomp layer alone: no processes, no sockets, no signals or tracing of others."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
import subprocess
import threading
import time

import pytest
from sandbox_child import attempt, hardened, nothing_arrived, spec_for

pytestmark = pytest.mark.sandbox_layer("seccomp")
ONLY = ("seccomp",)
PTRACE_ATTACH = 16


def test_fork_is_refused_with_a_python_error(scratch):
    """os.fork() raises PermissionError instead of creating a process (or killing the child)."""

    def body():
        try:
            pid = os.fork()
        except OSError as exc:
            return f"{type(exc).__name__}: {exc}"
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        return "forked"

    out = hardened(body, spec_for(scratch), only=ONLY)
    assert out.value["active"] == ["seccomp"]
    assert out.value["result"].startswith("PermissionError")


def test_exec_routes_start_nothing(scratch):
    """os.system, subprocess and posix_spawn all fail; no program runs."""
    marker = scratch / "ran.txt"

    def body():
        return {
            "system": os.system(f"touch {marker}"),
            "subprocess": attempt(lambda: subprocess.run(["touch", str(marker)])),
            "spawn": attempt(lambda: os.posix_spawn("/usr/bin/touch", ["touch", str(marker)], {})),
            "execv": attempt(lambda: os.execv("/usr/bin/touch", ["touch", str(marker)])),
        }

    out = hardened(body, spec_for(scratch), only=ONLY)
    result = out.value["result"]
    assert result["system"] != 0
    for route in ("subprocess", "spawn", "execv"):
        assert result[route].startswith("PermissionError"), (route, result[route])
    assert not marker.exists()


def test_fork_bomb_creates_no_process(scratch):
    """A fork bomb gets a thousand refusals in well under a second and starts nothing."""

    def body():
        started = time.monotonic()
        created = 0
        for _ in range(1000):
            try:
                if os.fork() == 0:
                    while True:
                        pass
                created += 1
            except OSError:
                pass
        return {"created": created, "seconds": time.monotonic() - started}

    out = hardened(body, spec_for(scratch), only=ONLY)
    assert out.value["result"]["created"] == 0
    assert out.value["result"]["seconds"] < 2


def test_no_tcp_or_udp_socket(scratch, tcp_listener, udp_listener):
    """socket() is refused, so neither a TCP connect nor a UDP datagram reaches the listeners."""
    tcp_port = tcp_listener.getsockname()[1]
    udp_port = udp_listener.getsockname()[1]

    def body():
        def tcp():
            with socket.create_connection(("127.0.0.1", tcp_port), timeout=2):
                pass

        def udp():
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.sendto(b"leak", ("127.0.0.1", udp_port))

        return {"tcp": attempt(tcp), "udp": attempt(udp)}

    out = hardened(body, spec_for(scratch), only=ONLY)
    assert out.value["result"]["tcp"].startswith("PermissionError")
    assert out.value["result"]["udp"].startswith("PermissionError")
    assert nothing_arrived(tcp_listener)
    assert nothing_arrived(udp_listener)


def test_other_processes_cannot_be_signalled_or_traced(scratch, bystander):
    """kill, killpg, ptrace and process_vm_readv on another process fail; it keeps running."""
    target = bystander.pid
    libc = ctypes.CDLL(None, use_errno=True)

    def body():
        def ptrace():
            if libc.ptrace(PTRACE_ATTACH, target, None, None) != 0:
                raise OSError(ctypes.get_errno(), "ptrace")

        return {
            "kill": attempt(lambda: os.kill(target, signal.SIGKILL)),
            "killpg": attempt(lambda: os.killpg(0, signal.SIGKILL)),
            "parent": attempt(lambda: os.kill(os.getppid(), 0)),
            "ptrace": attempt(ptrace),
        }

    out = hardened(body, spec_for(scratch), only=ONLY)
    result = out.value["result"]
    for route in ("kill", "killpg", "parent"):
        assert result[route].startswith("PermissionError"), (route, result[route])
    assert result["ptrace"].startswith("PermissionError")
    assert bystander.poll() is None


def test_threads_and_self_signals_still_work(scratch):
    """Threads (clone with CLONE_THREAD), signals to itself and socketpair stay allowed."""

    def body():
        import torch

        box = {}

        def work():
            box["sum"] = float((torch.ones(64, 64) @ torch.ones(64, 64)).sum())

        thread = threading.Thread(target=work)
        thread.start()
        thread.join()
        received = []
        signal.signal(signal.SIGUSR1, lambda *_: received.append(True))
        os.kill(os.getpid(), signal.SIGUSR1)
        signal.pthread_kill(threading.get_ident(), signal.SIGUSR1)
        left, right = socket.socketpair()
        left.send(b"x")
        return {"sum": box["sum"], "signals": len(received), "pair": right.recv(1).decode()}

    out = hardened(body, spec_for(scratch), only=ONLY)
    assert out.value["result"] == {"sum": 64.0 * 64 * 64, "signals": 2, "pair": "x"}


def test_rlimits_cannot_be_lifted_even_as_root(scratch):
    """setrlimit/prlimit with a new limit are refused, so a root child cannot undo rlimits."""
    import resource

    def body():
        return attempt(lambda: resource.setrlimit(resource.RLIMIT_CPU, (1000, 1000)))

    out = hardened(body, spec_for(scratch, cpu_seconds=5), only=("rlimits", "seccomp"))
    assert out.value["result"] != "ok"


def test_memfd_create_only_for_cuda_children(scratch):
    """memfd_create is refused in CPU children and allowed in CUDA ones (the driver needs it)."""

    def body():
        return attempt(lambda: os.close(os.memfd_create("grader")))

    cpu = hardened(body, spec_for(scratch), only=ONLY)
    cuda = hardened(body, spec_for(scratch, cuda=True), only=ONLY)
    assert cpu.value["result"].startswith("PermissionError")
    assert cuda.value["result"] == "ok"
