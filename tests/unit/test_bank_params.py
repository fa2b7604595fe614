"""Parametrised questions (``grader.bank.params``): the format, its problems with file:line,
rendering with ``{{``/``}}`` escapes, constraints and deterministic seeds. No torch here."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest

from grader.bank.params import (
    ParamError,
    derive_seed,
    load_templates,
    placeholders,
    render,
)
from grader.validate import validate_paths

HEADER = """\
bank: gen-test
title: {zh: 测试, en: Test}
questions:
"""

GOOD = """\
  - id: gen-ok
    type: code_output
    difficulty: 2
    tags: [broadcasting]
    params:
      a: {shape: [[1, 4], [2, 5]]}
      b: {shape: [[2, 5]]}
      n: {int: [1, 9], exclude: [3, 4]}
      d: {dtype: [float32, int64]}
      f: {float: [0, 1], digits: 1}
      c: {choice: [x, y]}
    constraints:
      - broadcastable: [a, b]
    prompt: {zh: "形状 {a} 与 {b}，n = {n}", en: "Shapes {a} and {b}, n = {n}"}
    code: |
      d = {{"k": {n}}}
      print(f"{{d['k']}}")
    explanation: {zh: "答案是 {answer}。", en: "The answer is {answer}."}
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "gen.yaml"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, body: str) -> list[str]:
    return [str(p) for p in load_templates(write(tmp_path, body)).problems]


def test_a_good_template_loads_and_renders_with_escaped_braces(tmp_path: Path) -> None:
    loaded = load_templates(write(tmp_path, GOOD))
    assert loaded.problems == []
    (template,) = loaded.templates
    values = template.draw(7)
    assert values["n"] not in (3, 4) and 1 <= values["n"] <= 9
    assert str(values["d"].name) in ("float32", "int64")
    assert round(values["f"], 1) == values["f"]
    code = render(template.code, values)
    assert code == f'd = {{"k": {values["n"]}}}\nprint(f"{{d[\'k\']}}")\n'
    assert render(template.fields["prompt"]["en"], values).startswith(f"Shapes {values['a']!r}")


