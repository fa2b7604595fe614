"""Public checks for lr-schedule: run them with `grader check lr-schedule FILE`."""

import torch

from grader.checks import expect, in_executor, remote_bases, type_name

TABLE = [0.0, 0.5, 1.0, 0.853553, 0.5, 0.146447, 0.0, 0.0]


def test_factor_table(submission):
    """lr_factor(step, 2, 6) follows the statement's table."""
    for step, want in enumerate(TABLE):
        got = submission.lr_factor(step, 2, 6)
        expect(
            abs(float(got) - want) < 1e-6,
            en=f"lr_factor({step}, 2, 6) should be {want}, got {got}",
            zh=f"lr_factor({step}, 2, 6) 应为 {want}，实际为 {got}",
        )


def test_scheduler_example(submission):
    """The scheduler example: lr 0.0, then 0.05, then 0.1."""
    # The optimizer stays in the process that runs your code, so your scheduler drives it there.
    opt = in_executor(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1))
    sched = submission.make_scheduler(opt, warmup_steps=2, total_steps=6)
    for want in (0.0, 0.05, 0.1):
        got = opt.param_groups[0]["lr"]
        expect(
            abs(float(got) - want) < 1e-9,
            en=f"the learning rate should be {want}, got {got}",
            zh=f"学习率应为 {want}，实际为 {got}",
        )
        opt.step()
        sched.step()


def test_scheduler_is_lr_scheduler(submission):
    """make_scheduler returns a torch.optim.lr_scheduler.LRScheduler (LambdaLR, say).

    Feedback only: this rule is not graded, because the scheduler lives in the process that runs
    your code, and only that process can say what its class derives from."""
    opt = in_executor(torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1))
    scheduler = submission.make_scheduler(opt, 2, 6, 0.0)
    expect(
        "torch.optim.lr_scheduler.LRScheduler" in remote_bases(scheduler),
        en=f"make_scheduler should return a torch.optim.lr_scheduler.LRScheduler (e.g. LambdaLR), "
        f"got {type_name(scheduler)}",
        zh=f"make_scheduler 应返回 torch.optim.lr_scheduler.LRScheduler（例如 LambdaLR），"
        f"实际为 {type_name(scheduler)}",
    )
