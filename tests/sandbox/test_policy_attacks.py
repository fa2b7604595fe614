"""The attack battery: every snippet in attacks/battery.yaml reaches its goal without the policy
(plain exec() in a subprocess) and is rejected under the policy with the expected rule and line."""

from __future__ import annotations

import json
import pickle
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest
import yaml

from grader.sandbox.policy import VIOLATIONS, PolicyViolation, compile_submission, load_submission
from grader.sandbox.policy.static import UNKNOWN, StaticScope
from grader.sandbox.policy.transform import PolicyTransformer

HERE = Path(__file__).parent
CANARY_TEXT = "the hidden checks live here"
CATEGORIES = {
    "imports", "builtins", "dunder walks", "torch and numpy re-exports", "file readers",
    "file writers", "pickles", "native code", "global overrides", "format strings",
    "introspection", "comparison overrides", "tensor subclasses", "BaseException",
}  # fmt: skip


@dataclass(frozen=True)
class Attack:
    """One snippet of the battery."""

    id: str
    category: str
    rule: str
    goal: str
    code: str
    allow: tuple[str, ...] = field(default=())
    counts: bool = True
    runtime_rule: str | None = None
    runtime_line: int | None = None

    @property
    def line(self) -> int:
        """The line of the submission (prelude included) that must be reported."""
        marked = [i for i, text in enumerate(self.code.splitlines(), 2) if text.endswith("# !")]
        assert len(marked) == 1, f"{self.id}: mark exactly one line with '# !'"
        return marked[0]


def _load_battery() -> list[Attack]:
    entries = yaml.safe_load((HERE / "attacks" / "battery.yaml").read_text(encoding="utf-8"))
    return [Attack(**{**e, "allow": tuple(e.get("allow", ()))}) for e in entries]


BATTERY = _load_battery()


class _Payload:
    """Unpickling this runs code that creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return exec, (f"open({self.marker!r}, 'w').write('pwned')",)


def make_files(folder: Path) -> dict[str, str]:
    """Create the files the snippets use; return the prelude's names and values."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "canary.txt").write_text(CANARY_TEXT)
    (folder / "numbers.txt").write_text("1 2 3\n")
    (folder / "evil.pt").write_bytes(pickle.dumps(_Payload(folder / "pwned-pt")))
    np.save(folder / "evil.npy", np.array([_Payload(folder / "pwned-npy")]), allow_pickle=True)
    hub = folder / "hub"
    hub.mkdir(exist_ok=True)
    marker = str(folder / "pwned-hub")
    (hub / "hubconf.py").write_text(
        f"open({marker!r}, 'w').write('pwned')\n\ndef model():\n    return 42\n"
    )
    (folder / "out").mkdir(exist_ok=True)
    return {
        "CANARY": str(folder / "canary.txt"),
        "CANARY_TEXT": CANARY_TEXT,
        "NUMBERS": str(folder / "numbers.txt"),
        "EVIL_PT": str(folder / "evil.pt"),
        "EVIL_NPY": str(folder / "evil.npy"),
        "HUB": str(hub),
        "OUT": str(folder / "out"),
        "PWNED_PT": str(folder / "pwned-pt"),
        "PWNED_NPY": str(folder / "pwned-npy"),
        "PWNED_HUB": marker,
    }


def source_of(attack: Attack, names: dict[str, str]) -> str:
    """The submission: a one-line prelude defining the file names, then the snippet."""
    prelude = f"{', '.join(names)} = {', '.join(repr(v) for v in names.values())}"
    return prelude + "\n" + attack.code


@pytest.fixture(scope="module")
def policy_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("policy-run")
    return folder, make_files(folder)


def test_battery_is_large_and_organised_by_category() -> None:
    """At least 70 real attacks (harmless-but-denied ones not counted), in the named categories."""
    ids = [a.id for a in BATTERY]
    assert len(ids) == len(set(ids)), "attack ids must be unique"
    counted = Counter(a.category for a in BATTERY if a.counts)
    assert set(counted) == CATEGORIES, set(counted) ^ CATEGORIES
    assert sum(counted.values()) >= 70, counted


def test_every_attack_reaches_its_goal_without_the_policy(tmp_path: Path) -> None:
    """Run the whole battery with plain exec(), one forked child per snippet, in one subprocess."""
    names = make_files(tmp_path / "plain")
    cases = [
        {"id": a.id, "source": source_of(a, names), "goal": a.goal, "cwd": names["OUT"]}
        for a in BATTERY
    ]
    cases_file, results_file = tmp_path / "cases.json", tmp_path / "results.json"
    cases_file.write_text(json.dumps(cases))
    script = HERE / "attacks" / "run_plain.py"
    completed = subprocess.run(
        [sys.executable, str(script), str(cases_file), str(results_file)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    results = json.loads(results_file.read_text())
    missed = {k: v for k, v in results.items() if v is not True}
    assert not missed, f"snippets that do not work without the policy: {missed}"


@pytest.mark.parametrize("attack", BATTERY, ids=[a.id for a in BATTERY])
def test_attack_is_rejected_with_rule_and_line(
    attack: Attack, policy_files: tuple[Path, dict[str, str]]
) -> None:
    """Under the policy the snippet raises PolicyViolation with the expected rule and line,
    and none of its effects happened."""
    folder, names = policy_files
    source = source_of(attack, names)
    before = len(VIOLATIONS)
    with pytest.raises(PolicyViolation) as caught:
        code = compile_submission(source, "attack.py", allow=attack.allow)
        load_submission(code, module_name=f"attack_{attack.id}", allow=attack.allow)
    violation = caught.value
    assert (violation.rule, violation.lineno) == (attack.rule, attack.line), violation.en
    assert violation.en and violation.zh and f"{attack.line}" in violation.zh
    if len(VIOLATIONS) > before:
        assert VIOLATIONS[-1] is violation
    assert not list(folder.glob("pwned-*")), "an attack had an effect under the policy"
    assert not list((folder / "out").iterdir()), "an attack wrote a file under the policy"


@pytest.mark.parametrize("attack", BATTERY, ids=[a.id for a in BATTERY])
def test_runtime_guards_reject_attack_without_static_analysis(
    attack: Attack, policy_files: tuple[Path, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Defence in depth: with the compile-time resolution of imports and dotted names switched
    off, the runtime guards reject the snippet with the same rule and line (a violation the
    snippet swallows counts, through VIOLATIONS)."""
    monkeypatch.setattr(StaticScope, "resolve", lambda self, node: UNKNOWN)
    monkeypatch.setattr(PolicyTransformer, "_static_from", lambda self, node, module: None)
    folder, names = policy_files
    before = len(VIOLATIONS)
    violation = None
    try:
        code = compile_submission(source_of(attack, names), "attack.py", allow=attack.allow)
        load_submission(code, module_name=f"runtime_{attack.id}", allow=attack.allow)
    except PolicyViolation as raised:
        violation = raised
    if violation is None and len(VIOLATIONS) > before:
        violation = VIOLATIONS[before]
    assert violation is not None, "not rejected"
    expected = (attack.runtime_rule or attack.rule, (attack.runtime_line or attack.line - 1) + 1)
    assert (violation.rule, violation.lineno) == expected, violation.en
    assert not list(folder.glob("pwned-*")), "an attack had an effect under the policy"
    assert not list((folder / "out").iterdir()), "an attack wrote a file under the policy"
