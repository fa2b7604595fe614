"""Hidden checks for transfer-freeze: a frozen backbone with a new, trainable head.

The checks build small "pretrained" backbones themselves (no downloads): an MLP with BatchNorm1d
and Dropout, and a tiny CNN with BatchNorm2d. Their BatchNorm running statistics are non-trivial
before they are handed over, and they are handed over in training mode, as a freshly built model is.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from grader.checks import assert_close, assert_tensor, expect, fail, loss_decreases, points

NUM_CLASSES = 3


def make_backbone(kind: str):
    """(backbone in training mode with warmed-up BatchNorm statistics, feature_dim, input shape)."""
    torch.manual_seed(42)
    if kind == "mlp":
        backbone = nn.Sequential(
            nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 8)
        )
        feature_dim, shape = 8, (10, 6)
    else:
        backbone = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        feature_dim, shape = 4, (10, 1, 5, 5)
    with torch.no_grad():
        for _ in range(3):
            backbone(torch.randn(shape) * 2 + 1)
    backbone.train()
    return backbone, feature_dim, shape


def build(submission, kind="mlp"):
    backbone, feature_dim, shape = make_backbone(kind)
    snapshot = {k: v.clone() for k, v in backbone.state_dict().items()}
    torch.manual_seed(7)
    model = submission.TransferModel(backbone, feature_dim, NUM_CLASSES)
    if not isinstance(model, nn.Module):
        fail(
            f"TransferModel(...) should be an nn.Module, got {type(model).__name__}",
            f"TransferModel(...) 应当是 nn.Module，实际为 {type(model).__name__}",
        )
    return model, backbone, feature_dim, shape, snapshot


def head_of(model) -> nn.Linear:
    head = model.head
    if not isinstance(head, nn.Linear):
        fail(
            f"model.head should be an nn.Linear, got {type(head).__name__}",
            f"model.head 应当是 nn.Linear，实际为 {type(head).__name__}",
        )
    return head


@points(1)
def test_backbone_is_given_object(submission):
    """model.backbone is the very backbone passed in, not a copy."""
    model, backbone, *_ = build(submission)
    expect(
        model.backbone is backbone,
        "model.backbone should be the backbone object that was passed in, not a copy",
        "model.backbone 应当就是传入的那个 backbone 对象，而不是它的副本",
    )


@points(2)
@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_backbone_frozen(submission, kind):
    """Every parameter of the backbone the model uses has requires_grad == False."""
    model, *_ = build(submission, kind)
    used = model.backbone
    names = [name for name, p in used.named_parameters() if p.requires_grad]
    expect(
        not names,
        f"these backbone parameters still require gradients: {names}; set requires_grad = False "
        "on every parameter (backbone.requires_grad = False sets a plain attribute, nothing more)",
        f"这些主干参数仍然需要梯度：{names}；要把每个参数的 requires_grad 设为 False"
        "（backbone.requires_grad = False 只是设置了一个普通属性）",
    )


@points(1)
@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_head(submission, kind):
    """model.head is a trainable float32 nn.Linear(feature_dim, num_classes) with a bias."""
    model, _, feature_dim, *_ = build(submission, kind)
    head = head_of(model)
    expect(
        (head.in_features, head.out_features) == (feature_dim, NUM_CLASSES),
        f"model.head should be Linear({feature_dim}→{NUM_CLASSES}), got "
        f"Linear({head.in_features}→{head.out_features})",
        f"model.head 应为 Linear({feature_dim}→{NUM_CLASSES})，实际为 "
        f"Linear({head.in_features}→{head.out_features})",
    )
    expect(head.bias is not None, "model.head needs a bias", "model.head 需要偏置")
    expect(
        head.weight.requires_grad and head.bias.requires_grad,
        "the head's weight and bias must be trainable (requires_grad == True); was the head "
        "frozen together with the backbone?",
        "分类头的权重和偏置必须可训练（requires_grad == True）；是不是和主干一起被冻结了？",
    )
    expect(head.weight.dtype == torch.float32, "the head should be float32", "分类头应为 float32")


@points(1.5)
@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_forward(submission, kind):
    """In eval mode, model(x) == head(backbone(x)), shape (N, num_classes)."""
    model, backbone, _, shape, _ = build(submission, kind)
    model.eval()
    x = torch.randn(shape)
    with torch.no_grad():
        out = model(x)
        backbone.eval()
        head = head_of(model)
        expected = backbone(x) @ head.weight.T + head.bias
    assert_tensor(
        out,
        shape=(shape[0], NUM_CLASSES),
        dtype=torch.float32,
        what_en="model(x)",
        what_zh="model(x) 的结果",
    )
    assert_close(
        out,
        expected,
        what_en="model(x) (expected head(backbone(x)))",
        what_zh="model(x) 的结果（应为 head(backbone(x))）",
    )


@points(1.5)
def test_optimizer_params(submission):
    """make_optimizer gives SGD(lr, momentum=0.9) over exactly the trainable (head) parameters."""
    model, *_ = build(submission)
    optimizer = submission.make_optimizer(model, 0.05)
    if type(optimizer) is not torch.optim.SGD:
        fail(
            f"make_optimizer should return a torch.optim.SGD, got {type(optimizer).__name__}",
            f"make_optimizer 应返回 torch.optim.SGD，实际为 {type(optimizer).__name__}",
        )
    head = head_of(model)
    want = {id(head.weight): "head.weight", id(head.bias): "head.bias"}
    given = [p for group in optimizer.param_groups for p in group["params"]]
    extra = len([p for p in given if id(p) not in want])
    missing = sorted(name for key, name in want.items() if key not in {id(p) for p in given})
    expect(
        not extra and not missing,
        f"the optimizer should get only the trainable parameters (head.weight, head.bias); it has "
        f"{extra} other parameter(s) and lacks {missing}",
        f"优化器只应包含可训练的参数（head.weight、head.bias）；它多了 {extra} 个其他参数，"
        f"缺少 {missing}",
    )
    for group in optimizer.param_groups:
        expect(
            group["lr"] == 0.05 and group["momentum"] == 0.9,
            f"expected lr=0.05 and momentum=0.9, got lr={group['lr']}, momentum={group['momentum']}",
            f"应为 lr=0.05、momentum=0.9，实际为 lr={group['lr']}、momentum={group['momentum']}",
        )


def modes(model, backbone):
    return (
        model.training,
        model.head.training,
        sorted({m.training for m in backbone.modules()}),
    )


@points(1.5)
@pytest.mark.parametrize("case", ["modes", "running_stats"])
def test_backbone_stays_eval(submission, case):
    """train() puts model and head in training mode but keeps the backbone (BatchNorm, Dropout)
    in eval mode, so BatchNorm's running statistics do not change while the head trains."""
    model, backbone, _, shape, snapshot = build(submission, "mlp")
    if case == "modes":
        model.train()
        got = modes(model, model.backbone)
        expect(
            got == (True, True, [False]),
            "after model.train(): expected model.training True, head.training True and every "
            f"backbone module in eval mode; got model {got[0]}, head {got[1]}, backbone modules "
            f"{got[2]}",
            "调用 model.train() 后：应为 model.training True、head.training True，主干的每个模块都处于 "
            f"eval 模式；实际 model {got[0]}、head {got[1]}、主干模块 {got[2]}",
        )
        model.eval()
        got = modes(model, model.backbone)
        expect(
            got == (False, False, [False]),
            f"after model.eval() everything should be in eval mode; got model {got[0]}, head "
            f"{got[1]}, backbone modules {got[2]}",
            f"调用 model.eval() 后所有模块都应处于 eval 模式；实际 model {got[0]}、head {got[1]}、"
            f"主干模块 {got[2]}",
        )
        return
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(shape))
    for key in ("1.running_mean", "1.running_var", "1.num_batches_tracked"):
        expect(
            torch.equal(backbone.state_dict()[key], snapshot[key]),
            f"the backbone's BatchNorm {key.split('.')[1]} changed while training the head: the "
            "backbone must stay in eval mode (override train())",
            f"训练分类头时主干中 BatchNorm 的 {key.split('.')[1]} 改变了：主干必须保持 eval 模式"
            "（重写 train()）",
        )


