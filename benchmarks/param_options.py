"""Measurement: how many options the instances of every parametrised ``single`` question get.

Not a speed benchmark: a content measurement. For each ``single`` question of
``questions/generated/`` it computes ``--seeds`` instances (0, 1, ...) with the engine's own path
(``grader.verify.params.compute_instances``, one warm runner) and prints the distribution of their
option counts. It then runs the answer and every wrong rule of each seed's FIRST draw
(``Template.draw(seed)``, one more warm runner) and counts why distractors were lost: a rule whose
value equals the answer, one that equals an earlier rule's distractor, one that raises (rules
past a question's ``option_count - 1`` are fallbacks, so their losses may cost nothing). The
engine keeps the declared option count, so each question shows one count; ``draws`` says which
draw of each seed its instance came from (0 unless the first draws gave too few options).

Run: ``python benchmarks/param_options.py`` (``--seeds 50``, ``--questions DIR``, ``--json``).
For the engine and questions before option_count (commit 3ae3f15), with this script:
``git archive 3ae3f15 grader questions | tar -x -C /tmp/before`` and
``PYTHONPATH=/tmp/before python benchmarks/param_options.py --questions /tmp/before/questions``.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from grader.bank.params import load_templates, render, template_files
from grader.course import bundled_root
from grader.verify import params as engine
from grader.verify.snippets import Snippet, _run_job


def _first_draws(templates: list[Any], seeds: list[int]) -> dict[str, Counter[str]]:
    """Per question, why the wrong rules of each seed's first draw gave no new distractor."""
    jobs = []
    for template in templates:
        for seed in seeds:
            values = template.draw(seed)
            key = f"{template.id}@{seed}"
            jobs.append(
                Snippet(
                    "-", 0, key, engine._with_trailer(render(template.code, values), ["answer"]), ""
                )
            )
            for n, rule in enumerate(template.wrong_rules):
                code = engine._with_trailer(render(rule, values), ["answer"])
                jobs.append(Snippet("-", 0, f"{key}#{n}", code, ""))
    done = _run_job([jobs], seed=1, timeout=10.0, fork=False)[0].done

    def shown(key: str) -> str | None:
        record = done.get(key)
        if record is None or record.get("error"):
            return None
        return engine._split(str(record.get("stdout", "")))[1].get("answer", [None])[0]

    reasons: dict[str, Counter[str]] = {}
    for template in templates:
        counter: Counter[str] = Counter()
        for seed in seeds:
            key = f"{template.id}@{seed}"
            answer = shown(key)
            kept: dict[str, int] = {}  # distractor -> the rule that gave it first
            for n in range(len(template.wrong_rules)):
                value = shown(f"{key}#{n}")
                if value is None:
                    counter[f"rule {n} raises"] += 1
                elif value == answer:
                    counter[f"rule {n} = answer"] += 1
                elif value in kept:
                    counter[f"rule {n} = rule {kept[value]}"] += 1
                else:
                    kept[value] = n
        reasons[template.id] = counter
    return reasons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=50)
    parser.add_argument("--questions", type=Path, default=bundled_root() / "questions")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    templates = [
        t
        for path in template_files(args.questions)
        for t in load_templates(path).templates
        if t.type == "single"
    ]
    seeds = list(range(args.seeds))
    instances = engine.compute_instances(templates, seeds)
    counts: dict[str, Counter[str]] = {t.id: Counter() for t in templates}
    draws: dict[str, Counter[int]] = {t.id: Counter() for t in templates}
    for instance in instances:
        if instance.fields is None:
            counts[instance.template.id]["failed"] += 1
        else:
            counts[instance.template.id][str(len(instance.fields["options"]))] += 1
        draws[instance.template.id][getattr(instance, "draw", 0)] += 1
    reasons = _first_draws(templates, seeds)
    if args.json:
        print(
            json.dumps(
                {
                    t.id: {
                        "rules": len(t.wrong_rules),
                        "options": dict(counts[t.id]),
                        "draws": {str(k): v for k, v in sorted(draws[t.id].items())},
                        "first_draw_losses": dict(reasons[t.id]),
                    }
                    for t in templates
                },
                indent=2,
            )
        )
        return
    print(f"{len(seeds)} seeds per question; options: count -> instances (share)")
    for template in templates:
        shares = ", ".join(
            f"{k}: {v} ({v / len(seeds):.0%})" for k, v in sorted(counts[template.id].items())
        )
        used = ", ".join(f"{k}: {v}" for k, v in sorted(draws[template.id].items()))
        print(f"{template.id}  ({len(template.wrong_rules)} wrong rules)")
        print(f"  options  {shares}")
        print(f"  draws    {used}")
        lost = ", ".join(f"{k}: {v}" for k, v in sorted(reasons[template.id].items()))
        print(f"  first-draw losses  {lost or 'none'}")


if __name__ == "__main__":
    main()
