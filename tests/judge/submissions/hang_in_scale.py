# double is right; scale_ hangs: only its check times out, a fresh executor runs the rest.


def double(x):
    return 2 * x


def scale_(layer, k):
    while True:
        pass
