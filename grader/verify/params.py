"""Compute instances of parametrised questions by running their rendered code against torch.

One instance is a template (``grader.bank.params``) with the parameters of a seed filled in and
the answer that running the rendered ``code`` produced, in the same runner ``grader verify``
uses for ``code_output`` snippets (``_runner.py``: one warm interpreter, a fresh namespace per
snippet, CPU only):

- ``code_output``: the printed text;
- ``numeric``, ``true_false``, ``fill``: the value the code binds to ``answer``;
- ``single``: the value bound to ``answer``, and one distractor per wrong rule (a second snippet
  that models a typical mistake and binds ``answer`` too). A distractor equal to the answer (or
  to another distractor), or a wrong rule that raises, is dropped; an instance left without any
  distractor is redrawn (the same seed, the next draw), up to ``REDRAWS`` times.

Names in the template's ``computed:`` list are read back too, for the explanation. Every
instance is validated against the question model. Computed instances are cached as JSON, keyed
by (question content hash, seed, torch version), so the quiz app reads them without torch
(``grader.bank.params.cached_instance``).

This module never imports torch.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from grader.bank.bankfile import QUESTION_ADAPTER
from grader.bank.model import QuestionBase
from grader.bank.params import (
    GENERATED_FOLDER,
    ParamError,
    Template,
    Unsatisfiable,
    instance_fields,
    load_templates,
    render,
    store_instance,
    template_files,
)
from grader.bank.problems import Problem
from grader.verify.snippets import Block, Snippet, _block_lines, _judge_block, _run_job, _run_twice

__all__ = [
    "DEFAULT_INSTANCES",
    "REDRAWS",
    "Instance",
    "ParamsReport",
    "compute_instances",
    "verify_params",
]

DEFAULT_INSTANCES = 20
"""Instances ``grader verify`` computes per parametrised question."""
REDRAWS = 3
"""Draws tried per seed for a ``single`` question whose distractors all equal its answer."""
MARK = "\x00grader-params\x00"
"""Starts the line the trailer prints the bound values on."""
_LEFT = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
_TRAILER = """
def __grader_shown(value):
    import torch as __t
    if isinstance(value, __t.Size):
        return repr(tuple(value))
    if isinstance(value, __t.Tensor) and value.numel() == 1:
        value = value.item()
    if isinstance(value, float):
        value = round(value, 4)
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)
print({mark!r} + __import__("json").dumps({{
    name: [__grader_shown(globals()[name]), globals()[name] if isinstance(globals()[name], (bool, int, float)) else None]
    for name in {names!r} if name in globals()
}}))
"""


@dataclass(frozen=True)
class Instance:
    """One seed of one template: the question it renders to, or why there is none."""

    template: Template
    seed: int
    values: dict[str, Any]
    question: QuestionBase | None
    fields: dict[str, Any] | None
    problem: str | None
    """Why the instance failed (the code raised, every distractor equals the answer, a
    placeholder is left, the question model rejects it), or None."""


def _with_trailer(code: str, names: Sequence[str]) -> str:
    return code + "\n" + _TRAILER.format(mark=MARK, names=list(names))


def _split(stdout: str) -> tuple[str, dict[str, list[Any]]]:
    printed, _, tail = stdout.partition(MARK)
    values: dict[str, list[Any]] = json.loads(tail) if tail.strip() else {}
    return printed, values


def compute_instances(
    templates: Iterable[Template],
    seeds: Sequence[int],
    *,
    timeout: float = 10.0,
    cache_dir: Path | None = None,
    path: str = "<generated>",
) -> list[Instance]:
    """Every (template, seed) instance, computed in ONE warm interpreter; each is stored in
    ``cache_dir`` when given."""
    pairs = [(template, seed) for template in templates for seed in seeds]
    return compute_pairs(pairs, timeout=timeout, cache_dir=cache_dir, path=path)


def compute_pairs(
    pairs: Sequence[tuple[Template, int]],
    *,
    timeout: float = 10.0,
    cache_dir: Path | None = None,
    path: str = "<generated>",
) -> list[Instance]:
    """The instance of each (template, seed) pair, computed in ONE warm interpreter."""
    plans: list[tuple[int, Template, int, int, dict[str, Any], str]] = []
    jobs: list[Snippet] = []
    failed: list[Instance] = []
    for index, (template, seed) in enumerate(pairs):
        redraws = REDRAWS if template.type == "single" else 1
        for retry in range(redraws):
            try:
                values = template.draw(seed, retry)
                code = render(template.code, values)
                rules = [render(rule, values) for rule in template.wrong_rules]
            except (Unsatisfiable, ParamError) as exc:
                failed.append(Instance(template, seed, {}, None, None, str(exc)))
                break
            key = f"{template.id}@{seed}/{retry}#{index}"
            names = ["answer", *template.computed]
            jobs.append(Snippet(path, template.line, key, _with_trailer(code, names), ""))
            for n, rule in enumerate(rules):
                rule_code = _with_trailer(rule, ["answer"])
                jobs.append(Snippet(path, template.line, f"{key}#wrong{n}", rule_code, ""))
            plans.append((index, template, seed, retry, values, key))
    run = _run_job([jobs], seed=1, timeout=timeout, fork=False)[0] if jobs else None
    torch_version = str(run.versions.get("torch")) if run is not None else ""
    done: dict[int, Instance] = {}
    for index, template, seed, retry, values, key in plans:
        if index in done and done[index].problem is None:
            continue  # an earlier draw of this seed already gave an instance
        assert run is not None
        instance = _instance(template, seed, retry, values, key, run.done, run.failure)
        done[index] = instance
        if instance.problem is None and cache_dir is not None and instance.fields is not None:
            store_instance(cache_dir, template, seed, torch_version, instance.fields)
    return failed + list(done.values())


def _instance(
    template: Template,
    seed: int,
    retry: int,
    values: dict[str, Any],
    key: str,
    done: dict[str, dict[str, Any]],
    failure: str | None,
) -> Instance:
    wrong_keys = [f"{key}#wrong{n}" for n in range(len(template.wrong_rules))]

    def failed(message: str) -> Instance:
        return Instance(template, seed, values, None, None, message)

    record = done.get(key)
    if record is None:
        return failed(f"the code did not run ({failure or 'no result'})")
    if record.get("error"):
        return failed(f"the code raises {record['error']}")
    printed, bound = _split(str(record.get("stdout", "")))
    computed = {name: bound[name][0] for name in template.computed if name in bound}
    missing = [name for name in template.computed if name not in bound]
    if missing:
        return failed(f"the code does not bind {', '.join(missing)} (listed in computed:)")
    if template.type == "code_output":
        answer: Any = "\n".join(line.rstrip() for line in printed.rstrip().splitlines())
    elif "answer" not in bound:
        return failed("the code does not bind 'answer'")
    elif template.type in ("numeric", "true_false"):
        answer = bound["answer"][1]
        if answer is None:
            return failed(f"'answer' is {bound['answer'][0]!r}, not a number or a bool")
    else:
        answer = bound["answer"][0]
    # How the texts cite the answer: the trailer's rounded form (a float32 gradient as 11.664).
    cited = None if template.type == "code_output" else str(bound["answer"][0])
    distractors: list[str] = []
    for wrong in wrong_keys:
        rule = done.get(wrong)
        if rule is None or rule.get("error"):
            continue
        shown = _split(str(rule.get("stdout", "")))[1].get("answer", [None])[0]
        if shown is not None and shown != str(answer) and shown not in distractors:
            distractors.append(shown)
    if template.type == "single" and not distractors:
        return failed(f"every distractor equals the answer {answer!r} (draw {retry})")
    fields = instance_fields(template, values, answer, computed, distractors, seed, cited)
    left = sorted({m for text in _texts(fields) for m in _LEFT.findall(text)})
    if left:
        return failed(f"the rendering leaves {', '.join(left)}")
    try:
        question = QUESTION_ADAPTER.validate_python(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        return failed(f"the instance is not a valid question: {first['msg']}")
    return Instance(template, seed, values, question, fields, None)


def _texts(fields: dict[str, Any]) -> list[str]:
    found: list[str] = []
    for key in ("prompt", "explanation", "options", "hint", "hints"):
        value = fields.get(key)
        stack = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                found.append(item)
            elif isinstance(item, dict):
                stack.extend(v for k, v in item.items() if k in ("zh", "en"))
            elif isinstance(item, list):
                stack.extend(item)
    return found


@dataclass
class ParamsReport:
    """What ``grader verify`` found over the parametrised questions of some folders."""

    questions: int = 0
    instances: int = 0
    problems: list[Problem] = field(default_factory=list)
    blocks: int = 0
    """Verify blocks run (each twice, as for the other banks)."""

    def summary(self, lang: str = "en") -> str:
        """The summary line (stderr of ``grader verify``); in Chinese when ``lang`` is ``zh``."""
        if lang == "zh":
            blocks = f"和 {self.blocks} 个 verify 块" if self.blocks else ""
            return (
                f"已验证 {self.questions} 道参数化题目的 {self.instances} 个实例{blocks}："
                f"{len(self.problems)} 个问题"
            )
        blocks = f" and {self.blocks} verify blocks" if self.blocks else ""
        return (
            f"verified {self.instances} instances of {self.questions} parametrised "
            f"questions{blocks}: {len(self.problems)} problems"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "questions": self.questions,
            "instances": self.instances,
            "blocks": self.blocks,
            "problems": [str(p) for p in self.problems],
        }


def template_blocks(templates: Iterable[Template], path: Path) -> list[Block]:
    """The verify blocks with code of ``templates`` (read from ``path``), at their lines. A
    block's code is run as written: it shows the explanation's claim with numbers of its own."""
    lines = _block_lines(path)
    blocks = []
    for template in templates:
        raw = template.fields.get("verify")
        if not isinstance(raw, list):
            continue
        here = lines.get(template.id, [])
        for index, block in enumerate(raw):
            if not isinstance(block, dict) or not isinstance(block.get("code"), str):
                continue
            requires = block.get("requires") or ()
            blocks.append(
                Block(
                    str(path),
                    here[index] if index < len(here) else template.line,
                    template.id,
                    index,
                    block["code"],
                    block.get("output"),
                    block.get("raises"),
                    block.get("match"),
                    tuple(str(r) for r in requires),
                )
            )
    return blocks


def _check_blocks(blocks: Sequence[Block], timeout: float = 10.0) -> list[Problem]:
    """Run ``blocks`` twice, as ``grader verify`` runs a bank's (``grader.verify.snippets``)."""
    ((first, second),) = _run_twice([list(blocks)], timeout, jobs=2)
    problems: list[Problem] = []
    for block in blocks:
        judged = _judge_block(block, first, second)
        if not isinstance(judged, str):  # a str: skipped, a module it needs is not installed
            problems += judged
    return problems


