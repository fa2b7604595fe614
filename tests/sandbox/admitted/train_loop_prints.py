"""fix-training-loop, style: set_to_none, f-string progress prints, str.format."""

import torch
from torch import nn, optim


def train(model, loader, epochs=1, lr=0.1):
    opt = optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    means = []
    for epoch in range(epochs):
        model.train()
        running = []
        for step, (inputs, targets) in enumerate(loader):
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(inputs), targets)
            loss.backward()
            opt.step()
            running.append(float(loss.detach()))
            if step % 100 == 0:
                print(f"epoch {epoch} step {step}: loss={running[-1]:.4f}")
        means.append(sum(running) / len(running))
        print("epoch {} mean {:.4f}".format(epoch, means[-1]))  # noqa: UP032 (str.format style)
    return means


if __name__ == "__main__":
    net = nn.Linear(2, 1)
    data = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.randn(8, 2), torch.randn(8, 1))
    )
    print(train(net, data))
