"""Where a batch's grades run: ``local`` (threads of this process, the default) or ``ray``
(actors on a Ray cluster, an optional extra). The driver in :mod:`grader.batch.run` is the same
for both; :mod:`grader.batch.backends.base` says what a backend does."""

BACKENDS = ("local", "ray")
"""The values of ``grader batch --backend``."""
