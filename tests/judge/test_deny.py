"""An exercise's ``deny:`` list as learners meet it: real submissions graded by the real grader.

The fixture exercise ``probs`` (tests/judge/data/course) denies torch.softmax,
torch.nn.functional.softmax, torch.special.softmax, Tensor.softmax, torch.nn.Softmax and the
whole module torch.fft. What the judge's static scan finds makes every check ``policy`` before
anything runs; what only shows at run time (a computed attribute name) is refused by the
executor's policy and fails the checks that reach it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import junitparser
import pytest
from judge_support import COURSE, grade_cli, grade_json, grade_owned, run_authoring

from grader.errors import BankError
from grader.exercises.loader import load_exercise

pytestmark = pytest.mark.slow

HAND_WRITTEN = """
import torch

def probs(x, dim=-1):
    e = torch.exp(x - x.amax(dim, keepdim=True))
    return e / e.sum(dim, keepdim=True)
"""


def write(tmp_path: Path, source: str, name: str = "submission.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(source).lstrip("\n"), encoding="utf-8")
    return path


def assert_denied(result: dict, api: str, line: int) -> None:
    """Every check is `policy` with score 0, and the message names the API and the line in
    both languages."""
    assert result["score"] == 0
    assert [t["reason"] for t in result["tests"]] == ["policy"] * len(result["tests"]), result
    for test in result["tests"]:
        assert test["line"] == line
        en, zh = test["messages"]["en"], test["messages"]["zh"]
        assert en.startswith(f"line {line}: this exercise does not allow `{api}`"), en
        assert en.endswith("(rule: deny)"), en
        assert zh.startswith(f"第 {line} 行：本练习不允许使用 `{api}`"), zh
        assert zh.endswith("（规则：deny）"), zh


STATIC = {
    "import_as_F": (
        """
        import torch.nn.functional as F

        def probs(x, dim=-1):
            return F.softmax(x, dim)
        """,
        "torch.nn.functional.softmax",
        4,
    ),
    "from_import_as": (
        """
        from torch import softmax as s

        def probs(x, dim=-1):
            return s(x, dim)
        """,
        "torch.softmax",
        1,
    ),
    "from_functional_import": (
        """
        from torch.nn.functional import softmax

        def probs(x, dim=-1):
            return softmax(x, dim)
        """,
        "torch.nn.functional.softmax",
        1,
    ),
    "assigned_to_a_variable": (
        """
        import torch

        sm = torch.softmax

        def probs(x, dim=-1):
            return sm(x, dim)
        """,
        "torch.softmax",
        3,
    ),
    "method_keyword": (
        """
        def probs(x, dim=-1):
            return x.softmax(dim=dim)
        """,
        "Tensor.softmax",
        2,
    ),
    "unbound_method": (
        """
        import torch

        def probs(x, dim=-1):
            return torch.Tensor.softmax(x, dim)
        """,
        "Tensor.softmax",
        4,
    ),
    "getattr_constant": (
        """
        import torch

        def probs(x, dim=-1):
            return getattr(torch, "softmax")(x, dim)
        """,
        "torch.softmax",
        4,
    ),
    "getattr_concatenated": (
        """
        import torch

        def probs(x, dim=-1):
            return getattr(torch, "soft" + "max")(x, dim)
        """,
        "torch.softmax",
        4,
    ),
    "module_alias_chain": (
        """
        import torch as t

        lib = t.nn

        def probs(x, dim=-1):
            return lib.functional.softmax(x, dim)
        """,
        "torch.nn.functional.softmax",
        6,
    ),
    "special": (
        """
        import torch

        def probs(x, dim=-1):
            return torch.special.softmax(x, dim)
        """,
        "torch.special.softmax",
        4,
    ),
    "module_class": (
        """
        from torch import nn

        def probs(x, dim=-1):
            return nn.Softmax(dim=dim)(x)
        """,
        "torch.nn.Softmax",
        4,
    ),
    "denied_module_renamed": (
        """
        import torch
        import torch.fft as spectrum

        def probs(x, dim=-1):
            e = torch.exp(x - x.amax(dim, keepdim=True))
            return e / e.sum(dim, keepdim=True)
        """,
        "torch.fft",
        2,
    ),
    "denied_module_from_import": (
        """
        from torch import fft as f

        def probs(x, dim=-1):
            return f.ifft(f.fft(x)).real
        """,
        "torch.fft",
        1,
    ),
}


@pytest.mark.parametrize("case", list(STATIC))
def test_static_reference_refuses_every_check(tmp_path, case):
    """Each spelling of a denied API: every check `policy`, 0 points, the API and the line named
    in both languages, and nothing of the file ran (its top-level print never shows)."""
    source, api, line = STATIC[case]
    source = textwrap.dedent(source).lstrip("\n") + 'print("the file was imported")\n'
    result = grade_json("probs", write(tmp_path, source))
    assert_denied(result, api, line)
    assert "the file was imported" not in json.dumps(result)


def test_all_references_are_listed(tmp_path):
    """Several denied APIs on several lines: the verdict lists each (line order); the check's
    line is the first."""
    path = write(
        tmp_path,
        """
        import torch
        import torch.nn.functional as F

        def probs(x, dim=-1):
            a = F.softmax(x, dim)
            return x.softmax(dim) + 0 * a
        """,
    )
    result = grade_json("probs", path)
    assert_denied(result, "torch.nn.functional.softmax", 5)
    en = result["tests"][0]["messages"]["en"].splitlines()
    assert len(en) == 2
    assert en[1].startswith("line 6: this exercise does not allow `Tensor.softmax`")
    assert "`x.softmax` counts as `Tensor.softmax`" in en[1]


RUNTIME = {
    "getattr_computed_on_torch": """
        import torch

        def probs(x, dim=-1):
            name = "".join(reversed("xamtfos"))
            return getattr(torch, name)(x, dim)
        """,
    "getattr_computed_on_tensor": """
        def probs(x, dim=-1):
            name = "soft" if x.dim() else "hard"
            name = name + "max"
            return getattr(x, str(name))(dim)
        """,
}


REACHED_AROUND_THE_RECEIVER = {
    # super() hides the tensor from an isinstance check on the owner, and the computed name
    # hides it from the scan; the bound method that comes back is still Tensor.softmax.
    "super_proxy_of_a_tensor": """
        import torch

        def probs(x, dim=-1):
            name = "".join(["soft", "max"])
            return getattr(super(torch.Tensor, x), name)(dim)
        """,
    "bound_method_kept_in_a_list": """
        def probs(x, dim=-1):
            name = "".join(["soft", "max"])
            bound = [getattr(super(type(x), x), name)]
            return bound[0](dim)
        """,
}


@pytest.mark.parametrize("case", list(REACHED_AROUND_THE_RECEIVER))
def test_a_denied_method_reached_around_its_receiver_is_refused(tmp_path, case):
    """Through a `super()` proxy, or as a bound method picked up later: still `Tensor.softmax`
    (a fresh attack scored 10/10 this way before the guard unwrapped both)."""
    source = REACHED_AROUND_THE_RECEIVER[case]
    result = grade_json("probs", write(tmp_path, source))
    assert result["score"] == 0, result
    assert {t["reason"] for t in result["tests"]} == {"policy"}
    assert all("`Tensor.softmax`" in t["messages"]["en"] for t in result["tests"])


@pytest.mark.parametrize("case", list(RUNTIME))
def test_dynamic_name_is_refused_at_run_time(tmp_path, case):
    """A name the scan cannot compute is refused by the executor's policy when it is reached:
    `policy` with the line, for each check that reaches it."""
    api = "torch.softmax" if "torch" in case else "Tensor.softmax"
    result = grade_json("probs", write(tmp_path, RUNTIME[case]))
    assert_denied(result, api, 5 if "torch" in case else 4)


def test_swallowed_runtime_refusal_still_fails(tmp_path):
    """Catching the refusal and falling back does not help: the violation is reported."""
    path = write(
        tmp_path,
        """
        import torch

        def probs(x, dim=-1):
            try:
                return getattr(x, "".join(["soft", "max"]))(dim)
            except Exception:
                e = torch.exp(x - x.amax(dim, keepdim=True))
                return e / e.sum(dim, keepdim=True)
        """,
    )
    assert_denied(grade_json("probs", path), "Tensor.softmax", 5)


def test_runtime_refusal_only_fails_the_checks_that_reach_it(tmp_path):
    """Best effort at run time: only the check whose call reaches the denied API loses."""
    path = write(
        tmp_path,
        """
        import torch

        def probs(x, dim=-1):
            if dim == 0:
                return getattr(torch, "".join(["soft", "max"]))(x, dim)
            e = torch.exp(x - x.amax(dim, keepdim=True))
            return e / e.sum(dim, keepdim=True)
        """,
    )
    result = grade_json("probs", path)
    reasons = {t["name"]: t["reason"] for t in result["tests"]}
    assert reasons == {"test_rows": "passed", "test_columns": "policy"}
    assert result["score"] == 1


NOT_REFUSED = {
    "hand_written": HAND_WRITTEN,
    "own_function_named_softmax": """
        \"\"\"Uses no torch.softmax: a function of its own called softmax.\"\"\"
        import torch

        def softmax(x, dim):
            e = torch.exp(x - x.amax(dim, keepdim=True))
            return e / e.sum(dim, keepdim=True)

        def probs(x, dim=-1):
            return softmax(x, dim)
        """,
    "variable_named_softmax": """
        import torch

        def probs(x, dim=-1):
            e = torch.exp(x - x.amax(dim, keepdim=True))
            softmax = e / e.sum(dim, keepdim=True)
            names = {"softmax": softmax}
            return names["softmax"]
        """,
    "own_class_with_softmax_method": """
        import torch
        from torch import nn

        class Probs(nn.Module):
            def __init__(self, dim):
                super().__init__()
                self.dim = dim

            def softmax(self, x):
                e = torch.exp(x - x.amax(self.dim, keepdim=True))
                return e / e.sum(self.dim, keepdim=True)

            def forward(self, x):
                return self.softmax(x)

        def probs(x, dim=-1):
            return Probs(dim)(x)
        """,
    "own_attribute_named_softmax": """
        import torch

        class Normaliser:
            def __call__(self, x, dim):
                e = torch.exp(x - x.amax(dim, keepdim=True))
                return e / e.sum(dim, keepdim=True)

        class Model:
            def __init__(self):
                self.softmax = Normaliser()

            def run(self, x, dim):
                return self.softmax(x, dim)

        def probs(x, dim=-1):
            return Model().run(x, dim)
        """,
    "logsumexp_and_fft_named_variables": """
        import torch

        def probs(x, dim=-1):
            fft = torch.logsumexp(x, dim, keepdim=True)  # not the module torch.fft
            return torch.exp(x - fft)
        """,
}


@pytest.mark.parametrize("case", list(NOT_REFUSED))
def test_learner_names_are_not_refused(tmp_path, case):
    """No false positives: a hand-written softmax gets full marks, and so do the learner's own
    function, variable, method and attribute called softmax."""
    result = grade_json("probs", write(tmp_path, NOT_REFUSED[case]))
    assert result["score"] == result["max_score"] == 2, result["tests"]


def test_owned_executor_cannot_lift_the_static_verdict():
    """The static scan decides in the judge: with the executor owned (no policy at all, full
    Python power) a submission that names torch.softmax still scores 0, with reason policy."""
    path = Path(__file__).resolve().parent / "submissions" / "deny_softmax.py"
    result = grade_owned("probs", path)
    assert_denied(result, "torch.softmax", 5)


def test_text_json_and_junit_show_the_line(tmp_path):
    """`grader grade` in its three formats shows the refusal as any policy violation: reason,
    line and the bilingual message."""
    path = write(
        tmp_path,
        """
        import torch

        def probs(x, dim=-1):
            return x.softmax(dim)
        """,
    )
    code, out = grade_cli("probs", path, "--format", "json")
    assert code == 1
    assert_denied(json.loads(out), "Tensor.softmax", 4)
    code, out = grade_cli("probs", path, "--lang", "zh")
    assert code == 1
    assert "第 4 行：本练习不允许使用 `Tensor.softmax`" in " ".join(out.split())
    report = tmp_path / "report.xml"
    code, _ = grade_cli("probs", path, "--format", "junit", "--output", str(report))
    assert code == 1
    cases = [case for suite in junitparser.JUnitXml.fromfile(str(report)) for case in suite]
    assert len(cases) == 2
    for case in cases:
        (failure,) = case.result
        assert "line 4: this exercise does not allow `Tensor.softmax`" in (failure.message or "")


def _course_with_deny(tmp_path: Path, entries: list[str]) -> Path:
    course = tmp_path / "course"
    shutil.copytree(COURSE / "exercises" / "probs", course / "exercises" / "probs")
    shutil.copytree(COURSE / "solutions", course / "solutions")
    yaml_path = course / "exercises" / "probs" / "exercise.yaml"
    text = yaml_path.read_text(encoding="utf-8").split("deny:")[0]
    text += "deny:\n" + "".join(f"  - {e}\n" for e in entries)
    yaml_path.write_text(text, encoding="utf-8")
    return course


def test_entry_naming_nothing_is_an_authoring_error(tmp_path):
    """An entry that names nothing in the installed torch is the exercise's fault: no grade,
    an error naming the file and the entry (exit status 2), never a learner's 0."""
    course = _course_with_deny(tmp_path, ["torch.softmax", "torch.sofmax"])
    solution = course / "solutions" / "probs.py"
    from grader.runner.api import grade_file

    with pytest.raises(BankError) as caught:
        grade_file("probs", solution, course=course)
    message = caught.value.message
    assert str(course / "exercises" / "probs" / "exercise.yaml") in message
    assert "'torch.sofmax' names nothing in the installed torch" in message
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "grade", "probs", str(solution), "--course", str(course)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "torch.sofmax" in proc.stderr


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("torch.nn.functional.", "is not a dotted torch name"),
        ("os.path", "is not a dotted torch name"),
        ("torch._C", "is not a dotted torch name"),
        ("torch.Tensor", "would refuse every tensor"),
    ],
)
def test_malformed_entry_is_refused_when_the_exercise_loads(tmp_path, entry, why):
    """A malformed entry is refused by the loader (no torch needed), naming the file and the
    entry; `grader validate` reports it with the file and the line."""
    course = _course_with_deny(tmp_path, ["torch.softmax", entry])
    folder = course / "exercises" / "probs"
    with pytest.raises(BankError) as caught:
        load_exercise(folder)
    assert str(folder / "exercise.yaml") in caught.value.message
    assert repr(entry) in caught.value.message and why in caught.value.message
    proc = subprocess.run(
        [sys.executable, "-m", "grader", "validate", "--course", str(course)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    yaml_lines = (folder / "exercise.yaml").read_text(encoding="utf-8").splitlines()
    line = yaml_lines.index(f"  - {entry}") + 1
    assert f"{folder / 'exercise.yaml'}:{line}: probs: deny[1]: {entry!r}" in proc.stdout


def _authoring(submission: Path, tmp_path: Path, *deny: str) -> subprocess.CompletedProcess:
    args = [a for entry in deny for a in ("--grader-deny", entry)]
    return run_authoring("probs", submission, tmp_path, *args)


def test_authoring_loop_takes_the_deny_list(tmp_path):
    """`pytest -p grader.runner.plugin --grader-deny ENTRY` runs the same static scan (the file
    cannot run) and the same runtime guard as `grader grade`."""
    static = write(tmp_path, "def probs(x, dim=-1):\n    return x.softmax(dim)\n", "static.py")
    proc = _authoring(static, tmp_path, "Tensor.softmax")
    assert proc.returncode == 4  # pytest's usage error
    assert "static.py cannot run: line 2: this exercise does not allow `Tensor.softmax`" in (
        proc.stdout + proc.stderr
    )
    assert _authoring(static, tmp_path).returncode == 0  # no deny list: torch's softmax is right
    dynamic = write(tmp_path, RUNTIME["getattr_computed_on_tensor"], "dynamic.py")
    proc = _authoring(dynamic, tmp_path, "Tensor.softmax")
    assert proc.returncode == 1
    assert "2 failed" in proc.stdout and "(rule: deny)" in proc.stdout
    proc = _authoring(static, tmp_path, "torch.sofmax")
    assert proc.returncode == 4 and "--grader-deny: deny: 'torch.sofmax'" in proc.stderr
