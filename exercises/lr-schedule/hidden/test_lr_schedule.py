"""Hidden checks for lr-schedule: linear warmup then cosine decay, as a function and a scheduler.

The factor checks compare lr_factor with the formula, piece by piece. The scheduler checks compare
the learning rates of an optimizer kept in the executor (the one the learner's scheduler drives,
read back after every step) with the formula. The two wiring checks each have a second, simpler
schedule (no warmup, min_factor 0, not past total_steps) that they judge on when the learner's
lr_factor is wrong on the first, so a mistake in one piece of the formula does not also cost the
wiring points; the verdict always rests on the check's own reference. That the scheduler is an
LRScheduler only the executor can say, so it is not graded: the public check
test_scheduler_is_lr_scheduler reports it.
"""

from __future__ import annotations

import math

import pytest
import torch

from grader.checks import expect, fail, in_executor, is_remote, points, type_name


def reference(step, warmup, total, min_factor=0.0):
    if step < warmup:
        return step / warmup
    if step > total:
        return min_factor
    progress = (step - warmup) / (total - warmup)
    return min_factor + (1 - min_factor) * 0.5 * (1 + math.cos(math.pi * progress))


def check_factor(submission, step, warmup, total, min_factor=None):
    args = (step, warmup, total) if min_factor is None else (step, warmup, total, min_factor)
    call = "lr_factor(" + ", ".join(repr(a) for a in args) + ")"
    got = submission.lr_factor(*args)
    if type(got) is not float:
        fail(
            en=f"{call} should return a Python float, got {type(got).__name__} (use math.cos, not torch.cos)",
            zh=f"{call} 应返回 Python float，实际为 {type(got).__name__}（用 math.cos 而不是 torch.cos）",
        )
    want = reference(step, warmup, total, min_factor or 0.0)
    expect(
        abs(got - want) <= 1e-9,
        en=f"{call} should be {want:.6g}, got {got:.6g}",
        zh=f"{call} 应为 {want:.6g}，实际为 {got:.6g}",
    )


@points(2)
@pytest.mark.parametrize(
    "args", [(0, 4, 10), (1, 4, 10), (3, 4, 10), (2, 5, 20, 0.2), (1, 2, 6)], ids=str
)
def test_factor_warmup(submission, args):
    """During warmup the factor is step / warmup_steps: 0.0 at step 0, rising linearly."""
    check_factor(submission, *args)


@points(2)
@pytest.mark.parametrize(
    "args", [(4, 4, 10), (7, 4, 10), (3, 2, 6), (5, 2, 6), (10, 4, 10), (2, 2, 3)], ids=str
)
def test_factor_decay(submission, args):
    """From warmup_steps to total_steps: a half cosine from 1.0 (at the boundary) down to 0.0."""
    check_factor(submission, *args)


@points(1)
@pytest.mark.parametrize(
    "args", [(7, 4, 10, 0.1), (10, 4, 10, 0.1), (4, 4, 10, 0.1), (3, 2, 6, 0.25)], ids=str
)
def test_factor_min_factor(submission, args):
    """min_factor maps the cosine onto [min_factor, 1]: 1.0 after warmup, min_factor at the end."""
    check_factor(submission, *args)


@points(1)
@pytest.mark.parametrize("args", [(11, 4, 10), (15, 4, 10, 0.1), (25, 3, 10, 0.05)], ids=str)
def test_factor_after_total(submission, args):
    """After total_steps the factor stays at min_factor."""
    check_factor(submission, *args)


@points(1)
@pytest.mark.parametrize("args", [(0, 0, 10), (5, 0, 10), (10, 0, 10)], ids=str)
def test_factor_no_warmup(submission, args):
    """warmup_steps == 0: no warmup, the factor is 1.0 at step 0 and decays from there."""
    check_factor(submission, *args)


def make_optimizer(*lrs):
    params = [torch.nn.Parameter(torch.zeros(2)) for _ in lrs]
    return torch.optim.SGD([{"params": [p], "lr": lr} for p, lr in zip(params, lrs)], lr=lrs[0])


def group_lrs(optimizer, k):
    """Every param group's lr, read from the optimizer the learner's scheduler drives."""
    groups = optimizer.param_groups
    if type(groups) is not list or not all(type(g) is dict for g in groups):
        fail(
            en=f"after {k} scheduler steps the optimizer's param_groups are not a list of dicts",
            zh=f"调度器 step {k} 次之后，优化器的 param_groups 不是由字典组成的列表",
        )
    lrs = [g.get("lr") for g in groups]
    for i, lr in enumerate(lrs):
        if type(lr) is not float:
            fail(
                en=f"after {k} scheduler steps, param group {i}'s lr is a {type_name(lr)}, "
                "not a Python float (does lr_factor return a tensor?)",
                zh=f"调度器 step {k} 次之后，参数组 {i} 的 lr 是 {type_name(lr)}，不是 Python float"
                "（lr_factor 是不是返回了张量？）",
            )
    return lrs


