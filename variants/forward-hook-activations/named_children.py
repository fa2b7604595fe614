"""Bug: names are looked up among the direct children only, so nested names ("encoder.0") fail."""


def record_activations(model, layer_names):
    children = dict(model.named_children())
    for name in layer_names:
        if name not in children:
            raise KeyError(name)
    activations = {}
    handles = []

    def make_hook(name):
        def hook(module, inputs, output):
            activations[name] = output.detach()

        return hook

    for name in layer_names:
        handles.append(children[name].register_forward_hook(make_hook(name)))

    def remove():
        for handle in handles:
            handle.remove()

    return activations, remove
