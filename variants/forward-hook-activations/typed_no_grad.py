"""Correct: type hints, the output stored under torch.no_grad() as a detached copy, a print."""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


def record_activations(
    model: nn.Module, layer_names: list[str]
) -> tuple[dict[str, torch.Tensor], Callable[[], None]]:
    modules: dict[str, nn.Module] = {}
    for name, module in model.named_modules():
        if name in layer_names:
            modules[name] = module
    for name in layer_names:
        if name not in modules:
            raise KeyError(f"unknown layer {name}")

    activations: dict[str, torch.Tensor] = {}
    handles = []
    for name in layer_names:

        def hook(module, inputs, output, _name=name):
            with torch.no_grad():
                activations[_name] = output.detach()

        handles.append(modules[name].register_forward_hook(hook))
    print(f"recording {len(handles)} layers")

    def remove() -> None:
        for h in handles:
            h.remove()

    return activations, remove
