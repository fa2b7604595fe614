"""Pydantic validation errors -> plain messages with the line of the offending value.

Each error's ``loc`` is walked into the YAML node tree (``Document``), so the message points at the
value that is wrong (a key's own line for an unknown key, the enclosing mapping's line for a
missing key). Messages name the field as the author wrote it (``options[2].zh``) and say how to
fix it; unknown keys and types get a did-you-mean suggestion.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from grader.bank.model import QUESTION_MODELS, QUESTION_TYPES, BankText
from grader.bank.source import Document, Issue, Loc
from grader.errors import closest, did_you_mean
from grader.i18n import Text

__all__ = ["dotted", "translate_errors"]

_LANG_NAMES = {"zh": "Chinese", "en": "English"}
_UNKNOWN_KEY = ("extra_forbidden", "unexpected_keyword_argument")
"""An unknown key: in a model's mapping, and in a text's (a dataclass validated from a mapping)."""
_NOT_A_MAPPING = ("model_attributes_type", "model_type", "dict_type", "dataclass_type")

Schema = type[BaseModel] | type[Text]
"""What validates a mapping of a bank or an exercise: a pydantic model, or a text."""


def dotted(loc: Iterable[str | int]) -> str:
    """``('options', 2, 'zh')`` -> ``options[2].zh``."""
    out = ""
    for step in loc:
        if isinstance(step, int):
            out += f"[{step}]"
        else:
            out += f".{step}" if out else str(step)
    return out


def _fields(model: Schema) -> dict[str, Any]:
    """The keys of the mapping ``model`` validates, with their annotations (None for a text's)."""
    if issubclass(model, BaseModel):
        return {name: info.annotation for name, info in model.model_fields.items()}
    return {f.name: None for f in dataclasses.fields(model)}


def _models_in(annotation: Any) -> list[Schema]:
    """The models (and texts) an annotation can hold (through Optional, tuple, Annotated)."""
    origin = get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel | Text):
        return [annotation]
    if origin is None:
        return []
    found: list[Schema] = []
    for arg in get_args(annotation):
        if arg is not Ellipsis:
            found.extend(_models_in(arg))
    return found


def _model_at(root: Schema, loc: Sequence[str | int]) -> Schema | None:
    """The model (or text) class that validated the mapping at ``loc`` (None if neither)."""
    model: Schema | None = root
    for step in loc:
        if isinstance(step, int):
            continue
        fields = _fields(model) if model is not None else {}
        if step not in fields:
            return None
        candidates = _models_in(fields[step])
        model = candidates[0] if len(candidates) == 1 else None
    return model


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{'true' if value else 'false'}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"
    return repr(value)


def translate_errors(
    errors: list[ErrorDetails],
    *,
    doc: Document,
    base: Loc,
    root: type[BaseModel] | None,
    tagged: bool = False,
) -> list[Issue]:
    """Turn pydantic errors into issues.

    Args:
        errors: ``ValidationError.errors()``.
        doc: the parsed file the validated data came from.
        base: where the validated data sits in the file (``('questions', 3)`` for a question).
        root: the model that validated the data (None when it was the question union).
        tagged: the data was validated by the question union: ``loc[0]`` is the type tag.
    """
    issues: list[Issue] = []
    locs = [tuple(err["loc"]) for err in errors]
    misspelt = _misspelt_keys(errors)
    missing: dict[tuple[str | int, ...], list[str]] = {}
    for err in errors:
        if err["type"] == "missing":
            loc = tuple(err["loc"])
            missing.setdefault(loc[:-1], []).append(str(loc[-1]))
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "too_short" and any(
            len(other) > len(loc) and other[: len(loc)] == loc for other in locs
        ):
            continue  # "too short after validation" only repeats the errors of its items
        if err["type"] == "missing" and loc in misspelt:
            continue  # the unknown key that looks like it already says so
        model = root
        if tagged and loc and err["type"] not in ("union_tag_invalid", "union_tag_not_found"):
            model = QUESTION_MODELS.get(str(loc[0]))
            loc = loc[1:]
        absent = missing.get(tuple(err["loc"])[:-1], [])
        issues.append(_one(err, loc, doc=doc, base=tuple(base), root=model, absent=absent))
    return issues


