"""A find-the-bug starter: no marker on purpose."""


def f(x):
    return x + 1
