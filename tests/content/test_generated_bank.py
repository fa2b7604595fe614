"""The parametrised questions of questions/generated/: they load, cover the issue's topics in both
languages, and a few instances of each compute cleanly in ONE warm runner; `grader verify`'s
instance check catches code that raises, a single question no draw of a seed gives its
option count, and text that the question model rejects, each with the seed that reproduces it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from cli_support import run_grader

from grader.bank.params import load_templates, template_files
from grader.verify.params import compute_instances, verify_params

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
CJK = re.compile(r"[\u4e00-\u9fff]")
TOPICS = {
    "broadcasting": "broadcasting",
    "view/reshape/permute": ("view", "reshape", "permute"),
    "indexing": "indexing",
    "dtype promotion": "type-promotion",
    "gradient values": "gradient",
    "parameter counts": "parameters",
    "conv output sizes": ("nn.Conv2d", "nn.Conv1d", "nn.ConvTranspose2d"),
    "DataLoader batch counts": "DataLoader",
}


def _templates() -> list:
    found = []
    for path in template_files(QUESTIONS):
        loaded = load_templates(path)
        assert loaded.problems == []
        found += loaded.templates
    return found


def test_at_least_forty_bilingual_questions_over_every_topic() -> None:
    templates = _templates()
    assert len(templates) >= 40
    for template in templates:
        for key in ("prompt", "explanation"):
            text = template.fields[key]
            assert CJK.search(text["zh"]), (template.id, key)
            assert not CJK.search(text["en"]), (template.id, key)
    for topic, tags in TOPICS.items():
        wanted = (tags,) if isinstance(tags, str) else tags
        count = sum(any(t in template.fields["tags"] for t in wanted) for template in templates)
        assert count >= 3, topic
    registered = set((QUESTIONS / "ids.txt").read_text(encoding="utf-8").split())
    assert {t.id for t in templates} <= registered


def _readme_templates(tmp_path: Path) -> list:
    """The three examples of questions/README.md, "Parametrised questions"."""
    text = (QUESTIONS / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml params\n(.*?)```", text, re.S)
    assert len(blocks) == 3
    body = "".join(f"  {line}\n" for block in blocks for line in block.splitlines())
    path = tmp_path / "readme.yaml"
    path.write_text("bank: readme\ntitle: {zh: 示例, en: Examples}\nquestions:\n" + body)
    loaded = load_templates(path)
    assert loaded.problems == []
    assert {t.type for t in loaded.templates} == {"code_output", "numeric", "single"}
    return loaded.templates


def test_two_instances_of_every_question_compute_in_one_runner(tmp_path: Path) -> None:
    """Seeds 0 and 1 of every question and of the README's examples, in one interpreter (CI's
    share of `verify --instances`)."""
    templates = _templates() + _readme_templates(tmp_path)
    cache = tmp_path / "cache"
    instances = compute_instances(templates, [0, 1], cache_dir=cache)
    assert [i.problem for i in instances if i.problem] == []
    assert len(instances) == 2 * len(templates)
    (pooled, *_) = [i for i in instances if i.template.id == "gen-conv-pool-stack"]
    assert pooled.fields is not None
    c, h = pooled.values["c"], pooled.values["h"]
    assert (
        f"the pooled shape is (2, {c}, {h // 2}, {h // 2});" in pooled.fields["explanation"]["en"]
    )
    singles = [i for i in instances if i.template.type == "single"]
    assert singles
    for instance in singles:
        assert instance.question is not None
        options = [o.en for o in instance.question.options]  # type: ignore[attr-defined]
        assert len(options) == len(set(options)) >= 2
    keys = {(i.template.content_hash, i.seed) for i in instances}  # one README copy is identical
    assert len(list(cache.glob("*.json"))) == len(keys) > len(instances) - 3


BAD = """\
bank: gen-bad
title: {zh: 坏题, en: Bad}
questions:
  - id: gen-raises-sometimes
    type: numeric
    difficulty: 1
    tags: [x]
    params:
      n: {int: [0, 1]}
    prompt: {zh: "n = {n}，答案？", en: "n = {n}: the answer?"}
    code: |
      answer = 1 / {n}
    explanation: {zh: "是 {answer}。", en: "It is {answer}."}
  - id: gen-no-distractor
    type: single
    difficulty: 1
    tags: [x]
    params:
      n: {int: [2, 3]}
    prompt: {zh: "{n} 的平方？", en: "The square of {n}?"}
    code: |
      answer = {n} ** 2
    wrong_rules:
      - |
        answer = {n} * {n}
    explanation: {zh: "是 {answer}。", en: "It is {answer}."}
  - id: gen-escaped-placeholder
    type: numeric
    difficulty: 1
    tags: [x]
    params:
      n: {int: [2, 3]}
    prompt: {zh: "{{n}} 是多少？", en: "What is {{n}}?"}
    code: |
      answer = {n}
    explanation: {zh: "是 {answer}。", en: "It is {answer}."}
