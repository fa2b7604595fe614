"""Sandboxing of submissions: the RestrictedPython policy (policy.py and its guards) and the
OS isolation layers (limits, Landlock, seccomp, namespaces)."""
