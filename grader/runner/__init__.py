"""Grading: runs an exercise's pytest checks against a submission inside the sandbox."""