def _misspelt_keys(errors: list[ErrorDetails]) -> set[tuple[str | int, ...]]:
    """Locs of missing keys that an unknown key of the same mapping is a close match for."""
    missing = {tuple(e["loc"]) for e in errors if e["type"] == "missing"}
    found: set[tuple[str | int, ...]] = set()
    for err in errors:
        if err["type"] not in _UNKNOWN_KEY:
            continue
        loc = tuple(err["loc"])
        candidates = [str(m[-1]) for m in missing if m[:-1] == loc[:-1]]
        close = closest(str(loc[-1]), candidates)
        if close is not None:
            found.add(loc[:-1] + (close,))
    return found


@dataclasses.dataclass(frozen=True)
class _Error:
    """One pydantic error, with what its message needs."""

    err: ErrorDetails
    loc: tuple[str | int, ...]
    """Where the error is, inside the validated data (the type tag already dropped)."""
    doc: Document
    base: tuple[Any, ...]
    root: Any
    """The model that validated the data (None when unknown)."""
    absent: list[str]
    """Keys missing from the same mapping (did-you-mean prefers them for an unknown key)."""

    @property
    def kind(self) -> str:
        return self.err["type"]

    @property
    def value(self) -> Any:
        return self.err.get("input")

    @property
    def ctx(self) -> dict[str, Any]:
        return self.err.get("ctx") or {}

    @property
    def name(self) -> str:
        """The field as the author wrote it (``options[2].zh``)."""
        return dotted(self.loc) or "value"

    @property
    def full(self) -> tuple[Any, ...]:
        """Where the error is in the file."""
        return self.base + self.loc

    @property
    def last(self) -> str | int | None:
        return self.loc[-1] if self.loc else None

    @property
    def line(self) -> int | None:
        """The line of the offending value."""
        return self.doc.line_of(self.full)

    def issue(self, message: str) -> Issue:
        """``message`` at the line of the offending value."""
        return Issue(self.line, message)


def _one(
    err: ErrorDetails,
    loc: tuple[str | int, ...],
    *,
    doc: Document,
    base: tuple[Any, ...],
    root: Any,
    absent: list[str],
) -> Issue:
    error = _Error(err, loc, doc, base, root, absent)
    explain = _EXPLAIN.get(error.kind)
    if explain is None:
        return error.issue(f"{error.name}: {err['msg']}")
    return explain(error)


def _unknown(e: _Error) -> Issue:
    return Issue(
        e.doc.key_line(e.full) or e.doc.line_of(e.full[:-1]),
        _unknown_key(e.loc, e.root, e.doc, e.base, e.absent),
    )


def _invalid_key(e: _Error) -> Issue:
    return Issue(
        e.doc.key_line(e.full) or e.doc.line_of(e.full[:-1]),
        f"key {_kind(e.value)} is not a name; keys are words such as 'answer'",
    )


def _missing(e: _Error) -> Issue:
    line = e.doc.line_of(e.full[:-1])
    if e.last in _LANG_NAMES:
        where = dotted(e.loc[:-1])
        return Issue(line, f"missing {_LANG_NAMES[str(e.last)]} translation '{e.last}' in {where}")
    return Issue(line, f"missing key '{e.last}'")


def _unknown_type(e: _Error) -> Issue:
    tag = e.ctx.get("tag", e.value)
    hint = did_you_mean(str(tag), QUESTION_TYPES)
    return Issue(
        e.doc.line_of(e.full + ("type",)),
        f"unknown type '{tag}'{hint}; the types are: {', '.join(QUESTION_TYPES)}",
    )


def _missing_type(e: _Error) -> Issue:
    return e.issue(f"missing key 'type' (one of: {', '.join(QUESTION_TYPES)})")


def _not_a_mapping(e: _Error) -> Issue:
    if not e.loc:
        return e.issue(
            f"a question must be a mapping of keys (id, type, ...), got {_kind(e.value)}"
        )
    if e.ctx.get("class_name") == BankText.__name__ or _is_text(e.root, e.loc):
        return e.issue(
            f"{e.name} must give both languages as a mapping {{zh: ..., en: ...}}, "
            f"got {_kind(e.value)}"
        )
    return e.issue(f"{e.name} must be a mapping, got {_kind(e.value)}")


