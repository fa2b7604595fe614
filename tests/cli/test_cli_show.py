"""`grader show QUESTION --seed N`: an instructor reproduces a learner's instance of a parametrised
question, as the installed command prints it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from cli_support import run_grader

from grader.bank.params import derive_seed

QUESTIONS = """\
bank: gen-cli
title: {zh: 命令行, en: CLI}
questions:
  - id: gen-cli-shape
    type: code_output
    difficulty: 1
    tags: [broadcasting]
    params:
      n: {int: [2, 9]}
      m: {int: [2, 9]}
    prompt: {zh: "打印什么？", en: "What does it print?"}
    code: |
      import torch
      print((torch.zeros({n}, 1) + torch.zeros({m})).shape)
    explanation: {zh: "得到 {answer}。", en: "It gives {answer}."}
"""


def course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    (folder / "questions" / "generated").mkdir(parents=True, exist_ok=True)
    (folder / "questions" / "generated" / "cli.yaml").write_text(QUESTIONS, encoding="utf-8")
    return folder


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"GRADER_DATA_DIR": str(tmp_path / "data"), "GRADER_CACHE_DIR": str(tmp_path / "c")}
    return run_grader("show", *args, "--course", str(course(tmp_path)), cwd=tmp_path, env=env)


def test_a_seed_reproduces_the_instance_and_its_computed_answer(tmp_path: Path) -> None:
    done = run(tmp_path, "gen-cli-shape", "--seed", "5", "--format", "json")
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout)
    n, m = int(shown["params"]["n"]), int(shown["params"]["m"])
    assert shown["question"]["answer"] == f"torch.Size([{n}, {m}])"  # what torch printed
    assert f"torch.zeros({n}, 1) + torch.zeros({m})" in shown["question"]["code"]
    again = run(tmp_path, "gen-cli-shape", "--seed", "5", "--format", "json")  # from the cache
    assert json.loads(again.stdout) == shown
    text = run(tmp_path, "gen-cli-shape", "--seed", "5")
    assert f"answer: torch.Size([{n}, {m}])" in text.stdout
    assert f"explanation (zh): 得到 torch.Size([{n}, {m}])。" in text.stdout


def test_learner_and_attempt_give_the_derived_seed(tmp_path: Path) -> None:
    done = run(tmp_path, "gen-cli-shape", "--learner", "abc", "--attempt", "2", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["seed"] == derive_seed("abc", "gen-cli-shape", 2)


def test_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    missing = run(tmp_path, "gen-cli-shape")
    assert missing.returncode == 2 and "give --seed" in missing.stderr
    unknown = run(tmp_path, "gen-nope", "--seed", "1")
    assert unknown.returncode == 2 and "no parametrised question 'gen-nope'" in unknown.stderr


def test_verify_instances_reports_the_seed_that_fails(tmp_path: Path) -> None:
    """`grader verify --instances N` on a file of parametrised questions: a shape that cannot
    broadcast for some draws is reported with the command reproducing it."""
    folder = course(tmp_path)
    generated = folder / "questions" / "generated" / "cli.yaml"
    generated.write_text(QUESTIONS.replace("torch.zeros({n}, 1)", "torch.zeros({n}, 2)"))
    env = {"GRADER_DATA_DIR": str(tmp_path / "data"), "GRADER_CACHE_DIR": str(tmp_path / "c")}
    args = ("verify", "--no-exercises", "--no-variants", "--instances", "6", str(generated))
    done = run_grader(*args, cwd=tmp_path, env=env)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert lines and all(
        line.startswith(f"{generated}:4: gen-cli-shape: seed ")
        and "the code raises RuntimeError" in line
        and "(reproduce: grader show gen-cli-shape --seed " in line
        for line in lines
    )
    assert 0 < len(lines) <= 6
    assert "verified 6 instances of 1 parametrised questions" in done.stderr


GRADIENT = """\
bank: gen-cli-grad
title: {zh: 梯度, en: Gradients}
questions:
  - id: gen-cli-grad
    type: numeric
    difficulty: 2
    tags: [autograd]
    tolerance: 0.001
    params:
      x0: {choice: [1.8]}
    prompt: {zh: "`x = {x0}`，`y = x ** 4`。`x.grad` 是多少？", en: "`x = {x0}`, `y = x ** 4`. What is `x.grad`?"}
    code: |
      import torch
      x = torch.tensor({x0}, requires_grad=True)
      (x ** 4).backward()
      answer = x.grad.item()
    explanation: {zh: "4·x³ = {answer}。", en: "4·x³ = {answer}."}
