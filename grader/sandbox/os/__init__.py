"""The OS layers of the executor's sandbox: network namespace, rlimits, uid and capability drop,
no_new_privs, Landlock, seccomp, the scratch quota and a scrubbed environment.

:mod:`grader.sandbox.os.layers` is the API (``prepare``, ``harden``, ``available_layers``); the
other modules are one layer each. This package never imports the language layer
(:mod:`grader.sandbox.policy`).
"""
