"""Reference solution for forward-hook-activations."""


def record_activations(model, layer_names):
    """Hook the named submodules; return (activations dict, function that removes the hooks)."""
    modules = dict(model.named_modules())
    missing = [name for name in layer_names if name not in modules]
    if missing:
        raise KeyError(f"no submodule named {missing[0]!r}")

    activations = {}
    handles = []

    def make_hook(name):
        def hook(module, inputs, output):
            activations[name] = output.detach()

        return hook

    for name in layer_names:
        handles.append(modules[name].register_forward_hook(make_hook(name)))

    def remove():
        for handle in handles:
            handle.remove()

    return activations, remove
