"""Writing Moodle XML: one category per bank, one ``<question>`` per question.

The mapping (``questions/README.md``, "Coming from Moodle", has the table): ``single`` and
``multiple`` are ``multichoice``, ``true_false`` is ``truefalse``, ``fill`` is ``shortanswer``,
``numeric`` is ``numerical``, ``order`` is ``ordering``, ``short`` is ``essay`` (the reference
answer and the key points in ``graderinfo``). ``code_output``, which Moodle lacks, is a
``multichoice`` over its candidate outputs when it has them, else a ``shortanswer`` for a
one-line output and an ``essay`` for a longer one (the code in a ``<pre>`` block of the
question, the verified output in ``graderinfo`` for the marker); a ``grader-type:code_output``
tag lets our import restore it. Texts are HTML; with ``lang="both"`` each holds the multilang
filter's spans, so a bilingual Moodle site shows each learner their own language. What Moodle has
no field for travels in ``grader-...`` tags; credits are snapped to Moodle's grade list
(:mod:`grader.interop.grades`), and each rounding is reported.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from grader.bank.answers import normalise_output
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
from grader.i18n import Text
from grader.interop.grades import snap_grade
from grader.interop.html_markdown import is_language_neutral, markdown_to_html
from grader.interop.multilang import multilang_spans

__all__ = ["MoodleWriter", "format_number"]

_TEMPLATE = {"zh": "输出：\n", "en": "Output:\n", "both": "输出 / Output:\n"}
"""The response template of a ``code_output`` essay: where the learner types the output."""


def format_number(value: float) -> str:
    """The shortest text that reads back as ``value`` (``24``, ``0.025``, ``1e-06``)."""
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _cdata(text: str) -> str:
    if not text or not any(c in text for c in "<>&"):
        return text
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class MoodleWriter:
    """Writes questions in one language (``zh``, ``en``) or both (multilang spans)."""

    lang: str
    roundings: list[tuple[str, str]] = field(default_factory=list)
    """``(question id, what)`` of every grade Moodle's list rounded."""
    losses: list[tuple[str, str]] = field(default_factory=list)
    """``(question id, what)`` Moodle behaves differently on."""

    # texts

    def html(self, text: Text) -> str:
        """A bilingual text as Moodle HTML in the writer's language(s)."""
        if self.lang != "both":
            return markdown_to_html(text.get(self.lang))
        if text.zh == text.en and is_language_neutral(text.zh):
            return markdown_to_html(text.zh)
        return multilang_spans({"zh": markdown_to_html(text.zh), "en": markdown_to_html(text.en)})

    def plain(self, text: Text) -> str:
        """A bilingual text as a category name: plain, spans with ``/`` doubled (Moodle's path
        escape) for both languages."""
        if self.lang != "both":
            return text.get(self.lang).replace("/", "//")
        spans = multilang_spans({"zh": html.escape(text.zh), "en": html.escape(text.en)})
        return spans.replace("/", "//")

    def _field(self, tag: str, body: str, fmt: str = "html", indent: str = "    ") -> str:
        return f'{indent}<{tag} format="{fmt}">\n{indent}  <text>{_cdata(body)}</text>\n{indent}</{tag}>\n'

    # categories

    def category(self, bank_id: str, title: Text, description: Text | None) -> str:
        info = self.html(description) if description is not None else ""
        return (
            '  <question type="category">\n'
            f"    <category>\n      <text>{escape('$course$/top/' + self.plain(title))}</text>\n"
            "    </category>\n"
            f'    <info format="html">\n      <text>{_cdata(info)}</text>\n    </info>\n'
            f"    <idnumber>{escape(bank_id)}</idnumber>\n"
            "  </question>\n"
        )

    # questions

    def question(self, q: QuestionBase) -> str:
        qtype, body, tags = _WRITERS[q.type](self, q)
        tags = [*q.tags, f"grader-difficulty:{q.difficulty}", *tags]
        if q.source:
            tags.append(f"grader-source:{q.source}")
        away = [str(i) for i, h in enumerate(q.all_hints) if h.gives_away]
        if away:
            tags.append(f"grader-gives-away:{','.join(away)}")
        prompt = self.html(q.prompt) + (
            _code_block(q.code) if isinstance(q, CodeOutputQuestion) else ""
        )
        parts = [
            f'  <question type="{qtype}">\n',
            f"    <name>\n      <text>{escape(q.id)}</text>\n    </name>\n",
            self._field("questiontext", prompt),
            self._field("generalfeedback", self.html(q.explanation)),
            f"    <defaultgrade>{format_number(q.points)}</defaultgrade>\n",
            f"    <penalty>{format_number(q.penalty)}</penalty>\n",
            "    <hidden>0</hidden>\n",
            f"    <idnumber>{escape(q.id)}</idnumber>\n",
            body,
        ]
        for hint in q.all_hints:
            parts.append(self._field("hint", self.html(hint)))
        parts.append("    <tags>\n")
        parts += [f"      <tag><text>{escape(t)}</text></tag>\n" for t in tags]
        parts.append("    </tags>\n  </question>\n")
        return "".join(parts)

    def _answer(self, fraction: float, body: str, fmt: str = "html", extra: str = "") -> str:
        return (
            f'    <answer fraction="{format_number(fraction)}" format="{fmt}">\n'
            f"      <text>{_cdata(body)}</text>\n{extra}"
            f'      <feedback format="html">\n        <text></text>\n      </feedback>\n'
            "    </answer>\n"
        )

    def _snap(self, qid: str, index: int, percent: float) -> float:
        snapped = snap_grade(percent)
        if snapped.rounded:
            self.roundings.append(
                (qid, f"option {index}: {percent:g} % written as {snapped.value:g} %")
            )
        return snapped.value

    def _choices(
        self, q: SingleQuestion | MultipleQuestion, fractions: list[float], single: bool
    ) -> str:
        head = (
            f"    <single>{'true' if single else 'false'}</single>\n"
            f"    <shuffleanswers>{'true' if q.shuffle else 'false'}</shuffleanswers>\n"
            "    <answernumbering>abc</answernumbering>\n"
            "    <showstandardinstruction>0</showstandardinstruction>\n"
        )
        answers = [
            self._answer(self._snap(q.id, i, f), self.html(o))
            for i, (o, f) in enumerate(zip(q.options, fractions, strict=True))
        ]
        return head + "".join(answers)


