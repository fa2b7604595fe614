# Passes the policy (this exercise admits torch.load): only the OS layer stands between the
# submission and the hidden check. Reading it at all is a leak, so opening it "passes".
import torch


def add_one(x):
    try:
        torch.load("@@HIDDEN@@", weights_only=True)
    except OSError:
        raise  # the sandbox refused to open it: the expected outcome
    except Exception:
        return x + 1  # opened and read (not a checkpoint): a leak
    return x + 1
