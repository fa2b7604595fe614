"""The executor's sandbox, in two layers that know nothing of each other:

* :mod:`grader.sandbox.policy` — the language layer: the RestrictedPython policy, its compile-time
  transformer and runtime guards, and the generated deny table;
* :mod:`grader.sandbox.os` — the OS layers: namespaces, rlimits, privileges, Landlock, seccomp,
  the scratch quota and the scrubbed environment.

Both run in the executor only; the judge uses the policy to report compile-time violations.
"""
