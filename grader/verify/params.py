"""Compute instances of parametrised questions by running their rendered code against torch.

One instance is a template (``grader.bank.params``) with the parameters of a seed filled in and
the answer that running the rendered ``code`` produced, in the same runner ``grader verify``
uses for ``code_output`` snippets (``_runner.py``: one warm interpreter, a fresh namespace per
snippet, CPU only):

- ``code_output``: the printed text;
- ``numeric``, ``true_false``, ``fill``: the value the code binds to ``answer``;
- ``single``: the value bound to ``answer``, and the distractors of the wrong rules (each a
  second snippet that models a typical mistake and binds ``answer`` too). Every instance has the
  template's ``option_count`` options: the answer and the first ``option_count - 1`` distinct
  distractors in the order of the wrong rules. A distractor equal to the answer or to an earlier
  distractor, or a wrong rule that raises, gives none; a draw left with too few is redrawn (the
  same seed, the next draw: ``Template.draw(seed, 1)``, ...), and the seed's instance is its
  first draw that has them, so it is the same on every run. No such draw in ``REDRAWS`` is a
  problem of that seed.

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
    cached_instance,
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
REDRAWS = 10
"""Draws tried per seed for a ``single`` question whose draws give too few distinct options."""
_ROUND = 3
"""Redraws computed at once, for the instances still short, after the first draws (each round
starts one more warm interpreter: a draw that falls short is rare in the bundled questions)."""
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
    """Why the instance failed (the code raised, no draw gave ``option_count`` distinct
    options, a placeholder is left, the question model rejects it), or None."""
    draw: int = 0
    """The draw of the seed the values come from (``Template.draw(seed, draw)``): above 0 when
    the earlier draws of a ``single`` question gave too few distinct options."""


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
    """The instance of each (template, seed) pair, computed in one warm interpreter (and, for
    the ``single`` draws that give too few distinct options, one more per round of redraws)."""
    results: dict[int, Instance] = {}
    firsts: dict[int, Instance] = {}  # the first draw of a seed that falls short, for its report
    pending = dict.fromkeys(range(len(pairs)), 0)  # pair -> the next draw to compute
    torch_version = ""
    while pending:
        draws = {
            index: range(start, min(REDRAWS, start + (_ROUND if start else 1)))
            for index, start in pending.items()
        }
        outcome, version = _compute_draws(pairs, draws, timeout, path)
        torch_version = torch_version or version
        pending = {}
        for index, retries in draws.items():
            for retry in retries:
                instance, short = outcome[(index, retry)]
                if not short:  # the first draw that is not short is the seed's instance
                    results[index] = instance
                    break
                firsts.setdefault(index, instance)
            else:
                if retries.stop < REDRAWS:
                    pending[index] = retries.stop
                    continue
                template, seed = pairs[index]
                first = firsts[index]
                problem = (
                    f"none of the {REDRAWS} draws of this seed gives option_count "
                    f"{template.option_count} distinct options (draw 0: {first.problem})"
                )
                results[index] = Instance(template, seed, first.values, None, None, problem)
    for index in range(len(pairs)):
        instance = results[index]
        if instance.problem is None and cache_dir is not None and instance.fields is not None:
            template, seed = pairs[index]
            store_instance(cache_dir, template, seed, torch_version, instance.fields, instance.draw)
    return [results[index] for index in range(len(pairs))]


def _compute_draws(
    pairs: Sequence[tuple[Template, int]],
    draws: dict[int, range],
    timeout: float,
    path: str,
) -> tuple[dict[tuple[int, int], tuple[Instance, bool]], str]:
    """Each asked draw of each pair, run in ONE warm interpreter: (pair, draw) -> (its instance,
    whether it failed only for too few distinct options); and the runner's torch version."""
    outcome: dict[tuple[int, int], tuple[Instance, bool]] = {}
    plans: list[tuple[int, int, dict[str, Any], str]] = []
    jobs: list[Snippet] = []
    for index, retries in draws.items():
        template, seed = pairs[index]
        for retry in retries:
            try:
                values = template.draw(seed, retry)
                code = render(template.code, values)
                rules = [render(rule, values) for rule in template.wrong_rules]
            except (Unsatisfiable, ParamError) as exc:
                broken = Instance(template, seed, {}, None, None, str(exc), retry)
                outcome[(index, retry)] = (broken, False)
                continue
            key = f"{template.id}@{seed}/{retry}#{index}"
            names = ["answer", *template.computed]
            jobs.append(Snippet(path, template.line, key, _with_trailer(code, names), ""))
            for n, rule in enumerate(rules):
                rule_code = _with_trailer(rule, ["answer"])
                jobs.append(Snippet(path, template.line, f"{key}#wrong{n}", rule_code, ""))
            plans.append((index, retry, values, key))
    run = _run_job([jobs], seed=1, timeout=timeout, fork=False)[0] if jobs else None
    for index, retry, values, key in plans:
        assert run is not None
        template, seed = pairs[index]
        outcome[(index, retry)] = _instance(
            template, seed, retry, values, key, run.done, run.failure
        )
    version = str(run.versions.get("torch")) if run is not None else ""
    return outcome, version


