"""The network-namespace layer alone: nothing reaches even 127.0.0.1, over TCP or UDP."""

from __future__ import annotations

import os
import socket

import pytest
from sandbox_child import attempt, hardened, nothing_arrived, spec_for

from grader.sandbox.os import namespaces, privileges
from grader.sandbox.os.probe import run_forked

pytestmark = pytest.mark.sandbox_layer("netns")


def test_tcp_and_udp_to_loopback_fail(scratch, tcp_listener, udp_listener):
    """TCP connect and UDP sendto to listeners on 127.0.0.1 fail: the namespace's loopback is down."""
    tcp_port = tcp_listener.getsockname()[1]
    udp_port = udp_listener.getsockname()[1]

    def body():
        def udp():
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                s.sendto(b"leak", ("127.0.0.1", udp_port))

        return {
            "tcp": attempt(lambda: socket.create_connection(("127.0.0.1", tcp_port), 2).close()),
            "udp": attempt(udp),
            "namespace": os.readlink("/proc/self/ns/net"),
        }

    out = hardened(body, spec_for(scratch), only=("netns",))
    result = out.value["result"]
    assert out.value["active"] == ["netns"]
    assert "Network is unreachable" in result["tcp"]
    assert "Network is unreachable" in result["udp"]
    assert result["namespace"] != os.readlink("/proc/self/ns/net")
    assert nothing_arrived(tcp_listener)
    assert nothing_arrived(udp_listener)


def test_ordinary_user_gets_a_namespace_through_a_user_namespace():
    """Without CAP_SYS_ADMIN (an ordinary user), CLONE_NEWUSER|CLONE_NEWNET is used instead.

    Run as root, the child first becomes uid 65534 (which also clears its capabilities), as an
    ordinary user starts; skipped where user namespaces are restricted (the layer then reports
    unavailable for such users).
    """

    def body():
        import encodings.idna  # noqa: F401 - socket needs it; uid 65534 may not read /root here

        if os.geteuid() == 0:
            os.setgroups([])
            os.setresgid(65534, 65534, 65534)
            os.setresuid(65534, 65534, 65534)
        uid = os.getuid()
        try:
            how = namespaces.enter_private_network()
        except OSError as exc:
            return {"refused": str(exc)}
        unreachable = attempt(lambda: socket.create_connection(("127.0.0.1", 9), 2).close())
        return {"how": how, "uid_kept": os.getuid() == uid, "connect": unreachable}

    out = run_forked(body, timeout=20)
    assert out.error is None, out.error
    if "refused" in out.value:
        pytest.skip(f"user namespaces are restricted here: {out.value['refused']}")
    assert out.value["how"] == "userns+netns"
    assert out.value["uid_kept"] is True
    assert "Network is unreachable" in out.value["connect"]


def test_capless_root_is_refused_cleanly():
    """Root without CAP_SYS_ADMIN/CAP_SETFCAP (e.g. --cap-drop ALL) gets an OSError, not a half state."""
    if os.geteuid() != 0:
        pytest.skip("only root can lack capabilities while keeping uid 0")

    def body():
        privileges.drop_capabilities()
        try:
            namespaces.enter_private_network()
        except OSError as exc:
            return {"refused": str(exc), "ns": os.readlink("/proc/self/ns/user")}
        return {"entered": True}

    out = run_forked(body, timeout=20)
    assert out.error is None, out.error
    assert "CAP_SETFCAP" in out.value["refused"]
    assert out.value["ns"] == os.readlink("/proc/self/ns/user")
