"""Tiny banks for the tests of parametrised questions in the app and the study layer: one
ordinary question and one parametrised numeric question whose answer torch computes."""

from __future__ import annotations

BASIC = """\
bank: basic
title: {zh: 基础, en: Basics}
questions:
  - id: basic-one
    type: true_false
    difficulty: 1
    tags: [x]
    prompt: {zh: 对吗？, en: True?}
    answer: true
    explanation: {zh: 因为这样。, en: Because it is.}
"""


def numel_bank(bank: str, *, high: int = 9, broadcast: bool = True) -> str:
    """A bank ``bank`` of one parametrised question, ``{bank}-numel``: how many elements
    ``torch.zeros(n, 1) + torch.zeros(m)`` has (``broadcast``), else ``torch.zeros(n, m)``,
    with n and m drawn from 2..``high``."""
    expr = "torch.zeros({n}, 1) + torch.zeros({m})" if broadcast else "torch.zeros({n}, {m})"
    code = f"({expr}).numel()" if broadcast else f"{expr}.numel()"
    return f"""\
bank: {bank}
title: {{zh: 随机题, en: Fresh numbers}}
questions:
  - id: {bank}-numel
    type: numeric
    difficulty: 1
    tags: [{"broadcasting" if broadcast else "x"}]
    params:
      n: {{int: [2, {high}]}}
      m: {{int: [2, {high}]}}
    prompt:
      zh: "`{expr}` 有多少个元素？"
      en: "How many elements does `{expr}` have?"
    code: |
      import torch
      answer = {code}
    explanation: {{zh: "共 {{answer}} 个。", en: "{{answer}} in all."}}
"""