"""


def test_a_float32_answer_reads_rounded_in_the_explanation(tmp_path: Path) -> None:
    """torch computes 4 * 1.8**3 in float32 as 23.3279972076416: the learner's explanation cites
    23.328, the form the options of a `single` question use; the graded answer keeps the value."""
    folder = course(tmp_path)
    (folder / "questions" / "generated" / "grad.yaml").write_text(GRADIENT, encoding="utf-8")
    done = run(tmp_path, "gen-cli-grad", "--seed", "0", "--format", "json")
    assert done.returncode == 0, done.stderr
    question = json.loads(done.stdout)["question"]
    assert question["explanation"] == {"zh": "4·x³ = 23.328。", "en": "4·x³ = 23.328."}
    assert abs(question["answer"] - 23.328) < 1e-5


COLLAPSING = """\
bank: gen-cli-collapse
title: {zh: 折叠, en: Collapse}
questions:
  - id: gen-cli-collapse
    type: single
    difficulty: 1
    tags: [x]
    params:
      n: {int: [1, 4]}
    prompt: {zh: "{n} 的两倍？", en: "Twice {n}?"}
    code: |
      answer = 2 * {n}
    wrong_rules:
      - |
        answer = {n} + 2
      - |
        answer = 2 * {n} + 1
    explanation: {zh: "是 {answer}。", en: "It is {answer}."}
"""


def test_a_redrawn_instance_shows_the_values_it_was_drawn_with(tmp_path: Path) -> None:
    """n = 2 makes the first wrong rule the answer (2 options, not 3): such a seed's instance is
    a later draw, and `grader show` prints that draw's values (it printed the first draw's,
    which the prompt contradicted), computed and again from the cache."""
    from grader.bank.params import load_templates

    folder = course(tmp_path)
    path = folder / "questions" / "generated" / "collapse.yaml"
    path.write_text(COLLAPSING, encoding="utf-8")
    (template,) = load_templates(path).templates
    seed = next(s for s in range(100) if template.draw(s)["n"] == 2)
    first = run(tmp_path, "gen-cli-collapse", "--seed", str(seed), "--format", "json")
    assert first.returncode == 0, first.stderr
    shown = json.loads(first.stdout)
    n = int(shown["params"]["n"])
    assert n != 2 and shown["question"]["prompt"]["en"] == f"Twice {n}?"
    assert len(shown["question"]["options"]) == 3
    again = run(tmp_path, "gen-cli-collapse", "--seed", str(seed), "--format", "json")
    assert json.loads(again.stdout) == shown


def test_the_labels_follow_grader_lang(tmp_path: Path) -> None:
    """Under `grader --lang zh` the report's labels are Chinese (they were English whatever the
    language); the question's own texts are shown in both languages either way."""
    env = {"GRADER_DATA_DIR": str(tmp_path / "data"), "GRADER_CACHE_DIR": str(tmp_path / "c")}
    args = ("show", "gen-cli-shape", "--seed", "5", "--course", str(course(tmp_path)))
    zh = run_grader("--lang", "zh", *args, cwd=tmp_path, env=env)
    assert zh.returncode == 0, zh.stderr
    lines = zh.stdout.splitlines()
    assert lines[0] == "gen-cli-shape  随机种子 5  (code_output)"
    assert [line.split("：")[0] for line in lines if "：" in line][:3] == [
        "参数",
        "题干（en）",
        "题干（zh）",
    ]
    answer = next(line for line in lines if line.startswith("答案："))
    assert answer.startswith("答案：torch.Size([")
    assert any(line.startswith("解析（zh）：得到 torch.Size([") for line in lines)
    assert any(line.startswith("解析（en）：It gives torch.Size([") for line in lines)
    assert not any(line.startswith(("answer:", "params:", "prompt (")) for line in lines)
    en = run_grader("--lang", "en", *args, cwd=tmp_path, env=env)
    assert en.stdout.splitlines()[0] == "gen-cli-shape  seed 5  (code_output)"
    assert "\nanswer: torch.Size([" in en.stdout
