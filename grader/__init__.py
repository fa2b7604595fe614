"""torch-grader: learn and examine PyTorch with bilingual quizzes and sandboxed code exercises.

Importing the package is cheap: it loads neither torch nor textual.
"""

import logging as _logging

__version__ = "0.1.0"

# Library use and the worker processes stay silent; the `grader` command adds the log file
# (grader.logs.configure). Without this, Python would print warnings to stderr by itself.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())

__all__ = ["__version__"]