def _empty_translation(e: _Error) -> Issue:
    return e.issue(
        f"empty {_LANG_NAMES[str(e.last)]} translation '{e.last}' in {dotted(e.loc[:-1])}"
    )


def _pattern_mismatch(e: _Error) -> Issue:
    if e.last in _LANG_NAMES and e.value is not None:
        return _empty_translation(e)
    if e.last in ("id", "bank"):
        return e.issue(
            f"{e.last} '{e.value}' must be kebab-case: lowercase letters, digits and '-' "
            "(e.g. autograd-leaf-grad)"
        )
    if "verify" in e.loc and isinstance(e.value, str) and e.value.strip():
        wanted = {
            "raises": "an exception class name (RuntimeError, torch.OutOfMemoryError)",
            "requires": "a module name (torchvision)",
            "reference": "a URL (https://...)",
        }
        for key, what in wanted.items():
            if key in e.loc:
                return e.issue(f"{e.name} must be {what}, got '{e.value}'")
    return e.issue(f"{e.name} must not be empty")


def _not_a_text(e: _Error) -> Issue:
    if e.value is None and e.last in _LANG_NAMES:
        return _empty_translation(e)
    if e.value is None:
        return e.issue(f"{e.name} is empty; give a text")
    return e.issue(f"{e.name} must be a text, got {_kind(e.value)}")


def _not_a_whole_number(e: _Error) -> Issue:
    if e.last == "difficulty":
        return e.issue(f"difficulty must be a whole number from 1 to 5, got {_kind(e.value)}")
    if "answer" in e.loc:
        return e.issue(
            f"{e.name} must be a 0-based option index (a whole number), got {_kind(e.value)}"
        )
    return e.issue(f"{e.name} must be a whole number, got {_kind(e.value)}")


def _not_a_bool(e: _Error) -> Issue:
    return e.issue(f"{e.name} must be true or false, got {_kind(e.value)}")


def _not_a_number(e: _Error) -> Issue:
    return e.issue(f"{e.name} must be a number, got {_kind(e.value)}")


def _not_finite(e: _Error) -> Issue:
    return e.issue(f"{e.name} must be a finite number, got {e.value}")


def _out_of_range(e: _Error) -> Issue:
    if e.last == "difficulty":
        return e.issue(f"difficulty must be from 1 to 5, got {e.value}")
    if e.last in ("tolerance", "rel_tolerance") and e.kind == "greater_than_equal":
        return e.issue(f"{e.name} must not be negative, got {e.value}")
    if e.last == "penalty":
        return e.issue(
            f"penalty must be from 0 to 1 (the fraction of the credit lost per wrong try), "
            f"got {e.value}"
        )
    if len(e.loc) >= 2 and e.loc[-2] == "credit":
        return e.issue(f"{e.name} must be a percentage from -100 to 100, got {e.value}")
    return e.issue(
        f"{e.name} must be {e.err['msg'].removeprefix('Input should be ')}, got {e.value}"
    )


def _too_few(e: _Error) -> Issue:
    return e.issue(_too_short(e.name, e.last, e.ctx, e.root))


def _not_a_list(e: _Error) -> Issue:
    example = " of option indices (e.g. [0, 2])" if _type_literal(e.root) == "multiple" else ""
    return e.issue(f"{e.name} must be a list{example}, got {_kind(e.value)}")


def _not_a_choice(e: _Error) -> Issue:
    expected = str(e.ctx.get("expected", ""))
    options = [
        part.strip(" '") for part in expected.replace(" or ", ",").split(",") if part.strip()
    ]
    hint = did_you_mean(str(e.value), options) if isinstance(e.value, str) else ""
    return e.issue(f"{e.name} must be one of {expected}, got {_kind(e.value)}{hint}")


def _invalid_value(e: _Error) -> Issue:
    return e.issue(f"{e.name}: {e.err['msg'].removeprefix('Value error, ')}")


