"""Hidden checks for transfer-freeze: a frozen backbone with a new, trainable head.

The checks build small "pretrained" backbones themselves (no downloads): an MLP with BatchNorm1d
and Dropout, and a tiny CNN with BatchNorm2d. Their BatchNorm running statistics are non-trivial
before they are handed over, and they are handed over in training mode, as a freshly built model
is. The learner's code gets a copy kept in the executor (``in_executor``), the very object its
model must keep; the check keeps the original as its reference.

Nothing the executor says about the model is taken on trust: identity shows as aliasing (a
change made through the check's handle on the backbone shows in the model's output), freezing as
parameters a training step leaves unchanged, train/eval mode as BatchNorm and Dropout outputs, the
optimizer as the values of its parameters and the updates it makes, all compared with the check's
own computation on its own copies. Training steps run in the executor (grader helper
``transfer_freeze_steps``); what the parameters became is read back and compared.
"""

from __future__ import annotations

from collections import OrderedDict

import pytest
import torch
from torch import nn

from grader.checks import (
    assert_close,
    assert_tensor,
    executor_helper,
    expect,
    fail,
    in_executor,
    is_remote,
    keep_result,
    points,
    type_name,
)

NUM_CLASSES = 3


def make_backbone(kind: str):
    """(backbone in training mode with warmed-up BatchNorm statistics, feature_dim, input shape)."""
    torch.manual_seed(42)
    if kind == "mlp":
        backbone = nn.Sequential(
            nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.3), nn.Linear(16, 8)
        )
        feature_dim, shape = 8, (10, 6)
    elif kind == "cnn":
        backbone = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
        )
        feature_dim, shape = 4, (10, 1, 5, 5)
    else:  # no BatchNorm, no Dropout: its output does not depend on its mode
        backbone = nn.Sequential(nn.Linear(6, 16), nn.ReLU(), nn.Linear(16, 8))
        feature_dim, shape = 8, (10, 6)
    with torch.no_grad():
        for _ in range(3):
            backbone(torch.randn(shape) * 2 + 1)
    backbone.train()
    return backbone, feature_dim, shape


class Built:
    """The learner's model, the check's handle on the backbone it was given, and the check's
    own untouched copy of that backbone."""

    def __init__(self, submission, kind):
        backbone, self.feature_dim, self.shape = make_backbone(kind)
        self.given = in_executor(backbone)  # a copy, kept in the executor: what the model gets
        self.reference = backbone  # never sent again: the check's reference
        torch.manual_seed(7)
        self.model = submission.TransferModel(self.given, self.feature_dim, NUM_CLASSES)

    def features(self, x):
        """The reference backbone's features in eval mode."""
        self.reference.eval()
        with torch.no_grad():
            return self.reference(x)


def head_entries(model, feature_dim):
    """The model's state_dict, after checking it holds head.weight and head.bias of the right
    shapes and dtype (model.head = nn.Linear(feature_dim, num_classes))."""
    sd = model.state_dict()
    want = {"head.weight": (NUM_CLASSES, feature_dim), "head.bias": (NUM_CLASSES,)}
    for name, shape in want.items():
        value = sd.get(name) if type(sd) in (dict, OrderedDict) else None
        if type(value) is not torch.Tensor:
            fail(
                en=f"model.state_dict() has no {name}: model.head should be "
                f"nn.Linear({feature_dim}, {NUM_CLASSES}) (with a bias), registered as self.head",
                zh=f"model.state_dict() 中没有 {name}：model.head 应为 "
                f"nn.Linear({feature_dim}, {NUM_CLASSES})（带偏置），并赋给 self.head",
            )
        assert_tensor(
            value,
            shape=shape,
            dtype=torch.float32,
            what_en=f"{name} (model.head should be nn.Linear({feature_dim}, {NUM_CLASSES}))",
            what_zh=f"{name}（model.head 应为 nn.Linear({feature_dim}, {NUM_CLASSES})）",
        )
    return sd


def set_head(model, feature_dim, seed):
    """Load head weights the check chose into the model; returns them."""
    head_entries(model, feature_dim)
    gen = torch.Generator().manual_seed(seed)
    weight = torch.randn(NUM_CLASSES, feature_dim, generator=gen) * 0.5
    bias = torch.randn(NUM_CLASSES, generator=gen) * 0.5
    model.load_state_dict({"head.weight": weight, "head.bias": bias}, strict=False)
    return weight, bias


def forward(model, x, seed=0):
    torch.manual_seed(seed)
    with torch.no_grad():
        return model(x)