def _one(tmp_path: Path, body: str) -> str:
    found = problems_of(tmp_path, body)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (('n = {n}"}', 'n = {m}"}'), 17, "unknown placeholder '{m}': not a parameter"),
        (("The answer is {answer}.", "The answer is {nope}."), 21, "unknown placeholder '{nope}'"),
        (('n = {n}"}', 'n = {answer}"}'), 17, "computed values may only be cited"),
        (('{{"k"', '{"k"'), 18, "a lone '{'"),
        (("broadcastable: [a, b]", "broadcasts: [a, b]"), 16, "unknown constraint 'broadcasts'"),
        (("broadcastable: [a, b]", "broadcastable: [a, z]"), 16, "unknown parameter 'z'"),
        (("broadcastable: [a, b]", "less_than: [a, b]"), 16, "'a' is a shape, needs int"),
        (
            ("exclude: [3, 4]", "exclude: [1, 2, 3, 4, 5, 6, 7, 8, 9]"),
            11,
            "exclude leaves no value",
        ),
        (("{dtype: [float32, int64]}", "{dtype: [float31]}"), 12, "dtype needs a list of names"),
        (("{choice: [x, y]}", "{pick: [x, y]}"), 14, "needs exactly one generator"),
        (("type: code_output", "type: short"), 5, "params make no sense for type 'short'"),
        (("type: code_output", "type: multiple"), 5, "params make no sense for type 'multiple'"),
        (("difficulty: 2", "difficulty: 9"), 6, "difficulty"),
    ],
)
def test_each_problem_names_its_line(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    """Each mistake is one problem at ``file:line`` of the value to edit."""
    old, new = change
    assert old in GOOD
    problem = _one(tmp_path, GOOD.replace(old, new, 1))
    assert f"gen.yaml:{line}: gen-ok: " in problem
    assert message in problem


def test_a_written_answer_and_options_of_a_single_are_refused(tmp_path: Path) -> None:
    body = GOOD.replace("    code: |", '    answer: "x"\n    code: |', 1)
    assert "has no written answer: it is computed" in _one(tmp_path, body)
    single = GOOD.replace("type: code_output", "type: single", 1)
    assert "needs 'wrong_rules'" in _one(tmp_path, single)
    numeric = GOOD.replace("type: code_output", "type: numeric", 1)
    numeric += "    wrong_rules: ['answer = 1']\n"
    assert "only a 'single' question has wrong rules" in _one(tmp_path, numeric)


def test_option_count_defaults_to_every_wrong_rule_and_is_checked(tmp_path: Path) -> None:
    """A single's ``option_count`` is 1 + its wrong rules unless declared; a count no instance
    can have, or one on another type, is a problem at its line."""
    single = GOOD.replace("type: code_output", "type: single", 1)
    single += "    wrong_rules: ['answer = 1', 'answer = 2', 'answer = 3']\n"
    (template,) = load_templates(write(tmp_path, single)).templates
    assert template.option_count == 4
    (template,) = load_templates(write(tmp_path, single + "    option_count: 3\n")).templates
    assert template.option_count == 3
    for bad in ("5", "1", "true", "'4'"):
        problem = _one(tmp_path, single + f"    option_count: {bad}\n")
        assert "gen.yaml:23: gen-ok: option_count must be a whole number from 2 to 4" in problem
    other = GOOD + "    option_count: 3\n"
    assert "gen.yaml:22: gen-ok: only a 'single' question has option count" in _one(tmp_path, other)
    (template,) = load_templates(write(tmp_path, GOOD)).templates
    assert template.option_count == 0


def test_unsatisfiable_constraints_are_reported_with_a_seed(tmp_path: Path) -> None:
    """Shapes that can never broadcast: validate's sampled seeds all fail within the bound."""
    body = GOOD.replace("{shape: [[2, 5]]}", "{shape: [[6, 9]]}", 1)
    body = body.replace("{shape: [[1, 4], [2, 5]]}", "{shape: [[2, 4], [2, 5]]}", 1)
    problem = _one(tmp_path, body)
    assert "gen.yaml:16: gen-ok: could not satisfy the constraints broadcastable(a, b)" in problem
    assert "(first: seed 0)" in problem


def test_constraints_hold_in_every_draw(tmp_path: Path) -> None:
    body = GOOD.replace("broadcastable: [a, b]", "not_broadcastable: [a, b]", 1)
    (template,) = load_templates(write(tmp_path, body)).templates
    for seed in range(50):
        a, b = template.draw(seed)["a"], template.draw(seed)["b"]
        assert a[1] != b[0] and 1 not in (a[1], b[0])


def test_placeholders_and_escapes() -> None:
    assert placeholders("{a} {{b}} {c}") == ["a", "c"]
    assert render("{{x}} = {x}", {"x": (2, 3)}) == "{x} = (2, 3)"
    with pytest.raises(ParamError, match="lone '}'"):
        placeholders("x }")
    with pytest.raises(ParamError, match="unknown placeholder '{y}'"):
        render("{y}", {"x": 1})


def test_seeds_are_deterministic_per_learner_question_and_attempt(tmp_path: Path) -> None:
    """SHA-256 of the three values (not the salted ``hash()``): a resumed attempt gets the same
    numbers, a review (the next attempt) other ones."""
    digest = hashlib.sha256(b"learner-1\x00gen-ok\x003").digest()
    assert derive_seed("learner-1", "gen-ok", 3) == int.from_bytes(digest[:8], "big")
    (template,) = load_templates(write(tmp_path, GOOD)).templates
    same = [template.draw(derive_seed("learner-1", "gen-ok", 3)) for _ in range(2)]
    assert same[0] == same[1]
    reviews = {repr(template.draw(derive_seed("learner-1", "gen-ok", n))) for n in range(6)}
    assert len(reviews) > 1
    assert derive_seed("learner-1", "gen-ok", 4) != derive_seed("learner-1", "gen-ok", 3)
    assert derive_seed("learner-2", "gen-ok", 3) != derive_seed("learner-1", "gen-ok", 3)


def test_validate_reports_template_problems_and_unregistered_ids(tmp_path: Path) -> None:
    """`grader validate` on a questions folder checks its generated/ folder too."""
    questions = tmp_path / "questions"
    (questions / "generated").mkdir(parents=True)
    (questions / "basic.yaml").write_text(
        "bank: basic\ntitle: {zh: 基础, en: Basics}\nquestions:\n"
        "  - id: basic-one\n    type: true_false\n    difficulty: 1\n    tags: [x]\n"
        "    prompt: {zh: 对吗？, en: True?}\n    answer: true\n"
        "    explanation: {zh: 因为这样。, en: Because it is.}\n",
        encoding="utf-8",
    )
    (questions / "ids.txt").write_text("basic-one\n", encoding="utf-8")
    generated = questions / "generated" / "gen.yaml"
    generated.write_text(HEADER + GOOD.replace('{n}"}', '{m}"}', 1), encoding="utf-8")
    report = validate_paths([questions], cache=False)
    shown = [str(p) for p in report.problems]
    assert any("generated/gen.yaml:17: gen-ok: prompt.en: unknown placeholder" in p for p in shown)
    alone = [str(p) for p in validate_paths([generated], cache=False).problems]  # named alone
    assert alone == [p for p in shown if "generated/gen.yaml" in p] and alone
    generated.write_text(HEADER + GOOD, encoding="utf-8")
    shown = [str(p) for p in validate_paths([questions], cache=False).problems]
    assert shown == [
        f"{generated}:4: gen-ok: id 'gen-ok' is not in the id registry {questions / 'ids.txt'}; "
        "run `grader validate --update-ids` to add it"
    ]
    validate_paths([questions], cache=False, update_ids=True)
    assert validate_paths([questions], cache=False).problems == []
    assert "gen-ok" in (questions / "ids.txt").read_text(encoding="utf-8")


def test_installed_torch_reads_the_first_torch_dist_info_on_the_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The version comes from torch's METADATA without importlib.metadata (costly at the app's
    launch), and is what importlib.metadata says: the installed one, or the first torch on
    sys.path when two are there."""
    import importlib.metadata

    from grader.bank.params import installed_torch

    try:
        expected = importlib.metadata.version("torch")
    except importlib.metadata.PackageNotFoundError:
        expected = "none"
    installed_torch.cache_clear()
    assert installed_torch() == expected
    for folder, version in (("first", "9.9.9+cpu"), ("second", "1.0")):
        info = tmp_path / folder / f"torch-{version}.dist-info"
        info.mkdir(parents=True)
        metadata = f"Metadata-Version: 2.1\nName: torch\nVersion: {version}\n\nVersion: 0\n"
        (info / "METADATA").write_text(metadata, encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(tmp_path / "first"), str(tmp_path / "second"), *sys.path])
    installed_torch.cache_clear()
    try:
        assert installed_torch() == "9.9.9+cpu" == importlib.metadata.version("torch")
    finally:
        installed_torch.cache_clear()


def test_installed_torch_does_not_import_importlib_metadata() -> None:
    """In a fresh interpreter with torch installed, finding its version loads neither torch nor
    importlib.metadata."""
    import importlib.util
    import subprocess

    if importlib.util.find_spec("torch") is None:
        pytest.skip("torch is not installed")
    code = (
        "import sys\n"
        "from grader.bank.params import installed_torch\n"
        "assert installed_torch() not in ('', 'none')\n"
        "print(sorted(m for m in ('torch', 'importlib.metadata') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]", done.stderr
