# Zeroes grad_output in place, then returns 2 * x * grad_output (all zeros): a check that computed
# its reference afterwards from the same tensor would see zeros too. Policy-legal code.
import torch


class Square(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad_output.zero_()
        return 2 * x * grad_output
