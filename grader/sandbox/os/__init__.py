"""The OS layers of the executor's sandbox: network namespace, rlimits, uid and capability drop,
no_new_privs, Landlock, seccomp, the scratch quota and a scrubbed environment.

:mod:`grader.sandbox.os.layers` is the API (``prepare``, ``harden``, ``available_layers``);
:mod:`~grader.sandbox.os.plan` holds the layer names, a child's limits and what ``prepare``
computes once, for both ``harden`` and the probe (:mod:`~grader.sandbox.os.probe`, which
``available_layers`` runs); ``diagnose`` is ``grader doctor``'s report. The other modules are one
layer each (``_libc`` and ``paths`` are their shared helpers). This package never imports the
language layer (:mod:`grader.sandbox.policy`).
"""
