"""The question model: one pydantic class per question type, the schema described once.

Field names here are the YAML keys documented in ``questions/README.md``. Validation of
cross-field rules (answers in range, duplicate options, ...) lives in ``grader.bank.rules`` so that
every problem can be reported with its file and line.

Answers are strictly typed (``answer: "2"`` or ``answer: true`` is not an option index), texts must
not be blank, and numbers must be finite: the schema catches a wrong shape where it is written.

Grading fields every question has (each with a default that keeps a bank written without it
meaning what it always meant; ``questions/README.md``, "Credit, points, penalty and hints"):

- ``points`` (default 1): what the question is worth in an exam's total (Moodle's default mark);
  a score is still a credit in [0, 1], and the exam adds up credit x points.
- ``penalty`` (default 0): the fraction of the question's credit lost for each earlier wrong try
  when a learner tries again (Moodle's penalty factor); a try earns
  ``max(0, credit - penalty x wrong tries before it)``.
- ``hint`` (one) or ``hints`` (a list, shown one at a time, in order); a hint marked
  ``gives_away: true`` says it gives the answer away (a class exam leaves it out).
- ``credit`` on ``single`` and ``multiple``: a percentage per option, negative allowed (Moodle's
  answer fractions); without it, ``single`` is right or wrong and ``multiple`` follows
  ``partial_credit``.
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
Credit = Annotated[StrictFloat, Field(ge=-100, le=100, allow_inf_nan=False)]
"""A percentage of a question's credit, from -100 to 100."""
Points = Annotated[StrictFloat, Field(gt=0, allow_inf_nan=False)]
"""A finite, positive number of points."""
Penalty = Annotated[StrictFloat, Field(ge=0, le=1, allow_inf_nan=False)]
"""A fraction of the credit, from 0 to 1."""
_DOTTED = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$"
"""A Python name, possibly dotted (``RuntimeError``, ``torch.OutOfMemoryError``, ``torchvision``)."""


@dataclass(frozen=True, kw_only=True, slots=True, eq=False)
class BankText(Text):
    """A learner-facing text of a bank or an exercise: a :class:`grader.i18n.Text` whose two
    texts must not be blank, written as the mapping ``{zh: ..., en: ...}`` and nothing else."""

    __pydantic_config__ = ConfigDict(extra="forbid")

    zh: NonBlank
    """Chinese text."""
    en: NonBlank
    """English text."""


@dataclass(frozen=True, kw_only=True, slots=True, eq=False)
class Hint(BankText):
    """A hint: a bank text, written ``{zh: ..., en: ...}``, that may add ``gives_away: true``."""

    gives_away: StrictBool = False
    """True when the hint gives the answer away: a class exam's student file leaves it out."""

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Hint):
            return (self.zh, self.en, self.gives_away) == (other.zh, other.en, other.gives_away)
        return Text.__eq__(self, other)

    def __hash__(self) -> int:
        return hash((self.zh, self.en, self.gives_away))


class VerifyBlock(BaseModel):
    """A behavioural claim of the explanation, backed by a snippet that ``grader verify`` runs.

    With ``code``, exactly one of ``output`` (what the snippet prints, compared like a
    ``code_output`` answer) or ``raises`` (the exception it must raise, optionally with ``match``,
    a regular expression searched in its message). Without ``code`` the claim was checked by
    reading: ``reference`` (a URL) says where, and ``claim`` says what (cross-field rules in
    ``grader.bank.rules``; ``questions/README.md``, "Verified claims").
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    claim: NonBlank | None = None
    """What the block shows, in a few words (for authors; learners never see it)."""
    code: NonBlank | None = None
    """Python run in the same runner as ``code_output`` snippets."""
    output: str | None = None
    """The exact output of ``code``."""
    raises: Annotated[str, StringConstraints(pattern=_DOTTED)] | None = None
    """Name of the exception ``code`` raises (``RuntimeError``; a base class or the qualified
    name ``torch.OutOfMemoryError`` also matches)."""
    match: NonBlank | None = None
    """A regular expression searched in the exception's message (only with ``raises``)."""
    requires: tuple[Annotated[str, StringConstraints(pattern=_DOTTED)], ...] = ()
    """Modules ``code`` needs beyond torch and numpy; without one of them the block is skipped."""
    reference: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = None
    """Where the claim is documented: alone, the claim was checked by reading it."""


class QuestionBase(BaseModel):
    """Fields every question has."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

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
    hint: Hint | None = None
    """An optional nudge shown on request (``hints`` for several; not both)."""
    hints: tuple[Hint, ...] = ()
    """Several nudges, shown one at a time in this order (instead of ``hint``)."""
    explanation: BankText
    """Why the answer is right, shown after answering; it teaches, not just restates."""
    points: Points = 1.0
    """What the question is worth in an exam's total (credit x points)."""
    penalty: Penalty = 0.0
    """Fraction of the credit lost per earlier wrong try when the learner tries again."""
    verify: tuple[VerifyBlock, ...] = ()
    """Snippets backing the explanation's claims, run by ``grader verify``; required when the
    explanation claims an error, in-place behaviour or memory sharing (``lint_claims``)."""

    @property
    def all_hints(self) -> tuple[Hint, ...]:
        """Every hint in the order shown: ``(hint,)``, or ``hints`` (empty when there is none)."""
        return (self.hint,) if self.hint is not None else self.hints


class SingleQuestion(QuestionBase):
    """Pick exactly one option."""

    type: Literal["single"]
    options: tuple[BankText, ...] = Field(min_length=2)
    answer: StrictInt
    """Index (0-based) of the correct option."""
    shuffle: bool = True
    """Shuffle options when shown; set false for 'all of the above' style lists."""
    credit: tuple[Credit, ...] | None = None
    """Optional credit of each option, a percentage (the answer's is 100; others below 100, may
    be negative); the chosen option's credit is the score, floored at 0. None: right or wrong."""


class MultipleQuestion(QuestionBase):
    """Pick every correct option."""

    type: Literal["multiple"]
    options: tuple[BankText, ...] = Field(min_length=2)
    answer: tuple[StrictInt, ...] = Field(min_length=1)
    """Indices (0-based) of all correct options."""
    shuffle: bool = True
    partial_credit: bool = False
    """Moodle-style: each right choice +1/k, each wrong choice -1/k, floored at 0 (k = #correct)."""
    credit: tuple[Credit, ...] | None = None
    """Optional credit of each option, a percentage: positive for the options in ``answer``
    (adding up to 100), zero or negative for the others. The score is the sum of the chosen
    options' credits, from 0 to 100 %. None: ``partial_credit`` decides."""


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

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    bank: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    """The bank's id (conventionally the file's stem)."""
    title: BankText
    description: BankText | None = None
    questions: tuple[Question, ...]
