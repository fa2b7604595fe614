"""Provides seeded question selection and option shuffling.

One ``random.Random(seed)`` drives both, so the same seed, filters and banks give the same
questions in the same order with the same option orders.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from grader.bank.model import (
    CodeOutputQuestion,
    MultipleQuestion,
    OrderQuestion,
    QuestionBase,
    SingleQuestion,
)

__all__ = ["new_seed", "option_order", "pick"]


def new_seed() -> int:
    """A fresh random seed (stored with the session, so any session can be replayed)."""
    return random.SystemRandom().randrange(1, 2**31)


def pick(questions: Sequence[QuestionBase], count: int | None, rng: random.Random) -> list[str]:
    """Ids of ``count`` questions drawn without replacement (all of them, shuffled, when None)."""
    ids = [q.id for q in questions]
    n = len(ids) if count is None else max(0, min(count, len(ids)))
    return rng.sample(ids, n)


def option_order(question: QuestionBase, rng: random.Random) -> list[int] | None:
    """The order options are shown in: ``order[k]`` is the index of the option shown k-th.

    None for types without options. ``single``/``multiple`` keep their written order when
    ``shuffle`` is false. An ``order`` question is never shown already in its correct order.
    """
    if isinstance(question, SingleQuestion | MultipleQuestion):
        order = list(range(len(question.options)))
        if question.shuffle:
            rng.shuffle(order)
        return order
    if isinstance(question, OrderQuestion):
        order = list(range(len(question.options)))
        while order == sorted(order):
            rng.shuffle(order)
        return order
    if isinstance(question, CodeOutputQuestion) and question.options:
        order = list(range(len(question.options)))
        rng.shuffle(order)
        return order
    return None
