"""A starter without a marker."""


def f(x):
    return x
