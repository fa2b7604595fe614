"""Renderings of an ExerciseResult: JSON (Gradescope shape), text for people, JUnit XML for CI."""

from grader.runner.reports.json_report import render_json
from grader.runner.reports.junit import render_junit
from grader.runner.reports.text import render_text

__all__ = ["render_json", "render_junit", "render_text"]
