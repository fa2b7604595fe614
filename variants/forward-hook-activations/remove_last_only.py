"""Bug: one `handle` variable is overwritten in the loop, so remove() removes only the last hook."""


def record_activations(model, layer_names):
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise KeyError(name)
    activations = {}

    def make_hook(name):
        def hook(module, inputs, output):
            activations[name] = output.detach()

        return hook

    handle = None
    for name in layer_names:
        handle = modules[name].register_forward_hook(make_hook(name))

    def remove():
        handle.remove()

    return activations, remove
