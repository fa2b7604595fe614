"""Every instance of a parametrised ``single`` question has the same number of options (its
``option_count``), so that students facing the same item in a class exam have the same odds of
guessing: the bundled questions reach their count for every seed, and a template whose wrong
rules agree for some parameters is redrawn, deterministically, to keep it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from grader.bank.params import cached_entry, load_templates, template_files
from grader.verify.params import Instance, compute_pairs

QUESTIONS = Path(__file__).resolve().parents[2] / "questions"
SEEDS = range(8)

COLLAPSING = """\
bank: gen-collapse
title: {zh: 折叠, en: Collapse}
questions:
  - id: gen-collapse
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
        answer = 2 * {n} + 1 if {n} > 1 else 3
    explanation: {zh: "是 {answer}。", en: "It is {answer}."}
"""
"""For n = 1 both wrong rules give 3 (one distractor); for n = 2 the first gives the answer, 4
(one distractor); n = 3 and n = 4 give two distinct distractors."""


def _singles() -> list[Any]:
    templates = []
    for path in template_files(QUESTIONS):
        loaded = load_templates(path)
        assert loaded.problems == []
        templates += [t for t in loaded.templates if t.type == "single"]
    return templates


def _collapsing(tmp_path: Path, extra: str = "") -> Any:
    path = tmp_path / "collapse.yaml"
    path.write_text(COLLAPSING + extra, encoding="utf-8")
    loaded = load_templates(path)
    assert loaded.problems == []
    (template,) = loaded.templates
    return template


def _options(instance: Instance) -> list[str]:
    assert instance.problem is None and instance.question is not None, instance.problem
    return [o.en for o in instance.question.options]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Eight seeds of every bundled single and of the collapsing template, in one call (one warm
    runner, and one more per round of redraws)."""
    tmp_path = tmp_path_factory.mktemp("options")
    template = _collapsing(tmp_path)
    singles = _singles()
    pairs = [(t, seed) for t in [*singles, template] for seed in SEEDS]
    cache = tmp_path / "cache"
    instances = compute_pairs(pairs, cache_dir=cache)
    return {"singles": singles, "template": template, "instances": instances, "cache": cache}


def test_every_bundled_single_has_its_option_count_for_every_seed(computed: dict) -> None:
    """The bundled singles: every seed gives ``option_count`` distinct options (before, a seed
    of gen-broadcast-mul-shape-single could give 2 options and another 3)."""
    by_id: dict[str, list[Instance]] = {}
    for instance in computed["instances"]:
        by_id.setdefault(instance.template.id, []).append(instance)
    assert len(computed["singles"]) >= 8
    for template in computed["singles"]:
        counts = set()
        for instance in by_id[template.id]:
            options = _options(instance)
            assert len(set(options)) == len(options), (template.id, instance.seed, options)
            counts.add(len(options))
        assert counts == {template.option_count}, (template.id, counts)
        assert template.option_count >= 3, template.id


def test_a_collapsing_draw_is_redrawn_to_keep_the_count(computed: dict, tmp_path: Path) -> None:
    """Seeds whose first draw is n = 1 or n = 2 (too few distinct distractors) get a later draw
    of the same seed with 3 options; the others keep their first draw. The choice is the same
    in another run, in another order, and the cache records the draw."""
    template = computed["template"]
    mine = [i for i in computed["instances"] if i.template is template]
    short = [seed for seed in SEEDS if template.draw(seed)["n"] in (1, 2)]
    assert 0 < len(short) < len(SEEDS)  # the seeds exercise both paths
    for instance in mine:
        assert len(_options(instance)) == 3 == template.option_count
        assert instance.values == template.draw(instance.seed, instance.draw)
        assert instance.values["n"] in (3, 4)
        assert (instance.draw > 0) == (instance.seed in short), instance
        assert cached_entry(computed["cache"], template, instance.seed) == (
            instance.fields,
            instance.draw,
        )
        answer = instance.fields["answer"] if instance.fields else None
        assert _options(instance)[answer] == str(2 * instance.values["n"])

    again = compute_pairs([(template, seed) for seed in reversed(SEEDS)])
    assert [(i.seed, i.draw, i.fields) for i in reversed(again)] == [
        (i.seed, i.draw, i.fields) for i in mine
    ]

    # Declaring fewer options than rules: no draw falls short, no redraw; distractors that
    # agree with each other (n = 1: 3 and 3) count once.
    fewer = _collapsing(tmp_path, "    option_count: 2\n")
    assert fewer.option_count == 2
    for instance in compute_pairs([(fewer, seed) for seed in SEEDS]):
        assert instance.draw == 0 and len(_options(instance)) == 2
