"""Bug: the hook closes over the loop variable, so every hook stores under the last name."""


def record_activations(model, layer_names):
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise KeyError(name)
    activations = {}
    handles = []
    for name in layer_names:

        def hook(module, inputs, output):
            activations[name] = output.detach()

        handles.append(modules[name].register_forward_hook(hook))

    def remove():
        for handle in handles:
            handle.remove()

    return activations, remove
