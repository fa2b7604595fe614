"""The question model: one pydantic class per question type, the schema described once.

Field names here are the YAML keys documented in ``questions/README.md``. Validation of
cross-field rules (answers in range, duplicate options, ...) lives in ``grader.bank.rules`` so that
every problem can be reported with its file and line.

Answers are strictly typed (``answer: "2"`` or ``answer: true`` is not an option index), texts must
not be blank, and numbers must be finite: the schema catches a wrong shape where it is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StringConstraints,
    field_validator,
)

from grader.i18n import Text

QUESTION_TYPES = (
    "single",
    "multiple",
    "true_false",
    "fill",
    "numeric",
    "order",
    "code_output",
    "short",
)


NonBlank = Annotated[str, StringConstraints(pattern=r"\S")]
"""A string with at least one non-whitespace character."""
Tolerance = Annotated[StrictFloat, Field(ge=0, allow_inf_nan=False)]
"""A finite, non-negative number."""


@dataclass(frozen=True, kw_only=True, slots=True, eq=False)
class BankText(Text):
    """A learner-facing text of a bank or an exercise: a :class:`grader.i18n.Text` whose two
    texts must not be blank, written as the mapping ``{zh: ..., en: ...}`` and nothing else."""

    __pydantic_config__ = ConfigDict(extra="forbid")

    zh: NonBlank
    """Chinese text."""
    en: NonBlank
    """English text."""


class QuestionBase(BaseModel):
    """Fields every question has."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$")
    """Unique across the course, stable forever (progress refers to it)."""
    type: str
    """One of QUESTION_TYPES."""
    difficulty: StrictInt = Field(ge=1, le=5)
    """1 (recall) .. 5 (expert)."""
    tags: tuple[NonBlank, ...] = Field(min_length=1)
    """Topics; the tag ``misconception`` marks a question built on a common mistake."""
    source: str | None = None
    """Id of the seed section (``questions/seed_sections.yaml``) the question comes from."""
    prompt: BankText
    """The question, Markdown."""
    hint: BankText | None = None
    """An optional nudge shown on request."""
    explanation: BankText
    """Why the answer is right, shown after answering; it teaches, not just restates."""


class SingleQuestion(QuestionBase):
    """Pick exactly one option."""

    type: Literal["single"]
    options: tuple[BankText, ...] = Field(min_length=2)
    answer: StrictInt
    """Index (0-based) of the correct option."""
    shuffle: bool = True
    """Shuffle options when shown; set false for 'all of the above' style lists."""


class MultipleQuestion(QuestionBase):
    """Pick every correct option."""

    type: Literal["multiple"]
    options: tuple[BankText, ...] = Field(min_length=2)
    answer: tuple[StrictInt, ...] = Field(min_length=1)
    """Indices (0-based) of all correct options."""
    shuffle: bool = True
    partial_credit: bool = False
    """Moodle-style: each right choice +1/k, each wrong choice -1/k, floored at 0 (k = #correct)."""


class TrueFalseQuestion(QuestionBase):
    """A statement that is true or false."""

    type: Literal["true_false"]
    answer: StrictBool


class FillQuestion(QuestionBase):
    """Type a short answer (an identifier, a number, a word)."""

    type: Literal["fill"]
    answer: tuple[NonBlank, ...] = Field(min_length=1)
    """Accepted answers (a single string is accepted too); compared after normalisation."""
    regex: NonBlank | None = None
    """Optional regular expression; the normalised response must match it in full."""
    case_sensitive: bool = False

    @field_validator("answer", mode="before")
    @classmethod
    def _one_answer_is_a_list_of_one(cls, value: Any) -> Any:
        """``answer: x.grad`` means ``answer: [x.grad]`` (a lone number or boolean too: the loader
        then reads it as the text written)."""
        return (value,) if isinstance(value, str | int | float) else value


class NumericQuestion(QuestionBase):
    """Type a number."""

    type: Literal["numeric"]
    answer: Annotated[StrictFloat, Field(allow_inf_nan=False)]
    tolerance: Tolerance = 0.0
    """Absolute tolerance: |response - answer| <= tolerance."""
    rel_tolerance: Tolerance = 0.0
    """Relative tolerance: |response - answer| <= rel_tolerance * |answer|. Either one suffices."""


class OrderQuestion(QuestionBase):
    """Put the options in the right order. ``options`` are written in the correct order."""

    type: Literal["order"]
    options: tuple[BankText, ...] = Field(min_length=2)
    partial_credit: bool = False
    """Score = fraction of items at their correct position (exact order scores 1)."""


class CodeOutputQuestion(QuestionBase):
    """What does this code print? ``answer`` is checked against the installed torch by ``grader verify``."""

    type: Literal["code_output"]
    code: NonBlank
    answer: str
    """The exact output, compared line by line after stripping trailing whitespace and blank lines."""
    options: Annotated[tuple[str, ...], Field(min_length=2)] | None = None
    """Optional candidate outputs shown as choices; exactly one must equal ``answer``."""


class ShortQuestion(QuestionBase):
    """An open question, self-rated against a reference answer and key points."""

    type: Literal["short"]
    reference: BankText
    key_points: tuple[BankText, ...] = Field(min_length=1)


Question = Annotated[
    SingleQuestion
    | MultipleQuestion
    | TrueFalseQuestion
    | FillQuestion
    | NumericQuestion
    | OrderQuestion
    | CodeOutputQuestion
    | ShortQuestion,
    Field(discriminator="type"),
]

QUESTION_MODELS: dict[str, type[QuestionBase]] = {
    "single": SingleQuestion,
    "multiple": MultipleQuestion,
    "true_false": TrueFalseQuestion,
    "fill": FillQuestion,
    "numeric": NumericQuestion,
    "order": OrderQuestion,
    "code_output": CodeOutputQuestion,
    "short": ShortQuestion,
}
"""The model class of each question type, in ``QUESTION_TYPES`` order."""


class Bank(BaseModel):
    """One YAML file: a topic with its questions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bank: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """The bank's id (conventionally the file's stem)."""
    title: BankText
    description: BankText | None = None
    questions: tuple[Question, ...]
