"""The judge's static deny scan on its own (grader/judge/deny_scan.py), and the entries it scans
for (grader/denylist.py): what each form of reference resolves to, scope by scope, and what must
not be refused. End-to-end grading is in test_deny.py."""

from __future__ import annotations

import textwrap

import pytest
import torch

from grader.denylist import DenyError, entry_problem, resolve
from grader.judge.deny_scan import MAX_LISTED, deny_verdict, scan, verdict_text

DENY = (
    "torch.softmax",
    "torch.nn.functional.softmax",
    "torch.special.softmax",
    "Tensor.softmax",
    "torch.nn.Softmax",
    "torch.fft",
)


def found(source: str, deny: tuple[str, ...] = DENY) -> list[tuple[int, str]]:
    findings = scan(textwrap.dedent(source).lstrip("\n"), resolve(deny))
    assert findings is not None
    return [(f.line, f.entry) for f in findings]


REFUSED = {
    "import_as": (
        "import torch.nn.functional as F\nF.softmax\n",
        [(2, "torch.nn.functional.softmax")],
    ),
    "from_as": ("from torch import softmax as s\n", [(1, "torch.softmax")]),
    "attribute_chain": (
        "import torch\ntorch.nn.functional.softmax\n",
        [(2, "torch.nn.functional.softmax")],
    ),
    "through_another_module": (
        "import torch\ntorch.nn.modules.activation.F.softmax\n",
        [(2, "torch.nn.functional.softmax")],
    ),
    "tuple_unpacking": (
        "import torch\na, b = torch.exp, torch\nb.softmax\n",
        [(3, "torch.softmax")],
    ),
    "walrus": ("import torch\nif (t := torch):\n    t.softmax\n", [(3, "torch.softmax")]),
    "lambda": (
        "import torch\nf = lambda x: torch.special.softmax(x, 0)\n",
        [(2, "torch.special.softmax")],
    ),
    "global": (
        """
        import torch
        def setup():
            global lib
            lib = torch
        def use(x):
            return lib.softmax(x, 0)
        """,
        [(6, "torch.softmax")],
    ),
    "nonlocal": (
        """
        import torch
        def outer():
            lib = None
            def inner():
                nonlocal lib
                lib = torch.special
            inner()
            return lib.softmax
        """,
        [(8, "torch.special.softmax")],
    ),
    "closure": (
        """
        import torch.nn as nn
        def make():
            cls = nn.Softmax
            return cls
        """,
        [(3, "torch.nn.Softmax")],
    ),
    "class_body_alias": (
        """
        import torch
        class Holder:
            lib = torch.nn.functional
            def run(self, x):
                return self.lib.softmax(x, 0)
        """,
        [(5, "torch.nn.functional.softmax")],
    ),
    "getattr_constant": ("import torch\ngetattr(torch, 'softmax')\n", [(2, "torch.softmax")]),
    "getattr_folded": (
        "import torch\ngetattr(torch.special, 'soft' + 'max')\n",
        [(2, "torch.special.softmax")],
    ),
    "getattr_fstring": (
        "import torch\na = 'soft'\ngetattr(torch, f'{a}max')\n",
        [(3, "torch.softmax")],
    ),
    "getattr_augmented_name": (
        "import torch\nn = 'soft'\nn += 'max'\ngetattr(torch, n)\n",
        [(4, "torch.softmax")],
    ),
    "getattr_renamed": ("import torch\ng = getattr\ng(torch, 'softmax')\n", [(3, "torch.softmax")]),
    "getattr_on_tensor": (
        "def f(x):\n    return getattr(x, 'softmax')(0)\n",
        [(2, "Tensor.softmax")],
    ),
    "vars_subscript": ("import torch\nvars(torch)['softmax']\n", [(2, "torch.softmax")]),
    "method_on_parameter": (
        "import torch\nx = torch.randn(3)\nx.softmax(0)\n",
        [(3, "Tensor.softmax")],
    ),
    "unbound_on_subclass": ("import torch\ntorch.nn.Parameter.softmax\n", [(2, "Tensor.softmax")]),
    "instance_of_tensor_class": (
        "import torch\ntorch.nn.Parameter(torch.ones(2)).softmax\n",
        [(2, "Tensor.softmax")],
    ),
    "type_of_tensor": ("def f(x):\n    return type(x).softmax(x, 0)\n", [(2, "Tensor.softmax")]),
    "rebound_self": (
        """
        class A:
            def f(self, x):
                self = x
                return self.softmax(0)
        """,
        [(4, "Tensor.softmax")],
    ),
    "unknown_base_class": (
        """
        from somewhere import Base
        class A(Base):
            def f(self):
                return self.softmax(0)
        """,
        [(4, "Tensor.softmax")],
    ),
    "module_import": ("import torch.fft\n", [(1, "torch.fft")]),
    "module_attribute": (
        "import torch\nspectrum = torch.fft\nspectrum.fft\n",
        [(2, "torch.fft"), (3, "torch.fft")],
    ),
    "module_from_import_member": ("from torch.fft import rfft\n", [(1, "torch.fft")]),
    "subclass_denied_class": (
        "import torch\nclass S(torch.nn.Softmax):\n    pass\n",
        [(2, "torch.nn.Softmax")],
    ),
    "default_argument": (
        "import torch\ndef f(x, sm=torch.softmax):\n    return sm(x, 0)\n",
        [(2, "torch.softmax")],
    ),
    "comprehension": ("import torch\n[t.softmax for t in [torch]]\n", [(2, "Tensor.softmax")]),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused(case):
    source, expected = REFUSED[case]
    assert found(source) == expected


ALLOWED = {
    "hand_written": """
        import torch
        def softmax(x, dim=-1):
            e = torch.exp(x - x.amax(dim, keepdim=True))
            return e / e.sum(dim, keepdim=True)
        result = softmax(torch.ones(3))
        """,
    "docstring_and_comment": '''
        """Never call torch.softmax or x.softmax here."""
        import torch  # not torch.nn.functional.softmax either
        NOTE = "softmax"
        ''',
    "string_key": """
        table = {"softmax": 1}
        value = table["softmax"]
        """,
    "own_method": """
        import torch
        class Net(torch.nn.Module):
            def softmax(self, x):
                return x.exp() / x.exp().sum()
            def forward(self, x):
                return self.softmax(x)
        y = Net().softmax(torch.ones(2))
        z = Net.softmax
        """,
    "own_attribute": """
        class Model:
            def __init__(self, layer):
                self.softmax = layer
            def run(self, x):
                return self.softmax(x)
        """,
    "classmethod_on_own_class": """
        class A:
            @classmethod
            def make(cls):
                return cls.softmax
        """,
    "library_object_not_a_tensor": """
        import torch
        layer = torch.nn.Linear(2, 2)
        layer.softmax = None
        gen = torch.Generator()
        """,
    "module_name_as_variable": """
        import torch
        fft = torch.logsumexp
        def f(x, fft=None):
            return fft
        """,
    "other_functions_of_the_module_alias": """
        import torch.nn.functional as F
        F.relu
        F.log_softmax
        """,
    "getattr_unknown_name": """
        import torch
        def f(x, name):
            return getattr(torch, name)
        """,
}


@pytest.mark.parametrize("case", list(ALLOWED))
def test_not_refused(case):
    assert found(ALLOWED[case]) == []


def test_finding_spelling_and_method_note():
    findings = scan("def f(x):\n    return x.softmax(1)\n", resolve(DENY))
    assert findings is not None and len(findings) == 1
    finding = findings[0]
    assert (finding.spelling, finding.by_name) == ("x.softmax", True)
    en, zh = finding.text().en, finding.text().zh
    assert en.startswith(
        "line 2: this exercise does not allow `Tensor.softmax` (see the statement)"
    )
    assert "`x.softmax` counts as `Tensor.softmax`" in en and en.endswith("(rule: deny)")
    assert zh.startswith("第 2 行：本练习不允许使用 `Tensor.softmax`（见题目说明）")
    assert "`x.softmax` 按 `Tensor.softmax` 处理" in zh and zh.endswith("（规则：deny）")


def test_one_finding_per_line_and_entry():
    assert found("import torch\ntorch.softmax; torch.softmax\ntorch.Tensor.softmax\n") == [
        (2, "torch.softmax"),
        (3, "Tensor.softmax"),
    ]


def test_verdict_lists_at_most_fifty():
    source = "import torch\n" + "torch.softmax\n" * (MAX_LISTED + 7)
    findings = scan(source, resolve(DENY))
    assert findings is not None and len(findings) == MAX_LISTED + 7
    text = verdict_text(findings)
    en, zh = text.en, text.zh
    assert len(en.splitlines()) == MAX_LISTED + 1 and en.endswith("… and 7 more")
    assert zh.endswith("……另有 7 处")


def test_syntax_error_is_left_to_the_template():
    """A file that does not parse, or only the compiler refuses, gets no deny verdict: its
    syntax error is reported as always."""
    denied = resolve(DENY)
    assert scan("import torch\ndef f(:\n", denied) is None
    assert deny_verdict("import torch\ntorch.softmax\ndef f(:\n", "s.py", denied) is None
    assert deny_verdict("import torch\ntorch.softmax\nreturn 1\n", "s.py", denied) is None
    verdict = deny_verdict("import torch\ntorch.softmax\n", "s.py", denied)
    assert verdict is not None and str(verdict["reason"]) == "policy" and verdict["line"] == 2


def test_too_deep_to_scan_fails_closed():
    source = "import torch\nx = " + " + ".join(["'a'"] * 30_000) + "\n"
    verdict = deny_verdict(source, "s.py", resolve(DENY))
    assert verdict is not None and str(verdict["reason"]) == "error"
    assert "nested too deeply" in verdict["message"].en


def test_long_alias_chains_converge():
    """Names bound in reverse order need one round per link; 40 links still resolve."""
    lines = [f"a{i} = a{i + 1}" for i in range(40)] + ["a40 = torch", "a0.nn.functional.softmax"]
    assert found("import torch\n" + "\n".join(lines) + "\n") == [
        (43, "torch.nn.functional.softmax")
    ]


# -- entries ---------------------------------------------------------------------------------


def test_entries_resolve_to_objects():
    denied = resolve(DENY)
    assert denied.object_entry(torch.softmax) == "torch.softmax"
    assert denied.object_entry(torch.nn.functional.softmax) == "torch.nn.functional.softmax"
    assert denied.object_entry(torch.Tensor.softmax) == "Tensor.softmax"
    assert denied.object_entry(torch.nn.Softmax) == "torch.nn.Softmax"
    assert denied.object_entry(torch.fft) == "torch.fft"
    assert denied.object_entry(torch.log_softmax) is None
    assert denied.attribute_entry(torch.ones(2), "softmax") == "Tensor.softmax"
    assert denied.attribute_entry(torch.nn.Parameter(torch.ones(2)), "softmax") == "Tensor.softmax"
    assert denied.attribute_entry(torch.nn.Linear(2, 2), "softmax") is None


def test_module_entry_covers_what_it_defines():
    denied = resolve(("torch.nn.functional",))
    assert denied.object_entry(torch.nn.functional.relu) == "torch.nn.functional"
    assert denied.module_entry("torch.nn.functional") == "torch.nn.functional"
    assert denied.object_entry(torch.relu) is None  # defined elsewhere (F re-exports some)
    assert resolve(("torch.nn",)).object_entry(torch.nn.Softmax) == "torch.nn"


@pytest.mark.parametrize(
    ("entry", "why"),
    [
        ("torch.sofmax", "names nothing in the installed torch"),
        ("torch.nn.functional.nothing_here", "names nothing in the installed torch"),
        ("torch.pi", "is a float, not a module, function, class or method"),
        ("torch.softmax.x", "not a module or a class"),
        ("torch.Tensor", "would refuse every tensor"),
        ("torch.nn", None),
        ("Tensor.T", None),
    ],
)
def test_entry_resolution(entry, why):
    if why is None:
        resolve((entry,))
        return
    with pytest.raises(DenyError) as caught:
        resolve((entry,))
    assert repr(entry) in str(caught.value) and why in str(caught.value)


@pytest.mark.parametrize(
    "entry", ["torch", "Tensor", "numpy.exp", "torch.nn.", "torch._C", "torch .softmax", 3]
)
def test_malformed_entries(entry):
    assert entry_problem(entry) is not None
