"""The deny table: generated for the installed torch, complete, and resolved to identities."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import torch

from grader.sandbox.policy import denytable
from grader.sandbox.policy.config import config_for
from grader.sandbox.policy.guards_table import TABLE_PATH, table_matches_installed, value_verdict

ROOT = Path(__file__).resolve().parents[2]


def test_a_fresh_walk_finds_nothing_new() -> None:
    """`python -m grader.sandbox.policy.denytable --check` passes on the pinned torch and numpy."""
    completed = subprocess.run(
        [sys.executable, "-m", "grader.sandbox.policy.denytable", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stdout[-4000:] + completed.stderr[-2000:]
    assert table_matches_installed()


def test_check_reports_new_deny_entries_and_new_names() -> None:
    """--check's diff lists what a new torch version would add, deny entries and plain names."""
    old = {"deny": {"torch:load": ["object", "pickle"]}, "inventory": {"torch": "add load"}}
    new = {
        "deny": {"torch:load": ["object", "pickle"], "torch:to_file": ["object", "file"]},
        "inventory": {"torch": "add load to_file zeros", "torch:Tensor": "sum"},
    }
    lines = denytable.diff(old, new)
    assert "deny      torch:to_file: object (file)" in lines
    assert "reachable torch: to_file, zeros" in lines
    assert "reachable torch:Tensor: sum" in lines
    assert denytable.diff(new, new) == []


def test_entries_resolve_to_the_objects_and_lifts_apply() -> None:
    """Table entries deny the very objects they name; an exercise's lift admits just that one."""
    default = config_for(())
    for value in (torch.load, torch.save, np.load, np.seterr, torch.set_default_dtype):
        assert value_verdict(value, default.modules, default.lifted) is not None, value
    lifted = config_for(("torch:save",))
    assert value_verdict(torch.save, lifted.modules, lifted.lifted) is None
    assert value_verdict(torch.load, lifted.modules, lifted.lifted) is not None
    assert value_verdict(torch.zeros, default.modules, default.lifted) is None


def test_table_names_every_explicit_deny_present_in_this_version() -> None:
    """Every hand-listed dangerous name that exists in the installed version is in the table."""
    table = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    from grader.sandbox.policy.deny import EXPLICIT_DENY

    missing = []
    for key in EXPLICIT_DENY:
        module_name, _, path = key.partition(":")
        module = sys.modules.get(module_name)
        if (
            module is not None
            and path.partition(".")[0] in vars(module)
            and key not in table["deny"]
        ):
            missing.append(key)
    assert not missing


def test_allowlist_document_names_every_admissible_module() -> None:
    """ALLOWLIST.md, the allow-list for people, covers every module the policy can admit."""
    from grader.sandbox.policy.rules import DEFAULT_MODULES, EXTENSION_MODULES

    text = (ROOT / "grader" / "sandbox" / "policy" / "ALLOWLIST.md").read_text(encoding="utf-8")
    for module in [*DEFAULT_MODULES, *EXTENSION_MODULES]:
        short = module.rpartition(".")[2]
        assert f"`{module}`" in text or f"`.{short}`" in text, module