def _instance(
    template: Template,
    seed: int,
    retry: int,
    values: dict[str, Any],
    key: str,
    done: dict[str, dict[str, Any]],
    failure: str | None,
) -> tuple[Instance, bool]:
    """The instance of one draw, and whether it failed only for too few distinct options."""
    wrong_keys = [f"{key}#wrong{n}" for n in range(len(template.wrong_rules))]

    def failed(message: str, short: bool = False) -> tuple[Instance, bool]:
        return Instance(template, seed, values, None, None, message, retry), short

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
    distractors: dict[str, int] = {}  # distinct distractor -> the wrong rule that gave it
    lost: list[str] = []  # why a wrong rule gave no distractor, for the report
    for n, wrong in enumerate(wrong_keys):
        rule = done.get(wrong)
        if rule is None or rule.get("error"):
            lost.append(
                f"wrong rule {n} raises {rule['error']}" if rule else f"wrong rule {n} did not run"
            )
            continue
        shown = _split(str(rule.get("stdout", "")))[1].get("answer", [None])[0]
        if shown is None:
            lost.append(f"wrong rule {n} does not bind 'answer'")
        elif shown == str(answer):
            lost.append(f"wrong rule {n} equals the answer {shown}")
        elif shown in distractors:
            lost.append(f"wrong rule {n} equals wrong rule {distractors[shown]}")
        else:
            distractors[shown] = n
    if template.type == "single" and len(distractors) < template.option_count - 1:
        got = 1 + len(distractors)
        return failed(f"{got} distinct option{'s' * (got > 1)}: {', '.join(lost)}", short=True)
    kept = list(distractors)[: max(template.option_count - 1, 0)]
    fields = instance_fields(template, values, answer, computed, kept, seed, cited)
    left = sorted({m for text in _texts(fields) for m in _LEFT.findall(text)})
    if left:
        return failed(f"the rendering leaves {', '.join(left)}")
    try:
        question = QUESTION_ADAPTER.validate_python(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        return failed(f"the instance is not a valid question: {first['msg']}")
    return Instance(template, seed, values, question, fields, None, retry), False


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


PRECOMPUTE_LOCK = "precompute.lock"
"""The file in the cache folder that one background worker at a time holds (``flock``)."""


def main(argv: Sequence[str]) -> int:
    """``python -m grader.verify.params QUESTIONS CACHE ID:SEED ...``: compute these instances
    into the cache, in one warm runner (the quiz's background worker).

    One worker computes at a time: a second one (the app launched again, a second tab of
    ``grader serve``) waits for the first, then computes only what is still not cached, so two
    launches never run two copies of torch for the same instances."""
    questions, cache, *pairs = argv
    wanted: dict[str, list[int]] = {}
    for pair in pairs:
        qid, _, seed = pair.rpartition(":")
        wanted.setdefault(qid, []).append(int(seed))
    cache_dir = Path(cache)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(cache_dir / PRECOMPUTE_LOCK, "a+b") as lock:
        try:
            import fcntl
        except ImportError:  # Windows: no flock; two workers may then overlap, which is only slower
            pass
        else:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        templates = [
            t for path in template_files(questions) for t in load_templates(path).templates
        ]
        todo = [
            (t, seed)
            for t in templates
            for seed in wanted.get(t.id, ())
            if cached_instance(cache_dir, t, seed) is None
        ]
        if todo:
            compute_pairs(todo, cache_dir=cache_dir)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
