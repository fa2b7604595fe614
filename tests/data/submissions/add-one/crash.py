def helper(x):
    return x.no_such_attribute


def add_one(x):
    return helper(x)
