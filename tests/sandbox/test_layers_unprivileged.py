"""harden() for an ordinary user: every layer that needs no privilege, and netns via a user namespace.

Run as root, the child becomes uid 65534 first (which also clears its capabilities), the way a
learner's grader starts. Modules the body needs are imported before that, since the Python
runtime may not be readable by uid 65534 on a machine where it lives under /root.
"""

from __future__ import annotations

import encodings.idna  # noqa: F401 - socket's host parsing imports it lazily
import os
import socket

import pytest
from sandbox_child import attempt, nothing_arrived, spec_for

from grader.sandbox.os import _libc, layers, namespaces
from grader.sandbox.os.probe import run_forked

ROOTLESS = ("rlimits", "uid-drop", "cap-drop", "no-new-privs", "landlock-fs", "landlock-net")


def _become_ordinary_user() -> None:
    """From root: uid/gid 65534, no groups, no capabilities, dumpable (as a user's shell starts)."""
    os.setgroups([])
    os.setresgid(65534, 65534, 65534)
    os.setresuid(65534, 65534, 65534)
    _libc.prctl(_libc.PR_SET_DUMPABLE, 1)


@pytest.mark.sandbox_layer("seccomp", "landlock-fs", "landlock-net", "landlock-scope")
def test_ordinary_user_gets_every_unprivileged_layer(scratch, hidden_file, tcp_listener):
    """As uid 65534: seccomp, Landlock, rlimits, no-new-privs; forks, reads and connects fail."""
    if os.geteuid() != 0:
        pytest.skip("the whole suite already runs as an ordinary user")
    port = tcp_listener.getsockname()[1]
    secret = str(hidden_file)
    spec = spec_for(scratch, memory_bytes=4 << 30)

    def body():
        _become_ordinary_user()
        active = layers.harden(spec)
        (scratch / "w.txt").write_text("ok")
        return {
            "active": list(active),
            "uid": os.getuid(),
            "fork": attempt(os.fork),
            "read": attempt(lambda: open(secret).read()),
            "connect": attempt(lambda: socket.create_connection(("127.0.0.1", port), 2).close()),
            "scratch": (scratch / "w.txt").read_text(),
        }

    out = run_forked(body, timeout=20)
    assert out.error is None, out.error
    result = out.value
    assert set(ROOTLESS + ("landlock-scope", "seccomp")) <= set(result["active"])
    assert result["uid"] == 65534
    assert result["fork"].startswith("PermissionError")
    assert result["read"].startswith("PermissionError")
    assert result["connect"].startswith(("PermissionError", "OSError"))
    assert result["scratch"] == "ok"
    assert nothing_arrived(tcp_listener)


def test_ordinary_user_worker_shares_a_user_and_network_namespace():
    """An ordinary user's worker creates one user+network namespace; its children join it."""
    if os.geteuid() != 0:
        pytest.skip("the whole suite already runs as an ordinary user")

    def worker():
        _become_ordinary_user()
        try:
            shared = namespaces.create_shared()
        except OSError as exc:
            return {"refused": str(exc)}

        def child():
            joined = namespaces.join_shared(shared)
            return {
                "joined": joined,
                "uid": os.getuid(),
                "connect": attempt(lambda: socket.create_connection(("127.0.0.1", 9), 2).close()),
                "net": os.readlink("/proc/self/ns/net"),
            }

        out = run_forked(child)
        return {"user_ns": shared.user_fd is not None, **(out.value or {"error": out.error})}

    out = run_forked(worker)
    assert out.error is None, out.error
    if "refused" in out.value:
        pytest.skip(f"user namespaces are restricted here: {out.value['refused']}")
    assert out.value["user_ns"] is True
    assert out.value["joined"] is True
    assert out.value["uid"] == 65534
    assert "Network is unreachable" in out.value["connect"]
    assert out.value["net"] != os.readlink("/proc/self/ns/net")
