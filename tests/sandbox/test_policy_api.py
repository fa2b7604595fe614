"""The policy's API as the runner meets it: errors, lines, VIOLATIONS, print, modules, allow."""

from __future__ import annotations

import pickle
import sys
import traceback
from pathlib import Path

import pytest
import torch

from grader.sandbox.policy import VIOLATIONS, PolicyViolation, compile_submission, load_submission


def run(source: str, *, allow: tuple[str, ...] = (), name: str = "api_submission", **kw: object):
    return load_submission(
        compile_submission(source, allow=allow), module_name=name, allow=allow, **kw
    )


def test_swallowed_violation_is_still_recorded() -> None:
    """`except Exception: pass` does not hide a runtime violation from the runner."""
    module = run(
        "import torch\n"
        "def sneaky():\n"
        "    try:\n"
        "        return getattr(torch, 'o' + 's')\n"
        "    except Exception:\n"
        "        return None\n"
    )
    before = len(VIOLATIONS)
    assert module.sneaky() is None
    assert len(VIOLATIONS) == before + 1
    violation = VIOLATIONS[-1]
    assert (violation.rule, violation.lineno, violation.filename) == (
        "denied-value",
        4,
        "submission.py",
    )


def test_syntax_error_keeps_line_and_column() -> None:
    """A SyntaxError is the interpreter's own, with its line and offset."""
    source = "import torch\n\ndef f(:\n    pass\n"
    with pytest.raises(SyntaxError) as plain:
        compile(source, "submission.py", "exec")
    with pytest.raises(SyntaxError) as ours:
        compile_submission(source)
    assert (
        (ours.value.lineno, ours.value.offset) == (plain.value.lineno, plain.value.offset) == (3, 7)
    )
    assert ours.value.msg == plain.value.msg


def test_compiler_syntax_error_wins_over_violations() -> None:
    """Errors only the compiler finds (`return` outside a function) still come out as SyntaxError."""
    with pytest.raises(SyntaxError) as caught:
        compile_submission("import os\nreturn 1\n")
    assert caught.value.lineno == 2


def test_compile_time_violations_are_all_listed_with_lines() -> None:
    """One PolicyViolation carries every compile-time violation, ordered by line."""
    source = (
        "import torch\n"
        "import os\n"
        "x = open('f')\n"
        "class Fake:\n"
        "    def __eq__(self, other):\n"
        "        return True\n"
        "y = torch.load\n"
    )
    with pytest.raises(PolicyViolation) as caught:
        compile_submission(source)
    found = [(v.rule, v.lineno) for v in caught.value.all]
    assert found == [("import", 2), ("builtin", 3), ("override", 5), ("denied-name", 7)]
    assert (caught.value.rule, caught.value.lineno) == ("import", 2)
    for line in (2, 3, 5, 7):
        assert f"line {line}:" in caught.value.en and f"第 {line} 行" in caught.value.zh
    assert str(caught.value) == caught.value.en


def test_violation_pickles_with_its_details() -> None:
    """Violations cross process boundaries intact (the runner may send them to its parent)."""
    with pytest.raises(PolicyViolation) as caught:
        compile_submission("import os\nimport sys\n")
    copy = pickle.loads(pickle.dumps(caught.value))
    assert (copy.rule, copy.lineno, copy.en, copy.zh) == (
        caught.value.rule, caught.value.lineno, caught.value.en, caught.value.zh,
    )  # fmt: skip
    assert [v.lineno for v in copy.all] == [1, 2]
    assert copy.to_dict()["all"][1]["rule"] == "import"


def test_runtime_violation_line_inside_a_function() -> None:
    """A violation deep in the submission's call stack names the line where it happened."""
    module = run(
        "import torch\n\ndef helper(name):\n    return getattr(torch, name)\n\n"
        "def entry():\n    return helper('_C')\n"
    )
    with pytest.raises(PolicyViolation) as caught:
        module.entry()
    assert (caught.value.rule, caught.value.lineno) == ("private", 4)


def test_tracebacks_point_at_the_learners_lines() -> None:
    """Rewritten statements (augmented assignment, from-imports) keep the learner's lines."""
    source = "from torch import zeros\n\n\ndef bump(t):\n    t[0] += 1 / 0\n"
    module = run(source, name="api_traceback")
    with pytest.raises(ZeroDivisionError) as caught:
        module.bump(torch.zeros(1))
    frames = [
        f for f in traceback.extract_tb(caught.value.__traceback__) if f.filename == "submission.py"
    ]
    assert frames[-1].lineno == 5 and frames[-1].line == "t[0] += 1 / 0"


