# A wrong submission whose folder tries to take over pytest and Python start-up.


def add_one(x):
    return x
