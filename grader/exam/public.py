"""Provides :func:`public_matches`: the drawn questions of a class exam that ship publicly.

The bundled questions (``questions/*.yaml`` and ``questions/generated/``) are in every install of
torch-grader, answers and explanations included, so a student can look one up (``grader show``)
or, for a parametrised question, match their own numbers against its template. ``grader exam
build`` refuses the bundled course; a private course that copies a bundled question, as it is or
under another id, gets a warning naming it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass

from grader.bank.model import QuestionBase
from grader.bank.params import Template
from grader.exam.build import Drawn, read_generated

__all__ = ["PublicMatch", "public_matches"]


@dataclass(frozen=True)
class PublicMatch:
    """A drawn question that ships publicly with torch-grader (its bundled questions)."""

    question: str
    """Its id in the course."""
    public: str
    """The id of the bundled question it matches."""
    same_id: bool
    """True: the same id; False: another id, the same content."""


def _template_hash(template: Template) -> str:
    """What a student matches their numbers against: the type, prompt, code and parameters of
    a parametrised question (not its id, tags, difficulty, hints or explanation)."""
    data = [template.type, template.fields.get("prompt"), template.code, template.params]
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def _question_hash(question: QuestionBase) -> str:
    """``grader.study.content.content_hash`` with the id left out (a copy may be renamed)."""
    from grader.study.content import content_hash

    return content_hash(question.model_copy(update={"id": ""}))


def public_matches(drawn: Sequence[Drawn]) -> list[PublicMatch]:
    """The questions of ``drawn`` that match a bundled question (ordinary or parametrised) by
    id or by content (:func:`grader.study.content.content_hash` for a question, the prompt,
    code and parameters for a parametrised one): the bundled content is on PyPI, answers and
    explanations included, so students can look them up (``grader show``)."""
    from grader.course import bundled_root, resolve_course
    from grader.study.content import load_catalog

    bundled = resolve_course(bundled_root())
    catalog = load_catalog(bundled)
    generated, _ = read_generated(bundled.questions)
    templates = {t.id: t for _, t in generated.templates}
    by_hash = {_question_hash(q): q.id for q in catalog.questions.values()}
    by_template_hash = {_template_hash(t): t.id for t in templates.values()}
    found = []
    for question in drawn:
        if question.id in catalog.questions or question.id in templates:
            found.append(PublicMatch(question.id, question.id, same_id=True))
            continue
        if isinstance(question, Template):
            public = by_template_hash.get(_template_hash(question))
        else:
            public = by_hash.get(_question_hash(question))
        if public is not None:
            found.append(PublicMatch(question.id, public, same_id=False))
    return found