def test_print_goes_to_stdout_at_call_time_and_is_capped(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """print() writes to the current sys.stdout, at most print_limit bytes, then one notice."""
    module = run("def talk(n):\n    for i in range(n):\n        print('line', i)\n", print_limit=30)
    module.talk(2)
    assert capsys.readouterr().out == "line 0\nline 1\n"
    module.talk(10)
    out = capsys.readouterr().out
    assert out.endswith("\n[output truncated]\n") and len(out.encode()) <= 30 + 20
    module.talk(3)
    assert capsys.readouterr().out == ""


def test_module_is_registered_and_its_classes_pickle() -> None:
    """sys.modules holds the submission, so its classes pickle; a failed load unregisters it."""
    module = run(
        "class Point:\n    def __init__(self, x):\n        self.x = x\n", name="api_points"
    )
    assert sys.modules["api_points"] is module
    assert pickle.loads(pickle.dumps(module.Point(3))).x == 3
    with pytest.raises(ZeroDivisionError):
        run("x = 1 / 0\n", name="api_broken")
    assert "api_broken" not in sys.modules


def test_only_policy_compiled_code_is_loaded() -> None:
    """load_submission refuses code objects that did not come from compile_submission."""
    with pytest.raises(ValueError):
        load_submission(compile("import os", "submission.py", "exec"))


def test_allow_admits_an_extension_module() -> None:
    """An exercise's allow: admits a reviewed extension module; unknown ones are an error."""
    source = "import torch.distributions as D\nsample = D.Normal(0.0, 1.0).sample((2,))\n"
    with pytest.raises(PolicyViolation):
        compile_submission(source)
    assert run(source, allow=("torch.distributions",), name="api_dist").sample.shape == (2,)
    with pytest.raises(ValueError, match="cannot be admitted"):
        compile_submission("x = 1\n", allow=("subprocess",))


def test_lifted_torch_save_and_load_keep_weights_only(tmp_path: Path) -> None:
    """allow torch:save / torch:load admits checkpoints, but torch.load only with weights_only."""
    path = str(tmp_path / "ckpt.pt")
    source = (
        "import torch\n"
        "def roundtrip(path):\n"
        "    torch.save({'w': torch.ones(2)}, path)\n"
        "    return torch.load(path)['w']\n"
        "def unsafe(path):\n"
        "    return torch.load(path, weights_only=False)\n"
    )
    with pytest.raises(PolicyViolation):
        compile_submission(source)
    module = run(source, allow=("torch:save", "torch:load"), name="api_ckpt")
    assert torch.equal(module.roundtrip(path), torch.ones(2))
    with pytest.raises(PolicyViolation) as caught:
        module.unsafe(path)
    assert (caught.value.rule, caught.value.lineno) == ("denied-value", 6)


def test_postponed_annotations_stay_readable() -> None:
    """Under `from __future__ import annotations` annotations keep the learner's text."""
    module = run(
        "from __future__ import annotations\nimport torch\n"
        "def f(x: torch.Tensor, n: int = 2) -> list[torch.Tensor]:\n    return [x] * n\n",
        name="api_annotations",
    )
    assert module.f.__annotations__ == {
        "x": "torch.Tensor",
        "n": "int",
        "return": "list[torch.Tensor]",
    }


def test_string_formatting_without_fields_is_allowed() -> None:
    """str.format and format_map work when no field reads an attribute or an index."""
    module = run(
        "a = '{:.2f} {name}'.format(3.14159, name='pi')\n"
        "b = str.format('{0}-{1}', 1, 2)\n"
        "c = '{x:>{w}}'.format_map({'x': 'r', 'w': 3})\n",
        name="api_format",
    )
    assert (module.a, module.b, module.c) == ("3.14 pi", "1-2", "  r")


def test_own_private_attributes_but_not_library_ones() -> None:
    """self._x works on the submission's objects; the library's private state stays closed."""
    module = run(
        "import torch.nn as nn\n"
        "class Net(nn.Module):\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self._scale = 2\n"
        "    def forward(self, x):\n"
        "        return x * self._scale\n"
        "    def peek(self):\n"
        "        return self._modules\n",
        name="api_private",
    )
    net = module.Net()
    assert net(3) == 6
    with pytest.raises(PolicyViolation) as caught:
        net.peek()
    assert (caught.value.rule, caught.value.lineno) == ("private", 9)
