from torch.ao.quantization import MinMaxObserver


def choose_qparams(x, dtype):
    observer = MinMaxObserver()
    observer(x)
    scale, zero_point = observer.calculate_qparams()
    return float(scale), int(zero_point)
