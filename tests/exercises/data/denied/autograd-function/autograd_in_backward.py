import torch


class SoftplusFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        z = x * beta
        return torch.where(z > threshold, x, torch.log1p(torch.exp(-z.abs())) + z.clamp(min=0))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        with torch.enable_grad():
            t = x.detach().requires_grad_(True)
            y = SoftplusFunction.forward(ctx, t, ctx.beta, ctx.threshold)
            (g,) = torch.autograd.grad(y, t, grad_output)
        return g, None, None


def softplus(x, beta=1.0, threshold=20.0):
    return SoftplusFunction.apply(x, beta, threshold)
