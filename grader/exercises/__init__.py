"""Code exercises: the model of ``exercises/<id>/exercise.yaml``, loading, and the static lint of an
exercise folder that ``grader validate`` runs (``lint``). No torch, no UI."""
