"""Question banks: the model, YAML loading with file:line problems, and answer checking.

No torch, no UI: this package must import in a few milliseconds.
"""
