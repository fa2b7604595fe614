"""Parametrised questions: per-learner numbers whose answers torch computes.

A parametrised question is a question of an ordinary type (``code_output``, ``numeric``,
``single``, ``true_false``, ``fill``) written with ``params:`` (named, typed generators),
optional ``constraints:`` (conditions from a small declared vocabulary, never ``eval``'d) and
``{name}`` placeholders in its texts and code; its answer is left out, because it comes from
running the rendered code (``grader.verify.params``). This module draws parameters, renders
texts and checks templates; it never imports torch (``questions/README.md``, "Parametrised
questions").

    template = load_templates(path).templates[0]
    seed = derive_seed(learner_id, template.id, attempt)
    values = template.draw(seed)                     # {'a': (2, 1, 3), 'n': 4, ...}
    code = render(template.code, values)

Placeholders: ``{name}``; ``{{`` and ``}}`` write a literal brace (a dict literal, an f-string).
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.bank.problems import Problem

__all__ = [
    "CONSTRAINTS",
    "GENERATORS",
    "MAX_DRAWS",
    "PARAM_TYPES",
    "ParamError",
    "Template",
    "TemplateFile",
    "Unsatisfiable",
    "derive_seed",
    "load_templates",
    "placeholders",
    "render",
]

MAX_DRAWS = 500
"""Draws tried before a seed's constraints are declared unsatisfiable."""
PARAM_TYPES = ("code_output", "numeric", "single", "true_false", "fill")
"""Types whose answer can be computed by running code."""
_NO_PARAMS = {
    "multiple": "a multiple-choice answer is a set of options, and code computes one value",
    "order": "the answer is the written order of the options, and there is nothing to compute",
    "short": "the answer is self-rated against a written reference, and there is nothing to "
    "compute",
}
GENERATORS = ("int", "choice", "shape", "dtype", "float")
"""The generator kinds a parameter may use (the key of its mapping)."""
CONSTRAINTS = ("broadcastable", "not_broadcastable", "less_than", "distinct", "divides")
"""The constraint vocabulary (the key of each ``constraints:`` item)."""
DTYPES = (
    "bool",
    "uint8",
    "int8",
    "int16",
    "int32",
    "int64",
    "float16",
    "bfloat16",
    "float32",
    "float64",
    "complex64",
    "complex128",
)
_TEMPLATE_KEYS = ("params", "constraints", "wrong_rules", "computed", "option_count")
_TOKEN = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)\}|[{}]")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_RESERVED = frozenset({"answer"})


class ParamError(ValueError):
    """A text that cannot be rendered: a stray brace or an unknown placeholder."""


class Unsatisfiable(ValueError):
    """No draw within ``MAX_DRAWS`` satisfied every constraint."""


