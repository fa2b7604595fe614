# Hangs at the top level: every check fails once, within one time limit, not once per check.

while True:
    pass


def double(x):
    return 2 * x
