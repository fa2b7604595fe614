# Compile and load native code with torch's C++ extension builder.
import torch
from torch.utils.cpp_extension import load_inline

load_inline("pwn", "int f() { return system(\"touch @@MARKER@@\"); }", functions=["f"]).f()


def add_one(x):
    return x + 1
