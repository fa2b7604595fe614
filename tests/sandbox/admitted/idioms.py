"""Admitted idioms that the four exercises do not need, each checked by test_policy_admitted.py."""

import collections
import enum
import itertools
import math
import random
import typing
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pack_padded_sequence
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset

Point = collections.namedtuple("Point", ["x", "y"])


class Color(enum.Enum):
    RED = 1
    GREEN = 2


@dataclass(frozen=True)
class Config:
    hidden: int = 4
    name: str = "net"


class Counter:
    """Protocol methods and private state on the submission's own class."""

    def __init__(self, limit):
        self._limit = limit
        self._value = 0
        self.calls = 0

    def __len__(self):
        return self._limit

    def __getitem__(self, i):
        return i * i

    def __iter__(self):
        self._value = 0
        return self

    def __next__(self):
        if self._value >= self._limit:
            raise StopIteration
        self._value += 1
        return self._value

    def __call__(self, x):
        self.calls += 1
        return x + self.calls

    def __contains__(self, item):
        return 0 <= item < self._limit

    def __repr__(self):
        return f"Counter(limit={self._limit})"

    @property
    def limit(self):
        return self._limit

    @staticmethod
    def twice(x):
        return 2 * x

    @classmethod
    def make(cls):
        return cls(3)


class Net(nn.Module):
    def __init__(self, config: Config = Config()):
        super(Net, self).__init__()  # noqa: UP008 (the two-argument form)
        self.fc1 = nn.Linear(3, config.hidden)
        self.fc2 = nn.Linear(config.hidden, 1)
        self.steps = 0

    def forward(self, x):
        self.steps += 1
        return self.fc2(F.relu(self.fc1(x)))


class OldStyle(nn.Module):
    def __init__(self):
        nn.Module.__init__(self)
        self.layer = nn.Linear(2, 2)


def make_counter():
    count = 0

    def bump():
        nonlocal count
        count += 1
        return count

    return bump


def squares(n):
    for i in range(n):
        yield i * i


def run():
    torch.manual_seed(0)
    random.seed(0)
    results = {}
    counter = Counter.make()
    results["protocol"] = (
        len(counter),
        counter[2],
        list(counter),
        counter(1),
        2 in counter,
        repr(counter),
    )
    results["static"] = (Counter.twice(4), counter.limit)
    bump = make_counter()
    bump()
    results["closure"] = bump()
    results["generator"] = sum(squares(4))
    pairs = {k: v for k, v in zip("ab", [1, 2])}  # noqa: B905
    results["comprehensions"] = (pairs, {x % 3 for x in range(9)})
    first, *rest = [1, 2, 3]
    results["unpacking"] = (first, rest)
    old_style = "{} and {:>4}".format(1, "x"), "%d%%" % 5  # noqa: UP031 (styles learners use)
    results["formatting"] = (f"{math.pi:.2f}", *old_style)
    try:
        int("nope")
    except ValueError as error:
        results["exception"] = type(error).__name__
    results["enum"] = Color.GREEN.name
    results["namedtuple"] = Point(1, 2)._asdict()
    results["dataclass"] = Config(hidden=5).hidden
    results["itertools"] = list(itertools.islice(itertools.count(), 3))
    results["typing"] = typing.cast(int, 3)

    t = torch.zeros(3)
    t[1] += 2
    t[0:2] *= 3
    results["item_augassign"] = t.tolist()

    net = Net()
    seen = []
    handle = net.fc1.register_forward_hook(
        lambda module, inputs, output: seen.append(tuple(output.shape))
    )
    optimizer = torch.optim.Adam(net.parameters(), lr=0.01)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.5)
    loader = DataLoader(
        TensorDataset(torch.randn(8, 3), torch.randn(8, 1)), batch_size=4, shuffle=True
    )
    for x, y in loader:
        optimizer.zero_grad()
        loss = F.mse_loss(net(x), y)
        loss.backward()
        optimizer.step()
    scheduler.step()
    handle.remove()
    results["training"] = (net.steps, seen[0], scheduler.get_last_lr()[0])

    net.fc2.weight = nn.Parameter(torch.ones(1, 4))
    for p in net.parameters():
        p.grad = None
    with torch.no_grad():
        net.fc1.bias.fill_(0.5)
    with torch.inference_mode():
        results["inference"] = net(torch.zeros(1, 3)).shape[0]
    results["weights"] = (
        net.fc2.weight.sum().item(),
        all(p.grad is None for p in net.parameters()),
    )
    results["names"] = (type(net).__name__, Net.__name__, isinstance(net, nn.Module))
    results["old_style"] = len(list(OldStyle().parameters()))

    seqs = torch.zeros(3, 2, 1)
    packed = pack_padded_sequence(seqs, torch.tensor([3, 1]), enforce_sorted=False)
    results["packed"] = packed.data.shape[0]
    results["numpy"] = float(np.random.default_rng(0).normal(size=4).shape[0])
    results["cuda"] = torch.cuda.is_available() in (True, False)
    results["device"] = str(torch.device("cuda" if torch.cuda.is_available() else "cpu").type) in (
        "cuda",
        "cpu",
    )
    print("ran", len(results), "checks")
    return results


if __name__ == "__main__":
    run()
