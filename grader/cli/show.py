"""``grader show``: one instance of a parametrised question, reproduced from its seed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from grader.cli.options import course_option, data_dir_option, format_option
from grader.i18n import Text


@click.command()
@click.argument("question_id")
@click.option("--seed", type=click.IntRange(min=0), default=None, help="The instance's seed.")
@click.option(
    "--learner",
    default=None,
    help="A learner's id (with --attempt): the seed is derived from learner, question and "
    "attempt, as the quiz does.",
)
@click.option("--attempt", type=click.IntRange(min=0), default=None, help="The attempt number.")
@course_option
@data_dir_option
@format_option()
def show(
    question_id: str,
    seed: int | None,
    learner: str | None,
    attempt: int | None,
    course: Path | None,
    data_dir: str | None,
    fmt: str,
) -> None:
    """Show one instance of the parametrised question QUESTION_ID: its parameters, prompt
    (Chinese and English), code, options, computed answer and explanation.

    Give --seed (what `grader verify` reports), or --learner and --attempt (the seed is then
    derived with SHA-256, exactly as the quiz derives it). The answer is computed by running the
    rendered code against the installed torch, unless the instance is already in the cache.
    Exit status: 0 shown, 1 the instance fails, 2 bad arguments or an unknown question.
    """
    from grader.bank.params import cached_entry, derive_seed, find_template
    from grader.course import resolve_course
    from grader.errors import UsageError
    from grader.i18n import say
    from grader.study.paths import instance_cache_dir

    if seed is None and (learner is None or attempt is None):
        raise UsageError(say(_ERRORS["which"]))
    if seed is not None and (learner is not None or attempt is not None):
        raise UsageError(say(_ERRORS["both"]))
    active = resolve_course(course)
    template, problems = find_template(active.questions, question_id)
    if template is None:
        if problems:
            raise UsageError("\n".join(str(p) for p in problems))
        where = f"{active.questions}/generated/"
        raise UsageError(say(_ERRORS["unknown"], id=question_id, where=where))
    if seed is None:
        assert learner is not None and attempt is not None
        seed = derive_seed(learner, question_id, attempt)
    cache = instance_cache_dir(active.key, data_dir)
    entry = cached_entry(cache, template, seed)
    fields: dict[str, Any] | None
    problem = None
    if entry is not None:
        fields, draw = entry
    else:
        from grader.verify.params import compute_instances

        (instance,) = compute_instances([template], [seed], cache_dir=cache)
        fields, problem, draw = instance.fields, instance.problem, instance.draw
    values = _values(template, seed, draw)  # a redrawn single shows the values it was drawn with
    if fmt == "json":
        payload = {"id": question_id, "seed": seed, "params": values, "question": fields}
        click.echo(json.dumps({**payload, "problem": problem}, ensure_ascii=False, indent=2))
    elif fields is not None:
        click.echo(_text(question_id, seed, values, fields))
    if problem is not None:
        click.echo(f"{question_id}: seed {seed}: {problem}", err=True)
        raise SystemExit(1)


def _values(template: Any, seed: int, draw: int) -> dict[str, str]:
    from grader.bank.params import format_value

    try:
        return {k: format_value(v) for k, v in template.draw(seed, draw).items()}
    except ValueError:
        return {}


_ERRORS = {
    "which": Text(
        zh="请给出 --seed，或者同时给出 --learner 和 --attempt",
        en="give --seed, or both --learner and --attempt",
    ),
    "both": Text(
        zh="--seed 与 --learner/--attempt 只能给出一种",
        en="give --seed or --learner/--attempt, not both",
    ),
    "unknown": Text(
        zh="{where} 中没有参数化题目 '{id}'", en="no parametrised question '{id}' in {where}"
    ),
}
"""The usage errors of `grader show`, in the language of `grader --lang`."""
_LABELS = {
    "seed": Text(zh="随机种子", en="seed"),
    "params": Text(zh="参数：", en="params: "),
    "prompt": Text(zh="题干（{lang}）：", en="prompt ({lang}): "),
    "code": Text(zh="代码：", en="code:"),
    "answer": Text(zh="答案：", en="answer: "),
    "explanation": Text(zh="解析（{lang}）：", en="explanation ({lang}): "),
}
"""The labels of the text report, in the language of `grader --lang` (the question's own texts
are shown in both)."""


def _text(question_id: str, seed: int, values: dict[str, Any], fields: dict[str, Any]) -> str:
    from grader.i18n import default_lang

    label = {key: text.get(default_lang()) for key, text in _LABELS.items()}
    lines = [f"{question_id}  {label['seed']} {seed}  ({fields['type']})"]
    lines.append(label["params"] + ", ".join(f"{k} = {v}" for k, v in values.items()))
    for lang in ("en", "zh"):
        lines.append(label["prompt"].format(lang=lang) + fields["prompt"][lang])
    if "code" in fields:
        code = str(fields["code"]).rstrip().splitlines()
        lines += [label["code"], *("    " + line for line in code)]
    if "options" in fields:
        for n, option in enumerate(fields["options"]):
            mark = "*" if n == fields["answer"] else " "
            lines.append(f"  {mark} {chr(ord('A') + n)}. {option['en']}")
    answer = fields["answer"]
    shown = fields["options"][answer]["en"] if "options" in fields else answer
    lines.append(f"{label['answer']}{shown}")
    for lang in ("en", "zh"):
        lines.append(label["explanation"].format(lang=lang) + fields["explanation"][lang])
    return "\n".join(lines)
