"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path

import click

course_option = click.option(
    "--course",
    type=click.Path(path_type=Path),
    default=None,
    help="Course folder (default: $GRADER_COURSE, the current folder, or the bundled one).",
)
"""``--course DIR``: the course folder, resolved by grader.course.resolve_course."""
