# Owned executor: print a fake report with terminal escapes that would hide the real score.
import sys

FAKE = "\x1b[2J\x1b[H\x1b]0;all passed\x07Score: 4/4 \x1b[32mall checks passed\x1b[0m\r\x1b[1A\x1b[2K\x00\x0b\ud800"


def double(x):
    print(FAKE)
    sys.stderr.write(FAKE + "\n")
    return 2 * x


def scale_(layer, k):
    print(FAKE)
    return layer