def steps(model, part, x, target, n, **kwargs):
    """Run ``n`` training steps in the executor (grader helper); returns whether the loss
    required grad. What the parameters became is read back by the caller."""
    result = executor_helper("transfer_freeze_steps", model, part, x, target, n, **kwargs)
    if type(result) is not dict or type(result.get("backward")) is not bool:
        fail(
            en="the training step did not report back properly",
            zh="训练步骤没有正确返回结果",
        )
    return result["backward"]


def replay_head(weight, bias, features, target, lr, momentum, n):
    """The check's own SGD steps on a copy of the head: the head's weight and bias after them."""
    head = nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        head.weight.copy_(weight)
        head.bias.copy_(bias)
    opt = torch.optim.SGD(head.parameters(), lr=lr, momentum=momentum)
    for _ in range(n):
        opt.zero_grad()
        nn.functional.cross_entropy(head(features), target).backward()
        opt.step()
    return head.weight.detach(), head.bias.detach()


def perturbed(state):
    """Another state for the backbone: every float entry changed."""
    out = {}
    for key, value in state.items():
        if not value.is_floating_point():
            out[key] = value.clone()
        elif "running_var" in key:
            out[key] = value * 1.7
        else:
            out[key] = value * 1.5 + 0.2
    return out


@points(1)
def test_backbone_is_given_object(submission):
    """model.backbone is the very backbone passed in, not a copy: a change made to that object
    after the model was built shows in the model's output."""
    built = Built(submission, "mlp")
    model = built.model
    set_head(model, built.feature_dim, 1)
    model.eval()
    x = torch.randn(built.shape)
    original = {k: v.clone() for k, v in built.reference.state_dict().items()}
    before = forward(model, x)
    built.given.load_state_dict(perturbed(original))
    after = forward(model, x)
    built.given.load_state_dict(original)
    restored = forward(model, x)
    for out in (before, after, restored):
        assert_tensor(out, shape=(x.shape[0], NUM_CLASSES), what_en="model(x)", what_zh="model(x)")
    expect(
        not bool(torch.equal(before, after)) and bool(torch.equal(before, restored)),
        en="model.backbone should be the backbone object that was passed in, not a copy: changing "
        "that object's weights after TransferModel(...) did not change model(x)",
        zh="model.backbone 应当就是传入的那个 backbone 对象，而不是它的副本："
        "在 TransferModel(...) 之后改变该对象的权重，model(x) 却没有变化",
    )


@points(2)
@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_backbone_frozen(submission, kind):
    """Every parameter of the backbone the model uses has requires_grad == False: a plain SGD
    step on a loss of model.backbone's output leaves every one of them unchanged."""
    built = Built(submission, kind)
    before = {name: p.detach().clone() for name, p in built.reference.named_parameters()}
    x = torch.randn(built.shape)
    steps(built.model, "backbone", x, None, 1, lr=0.5)
    after = built.model.state_dict()
    missing = [name for name in before if type(after.get(f"backbone.{name}")) is not torch.Tensor]
    expect(
        not missing,
        en=f"model.state_dict() lacks backbone.{missing[0] if missing else ''}: keep the given "
        "backbone as self.backbone",
        zh=f"model.state_dict() 中没有 backbone.{missing[0] if missing else ''}：要把传入的主干赋给 "
        "self.backbone",
    )
    changed = [
        name
        for name, value in before.items()
        if not (
            after[f"backbone.{name}"].shape == value.shape
            and bool(torch.equal(after[f"backbone.{name}"], value))
        )
    ]
    expect(
        not changed,
        en=f"a gradient step on the backbone's output changed these backbone parameters: {changed}; "
        "they still require gradients. Set requires_grad = False on every parameter "
        "(backbone.requires_grad = False sets a plain attribute, nothing more)",
        zh=f"对主干输出做一步梯度下降后，这些主干参数改变了：{changed}；它们仍然需要梯度。"
        "要把每个参数的 requires_grad 设为 False（backbone.requires_grad = False 只是设置了一个普通属性）",
    )


