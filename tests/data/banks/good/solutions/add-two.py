"""Reference solution of add-two."""


def add_two(x):
    return x + 2
