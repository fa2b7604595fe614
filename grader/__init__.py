"""torch-grader: learn and examine PyTorch with bilingual quizzes and sandboxed code exercises.

Importing the package is cheap: it loads neither torch nor textual.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
