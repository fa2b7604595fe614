"""The claims lint: an explanation that claims an error, in-place behaviour or memory sharing
must back the claim with a ``verify:`` block, which ``grader verify`` runs.

These three kinds of claims are the ones a reader cannot check by reading the code and that
sound right either way ("writes through ``detach()`` bypass autograd's checks"; "storing
``output.detach()`` protects backward from later in-place changes"): both were in the bank, both
were wrong, and a three-line snippet shows the truth. ``questions/README.md``, "Verified claims",
explains the choice.

Only the explanation is read (in both languages: a claim found in either counts), whole, code
spans included: the answer itself is what the question checks (and a ``code_output`` answer is
verified anyway); the explanation is where the *why* is claimed. The patterns aim at precision,
one kind at a time:

- an error: a name ending in ``Error`` or ``Exception`` (``RuntimeError``, ``UnpicklingError``),
  "raises/throws (an) error/exception", and in Chinese the same names, 报错 (not 报错信息 or 报错堆栈, "error
  messages"), 抛出, 引发…错误/异常;
- in-place behaviour: "in-place", "in place" (not "in place of"), ``inplace``, 原地, 就地;
- memory sharing: "share(s) … memory/storage/data/the version counter", "the same
  memory/storage", "a view of/into", "does not copy", "no copy", "copies nothing", "without
  copying", and in Chinese 共享…内存/存储/数据/版本计数器, 同一块内存/存储, 不复制, 不拷贝.

Words that merely sound alike are not claims: "raise the loss", "raise ``num_workers``", "mean
squared error", "error messages". A question whose explanation makes no such claim needs no
block; one that does gets a problem at the line of the first claim found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from grader.bank.problems import Problem
from grader.bank.scalars import scalar_text
from grader.bank.source import parse

__all__ = ["CLAIM_KINDS", "Claim", "find_claims", "lint_claims", "lint_claims_text"]

_CLASS = r"\b[A-Z][A-Za-z]*(?:Error|Exception)\b"

CLAIM_KINDS: dict[str, dict[str, re.Pattern[str]]] = {
    "an error": {
        "en": re.compile(
            rf"{_CLASS}"
            r"|\b(?:raise|raises|raised|raising|throw|throws|thrown)\s+(?:an?\s+|the\s+)?"
            r"(?:\w+\s+)?(?:error|exception)s?\b"
        ),
        "zh": re.compile(rf"{_CLASS}|报错(?!信息|堆栈)|抛出|引发[^，。；]{{0,8}}(?:错误|异常)"),
    },
    "in-place behaviour": {
        "en": re.compile(r"\bin[- ]?place\b(?! of\b)", re.IGNORECASE),
        "zh": re.compile(r"原地|就地|\bin-?place\b", re.IGNORECASE),
    },
    "memory sharing": {
        "en": re.compile(
            r"\bshar(?:e|es|ed|ing)\b[^.;:]{0,40}?\b(?:memory|storage|data|version counter)\b"
            r"|\bthe same (?:memory|storage|underlying data)\b"
            r"|\ba view (?:of|into)\b"
            r"|\b(?:does not|doesn't|do not|don't|never|not) cop(?:y|ies)\b"
            r"|\bno (?:data is )?copy\b|\bcopies nothing\b|\bwithout (?:a )?copy(?:ing)?\b",
            re.IGNORECASE,
        ),
        "zh": re.compile(
            r"共享[^，。；]{0,6}(?:内存|存储|数据|版本计数器)|同一块(?:内存|存储)|同一(?:个)?存储"
            r"|不(?:会)?(?:复制|拷贝)"
        ),
    },
}
"""The kinds of claims that need a verify block, and how each is recognised in each language."""


@dataclass(frozen=True, slots=True)
class Claim:
    """One claim found in a text."""

    kind: str
    """A key of :data:`CLAIM_KINDS`."""
    lang: str
    phrase: str
    """The words that made it a claim."""
    index: int
    """Where the phrase starts in the text."""


def find_claims(text: str, lang: str) -> list[Claim]:
    """Every kind of claim ``text`` (in ``lang``: ``zh`` or ``en``) makes, first phrase each,
    in the order they appear."""
    found = []
    for kind, patterns in CLAIM_KINDS.items():
        match = patterns[lang].search(text)
        if match:
            found.append(Claim(kind, lang, match.group(), match.start()))
    return sorted(found, key=lambda c: c.index)


def lint_claims(item: Node, source: str, path: str, qid: str) -> list[Problem]:
    """The problem of one question item (a node of a bank file): an explanation that claims an
    error, in-place behaviour or memory sharing while the question has no ``verify`` block.
    At most one problem, at the line of the first claim; none when the item is not a mapping."""
    if not isinstance(item, MappingNode):
        return []
    values = {k.value: v for k, v in item.value if isinstance(k, ScalarNode)}
    blocks = values.get("verify")
    if isinstance(blocks, SequenceNode) and blocks.value:
        return []
    explanation = values.get("explanation")
    if not isinstance(explanation, MappingNode):
        return []
    first: tuple[int, Claim] | None = None
    kinds: list[str] = []
    for key, value in explanation.value:
        if not (isinstance(key, ScalarNode) and key.value in ("zh", "en")):
            continue
        if not (isinstance(value, ScalarNode) and isinstance(value.value, str)):
            continue
        text = scalar_text(value, source)
        for claim in find_claims(text.value, key.value):
            if claim.kind not in kinds:
                kinds.append(claim.kind)
            if first is None:
                first = (text.line_at(claim.index), claim)
    if first is None:
        return []
    line, claim = first
    ordered = sorted(kinds, key=list(CLAIM_KINDS).index)
    what = (
        " and ".join(ordered)
        if len(ordered) < 3
        else ", ".join(ordered[:-1]) + " and " + ordered[-1]
    )
    message = (
        f"explanation ({claim.lang}) claims {what} ('{claim.phrase}') but the question has no "
        "'verify' block: add one whose code shows it (questions/README.md, \"Verified claims\")"
    )
    return [Problem(path, line, qid, message)]


def lint_claims_text(source: str, path: str) -> list[Problem]:
    """The claims lint alone over one bank file's content (``grader.bank.lint`` runs it with the
    other lints; this is for a bank whose unverified claims are reported as warnings)."""
    doc, _ = parse(source)
    if doc is None or not isinstance(doc.root, MappingNode):
        return []
    problems: list[Problem] = []
    for key, value in doc.root.value:
        if isinstance(key, ScalarNode) and key.value == "questions":
            if isinstance(value, SequenceNode):
                for index, item in enumerate(value.value):
                    problems += lint_claims(item, source, path, _written_id(item, index))
    return problems


def _written_id(item: Node, index: int) -> str:
    if isinstance(item, MappingNode):
        for key, value in item.value:
            if isinstance(key, ScalarNode) and key.value == "id" and isinstance(value, ScalarNode):
                if value.value:
                    return str(value.value)
    return f"questions[{index}]"