def derive_seed(learner: str, question_id: str, attempt: int | str) -> int:
    """The seed of one attempt: SHA-256 of learner id, question id and attempt number (64 bits).

    Not Python's ``hash()``, which is salted per process: the same three values give the same
    seed on every machine and in every run. A class exam passes, instead of an attempt number,
    a label naming the exam (``grader.exam.build``).
    """
    digest = hashlib.sha256(f"{learner}\x00{question_id}\x00{attempt}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def placeholders(text: str) -> list[str]:
    """The placeholder names of ``text`` in order; ``ParamError`` for a lone ``{`` or ``}``."""
    names = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if match.group(1) is not None:
            names.append(match.group(1))
        elif token in ("{", "}"):
            line = text.count("\n", 0, match.start()) + 1
            raise ParamError(
                f"a lone '{token}' (line {line} of the text): write '{token * 2}' for a literal "
                f"brace, or '{{name}}' for a parameter"
            )
    return names


def render(text: str, values: Mapping[str, Any]) -> str:
    """``text`` with every ``{name}`` replaced by its value (``format_value``) and ``{{``/``}}``
    by one brace; ``ParamError`` for an unknown name or a lone brace."""

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        name = match.group(1)
        if name is not None:
            if name not in values:
                raise ParamError(f"unknown placeholder '{{{name}}}'")
            return format_value(values[name])
        if token in ("{{", "}}"):
            return token[0]
        raise ParamError(f"a lone '{token}': write '{token * 2}' for a literal brace")

    return _TOKEN.sub(replace, text)


def format_value(value: Any) -> str:
    """How a value reads in a text and in code: a shape as a tuple (``(2, 3)``), a dtype as
    ``torch.float32``, a number as Python writes it."""
    if isinstance(value, DType):
        return f"torch.{value.name}"
    if isinstance(value, tuple):
        return repr(tuple(value))
    return str(value)


@dataclass(frozen=True, slots=True)
class DType:
    """A drawn dtype (rendered ``torch.<name>``)."""

    name: str


@dataclass(frozen=True)
class Param:
    """One parameter: its name, its generator kind and the generator's settings."""

    name: str
    kind: str
    spec: Any
    exclude: tuple[Any, ...] = ()
    digits: int = 2

    def draw(self, rng: random.Random) -> Any:
        """One value; ``int`` redraws excluded values (its range must leave one)."""
        if self.kind == "int":
            low, high = self.spec
            allowed = [v for v in range(low, high + 1) if v not in self.exclude]
            return rng.choice(allowed)
        if self.kind == "choice":
            value = rng.choice(self.spec)
            return tuple(value) if isinstance(value, list) else value
        if self.kind == "shape":
            return tuple(
                dim if isinstance(dim, int) else rng.randint(dim[0], dim[1]) for dim in self.spec
            )
        if self.kind == "dtype":
            return DType(rng.choice(self.spec))
        low, high = self.spec
        return round(rng.uniform(low, high), self.digits)


def _broadcastable(a: Sequence[int], b: Sequence[int]) -> bool:
    return all(x == y or 1 in (x, y) for x, y in zip(reversed(a), reversed(b), strict=False))


def _holds(kind: str, args: Sequence[Any]) -> bool:
    if kind == "broadcastable":
        return _broadcastable(args[0], args[1])
    if kind == "not_broadcastable":
        return not _broadcastable(args[0], args[1])
    if kind == "less_than":
        return bool(args[0] < args[1])
    if kind == "divides":
        return args[0] != 0 and args[1] % args[0] == 0
    return len(set(args)) == len(args)  # distinct


_ARITY = {"broadcastable": 2, "not_broadcastable": 2, "less_than": 2, "divides": 2}
_KINDS_OF = {
    "broadcastable": ("shape",),
    "not_broadcastable": ("shape",),
    "less_than": ("int", "float", "choice"),
    "divides": ("int", "choice"),
}


@dataclass(frozen=True)
class Constraint:
    """One condition between parameters: ``{kind: [name, name, ...]}``."""

    kind: str
    names: tuple[str, ...]

    def holds(self, values: Mapping[str, Any]) -> bool:
        return _holds(self.kind, [values[n] for n in self.names])

    def __str__(self) -> str:
        return f"{self.kind}({', '.join(self.names)})"


@dataclass(frozen=True)
class Template:
    """One parametrised question as written: its fields with placeholders, its parameters, its
    constraints, its wrong rules (``single``) and the names its code computes for the
    explanation."""

    id: str
    type: str
    line: int
    fields: dict[str, Any]
    """The question's own fields (no answer), placeholders unrendered."""
    params: tuple[Param, ...]
    constraints: tuple[Constraint, ...] = ()
    wrong_rules: tuple[str, ...] = ()
    computed: tuple[str, ...] = ()
    """Names the code binds whose values the explanation may cite, besides ``answer``."""
    content_hash: str = ""
    """SHA-256 of the written question (the instance cache's key)."""
    option_count: int = 0
    """``single``: the number of options EVERY instance has (``option_count:``, by default 1 +
    the number of wrong rules); 0 for the other types."""

    @property
    def code(self) -> str:
        return str(self.fields.get("code", ""))

    def draw(self, seed: int, retry: int = 0) -> dict[str, Any]:
        """The parameter values of ``seed`` (``retry`` > 0: a redraw of the same seed);
        ``Unsatisfiable`` when no draw in ``MAX_DRAWS`` meets every constraint."""
        rng = random.Random(f"{seed}/{retry}")
        for _ in range(MAX_DRAWS):
            values = {p.name: p.draw(rng) for p in self.params}
            failed = [c for c in self.constraints if not c.holds(values)]
            if not failed:
                return values
        raise Unsatisfiable(
            f"no draw in {MAX_DRAWS} satisfied "
            + ", ".join(str(c) for c in self.constraints)
            + f" (seed {seed})"
        )

    def texts(self) -> list[tuple[str, str]]:
        """Every text that may hold placeholders, with where it is (``prompt.en``, ``code``)."""
        found: list[tuple[str, str]] = []

        def walk(value: Any, where: str) -> None:
            if isinstance(value, str):
                found.append((where, value))
            elif isinstance(value, Mapping):
                for key, item in value.items():
                    walk(item, f"{where}.{key}" if where else str(key))
            elif isinstance(value, list | tuple):
                for n, item in enumerate(value):
                    walk(item, f"{where}[{n}]")

        for key, value in self.fields.items():
            if key not in ("id", "type", "tags", "difficulty", "source", "verify"):
                walk(value, key)
        for n, rule in enumerate(self.wrong_rules):
            found.append((f"wrong_rules[{n}]", rule))
        return found

    def render_fields(
        self, values: Mapping[str, Any], computed: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The question's fields with every placeholder filled (``computed``: ``answer`` and the
        ``computed`` names, for the explanation and the hints)."""
        every = {**values, **computed}

        def fill(value: Any, key: str) -> Any:
            if isinstance(value, str):
                return render(value, every)
            if isinstance(value, Mapping):
                return {k: fill(v, key) for k, v in value.items()}
            if isinstance(value, list):
                return [fill(v, key) for v in value]
            return value

        skip = ("id", "type", "tags", "difficulty", "source", "verify")
        return {k: (v if k in skip else fill(v, k)) for k, v in self.fields.items()}


@dataclass
class TemplateFile:
    """What reading one file of parametrised questions found."""

    path: str
    bank: str | None = None
    title: dict[str, str] | None = None
    templates: list[Template] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def load_templates(path: str | Path, *, sample: bool = True) -> TemplateFile:
    """Read and check one file of parametrised questions (``bank:``, ``title:``, ``questions:``,
    each question with ``params:``); every problem names the file and line. ``sample=False``
    leaves out drawing ``VALIDATE_SEEDS`` seeds per question (the quiz's launch: ``grader
    validate`` has done it)."""
    from grader.bank.source import decode, parse  # YAML: not imported where templates are cached

    display = str(path)
    result = TemplateFile(display)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        result.problems.append(Problem(display, 1, None, f"cannot read the file: {exc}"))
        return result
    text, issue = decode(raw)
    if text is None or issue is not None:
        message = issue.message if issue is not None else "cannot decode the file"
        result.problems.append(Problem(display, issue.line if issue else 1, None, message))
        return result
    doc, issues = parse(text)
    if doc is None:
        message = issues[0].message if issues else "the file is empty"
        result.problems.append(Problem(display, issues[0].line if issues else 1, None, message))
        return result
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        result.problems.append(
            Problem(display, 1, None, "a bank needs 'bank:', 'title:' and a list 'questions:'")
        )
        return result
    result.bank = str(data.get("bank", ""))
    result.title = data.get("title")
    seen: dict[str, int] = {}
    for index, item in enumerate(data["questions"]):
        line = doc.line_of(("questions", index))
        qid = item.get("id") if isinstance(item, dict) else None
        qid_text = qid if isinstance(qid, str) else f"questions[{index}]"
        if isinstance(qid, str) and qid in seen:
            result.problems.append(
                Problem(display, line, qid, f"duplicate id (first at line {seen[qid]})")
            )
            continue
        if isinstance(qid, str):
            seen[qid] = line
        problems: list[Problem] = []

        def report(
            loc: tuple[Any, ...],
            message: str,
            _p: list[Problem] = problems,
            _i: int = index,
            _q: str = qid_text,
        ) -> None:
            _p.append(Problem(display, doc.line_of(("questions", _i, *loc)), _q, message))

        template = _check_template(item, line, report)
        if template is not None and not problems and sample:
            _check_instances(template, report)
        result.problems.extend(problems)
        if template is not None and not problems:
            result.templates.append(template)
    return result


Report = Any  # Callable[[tuple[Any, ...], str], None]


def _check_template(item: Any, line: int, report: Report) -> Template | None:
    """The template of one question mapping, or None after reporting why not."""
    if not isinstance(item, dict):
        report((), "a question must be a mapping ('- id: ...')")
        return None
    qtype = item.get("type")
    if qtype in _NO_PARAMS:
        report(("type",), f"params make no sense for type '{qtype}': {_NO_PARAMS[qtype]}")
        return None
    if qtype not in PARAM_TYPES:
        report(("type",), f"type must be one of {', '.join(PARAM_TYPES)} (got {qtype!r})")
        return None
    if "answer" in item:
        report(("answer",), "a parametrised question has no written answer: it is computed")
        return None
    if not isinstance(item.get("code"), str):
        report((), "a parametrised question needs 'code' (it computes the answer)")
        return None
    if qtype == "single":
        if "options" in item:
            report(("options",), "options are generated: declare 'wrong_rules' instead")
            return None
        rules = item.get("wrong_rules")
        if not (isinstance(rules, list) and rules and all(isinstance(r, str) for r in rules)):
            report((), "a parametrised 'single' needs 'wrong_rules', a list of code snippets")
            return None
        count = item.get("option_count", 1 + len(rules))
        if not (isinstance(count, int) and not isinstance(count, bool)) or not (
            2 <= count <= 1 + len(rules)
        ):
            report(
                ("option_count",),
                f"option_count must be a whole number from 2 to {1 + len(rules)} (the answer "
                f"and at most one distractor per wrong rule; got {count!r})",
            )
            return None
    elif "wrong_rules" in item or "option_count" in item:
        key = "wrong_rules" if "wrong_rules" in item else "option_count"
        report((key,), f"only a 'single' question has {key.replace('_', ' ')}")
        return None
    if qtype == "code_output" and "options" in item:
        report(("options",), "a parametrised code_output question has no options")
        return None
    params = _check_params(item.get("params"), report)
    if params is None:
        return None
    names = {p.name for p in params}
    computed_raw = item.get("computed", [])
    if not (isinstance(computed_raw, list) and all(isinstance(c, str) for c in computed_raw)):
        report(("computed",), "computed must be a list of names the code binds")
        return None
    for n, name in enumerate(computed_raw):
        if not _NAME.match(name) or name in names or name in _RESERVED:
            report(("computed", n), f"'{name}' is not a new Python name")
            return None
    constraints = _check_constraints(item.get("constraints", []), params, report)
    if constraints is None:
        return None
    fields = {k: v for k, v in item.items() if k not in _TEMPLATE_KEYS}
    digest = hashlib.sha256(repr(sorted(item.items(), key=lambda kv: kv[0])).encode()).hexdigest()
    template = Template(
        id=str(item.get("id")),
        type=str(qtype),
        line=line,
        fields=fields,
        params=params,
        constraints=constraints,
        wrong_rules=tuple(item.get("wrong_rules", ())),
        computed=tuple(computed_raw),
        content_hash=digest,
        option_count=int(item.get("option_count", 1 + len(item["wrong_rules"])))
        if qtype == "single"
        else 0,
    )
    ok = True
    for where, text in template.texts():
        loc = tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\[\]]+", where) if p)
        try:
            used = placeholders(text)
        except ParamError as exc:
            report(loc, f"{where}: {exc}")
            ok = False
            continue
        late = where.startswith(("explanation", "hint"))
        allowed = names | (set(template.computed) | _RESERVED if late else set())
        for name in used:
            if name not in allowed:
                if name in _RESERVED or name in template.computed:
                    why = "computed values may only be cited in the explanation and hints"
                else:
                    why = "not a parameter (params: " + ", ".join(sorted(names)) + ")"
                report(loc, f"{where}: unknown placeholder '{{{name}}}': {why}")
                ok = False
    return template if ok else None


def _check_params(raw: Any, report: Report) -> tuple[Param, ...] | None:
    if not isinstance(raw, dict) or not raw:
        report(("params",), "params must be a mapping of names to generators")
        return None
    params = []
    ok = True
    for name, spec in raw.items():
        param = _check_param(str(name), spec, report)
        if param is None:
            ok = False
        else:
            params.append(param)
    return tuple(params) if ok else None


def _int_pair(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) == 2
        and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        and value[0] <= value[1]
    )


def _check_param(name: str, spec: Any, report: Report) -> Param | None:
    where = ("params", name)
    if not _NAME.match(name) or name in _RESERVED:
        report(where, f"parameter name '{name}' must be a Python name other than 'answer'")
        return None
    kinds = [k for k in GENERATORS if isinstance(spec, dict) and k in spec]
    if len(kinds) != 1:
        report(where, f"parameter '{name}' needs exactly one generator: {', '.join(GENERATORS)}")
        return None
    kind = kinds[0]
    extra = set(spec) - {kind, "exclude", "digits"}
    if extra:
        report(where, f"parameter '{name}': unknown key {sorted(extra)[0]!r}")
        return None
    value = spec[kind]
    if kind == "int":
        exclude = spec.get("exclude", [])
        if not _int_pair(value) or not isinstance(exclude, list):
            report(where, f"'{name}': int needs [low, high] (integers, low <= high)")
            return None
        if not [v for v in range(value[0], value[1] + 1) if v not in exclude]:
            report(where, f"'{name}': exclude leaves no value in [{value[0]}, {value[1]}]")
            return None
        return Param(name, kind, tuple(value), exclude=tuple(exclude))
    if kind == "choice":
        if not isinstance(value, list) or not value:
            report(where, f"'{name}': choice needs a non-empty list")
            return None
        return Param(name, kind, tuple(value))
    if kind == "shape":
        dims_ok = (
            isinstance(value, list)
            and value
            and all(
                (isinstance(d, int) and not isinstance(d, bool) and d >= 0)
                or (_int_pair(d) and d[0] >= 0)
                for d in value
            )
        )
        if not dims_ok:
            report(where, f"'{name}': shape needs a list of dims, each a size or [low, high]")
            return None
        return Param(name, kind, tuple(d if isinstance(d, int) else tuple(d) for d in value))
    if kind == "dtype":
        if not isinstance(value, list) or not value or any(v not in DTYPES for v in value):
            report(where, f"'{name}': dtype needs a list of names from {', '.join(DTYPES)}")
            return None
        return Param(name, kind, tuple(value))
    digits = spec.get("digits", 2)
    numbers = isinstance(value, list) and len(value) == 2
    numbers = numbers and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    if not numbers or value[0] > value[1] or not isinstance(digits, int) or digits < 0:
        report(where, f"'{name}': float needs [low, high] and 'digits' (a count, default 2)")
        return None
    return Param(name, kind, (float(value[0]), float(value[1])), digits=digits)


def _check_constraints(
    raw: Any, params: Sequence[Param], report: Report
) -> tuple[Constraint, ...] | None:
    if not isinstance(raw, list):
        report(("constraints",), "constraints must be a list of {condition: [names]}")
        return None
    kinds = {p.name: p.kind for p in params}
    found = []
    for n, item in enumerate(raw):
        where = ("constraints", n)
        if not (isinstance(item, dict) and len(item) == 1):
            report(
                where,
                f"a constraint is one mapping {{condition: [names]}} ({', '.join(CONSTRAINTS)})",
            )
            return None
        ((kind, names),) = item.items()
        if kind not in CONSTRAINTS:
            report(where, f"unknown constraint '{kind}' (known: {', '.join(CONSTRAINTS)})")
            return None
        if not isinstance(names, list) or not all(isinstance(x, str) for x in names):
            report(where, f"{kind}: needs a list of parameter names")
            return None
        arity = _ARITY.get(kind)
        if (arity and len(names) != arity) or len(names) < 2:
            report(where, f"{kind}: needs {arity or 'at least 2'} parameter names")
            return None
        for name in names:
            if name not in kinds:
                report(where, f"{kind}: unknown parameter '{name}'")
                return None
            allowed = _KINDS_OF.get(kind)
            if allowed and kinds[name] not in allowed:
                report(where, f"{kind}: '{name}' is a {kinds[name]}, needs {' or '.join(allowed)}")
                return None
        found.append(Constraint(str(kind), tuple(names)))
    return tuple(found)


VALIDATE_SEEDS = 40
"""Seeds ``grader validate`` draws per question to find constraints it cannot satisfy."""
_STAND_IN: dict[str, Any] = {"code_output": "0", "numeric": 0.0, "true_false": True, "fill": "0"}


def instance_fields(
    template: Template,
    values: Mapping[str, Any],
    answer: Any,
    computed: Mapping[str, Any] | None = None,
    distractors: Sequence[str] = (),
    seed: int = 0,
    shown: str | None = None,
) -> dict[str, Any]:
    """The question mapping of one instance: the rendered fields plus the computed answer (and,
    for ``single``, the options: the answer and the ``distractors``, in an order the seed picks).
    ``shown`` is how the texts cite the answer (the runner's rounded form, so a float32
    gradient reads ``11.664``, not ``11.6639986038208``); by default ``format_value(answer)``.
    Validate it with ``grader.bank.bankfile.QUESTION_ADAPTER``."""
    if template.type == "code_output":
        shown = answer
    elif shown is None:
        shown = format_value(answer)
    fields = template.render_fields(values, {"answer": shown, **(computed or {})})
    if template.type != "code_output":
        fields.pop("code", None)  # only computes the answer; the prompt states the set-up
    if template.type == "single":
        options = [str(shown), *distractors]
        rng = random.Random(f"{seed}/options")
        order = list(range(len(options)))
        rng.shuffle(order)
        fields["options"] = [{"zh": options[i], "en": options[i]} for i in order]
        fields["answer"] = order.index(0)
    elif template.type == "numeric":
        fields["answer"] = float(answer)
    elif template.type == "true_false":
        fields["answer"] = bool(answer)
    else:
        fields["answer"] = str(shown)
    return fields


def _check_instances(template: Template, report: Report) -> None:
    """Sample seeds: report constraints no draw satisfies, and a rendered instance (with a
    stand-in answer) that the question model rejects."""
    from pydantic import ValidationError

    from grader.bank.bankfile import QUESTION_ADAPTER

    failed = []
    values = None
    for seed in range(VALIDATE_SEEDS):
        try:
            drawn = template.draw(seed)
        except Unsatisfiable:
            failed.append(seed)
        else:
            values = values or drawn
    if values is None or failed:
        listed = ", ".join(str(c) for c in template.constraints)
        report(
            ("constraints",),
            f"could not satisfy the constraints {listed} within {MAX_DRAWS} draws for "
            f"{len(failed)} of {VALIDATE_SEEDS} seeds (first: seed {failed[0]})",
        )
        return
    stand_in = _STAND_IN.get(template.type, "0")
    computed = {name: "0" for name in template.computed}
    distractors = [str(n) for n in range(1, template.option_count)]  # none unless single
    fields = instance_fields(template, values, stand_in, computed, distractors)
    try:
        QUESTION_ADAPTER.validate_python(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(p for p in first["loc"] if not (isinstance(p, str) and p == template.type))
        where = ".".join(str(p) for p in loc)
        report(loc[:1], f"{where}: {first['msg']}" if where else str(first["msg"]))


GENERATED_FOLDER = "generated"
"""The folder beside the banks (``questions/generated/``) that holds parametrised questions."""


def template_files(questions: str | Path) -> list[Path]:
    """The files of parametrised questions of a questions folder, sorted."""
    folder = Path(questions) / GENERATED_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def find_template(questions: str | Path, question_id: str) -> tuple[Template | None, list[Problem]]:
    """The template with this id in ``questions/generated/`` (and the problems of its file)."""
    for path in template_files(questions):
        loaded = load_templates(path)
        for template in loaded.templates:
            if template.id == question_id:
                return template, loaded.problems
        if any(p.id == question_id for p in loaded.problems):
            return None, [p for p in loaded.problems if p.id == question_id]
    return None, []


@functools.cache
def installed_torch() -> str:
    """The installed torch's version, read from its metadata (torch is not imported).

    The first ``torch-<version>.dist-info`` folder on ``sys.path`` gives it, as
    ``importlib.metadata`` would find it, without importing that module and scanning every
    distribution (~25 ms of the quiz's launch). A path entry that is a file (a zip) or holds a
    ``torch-*.egg-info`` first, or no torch at all, is left to ``importlib.metadata``."""
    import os
    import sys

    for entry in sys.path:
        folder = entry or "."
        try:
            names = os.listdir(folder)
        except NotADirectoryError:
            break  # a zip: importlib.metadata reads it
        except OSError:
            continue
        found = sorted(n for n in names if n.lower().startswith("torch-"))
        if any(n.lower().endswith(".egg-info") for n in found):
            break
        for name in found:
            if name.lower().endswith(".dist-info"):
                found_version = _metadata_version(Path(folder, name, "METADATA"))
                if found_version is not None:
                    return found_version
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("torch")
    except PackageNotFoundError:
        return "none"


def _metadata_version(metadata: Path) -> str | None:
    """The ``Version:`` header of a distribution's METADATA file, or None."""
    try:
        with open(metadata, encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    break  # the headers end at the first blank line
                key, _, value = line.partition(":")
                if key.strip().lower() == "version":
                    return value.strip() or None
    except OSError:
        return None
    return None


def _cache_file(cache_dir: Path, template: Template, seed: int, torch_version: str) -> Path:
    key = hashlib.sha256(f"{template.content_hash}/{seed}/{torch_version}".encode()).hexdigest()
    return cache_dir / f"{template.id}-{key[:24]}.json"


def instance_file(
    cache_dir: Path, template: Template, seed: int, torch_version: str | None = None
) -> Path:
    """The cache file of (template content, seed, torch version), there or not."""
    return _cache_file(cache_dir, template, seed, _short(torch_version or installed_torch()))


def store_instance(
    cache_dir: Path,
    template: Template,
    seed: int,
    torch_version: str,
    fields: Mapping[str, Any],
    draw: int = 0,
) -> Path:
    """Write one computed instance (its question mapping, and the draw of the seed its
    parameters come from) to the cache; return the file."""
    import json
    import os

    cache_dir.mkdir(parents=True, exist_ok=True)
    target = _cache_file(cache_dir, template, seed, _short(torch_version))
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    entry = {"draw": draw, "question": fields}
    temporary.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    os.replace(temporary, target)
    return target


def cached_entry(
    cache_dir: Path, template: Template, seed: int, torch_version: str | None = None
) -> tuple[dict[str, Any], int] | None:
    """The cached question mapping of (template content, seed, torch version) and the draw its
    parameters come from (``Template.draw(seed, draw)``), or None. A file written before the
    draw was stored (the bare mapping) reads as missing, so it is computed again."""
    try:
        raw = instance_file(cache_dir, template, seed, torch_version).read_bytes()
    except OSError:
        return None
    return read_entry(raw)


def read_entry(raw: bytes) -> tuple[dict[str, Any], int] | None:
    """(question mapping, draw) of a cache file's bytes as :func:`store_instance` writes them
    (``{"draw": N, "question": {...}}``), or None for anything else."""
    import json

    try:
        data = json.loads(raw.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError is one
        return None
    if not (isinstance(data, dict) and isinstance(data.get("question"), dict)):
        return None
    draw = data.get("draw")
    return data["question"], draw if isinstance(draw, int) else 0


def cached_instance(
    cache_dir: Path, template: Template, seed: int, torch_version: str | None = None
) -> dict[str, Any] | None:
    """The cached question mapping of (template content, seed, torch version), or None."""
    entry = cached_entry(cache_dir, template, seed, torch_version)
    return entry[0] if entry is not None else None


def _short(version: str) -> str:
    """``2.13.0+cpu`` and ``2.13.0`` are the same torch for the cache."""
    return version.split("+")[0]
