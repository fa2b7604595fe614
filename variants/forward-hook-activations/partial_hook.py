"""Correct: functools.partial fixes the name; the hooks' handles kept in a dict."""

import functools


def _store(activations, name, module, inputs, output):
    activations[name] = output.detach()


def record_activations(model, layer_names):
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise KeyError(name)
    activations = {}
    handles = {}
    for name in layer_names:
        hook = functools.partial(_store, activations, name)
        handles[name] = modules[name].register_forward_hook(hook)

    def remove():
        for handle in handles.values():
            handle.remove()
        handles.clear()

    return activations, remove
