def double(x):
    # TODO: return 2 * x
    return x


def scale_(layer, k):
    # TODO: multiply layer.weight by k in place
    return layer
