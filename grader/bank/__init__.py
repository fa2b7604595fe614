"""Question banks: the model, YAML loading with file:line problems, and answer checking.

No torch, no UI: importing this package costs nothing; the names below are imported from their
modules on first use (PEP 562), so ``from grader.bank import load_banks`` works too.

- ``load_banks(paths) -> LoadResult`` (``grader.bank.loader``): banks and every problem;
  ``load_banks_or_raise``, ``all_questions``, ``find_question``.
- ``check_answer(question, response) -> Score`` (``grader.bank.answers``).
- ``Problem`` (``grader.bank.problems``): one ``path:line: id: message``.

``grader validate`` (banks with their id registry and seed sections, and exercise folders) is
:func:`grader.validate.validate_paths`, a layer below this package and ``grader.exercises``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "LoadResult": "grader.bank.loader",
    "LoadedBank": "grader.bank.loader",
    "Problem": "grader.bank.problems",
    "QuestionInfo": "grader.bank.bankfile",
    "Score": "grader.bank.answers",
    "all_questions": "grader.bank.loader",
    "check_answer": "grader.bank.answers",
    "find_question": "grader.bank.loader",
    "load_banks": "grader.bank.loader",
    "load_banks_or_raise": "grader.bank.loader",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'grader.bank' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