def _code_block(code: str, lang: str = "python") -> str:
    cls = f' class="language-{lang}"' if lang else ""
    return f"<pre><code{cls}>{html.escape(code, quote=False)}</code></pre>"


Written = tuple[str, str, list[str]]
"""A question's Moodle type, its type-specific XML and its extra tags."""


def _single(w: MoodleWriter, q: QuestionBase) -> Written:
    assert isinstance(q, SingleQuestion)
    fractions = (
        list(q.credit)
        if q.credit is not None
        else [100.0 if i == q.answer else 0.0 for i in range(len(q.options))]
    )
    return "multichoice", w._choices(q, fractions, single=True), []


def _multiple(w: MoodleWriter, q: QuestionBase) -> Written:
    assert isinstance(q, MultipleQuestion)
    right = set(q.answer)
    share = 100 / len(right)
    tags: list[str] = []
    if q.credit is not None:
        fractions = list(q.credit)
    elif q.partial_credit:
        fractions = [share if i in right else -share for i in range(len(q.options))]
    else:
        fractions = [share if i in right else -100.0 for i in range(len(q.options))]
        tags.append("grader-all-or-nothing")
        w.losses.append(
            (
                q.id,
                "all-or-nothing: Moodle gives a part of the right options part of the credit "
                "(a wrong option costs all of it)",
            )
        )
    return "multichoice", w._choices(q, fractions, single=False), tags


def _true_false(w: MoodleWriter, q: QuestionBase) -> Written:
    assert isinstance(q, TrueFalseQuestion)
    body = w._answer(100.0 if q.answer else 0.0, "true", "moodle_auto_format")
    body += w._answer(0.0 if q.answer else 100.0, "false", "moodle_auto_format")
    return "truefalse", body, []


def _shortanswer_text(answer: str) -> str:
    return answer.replace("*", "\\*")


