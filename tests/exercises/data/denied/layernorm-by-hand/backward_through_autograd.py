import torch


class LayerNormFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, normalized_shape, weight, bias, eps):
        ctx.save_for_backward(x, weight, bias)
        ctx.normalized_shape, ctx.eps = normalized_shape, eps
        dims = tuple(range(-len(normalized_shape), 0))
        x_hat = (x - x.mean(dims, keepdim=True)) / torch.sqrt(
            x.var(dims, unbiased=False, keepdim=True) + eps
        )
        return x_hat * weight + bias

    @staticmethod
    def backward(ctx, grad_output):
        x, weight, bias = ctx.saved_tensors
        with torch.enable_grad():
            leaves = [t.detach().requires_grad_(True) for t in (x, weight, bias)]
            y = LayerNormFunction.forward(
                ctx, leaves[0], ctx.normalized_shape, leaves[1], leaves[2], ctx.eps
            )
            y.backward(grad_output)
        return leaves[0].grad, None, leaves[1].grad, leaves[2].grad, None
