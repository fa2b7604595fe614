"""autograd-function: a numerically stable softplus as a custom torch.autograd.Function.

Edit this file, then run `grader check autograd-function <this file>` to try the public checks.
F.softplus, nn.Softplus, logaddexp, logsumexp, logsigmoid, torch.autograd.grad and .backward()
are forbidden here, even in code that never runs (see the statement for the whole list).
"""

import torch


class SoftplusFunction(torch.autograd.Function):
    """softplus(x) = log(1 + exp(beta * x)) / beta, and x itself where beta * x > threshold."""

    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta = beta
        ctx.threshold = threshold
        # TODO: return x itself where beta * x > threshold (strictly)
        # TODO: exp(beta * x) overflows for large beta * x: use max(z, 0) + log1p(exp(-|z|))
        return torch.log1p(torch.exp(beta * x)) / beta

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        # TODO: the derivative is sigmoid(beta * x) on the smooth part and 1 on the linear part;
        # multiply it by grad_output. Return one value per input of forward: (grad_x, None, None)
        return grad_output, None, None


def softplus(x, beta=1.0, threshold=20.0):
    """SoftplusFunction with the defaults of F.softplus."""
    return SoftplusFunction.apply(x, beta, threshold)
