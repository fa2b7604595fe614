"""Correct: hooks registered with with_kwargs=True (the hook also receives the kwargs)."""


def record_activations(model, layer_names):
    lookup = {}
    for name, module in model.named_modules():
        lookup[name] = module
    for name in layer_names:
        lookup[name]  # raises KeyError for an unknown name, before any hook exists

    store = {}

    def factory(name):
        def hook(module, args, kwargs, output):
            store[name] = output.detach()
            return None

        return hook

    handles = [lookup[n].register_forward_hook(factory(n), with_kwargs=True) for n in layer_names]

    def remove():
        for handle in handles:
            handle.remove()

    return store, remove
