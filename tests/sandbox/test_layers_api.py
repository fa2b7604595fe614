"""The public API of grader.sandbox.os.layers: path set, layer names, refusals, CUDA plan."""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path

import pytest
from sandbox_child import spec_for

from grader.sandbox.os import landlock, layers, paths, plan
from grader.sandbox.os.probe import run_forked


def test_layer_names_and_availability_match(available):
    """available_layers() has one entry per layer in LAYERS; reasons are sentences."""
    assert tuple(available) == layers.LAYERS
    for name, reason in available.items():
        assert reason is None or (isinstance(reason, str) and len(reason) > 10), name


def test_runtime_read_paths_exclude_hidden_content():
    """No granted path is, or lies inside, a hidden path; the grader package and stdlib are in."""
    granted = layers.runtime_read_paths()
    hidden = [h for h in paths.hidden_paths() if os.path.lexists(h)]
    for path in granted:
        for secret in hidden:
            assert path != secret and secret not in path.parents, (path, secret)
            if path in secret.parents:
                pytest.fail(f"{path} is granted whole but contains hidden {secret}")
    package = paths.grader_package_dir()
    assert package in granted or any(p.parent == package for p in granted)
    stdlib = Path(os.__file__).parent
    assert any(stdlib == p or p in stdlib.parents for p in granted)


def test_split_folder_grants_siblings_but_not_the_hidden_branch(tmp_path):
    """A folder holding hidden content is granted entry by entry and stays listable."""
    site = tmp_path / "site-packages"
    (site / "numpy").mkdir(parents=True)
    (site / "grader" / "_bundled" / "solutions").mkdir(parents=True)
    (site / "grader" / "checks.py").write_text("")
    (site / "link").symlink_to(site / "grader" / "_bundled")
    out: list[Path] = []
    listed: list[Path] = []
    paths._grant_tree(site, {site / "grader" / "_bundled"}, out, listed)
    assert sorted(out) == [site / "grader" / "checks.py", site / "numpy"]
    assert listed == [site, site / "grader"]


def test_harden_refuses_a_multithreaded_child(scratch):
    """Landlock would not cover threads started before it: harden() raises SandboxError."""

    def body():
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        try:
            layers.harden(spec_for(scratch))
        finally:
            stop.set()
            thread.join()

    out = run_forked(body)
    assert out.error is not None and out.error.startswith("SandboxError")


def test_unknown_layer_name_is_a_usage_error():
    with pytest.raises(ValueError, match="unknown sandbox layers"):
        layers.harden(spec_for(None), only=("landlok-fs",))


def test_spec_is_frozen_with_documented_defaults():
    spec = layers.SandboxSpec(cpu_seconds=2.5, memory_bytes=None)
    assert (spec.file_bytes, spec.open_files, spec.drop_uid) == (16 << 20, 256, 65534)
    assert (spec.scratch, spec.extra_read, spec.cuda) == (None, (), False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.cpu_seconds = 1  # type: ignore[misc]


def test_cuda_child_gets_devices_and_no_address_space_limit(monkeypatch, tmp_path):
    """A CUDA spec: no RLIMIT_AS, device nodes read-write with ioctl, driver files readable."""
    from grader.sandbox.os import limits

    spec = layers.SandboxSpec(cpu_seconds=5, memory_bytes=1 << 30, cuda=True, scratch=tmp_path)
    assert "RLIMIT_AS" not in limits.planned_limits(spec)
    fake_dev = tmp_path / "nvidia0"
    fake_dev.write_text("")
    monkeypatch.setattr(plan.state, "cuda_devices", [os.fsencode(fake_dev)])
    monkeypatch.setattr(plan.state, "cuda_read", [(b"/proc/driver/nvidia", True)])
    rules = layers.landlock_rules(spec)
    assert rules.devices == [os.fsencode(fake_dev), b"/proc/self/task", b"/proc/self/comm"]
    assert (b"/proc/driver/nvidia", True) in rules.read
    assert landlock.DEVICE_RIGHTS & landlock.FS_IOCTL_DEV


def test_inherited_fds_are_open_namespace_descriptors(available):
    """The descriptors prepare() keeps for children (the runner must spare them) are the shared
    network namespace's, open and naming namespaces: one ``net:`` (and a ``user:`` one when the
    namespace needed an unprivileged user namespace); none where this machine cannot make one."""
    from grader.sandbox.os import namespaces

    fds = layers.inherited_fds()
    if namespaces.unavailable_reason() is not None:
        assert fds == ()
        return
    assert fds, "prepare() kept no descriptor of a shared network namespace"
    assert len(set(fds)) == len(fds) and all(fd > 2 for fd in fds), fds
    kinds = sorted(os.readlink(f"/proc/self/fd/{fd}").split(":")[0] for fd in fds)
    assert kinds in (["net"], ["net", "user"]), kinds
