"""Correct: a lambda with a default argument binds each name; dict.update stores the output."""


def record_activations(model, layer_names):
    named = dict(model.named_modules())
    unknown = [n for n in layer_names if n not in named]
    if unknown:
        raise KeyError(", ".join(unknown))
    acts = {}
    handles = [
        named[n].register_forward_hook(lambda m, i, o, n=n: acts.update({n: o.detach()}))
        for n in layer_names
    ]
    return acts, lambda: [h.remove() for h in handles]
