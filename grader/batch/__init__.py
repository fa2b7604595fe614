"""Batch grading of a class: discover submissions, grade with warm workers, journal, gradebook."""
