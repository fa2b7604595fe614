"""Lint the learner-facing texts of a bank file: every ``{zh, en}`` text, at its own line.

``grader validate`` runs these lints over the texts a learner reads (the bank's title and
description; each question's prompt, hint, explanation, options, reference and key points: every
``{zh, en}`` mapping, whatever the question type):

- ``lint_sources``: no citation of the seed notes (always on);
- ``lint_typography``: CJK typography (on by default; ``typography=False`` turns it off);
- ``lint_claims``: an explanation claiming an error, in-place behaviour or memory sharing needs a
  ``verify`` block (on by default; ``claims=False`` turns it off).

``lint_exercise_file`` runs the first two over an exercise's ``exercise.yaml``: its ``title``,
``statement`` and every hint (no claims lint: an exercise has no ``verify`` blocks; its hidden
checks are what prove the statement).

They read the file's node tree rather than the validated models, so each problem names the line
of the offending character, even inside a ``>-`` block, and so questions with schema problems are
linted too. A lint problem is a problem for ``grader validate`` only: the loader (and so the app)
still serves the question. A file that does not parse is not linted (its syntax error is
reported by the loader).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from grader.bank.lint_claims import lint_claims
from grader.bank.lint_sources import lint_sources
from grader.bank.lint_typography import lint_typography
from grader.bank.problems import Problem
from grader.bank.scalars import scalar_text
from grader.bank.source import decode, parse

__all__ = ["lint_bank_file", "lint_bank_text", "lint_exercise_file", "lint_exercise_text"]

_LANGS = frozenset({"zh", "en"})
_TEXT_FLAGS = frozenset({"gives_away"})
"""Keys a text mapping may carry beside its languages (a hint's ``gives_away``)."""


def lint_bank_file(path: Path, *, typography: bool = True, claims: bool = True) -> list[Problem]:
    """The lint problems of the bank file at ``path`` (none when it cannot be read or parsed:
    the loader reports why); ``claims=False`` leaves out the claims lint."""
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    text, _ = decode(raw)
    if text is None:
        return []
    return lint_bank_text(text, str(path), typography=typography, claims=claims)


def lint_bank_text(
    source: str, path: str, *, typography: bool = True, claims: bool = True
) -> list[Problem]:
    """The lint problems of one bank file's content; problems name ``path``."""
    doc, _ = parse(source)
    if doc is None or not isinstance(doc.root, MappingNode):
        return []
    problems: list[Problem] = []
    for key, value in doc.root.value:
        if not isinstance(key, ScalarNode):
            continue
        if key.value in ("title", "description"):
            for field, lang, node in _texts(value, key.value):
                problems += _lint(node, source, path, None, field, lang, typography)
        elif key.value == "questions" and isinstance(value, SequenceNode):
            for index, item in enumerate(value.value):
                qid = _question_id(item, index)
                for field, lang, node in _texts(item, ""):
                    problems += _lint(node, source, path, qid, field, lang, typography)
                if claims:
                    problems += lint_claims(item, source, path, qid)
    return problems


_EXERCISE_TEXTS = ("title", "statement", "hints")
"""The keys of an ``exercise.yaml`` whose ``{zh, en}`` texts a learner reads."""


def lint_exercise_file(path: Path, *, typography: bool = True) -> list[Problem]:
    """The lint problems of the texts of the ``exercise.yaml`` at ``path`` (none when it cannot
    be read or parsed: the exercise loader reports why)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return []
    text, _ = decode(raw)
    if text is None:
        return []
    return lint_exercise_text(text, str(path), typography=typography)


def lint_exercise_text(source: str, path: str, *, typography: bool = True) -> list[Problem]:
    """The lint problems of one ``exercise.yaml``'s title, statement and hints; problems name
    ``path`` and the exercise's ``id`` (or the folder's name when the file has none)."""
    doc, _ = parse(source)
    if doc is None or not isinstance(doc.root, MappingNode):
        return []
    exercise_id = Path(path).parent.name or None
    for key, value in doc.root.value:
        if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
            exercise_id = str(value.value) or exercise_id
    problems: list[Problem] = []
    for key, value in doc.root.value:
        if isinstance(key, ScalarNode) and key.value in _EXERCISE_TEXTS:
            for field, lang, node in _texts(value, key.value):
                problems += _lint(node, source, path, exercise_id, field, lang, typography)
    return problems


def _question_id(item: Node, index: int) -> str:
    if isinstance(item, MappingNode):
        for key, value in item.value:
            if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
                if value.value:
                    return str(value.value)
    return f"questions[{index}]"


def _texts(node: Node, where: str) -> Iterator[tuple[str, str, ScalarNode]]:
    """``(field, lang, node)`` for every ``{zh, en}`` text under ``node``; ``field`` is its
    place (``prompt``, ``options[2]``)."""
    if isinstance(node, MappingNode):
        keys = {k.value for k, _ in node.value if isinstance(k, ScalarNode)}
        if keys & _LANGS and keys <= _LANGS | _TEXT_FLAGS:
            for key, value in node.value:
                if (
                    key.value in _LANGS
                    and isinstance(value, ScalarNode)
                    and isinstance(value.value, str)
                ):
                    yield where, key.value, value
            return
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                yield from _texts(value, f"{where}.{key.value}" if where else str(key.value))
    elif isinstance(node, SequenceNode):
        for index, child in enumerate(node.value):
            yield from _texts(child, f"{where}[{index}]")


def _lint(
    node: ScalarNode,
    source: str,
    path: str,
    qid: str | None,
    field: str,
    lang: str,
    typography: bool,
) -> list[Problem]:
    text = scalar_text(node, source)
    found = lint_sources(text.value)
    if typography:
        found += [(f.index, f.message) for f in lint_typography(text, lang)]
    return [
        Problem(path, text.line_at(index), qid, f"{field} ({lang}): {message}")
        for index, message in sorted(found)
    ]
