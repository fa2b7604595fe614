"""Fixture files only: the check files of the exercise fixtures are data, not tests to collect."""

collect_ignore_glob = ["*"]
