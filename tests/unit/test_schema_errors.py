"""Schema errors the broken banks of test_bank_broken do not reach: an exercise spec's, and those
of schemas the banks do not have (a nested model, a plain Text field, a length limit, a question
that is not a mapping), as grader.bank.schema_errors.translate_errors words any schema's."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from grader.bank.model import Question
from grader.bank.schema_errors import translate_errors
from grader.bank.source import Document, parse
from grader.exercises.lint import lint_exercise
from grader.i18n import Text

DATA = Path(__file__).resolve().parents[1] / "data"


def test_exercise_spec_errors_are_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each mistake in exercise.yaml is reported at its line, in the author's words."""
    monkeypatch.chdir(DATA / "banks" / "spec_errors")
    _, problems = lint_exercise(Path("bad-spec"), None)
    spec = [str(p) for p in problems if p.path.endswith("exercise.yaml")]
    assert spec == [
        "bad-spec/exercise.yaml:1: bad-spec: format_version must be one of 1, got 2",
        "bad-spec/exercise.yaml:5: bad-spec: points must be greater than 0, got 0",
        "bad-spec/exercise.yaml:6: bad-spec: device must be one of 'cpu', 'cuda' or 'any', "
        "got 'gpu' (did you mean 'cpu'?)",
        "bad-spec/exercise.yaml:7: bad-spec: time_limit must be less than or equal to 600, got 900",
        "bad-spec/exercise.yaml:8: bad-spec: memory_limit_mb must be a whole number, got 'lots'",
        "bad-spec/exercise.yaml:9: bad-spec: hints is empty; give at least 1 item",
        "bad-spec/exercise.yaml:11: bad-spec: deny[1]: 'not a name!' is not a dotted torch name: "
        "write a module, function, class or method such as torch.nn.functional, torch.softmax, "
        "torch.nn.Softmax or Tensor.softmax (public names only, no spaces)",
    ]


def _document(name: str) -> Document:
    doc, issues = parse((DATA / "schema" / name).read_text(encoding="utf-8"))
    assert doc is not None and not issues
    return doc


class _Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    size: int


class _Outer(BaseModel):
    model_config = ConfigDict(extra="forbid")
    inner: _Inner
    caption: Text
    code: str = Field(max_length=3)


def test_other_schemas_get_plain_messages() -> None:
    """A nested model given a scalar is 'must be a mapping'; a plain Text field asks for both
    languages; an error type with no message of ours keeps pydantic's, with the field named."""
    doc = _document("other_model.yaml")
    with pytest.raises(ValidationError) as raised:
        _Outer.model_validate(doc.data)
    issues = translate_errors(raised.value.errors(), doc=doc, base=(), root=_Outer)
    assert [(i.line, i.message) for i in issues] == [
        (1, "inner must be a mapping, got 'small'"),
        (2, "caption must give both languages as a mapping {zh: ..., en: ...}, got 'plain words'"),
        (3, "code: String should have at most 3 characters"),
    ]


def test_a_question_that_is_not_a_mapping() -> None:
    """Validated by the question union, a list where a question should be is named as such."""
    doc = _document("question_list.yaml")
    with pytest.raises(ValidationError) as raised:
        TypeAdapter(Question).validate_python(doc.data["questions"][0])
    errors = raised.value.errors()
    issues = translate_errors(errors, doc=doc, base=("questions", 0), root=None, tagged=True)
    assert [(i.line, i.message) for i in issues] == [
        (2, "a question must be a mapping of keys (id, type, ...), got a list")
    ]
