"""Bug: the hook stores the module's input instead of its output."""


def record_activations(model, layer_names):
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise KeyError(name)
    activations = {}
    handles = []

    def make_hook(name):
        def hook(module, inputs, output):
            activations[name] = inputs[0].detach()

        return hook

    for name in layer_names:
        handles.append(modules[name].register_forward_hook(make_hook(name)))

    def remove():
        for handle in handles:
            handle.remove()

    return activations, remove