def _fill(w: MoodleWriter, q: QuestionBase) -> Written:
    assert isinstance(q, FillQuestion)
    body = f"    <usecase>{1 if q.case_sensitive else 0}</usecase>\n"
    body += "".join(w._answer(100.0, _shortanswer_text(a), "moodle_auto_format") for a in q.answer)
    tags: list[str] = []
    if q.regex is not None:
        tags.append(f"grader-regex:{q.regex}")
        w.losses.append(
            (
                q.id,
                "regex: Moodle's short answer accepts only the listed answers (kept in a "
                "grader-regex tag for a re-import; Moodle shortens a tag to 50 characters and "
                "drops backticks)",
            )
        )
    return "shortanswer", body, tags


def _numeric(w: MoodleWriter, q: QuestionBase) -> Written:
    assert isinstance(q, NumericQuestion)
    tolerance = max(q.tolerance, q.rel_tolerance * abs(q.answer))
    tags: list[str] = []
    if q.rel_tolerance:
        tags.append(f"grader-rel-tolerance:{format_number(q.rel_tolerance)}")
        w.losses.append(
            (
                q.id,
                f"relative tolerance {q.rel_tolerance:g} written as the absolute tolerance "
                f"{tolerance:g} (Moodle's tolerance is absolute)",
            )
        )
    extra = f"      <tolerance>{format_number(tolerance)}</tolerance>\n"
    body = w._answer(100.0, format_number(q.answer), "moodle_auto_format", extra)
    body += (
        "    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1</unitpenalty>\n"
        "    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>\n"
    )
    return "numerical", body, tags


def _order(w: MoodleWriter, q: QuestionBase) -> Written:
    assert isinstance(q, OrderQuestion)
    grading = "ABSOLUTE_POSITION" if q.partial_credit else "ALL_OR_NOTHING"
    body = (
        "    <layouttype>VERTICAL</layouttype>\n    <selecttype>ALL</selecttype>\n"
        f"    <selectcount>{len(q.options)}</selectcount>\n"
        f"    <gradingtype>{grading}</gradingtype>\n    <showgrading>SHOW</showgrading>\n"
    )
    body += "".join(w._answer(i + 1, w.html(o)) for i, o in enumerate(q.options))
    return "ordering", body, []


def _essay(w: MoodleWriter, info: str, lines: int, monospaced: bool, template: str) -> str:
    return (
        f"    <responseformat>{'monospaced' if monospaced else 'editor'}</responseformat>\n"
        "    <responserequired>1</responserequired>\n"
        f"    <responsefieldlines>{lines}</responsefieldlines>\n"
        "    <attachments>0</attachments>\n    <attachmentsrequired>0</attachmentsrequired>\n"
        + w._field("graderinfo", info)
        + w._field("responsetemplate", template, "plain_text")
    )


def _short(w: MoodleWriter, q: QuestionBase) -> Written:
    assert isinstance(q, ShortQuestion)
    points = "".join(f"<li>{w.html(k)}</li>" for k in q.key_points)
    info = w.html(q.reference) + f'<ul class="grader-key-points">{points}</ul>'
    return "essay", _essay(w, info, 10, False, ""), []


def _code_output(w: MoodleWriter, q: QuestionBase) -> Written:
    assert isinstance(q, CodeOutputQuestion)
    tags = ["grader-type:code_output"]
    if q.options is not None:
        right = normalise_output(q.answer)
        fractions = [100.0 if normalise_output(o) == right else 0.0 for o in q.options]
        body = (
            "    <single>true</single>\n    <shuffleanswers>true</shuffleanswers>\n"
            "    <answernumbering>abc</answernumbering>\n"
            "    <showstandardinstruction>0</showstandardinstruction>\n"
        )
        body += "".join(
            w._answer(f, _code_block(o, "")) for o, f in zip(q.options, fractions, strict=True)
        )
        return "multichoice", body, tags
    lines = normalise_output(q.answer)
    if len(lines) <= 1:
        answer = lines[0] if lines else ""
        body = "    <usecase>1</usecase>\n" + w._answer(
            100.0, _shortanswer_text(answer), "moodle_auto_format"
        )
        return "shortanswer", body, tags
    info = _code_block(q.answer, "")
    template = _TEMPLATE.get(w.lang, _TEMPLATE["both"])
    return "essay", _essay(w, info, max(5, len(lines) + 2), True, template), tags


_WRITERS: dict[str, Callable[[MoodleWriter, QuestionBase], Written]] = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "fill": _fill,
    "numeric": _numeric,
    "order": _order,
    "short": _short,
    "code_output": _code_output,
}
