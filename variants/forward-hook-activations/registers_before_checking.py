"""Bug: hooks are registered while looking names up, so an unknown name leaves earlier hooks behind."""


def record_activations(model, layer_names):
    modules = dict(model.named_modules())
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
