"""The privilege layers: no-new-privs, cap-drop and (as root) the drop to an unprivileged uid."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sandbox_child import attempt, hardened, spec_for

from grader.sandbox.os import _libc, layers, plan, privileges
from grader.sandbox.os.probe import run_forked


@pytest.mark.sandbox_layer("no-new-privs")
def test_no_new_privs_and_not_dumpable(scratch):
    """PR_SET_NO_NEW_PRIVS is set and the child is not dumpable (no core, no ptrace attach)."""

    def body():
        return {
            "nnp": _libc.prctl(_libc.PR_GET_NO_NEW_PRIVS),
            "dumpable": _libc.prctl(_libc.PR_GET_DUMPABLE),
        }

    out = hardened(body, spec_for(scratch), only=("no-new-privs",))
    assert out.value["result"] == {"nnp": 1, "dumpable": 0}


@pytest.mark.sandbox_layer("cap-drop")
def test_no_capability_survives(scratch):
    """After cap-drop the child holds no capability: giving a file away (CAP_CHOWN) fails."""
    mine = scratch / "mine.txt"
    mine.write_text("x")

    def body():
        return {
            "caps": _libc.status_field("CapEff"),
            "chown": attempt(lambda: os.chown(mine, 12345, 12345)),
            "setuid": attempt(lambda: os.setuid(12345)) if os.getuid() == 0 else "skipped",
        }

    out = hardened(body, spec_for(scratch), only=("cap-drop",))
    result = out.value["result"]
    assert int(result["caps"], 16) == 0
    assert result["chown"].startswith("PermissionError")
    assert result["setuid"] != "ok"


@pytest.mark.sandbox_layer("uid-drop")
def test_root_child_runs_as_the_unprivileged_uid(scratch, tmp_path):
    """As root, the child switches to uid 65534: root-only files become unreadable."""
    if os.geteuid() != 0:
        pytest.skip("uid-drop only switches uids when the grader runs as root")
    secret = tmp_path / "root-only.txt"
    secret.write_text("secret")
    os.chmod(secret, 0o600)

    def body():
        return {
            "uid": os.getresuid(),
            "groups": os.getgroups(),
            "secret": attempt(secret.read_text),
            "scratch": attempt(lambda: (scratch / "w.txt").write_text("ok")),
            "back": attempt(lambda: os.setuid(0)),
        }

    out = hardened(body, spec_for(scratch), only=("uid-drop",))
    result = out.value["result"]
    assert result["uid"] == [65534, 65534, 65534]
    assert result["groups"] == []
    assert result["secret"].startswith("PermissionError")
    assert result["scratch"] == "ok"
    assert result["back"].startswith("PermissionError")


def test_unreadable_runtime_is_named(scratch):
    """A runtime under a 0700 folder (like /root/.pyenv) makes uid-drop unavailable, with the path."""
    home = scratch / "home"
    lib = home / "python" / "lib"
    lib.mkdir(parents=True)
    os.chmod(scratch, 0o755)
    os.chmod(home, 0o700)
    reason = privileges.unreadable_reason(65534, 65534, [lib])
    assert reason is not None and str(home) in reason and "0700" in reason
    os.chmod(home, 0o755)
    assert privileges.unreadable_reason(65534, 65534, [lib]) is None


def test_uid_drop_reports_why_it_is_unavailable(available):
    """Where uid-drop is unavailable, the reason is a sentence, and harden() leaves it out."""
    reason = available["uid-drop"]
    if reason is None:
        pytest.skip("uid-drop is available here")
    assert "uid" in reason
    spec = layers.SandboxSpec(cpu_seconds=5, memory_bytes=None)

    def body():
        return {"active": list(layers.harden(spec, only=("uid-drop",))), "uid": os.geteuid()}

    out = run_forked(body)
    assert out.value["active"] == []
    assert out.value["uid"] == os.geteuid()


def test_runtime_paths_readable_check_covers_every_granted_root():
    """The uid-drop check looks at the same paths Landlock grants (nothing is left unchecked)."""
    spec = layers.SandboxSpec(cpu_seconds=1, memory_bytes=None, extra_read=(Path("/etc/hostname"),))
    checked = plan.read_set(spec)
    assert set(layers.runtime_read_paths()) <= set(checked)
    assert Path("/etc/hostname") in checked


def test_uid_drop_mechanics_with_the_runtime_check_bypassed(scratch, tmp_path):
    """Where uid-drop is unavailable only because the runtime is unreadable, its switch still works.

    The child marks the runtime as readable (it needs nothing more from disk here), then
    harden(only=uid-drop) gives the scratch folder to uid 65534 and switches to it.
    """
    if os.geteuid() != 0:
        pytest.skip("uid-drop only switches uids when the grader runs as root")
    secret = tmp_path / "root-only.txt"
    secret.write_text("secret")
    os.chmod(secret, 0o600)
    spec = spec_for(scratch)

    def body():
        plan.state.unreadable[(spec.drop_uid, (), False)] = None
        active = layers.harden(spec, only=("uid-drop",))
        return {
            "active": list(active),
            "uid": list(os.getresuid()),
            "owner": scratch.stat().st_uid,
            "secret": attempt(secret.read_text),
            "back": attempt(lambda: os.setuid(0)),
        }

    out = run_forked(body)
    assert out.error is None, out.error
    assert out.value == {
        "active": ["uid-drop"],
        "uid": [65534] * 3,
        "owner": 65534,
        "secret": out.value["secret"],
        "back": out.value["back"],
    }
    assert out.value["secret"].startswith("PermissionError")
    assert out.value["back"].startswith("PermissionError")