"""


@pytest.fixture
def bad_course(tmp_path: Path) -> Path:
    questions = tmp_path / "questions"
    (questions / "generated").mkdir(parents=True)
    (questions / "generated" / "bad.yaml").write_text(BAD, encoding="utf-8")
    return questions


def test_verify_reports_each_failing_instance_with_its_seed(bad_course: Path) -> None:
    report = verify_params([bad_course], instances=8)
    shown = sorted(str(p) for p in report.problems)
    assert report.questions == 3 and report.instances == 24
    raising = [p for p in shown if "gen-raises-sometimes" in p]
    assert raising and all("the code raises ZeroDivisionError" in p for p in raising)
    assert all(
        re.search(r"seed \d+: .*grader show gen-raises-sometimes --seed \d+", p) for p in raising
    )
    assert len(raising) == 1  # n = 1 works: only seed 6 draws n = 0
    assert "seed 6: " in raising[0]
    no_distractor = [p for p in shown if "gen-no-distractor" in p]
    assert len(no_distractor) == 8
    assert all(
        "none of the 10 draws of this seed gives option_count 2 distinct options (draw 0: 1 "
        "distinct option: wrong rule 0 equals the answer " in p
        for p in no_distractor
    ), no_distractor
    left = [p for p in shown if "gen-escaped-placeholder" in p]
    assert len(left) == 8 and all("the rendering leaves {n}" in p for p in left)


CLAIMS = """\
bank: gen-claims
title: {zh: 断言, en: Claims}
questions:
  - id: gen-claim-unverified
    type: numeric
    difficulty: 1
    tags: [x]
    params:
      n: {int: [2, 3]}
    prompt: {zh: "`torch.zeros({n}).numel()` 是多少？", en: "What is `torch.zeros({n}).numel()`?"}
    code: |
      import torch
      answer = torch.zeros({n}).numel()
    explanation:
      zh: "是 {answer} 。形状不对时 `view` 会抛出 RuntimeError。"
      en: "It is {answer}. With a wrong shape, `view` raises a RuntimeError."
  - id: gen-claim-verified
    type: numeric
    difficulty: 1
    tags: [x]
    params:
      n: {int: [2, 3]}
    prompt: {zh: "`torch.zeros({n}).view(-1).numel()` 是多少？", en: "What is `torch.zeros({n}).view(-1).numel()`?"}
    code: |
      import torch
      answer = torch.zeros({n}).view(-1).numel()
    explanation:
      zh: "是 {answer}。`view` 不复制数据。"
      en: "It is {answer}. `view` does not copy the data."
    verify:
      - claim: view shares the storage
        code: |
          import torch
          x = torch.zeros(4)
          print(x.view(2, 2).data_ptr() == x.data_ptr())
        output: "True"
      - claim: a wrong claim, that view copies
        code: |
          import torch
          x = torch.zeros(4)
          print(x.view(2, 2).data_ptr() == x.data_ptr())
        output: "False"