@points(0.5)
def test_train_returns_self(submission):
    """model.train() and model.eval() return the model itself, as nn.Module's do."""
    model, *_ = build(submission)
    got_train = model.train()
    got_eval = model.eval()
    expect(
        got_train is model and got_eval is model,
        f"model.train() and model.eval() should return the model itself; got "
        f"{type(got_train).__name__} and {type(got_eval).__name__} (return self from train())",
        f"model.train() 和 model.eval() 应返回模型本身；实际为 {type(got_train).__name__} 和 "
        f"{type(got_eval).__name__}（train() 里要 return self）",
    )


@points(1)
def test_head_learns(submission):
    """Training with make_optimizer lowers the loss and changes only the head."""
    model, backbone, _, shape, snapshot = build(submission, "mlp")
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(shape, generator=gen)
    y = torch.randint(0, NUM_CLASSES, (shape[0],), generator=gen)
    optimizer = submission.make_optimizer(model, 0.5)
    model.train()
    losses = []
    for _ in range(20):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(float(loss.detach()))
    loss_decreases(losses, factor=0.9)
    for key, value in snapshot.items():
        if "running" in key or "num_batches" in key:
            continue  # buffers are test_backbone_stays_eval's business
        expect(
            torch.equal(backbone.state_dict()[key], value),
            f"training changed the backbone's {key}: it must stay frozen",
            f"训练改变了主干的 {key}：主干必须保持冻结",
        )