def verify_params(
    folders: Iterable[Path], instances: int = DEFAULT_INSTANCES, cache_dir: Path | None = None
) -> ParamsReport:
    """Render and execute ``instances`` seeds (0, 1, ...) of every parametrised question in
    ``folder/generated/`` of each folder; every failing instance is a problem that names the
    seed reproducing it (``grader show ID --seed N``). Their verify blocks run too, twice, as
    the other banks' do, and report as theirs do (``path:line: id: verify[i]: ...``)."""
    report = ParamsReport()
    seeds = list(range(instances))
    files = []
    for folder in folders:
        if folder.is_file():  # a file of parametrised questions named on its own
            files.append(folder)
        else:
            files += template_files(folder.parent if folder.name == GENERATED_FOLDER else folder)
    for path in files:
        loaded = load_templates(path)
        report.problems += loaded.problems
        report.questions += len(loaded.templates)
        blocks = template_blocks(loaded.templates, path)
        if blocks:
            report.blocks += len(blocks)
            report.problems += _check_blocks(blocks)
        if not loaded.templates or not seeds:
            continue
        computed = compute_instances(loaded.templates, seeds, cache_dir=cache_dir, path=str(path))
        report.instances += len(computed)
        for instance in computed:
            if instance.problem is not None:
                message = (
                    f"seed {instance.seed}: {instance.problem} "
                    f"(reproduce: grader show {instance.template.id} --seed {instance.seed})"
                )
                report.problems.append(
                    Problem(str(path), instance.template.line, instance.template.id, message)
                )
    return report


def main(argv: Sequence[str]) -> int:
    """``python -m grader.verify.params QUESTIONS CACHE ID:SEED ...``: compute these instances
    into the cache, in one warm runner (the quiz's background worker)."""
    questions, cache, *pairs = argv
    wanted: dict[str, list[int]] = {}
    for pair in pairs:
        qid, _, seed = pair.rpartition(":")
        wanted.setdefault(qid, []).append(int(seed))
    templates = [t for path in template_files(questions) for t in load_templates(path).templates]
    todo = [(t, seed) for t in templates for seed in wanted.get(t.id, ())]
    compute_pairs(todo, cache_dir=Path(cache))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
