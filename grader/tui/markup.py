"""Provides how question content becomes screen text: prompts as Markdown, inline code in
option labels, and the correct answer or a learner's response described in words."""

from __future__ import annotations

import re
from typing import Any

from textual.content import Content

from grader.bank.model import (
    CodeOutputQuestion,
    FillQuestion,
    MultipleQuestion,
    NumericQuestion,
    OrderQuestion,
    QuestionBase,
    ShortQuestion,
    SingleQuestion,
    TrueFalseQuestion,
)
from grader.tui.cjk import protect_inline_code
from grader.tui.strings import t

__all__ = ["answer_markdown", "inline", "prompt_markdown", "response_markdown"]

_CODE_SPAN = re.compile(r"`([^`\n]+)`")
CODE_STYLE = "bold $text-warning"
"""Style of inline code in labels (Markdown uses its own ``code_inline`` style)."""


def inline(text: str) -> Content:
    """A one-paragraph label: backtick spans become styled code kept whole, the rest is plain."""
    parts: list[str | tuple[str, str]] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(text[position : match.start()])
        parts.append((match.group(1).replace(" ", "\u00a0"), CODE_STYLE))
        position = match.end()
    parts.append(text[position:])
    return Content.assemble(*parts)


def prompt_markdown(question: QuestionBase, lang: str) -> str:
    """The question's prompt as Markdown; a ``code_output`` question's code follows as a fence."""
    text = protect_inline_code(question.prompt.get(lang))
    if isinstance(question, CodeOutputQuestion):
        text += f"\n\n```python\n{question.code.rstrip()}\n```"
    return text


def _code(text: str) -> str:
    """Inline code for one line, a fenced block for several."""
    text = text.rstrip("\n")
    if "\n" in text:
        return f"\n\n```text\n{text}\n```\n"
    tick = "``" if "`" in text else "`"
    return f"{tick}{text}{tick}"


def answer_markdown(question: QuestionBase, lang: str) -> str:
    """The correct answer, as Markdown."""
    if isinstance(question, SingleQuestion):
        return question.options[question.answer].get(lang)
    if isinstance(question, MultipleQuestion):
        sep = "；" if lang == "zh" else "; "
        return sep.join(question.options[i].get(lang) for i in sorted(question.answer))
    if isinstance(question, TrueFalseQuestion):
        return t("true" if question.answer else "false", lang)
    if isinstance(question, FillQuestion):
        return _code(question.answer[0])
    if isinstance(question, NumericQuestion):
        value = f"{question.answer:g}"
        if question.tolerance:
            value += f" ± {question.tolerance:g}"
        elif question.rel_tolerance:
            value += f" ± {question.rel_tolerance:.0%}"
        return value
    if isinstance(question, OrderQuestion):
        return " → ".join(f"{i + 1}. {o.get(lang)}" for i, o in enumerate(question.options))
    if isinstance(question, CodeOutputQuestion):
        return _code(question.answer)
    if isinstance(question, ShortQuestion):
        return question.reference.get(lang)
    return ""


def response_markdown(question: QuestionBase, response: Any, lang: str) -> str:
    """A learner's response, as Markdown (``(not answered)`` when there is none)."""
    if response is None or response == "" or response == []:
        return t("unanswered", lang)
    if isinstance(question, SingleQuestion):
        return question.options[response].get(lang)
    if isinstance(question, MultipleQuestion):
        sep = "；" if lang == "zh" else "; "
        return sep.join(question.options[i].get(lang) for i in sorted(response))
    if isinstance(question, TrueFalseQuestion):
        return t("true" if response else "false", lang)
    if isinstance(question, OrderQuestion):
        return " → ".join(
            f"{pos + 1}. {question.options[i].get(lang)}" for pos, i in enumerate(response)
        )
    if isinstance(question, ShortQuestion):
        return t(f"rate_{response}", lang)
    return _code(str(response))