@points(1)
@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_head(submission, kind):
    """model.head is a trainable float32 nn.Linear(feature_dim, num_classes) with a bias: with
    weights the check loads, one plain SGD step on model.head alone changes them as SGD says."""
    built = Built(submission, kind)
    model = built.model
    weight, bias = set_head(model, built.feature_dim, 2)
    gen = torch.Generator().manual_seed(5)
    features = torch.randn(12, built.feature_dim, generator=gen)
    target = torch.randint(0, NUM_CLASSES, (12,), generator=gen)
    want_w, want_b = replay_head(weight, bias, features, target, 0.5, 0.0, 1)
    trained = steps(model, "head", features, target, 1, lr=0.5)
    expect(
        trained,
        en="the head's weight and bias must be trainable (requires_grad == True): a loss of "
        "model.head's output does not require grad. Was the head frozen together with the "
        "backbone?",
        zh="分类头的权重和偏置必须可训练（requires_grad == True）：对 model.head 输出算出的损失不需要梯度。"
        "是不是和主干一起被冻结了？",
    )
    sd = model.state_dict()
    assert_close(
        sd["head.weight"],
        want_w,
        what_en="head.weight after one SGD step on the head",
        what_zh="对分类头做一步 SGD 之后的 head.weight",
    )
    assert_close(
        sd["head.bias"],
        want_b,
        what_en="head.bias after one SGD step on the head",
        what_zh="对分类头做一步 SGD 之后的 head.bias",
    )