_EXPLAIN: dict[str, Callable[[_Error], Issue]] = {
    **dict.fromkeys(_UNKNOWN_KEY, _unknown),
    "invalid_key": _invalid_key,
    "missing": _missing,
    "union_tag_invalid": _unknown_type,
    "union_tag_not_found": _missing_type,
    **dict.fromkeys(_NOT_A_MAPPING, _not_a_mapping),
    "string_pattern_mismatch": _pattern_mismatch,
    "string_type": _not_a_text,
    **dict.fromkeys(("int_type", "int_parsing", "int_from_float"), _not_a_whole_number),
    **dict.fromkeys(("bool_type", "bool_parsing"), _not_a_bool),
    **dict.fromkeys(("float_type", "float_parsing"), _not_a_number),
    "finite_number": _not_finite,
    **dict.fromkeys(
        ("greater_than_equal", "less_than_equal", "greater_than", "less_than"), _out_of_range
    ),
    "too_short": _too_few,
    **dict.fromkeys(("tuple_type", "list_type"), _not_a_list),
    "literal_error": _not_a_choice,
    "value_error": _invalid_value,
}
"""How each pydantic error type is explained; any other type gets pydantic's own message."""


def _is_text(root: Any, loc: tuple[str | int, ...]) -> bool:
    if root is None or not loc:
        return False
    parent = _model_at(root, loc[:-1])
    fields = _fields(parent) if parent is not None else {}
    if not isinstance(loc[-1], str) or loc[-1] not in fields:
        return False
    return any(issubclass(m, Text) for m in _models_in(fields[loc[-1]]))


def _too_short(name: str, last: Any, ctx: dict[str, Any], root: Any) -> str:
    minimum = ctx.get("min_length", 1)
    actual = ctx.get("actual_length", 0)
    if last == "options":
        qtype = _type_literal(root)
        article = "an" if qtype and qtype[0] in "aeiou" else "a"
        what = f"{article} {qtype} question" if qtype else "this question"
        if actual == 0:
            return f"options is empty; {what} needs at least {minimum} options"
        return f"options has {actual}; {what} needs at least {minimum} options"
    if last == "tags":
        return "tags is empty; give at least one topic tag"
    if last == "answer":
        return "answer is empty; list at least one correct answer"
    return f"{name} is empty; give at least {minimum} item{'s' if minimum != 1 else ''}"


def _type_literal(model: Any) -> str | None:
    if model is None or "type" not in getattr(model, "model_fields", {}):
        return None
    args = get_args(model.model_fields["type"].annotation)
    return str(args[0]) if args else None


def _unknown_key(
    loc: tuple[str | int, ...],
    root: Any,
    doc: Document,
    base: tuple[Any, ...],
    absent: list[str],
) -> str:
    """Message for an unknown key; did-you-mean prefers keys missing from the same mapping."""
    key = str(loc[-1])
    parent_loc = loc[:-1]
    model = _model_at(root, parent_loc) if root is not None else None
    known = list(_fields(model)) if model is not None else []
    where = f" in {dotted(parent_loc)}" if parent_loc else ""
    qtype = _type_literal(model) if not parent_loc else None
    if qtype == "order" and key == "answer":
        message = (
            "order questions take no 'answer': write the options in the correct order "
            "(they are shown shuffled)"
        )
        written = doc.node_at(base + loc)
        value = _value_at(doc, base + loc) if written[1] == len(base + loc) else None
        options = _value_at(doc, base + ("options",))
        if isinstance(value, list) and isinstance(options, list):
            n = len(options)
            indices = all(type(v) is int for v in value)  # [1, 'x'] cannot be sorted
            if not indices or sorted(value) != list(range(n)):
                message += f"; besides, {value} is not a permutation of 0..{n - 1}"
        return message
    if qtype is not None:
        owners = [t for t, m in QUESTION_MODELS.items() if key in m.model_fields]
        if owners:
            return f"unknown key '{key}' for type '{qtype}' (it belongs to: {', '.join(owners)})"
    return f"unknown key '{key}'{where}{did_you_mean(key, absent) or did_you_mean(key, known)}"


def _value_at(doc: Document, loc: Sequence[str | int]) -> Any:
    value: Any = doc.data
    for step in loc:
        if isinstance(value, dict) and step in value:
            value = value[step]
        elif isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
            value = value[step]
        else:
            return None
    return value
