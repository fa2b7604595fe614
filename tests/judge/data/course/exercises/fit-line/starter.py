def train(model, loader, epochs=2, lr=0.1):
    # TODO: train the model
    return [0.0] * epochs