def scheduled_lrs(submission, bases, warmup, total, min_factor, steps, *, as_example=False):
    """Every group's lr right after creation and after each of `steps` scheduler steps.

    With ``as_example`` the scheduler is made as the statement's example makes it:
    ``make_scheduler(optimizer, warmup_steps=..., total_steps=...)``, by keyword and without
    ``min_factor`` (so its default, 0.0, applies; ``min_factor`` is ignored). The optimizer is kept in the executor (a handle), so the learner's scheduler drives that very
    optimizer and the check reads its learning rates back after every step."""
    optimizer = in_executor(make_optimizer(*bases))
    if as_example:
        scheduler = submission.make_scheduler(optimizer, warmup_steps=warmup, total_steps=total)
    else:
        scheduler = submission.make_scheduler(optimizer, warmup, total, min_factor)
    if not is_remote(scheduler):
        fail(
            en=f"make_scheduler should return a torch.optim.lr_scheduler.LRScheduler (e.g. LambdaLR), "
            f"got {type_name(scheduler)}",
            zh=f"make_scheduler 应返回 torch.optim.lr_scheduler.LRScheduler（例如 LambdaLR），"
            f"实际为 {type_name(scheduler)}",
        )
    history = [group_lrs(optimizer, 0)]
    for k in range(1, steps + 1):
        optimizer.step()
        scheduler.step()
        history.append(group_lrs(optimizer, k))
    return history


def compare_history(history, bases, factor, label_en, label_zh):
    for k, lrs in enumerate(history):
        expect(
            len(lrs) == len(bases),
            en=f"{label_en}: after {k} steps the optimizer has {len(lrs)} param groups, not {len(bases)}",
            zh=f"{label_zh}：step {k} 次之后优化器有 {len(lrs)} 个参数组，而不是 {len(bases)} 个",
        )
        for i, (lr, base) in enumerate(zip(lrs, bases, strict=True)):
            want = base * factor(k)
            expect(
                abs(lr - want) <= 1e-9,
                en=f"after {k} scheduler steps, param group {i} (initial lr {base}) should have "
                f"lr {want:.6g} ({label_en}), got {lr:.6g}",
                zh=f"调度器 step {k} 次之后，参数组 {i}（初始 lr {base}）的 lr 应为 {want:.6g}"
                f"（{label_zh}），实际为 {lr:.6g}",
            )


def factor_right_on(submission, warmup, total, min_factor, steps):
    """Whether the learner's lr_factor gives the formula's value, as a float, at every step
    0..steps of this schedule (used only to choose which schedule to judge the wiring on)."""
    for k in range(steps + 1):
        try:
            got = submission.lr_factor(k, warmup, total, min_factor)
        except Exception:  # a crash in lr_factor: not right here
            return False
        if type(got) is not float or not abs(got - reference(k, warmup, total, min_factor)) <= 1e-9:
            return False
    return True


def wiring_schedule(submission, candidates):
    """The first schedule on which the learner's lr_factor is right (else the first one): the
    scheduler is then compared with the formula there, so a mistake in one piece of the formula
    does not also cost the wiring points, and the verdict still rests on the check's reference."""
    for schedule in candidates:
        if factor_right_on(submission, *schedule):
            return schedule
    return candidates[0]


def check_wiring(submission, bases, candidates):
    warmup, total, min_factor, steps = wiring_schedule(submission, candidates)
    history = scheduled_lrs(submission, bases, warmup, total, min_factor, steps)
    call = f"lr_factor(k, {warmup}, {total}, {min_factor})"
    compare_history(
        history,
        bases,
        lambda k: reference(k, warmup, total, min_factor),
        f"initial lr * {call}",
        f"初始 lr * {call}",
    )


@points(1.5)
def test_scheduler_matches_factor(submission):
    """The scheduler sets lr = initial lr * lr_factor(k, ...) after k steps (k = 0 at creation):
    warmup 3, total 8, min_factor 0.1 over 10 steps (or, when your lr_factor is wrong there,
    warmup 0, total 6, min_factor 0.0 over 6 steps)."""
    check_wiring(submission, [0.1], [(3, 8, 0.1, 10), (0, 6, 0.0, 6)])


@points(1)
def test_scheduler_param_groups(submission):
    """Each param group is scaled from its own initial learning rate: warmup 2, total 5 over 6
    steps (or, when your lr_factor is wrong there, warmup 0, total 5 over 5 steps)."""
    check_wiring(submission, [0.1, 0.02], [(2, 5, 0.0, 6), (0, 5, 0.0, 5)])


@points(0.5)
def test_scheduler_end_to_end(submission):
    """The learning rates the optimizer sees follow the statement's table (warmup 2, total 6),
    with the scheduler made as the statement's example makes it:
    make_scheduler(opt, warmup_steps=2, total_steps=6), by keyword, min_factor left at its
    default 0.0."""
    history = scheduled_lrs(submission, [0.1], 2, 6, None, 6, as_example=True)
    compare_history(
        history,
        [0.1],
        lambda k: reference(k, 2, 6),
        "0.1 * the schedule's factor, for make_scheduler(opt, warmup_steps=2, total_steps=6): "
        "min_factor defaults to 0.0",
        "0.1 * 调度倍数，对应 make_scheduler(opt, warmup_steps=2, total_steps=6)：min_factor 默认为 0.0",
    )
