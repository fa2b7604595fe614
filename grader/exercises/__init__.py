"""Code exercises: the model of ``exercises/<id>/exercise.yaml`` and loading. No torch, no UI."""