"""


def test_validate_lints_the_generated_files(tmp_path: Path) -> None:
    """`grader validate` runs the bank lints (claims, typography, seed citations) over
    questions/generated/, whether it is given the questions folder or the file on its own."""
    questions = tmp_path / "questions"
    shutil.copytree(QUESTIONS.parent / "tests" / "data" / "banks" / "good" / "questions", questions)
    (questions / "generated").mkdir()
    (questions / "generated" / "claims.yaml").write_text(CLAIMS, encoding="utf-8")
    with (questions / "ids.txt").open("a", encoding="utf-8") as registry:
        registry.write("gen-claim-unverified\ngen-claim-verified\n")
    where = "questions/generated/claims.yaml"
    env = {"GRADER_CACHE_DIR": str(tmp_path / "cache")}
    summaries = {
        # all_types.yaml and the parametrised file, a bank of its own as in `grader list` (the
        # summary said "1 bank (14 questions)" and, for the file alone, "0 banks (2 questions)")
        "questions": "4 problems in 2 banks (14 questions)",
        where: "2 problems in 1 bank (2 questions)",
    }
    for target in ("questions", where):
        done = run_grader("validate", target, cwd=tmp_path, env=env)
        assert done.returncode == 1, done.stdout
        assert done.stderr.startswith(summaries[target]), done.stderr
        lines = [line for line in done.stdout.splitlines() if line.startswith(where)]
        assert [line.split(": ")[1] for line in lines] == ["gen-claim-unverified"] * 2, lines
        assert lines[0] == (
            f"{where}:15: gen-claim-unverified: explanation (zh): space beside full-width '。' "
            "in '…{answer} 。形状不对时 `…'; delete the space (Chinese puts no space beside "
            "full-width punctuation)"
        )
        assert lines[1] == (
            f"{where}:15: gen-claim-unverified: explanation (zh) claims an error ('抛出') but "
            "the question has no 'verify' block: add one whose code shows it (questions/README.md, "
            '"Verified claims")'
        )


def test_verify_runs_the_verify_blocks_of_generated_questions(tmp_path: Path) -> None:
    """The verify blocks of a parametrised question run as a bank's do: a wrong one is reported
    at its line; the bundled ones (the explanations that claim an error or no copy) pass on the
    installed torch."""
    path = tmp_path / "generated" / "claims.yaml"
    path.parent.mkdir()
    path.write_text(CLAIMS, encoding="utf-8")
    report = verify_params([path], instances=1)
    assert report.blocks == 2
    assert [str(p) for p in report.problems] == [
        f"{path}:37: gen-claim-verified: verify[1]: expected 'False' got 'True'"
    ]
    bundled = verify_params([QUESTIONS], instances=0)
    assert bundled.blocks >= 3 and [str(p) for p in bundled.problems] == []

    # `grader verify --instances 0` renders no instance but still runs the blocks
    done = run_grader(
        "verify", str(path.parent), "--no-exercises", "--no-variants", "--instances", "0",
        cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert f"{path}:37: gen-claim-verified: verify[1]: expected 'False' got 'True'" in done.stdout
    assert "verified 0 instances" in done.stderr and "2 verify blocks" in done.stderr, done.stderr


def test_the_bundled_generated_files_pass_the_bank_lints() -> None:
    """What `grader validate` reports of questions/generated/: nothing (every explanation that
    claims an error or no copy has a verify block, tested above to pass)."""
    from grader.validate import validate_paths

    report = validate_paths([QUESTIONS / "generated" / p.name for p in template_files(QUESTIONS)])
    assert [str(p) for p in report.problems] == [] and report.questions >= 40


def test_a_waiver_a_generated_bank_no_longer_needs_is_a_warning(tmp_path: Path) -> None:
    """A parametrised bank listed in verify_pending.txt whose claims all have verify blocks is
    named, as an ordinary bank is, so that the rule applies to it again."""
    questions = tmp_path / "questions"
    shutil.copytree(QUESTIONS.parent / "tests" / "data" / "banks" / "good" / "questions", questions)
    (questions / "generated").mkdir()
    verified_only = CLAIMS.split("  - id: gen-claim-unverified")[0] + (
        "  - id: gen-claim-verified" + CLAIMS.split("  - id: gen-claim-verified")[1]
    )
    (questions / "generated" / "claims.yaml").write_text(verified_only, encoding="utf-8")
    registry = questions / "ids.txt"
    comments, ids = [], ["gen-claim-verified"]
    for line in registry.read_text(encoding="utf-8").splitlines():
        (comments if line.startswith("#") or not line.strip() else ids).append(line)
    registry.write_text("\n".join([*comments, *sorted(ids)]) + "\n", encoding="utf-8")
    (questions / "verify_pending.txt").write_text("gen-claims\n", encoding="utf-8")
    env = {"GRADER_CACHE_DIR": str(tmp_path / "cache")}
    for target in ("questions", "questions/generated/claims.yaml"):
        done = run_grader("validate", target, cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stdout
        assert done.stdout.splitlines() == [
            "questions/verify_pending.txt: -: warning: bank 'gen-claims' is listed in "
            "questions/verify_pending.txt but every claim in it has a verify block: remove it "
            "from the list, so that the rule applies"
        ], done.stdout
