# Results wrapped in containers: list(map(type, ...)) holds real classes, which cannot cross.


def double(x):
    return list(map(type, [x, 1]))


def scale_(layer, k):
    return [layer, layer]