@points(1)
@pytest.mark.parametrize("kind", ["mlp", "cnn"])
def test_forward(submission, kind):
    """In eval mode, model(x) == head(backbone(x)), shape (N, num_classes)."""
    built = Built(submission, kind)
    model = built.model
    weight, bias = set_head(model, built.feature_dim, 3)
    x = torch.randn(built.shape)
    expected = built.features(x) @ weight.T + bias
    model.eval()
    out = forward(model, x)
    assert_tensor(
        out,
        shape=(built.shape[0], NUM_CLASSES),
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
    """make_optimizer gives SGD(lr, momentum=0.9) over exactly the trainable (head) parameters:
    its parameters are the head's weight and bias (by value, as loaded by the check), and two of
    its steps on the head move them as SGD with lr and momentum 0.9 does."""
    built = Built(submission, "mlp")
    model = built.model
    weight, bias = set_head(model, built.feature_dim, 4)
    optimizer = keep_result(submission.make_optimizer, model, 0.05)
    if type_name(optimizer) != "SGD":
        fail(
            en=f"make_optimizer should return a torch.optim.SGD, got {type_name(optimizer)}",
            zh=f"make_optimizer 应返回 torch.optim.SGD，实际为 {type_name(optimizer)}",
        )
    groups = optimizer.param_groups
    given = [p for group in groups for p in group["params"]] if type(groups) is list else []
    want = {"head.weight": weight, "head.bias": bias}
    found = []
    extra = 0
    for p in given:
        name = next(
            (
                n
                for n, t in want.items()
                if type(p) in (torch.Tensor, nn.Parameter)
                and p.shape == t.shape
                and bool(torch.equal(p.detach(), t))
                and n not in found
            ),
            None,
        )
        if name is None:
            extra += 1
        else:
            found.append(name)
    missing = sorted(set(want) - set(found))
    expect(
        not extra and not missing,
        en=f"the optimizer should get only the trainable parameters (head.weight, head.bias); it has "
        f"{extra} other parameter(s) and lacks {missing}",
        zh=f"优化器只应包含可训练的参数（head.weight、head.bias）；它多了 {extra} 个其他参数，"
        f"缺少 {missing}",
    )
    gen = torch.Generator().manual_seed(6)
    features = torch.randn(12, built.feature_dim, generator=gen)
    target = torch.randint(0, NUM_CLASSES, (12,), generator=gen)
    want_w, want_b = replay_head(weight, bias, features, target, 0.05, 0.9, 2)
    steps(model, "head", features, target, 2, optimizer=optimizer)
    sd = model.state_dict()
    for name, got, expected in (
        ("head.weight", sd["head.weight"], want_w),
        ("head.bias", sd["head.bias"], want_b),
    ):
        assert_close(
            got,
            expected,
            what_en=f"{name} after two steps of your optimizer (expected SGD with lr=0.05, "
            "momentum=0.9)",
            what_zh=f"你的优化器走两步之后的 {name}（应为 lr=0.05、momentum=0.9 的 SGD）",
        )


# (call, its arguments, the mode the head should be in afterwards)
MODE_SEQUENCE = (
    ("train", (), True),
    ("eval", (), False),
    ("train", (True,), True),
    ("train", (False,), False),
    ("train", (), True),
)


def check_modes(submission):
    """After every train()/eval() call in a sequence, the backbone is in eval mode (its BatchNorm
    uses the running statistics, its Dropout is off) and the head is in the mode asked for. The
    check gives the model a head with a Dropout after the Linear, so the head's mode shows."""
    built = Built(submission, "mlp")
    model = built.model
    torch.manual_seed(8)
    linear = nn.Linear(built.feature_dim, NUM_CLASSES)
    model.head = in_executor(nn.Sequential(linear, nn.Dropout(0.5)))
    x = torch.randn(built.shape)
    with torch.no_grad():
        plain = linear(built.features(x))
    for k, (method, args, head_training) in enumerate(MODE_SEQUENCE):
        call = f"model.{method}({', '.join(map(str, args))})"
        getattr(model, method)(*args)
        out = forward(model, x, seed=k)
        assert_tensor(
            out,
            shape=tuple(plain.shape),
            what_en=f"model(x) after {call}",
            what_zh=f"调用 {call} 之后 model(x) 的结果",
        )
        kept = out != 0
        dropped = not bool(kept.all())
        expect(
            dropped == head_training,
            en=f"after {call} the head should be in {'training' if head_training else 'eval'} mode "
            "(the check gave it a Dropout to show it): set the head's mode as nn.Module.train "
            "does (super().train(mode))",
            zh=f"调用 {call} 之后分类头应处于{'训练' if head_training else ' eval '}模式"
            "（检查给它加了 Dropout 以便观察）：要像 nn.Module.train 那样设置分类头的模式"
            "（super().train(mode)）",
        )
        scaled = plain * 2 if head_training else plain
        expect(
            bool(torch.allclose(out[kept], scaled[kept], rtol=1e-5, atol=1e-6)),
            en=f"after {call} the backbone should be in eval mode (BatchNorm using its running "
            "statistics, Dropout off), but model(x) shows it is not: override train() so that it "
            "puts the backbone back in eval mode every time",
            zh=f"调用 {call} 之后主干应处于 eval 模式（BatchNorm 使用 running 统计量、Dropout 关闭），"
            "但 model(x) 表明并非如此：重写 train()，让它每次都把主干设回 eval 模式",
        )


def check_running_stats(submission):
    """Over several epochs of model.train() and forward passes, BatchNorm's running statistics
    do not change: model(x) in eval mode stays what the original statistics give."""
    built = Built(submission, "mlp")
    model = built.model
    weight, bias = set_head(model, built.feature_dim, 9)
    x = torch.randn(built.shape)
    expected = built.features(x) @ weight.T + bias
    gen = torch.Generator().manual_seed(10)
    for epoch in range(3):
        model.train()
        for _ in range(2):
            model(torch.randn(built.shape, generator=gen) * 3 + 1)
        model.eval()
        assert_close(
            forward(model, x),
            expected,
            what_en=f"model(x) in eval mode after training epoch {epoch + 1} (BatchNorm's running "
            "statistics changed while training: the backbone must stay in eval mode, override "
            "train())",
            what_zh=f"第 {epoch + 1} 轮训练之后 eval 模式下 model(x) 的结果（训练时 BatchNorm 的 running "
            "统计量改变了：主干必须保持 eval 模式，请重写 train()）",
        )


@points(1.5)
@pytest.mark.parametrize("case", ["modes", "running_stats"])
def test_backbone_stays_eval(submission, case):
    """train() puts the head in training mode but keeps the backbone (BatchNorm, Dropout) in eval
    mode, every time, so BatchNorm's running statistics do not change while the head trains."""
    if case == "modes":
        check_modes(submission)
    else:
        check_running_stats(submission)


@points(0.5)
def test_train_returns_self(submission):
    """model.train() and model.eval() return the model itself, as nn.Module's do: what they
    return follows a change made to the model."""
    built = Built(submission, "mlp")
    model = built.model
    x = torch.randn(built.shape)
    for k, (call, run) in enumerate(
        (
            ("model.train()", lambda: model.train()),
            ("model.eval()", lambda: model.eval()),
            ("model.train(False)", lambda: model.train(False)),
        )
    ):
        got = run()
        if not is_remote(got):
            fail(
                en=f"{call} should return the model itself; got {type_name(got)} (return self from "
                "train())",
                zh=f"{call} 应返回模型本身；实际为 {type_name(got)}（train() 里要 return self）",
            )
        set_head(model, built.feature_dim, 20 + k)
        first = forward(got, x)
        set_head(model, built.feature_dim, 30 + k)
        second = forward(got, x)
        third = forward(model, x)
        expect(
            not bool(torch.equal(first, second)) and bool(torch.equal(second, third)),
            en=f"{call} should return the model itself, but what it returned does not follow a "
            "change of the model's head (return self from train())",
            zh=f"{call} 应返回模型本身，但它返回的对象没有随模型分类头的改变而改变（train() 里要 return self）",
        )


@points(1)
def test_head_learns(submission):
    """Training through make_optimizer's optimizer lowers the loss (the check computes it from the
    head the training left) and changes only the head, never the backbone."""
    built = Built(submission, "plain")
    model = built.model
    weight, bias = set_head(model, built.feature_dim, 11)
    gen = torch.Generator().manual_seed(3)
    x = torch.randn(built.shape, generator=gen)
    y = torch.randint(0, NUM_CLASSES, (built.shape[0],), generator=gen)
    features = built.features(x)
    start = float(nn.functional.cross_entropy(features @ weight.T + bias, y))
    backbone = {name: p.detach().clone() for name, p in built.reference.named_parameters()}
    optimizer = keep_result(submission.make_optimizer, model, 0.5)
    model.train()
    trained = steps(model, "", x, y, 20, optimizer=optimizer)
    expect(
        trained,
        en="the loss of model(x) does not require grad, so nothing can be trained: is forward run "
        "under torch.no_grad()? Only the backbone's parameters are frozen; the head needs gradients",
        zh="model(x) 的损失不需要梯度，什么也训练不了：forward 是不是在 torch.no_grad() 下运行的？"
        "只有主干的参数被冻结，分类头需要梯度",
    )
    sd = head_entries(model, built.feature_dim)
    for name, value in backbone.items():
        got = sd.get(f"backbone.{name}")
        expect(
            type(got) is torch.Tensor
            and got.shape == value.shape
            and bool(torch.equal(got, value)),
            en=f"training changed the backbone's {name}: it must stay frozen",
            zh=f"训练改变了主干的 {name}：主干必须保持冻结",
        )
    with torch.no_grad():
        end = float(
            nn.functional.cross_entropy(features @ sd["head.weight"].T + sd["head.bias"], y)
        )
    expect(
        end < 0.9 * start,
        en=f"20 training steps should lower the loss; with the head they left it is {end:.4g} "
        f"(it was {start:.4g})",
        zh=f"20 步训练应当降低损失；用训练后的分类头算出的损失为 {end:.4g}（原为 {start:.4g}）",
    )


@points(0.5)
def test_keyword_arguments(submission):
    """The stated parameter names work as keywords, as in the statement's example:
    TransferModel(backbone, feature_dim=..., num_classes=...) gives a model whose eval-mode
    output is head(backbone(x)), model.train(mode=...) works, and make_optimizer(model, lr=...)
    gives an optimizer with that rate. An optimizer that cannot be built for another reason (a
    frozen head gives SGD an empty parameter list: ValueError) is test_optimizer_params'
    business, so it does not cost these points too."""
    backbone, feature_dim, shape = make_backbone("mlp")
    given = in_executor(backbone)
    torch.manual_seed(7)
    try:
        model = submission.TransferModel(given, feature_dim=feature_dim, num_classes=NUM_CLASSES)
        model.train(mode=True)
        model.train(mode=False)
        try:
            optimizer = keep_result(submission.make_optimizer, model, lr=0.05)
        except ValueError:
            optimizer = None
    except TypeError as exc:
        fail(
            en=f"a call by keyword raised TypeError ({str(exc)[:160]}): the parameters are named "
            "as the statement says: TransferModel(backbone, feature_dim, num_classes), "
            "make_optimizer(model, lr), train(self, mode=True)",
            zh=f"按关键字传参时抛出了 TypeError（{str(exc)[:160]}）：参数名应与题目一致："
            "TransferModel(backbone, feature_dim, num_classes)、make_optimizer(model, lr)、"
            "train(self, mode=True)",
        )
    weight, bias = set_head(model, feature_dim, 40)
    x = torch.randn(shape)
    expected = backbone.eval()(x).detach() @ weight.T + bias
    assert_close(
        forward(model, x),
        expected,
        what_en=f"model(x) in eval mode for TransferModel(backbone, feature_dim={feature_dim}, "
        f"num_classes={NUM_CLASSES})",
        what_zh=f"TransferModel(backbone, feature_dim={feature_dim}, num_classes={NUM_CLASSES}) "
        "在 eval 模式下 model(x) 的结果",
    )
    if optimizer is None:
        return
    groups = optimizer.param_groups
    rates = [g.get("lr") for g in groups] if type(groups) is list else []
    expect(
        rates == [0.05] * len(rates) and len(rates) >= 1,
        en=f"make_optimizer(model, lr=0.05) should give the learning rate 0.05, its param_groups "
        f"have {rates}",
        zh=f"make_optimizer(model, lr=0.05) 的学习率应为 0.05，它的 param_groups 中是 {rates}",
    )
