"""Bug: the hook returns the detached output, which replaces the module's output and cuts the graph."""


def record_activations(model, layer_names):
    modules = dict(model.named_modules())
    for name in layer_names:
        if name not in modules:
            raise KeyError(name)
    activations = {}
    handles = []

    def make_hook(name):
        def hook(module, inputs, output):
            activations[name] = output.detach()
            return activations[name]

        return hook

    for name in layer_names:
        handles.append(modules[name].register_forward_hook(make_hook(name)))

    def remove():
        for handle in handles:
            handle.remove()

    return activations, remove
