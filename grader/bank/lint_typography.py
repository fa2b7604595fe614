"""The CJK typography lint: four mistakes that make Chinese text look broken on screen.

1. A space beside full-width punctuation (``张量， 省去``). Typed, it is a typo; made by YAML
   (``>``/``>-`` folding a line break, or a quoted value written over several lines) or by
   Markdown (a line break inside a paragraph is shown as a space), the fix is in how the text is
   written, and the message says so. Such a made space between two Chinese characters is
   reported too; one between Chinese and Latin text is the house style and stays.
2. ASCII quotes around Chinese text (``"多线程加载"``): Chinese takes “…” and ‘…’.
3. Full-width letters or digits in code (`` `ｘ.grad` ``): code is ASCII.
4. Half- and full-width punctuation mixed in one Chinese sentence (``张量, 它支持 GPU。``).

Code spans, fenced code blocks and URLs are not prose (``grader.bank.prose``) and are not
linted, except by rule 3. Rules 1 and 2 read every text; rule 4 reads the Chinese ones. Where
a text holds both Chinese and English (an English text quoting a Chinese term), only
punctuation that is full-width in every language counts as such: “…” and ‘…’ are English
quotes too, so spaces around them are left alone in English texts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from grader.bank.prose import MASK, Prose
from grader.bank.scalars import ScalarText

__all__ = ["Finding", "is_cjk", "is_full_width_punct", "lint_typography"]

_CJK = re.compile(
    "[\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u309f\u30a1-\u30fa\u30fd-\u30ff"
    "\u3100-\u312f\u3131-\u318e\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"
)
_ZH_ONLY_PUNCT = frozenset("“”‘’…—")
"""Punctuation that is full-width in Chinese text but ordinary in English text."""
_FULL_WIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]+")
_SENTENCE_PUNCT = frozenset("，。、；：！？")
_HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", ".": "。"}
_CLOSERS_FW = frozenset("”’）》」』】")
_WHITESPACE = re.compile(r"[ \t\n]+")
_WIDE = re.compile("[^\x00-\u2000]")
_SENTENCE = re.compile(r"[^。！？\n]*[。！？\n]?")
_HALF = re.compile(r"[,;:!?.]")
_CONTEXT = 8


@dataclass(frozen=True, slots=True)
class Finding:
    """One mistake: the value index of the character to fix and what to do."""

    index: int
    message: str


def is_cjk(char: str) -> bool:
    """A Chinese (or other CJK) character: ideograph, kana or hangul (not punctuation)."""
    return bool(char) and _CJK.match(char) is not None


def is_full_width_punct(char: str, lang: str = "zh") -> bool:
    """Full-width punctuation: CJK symbols and punctuation (``，。、「」`` ...), the full-width
    forms of ASCII punctuation (``（）：；！？`` ...), and, in Chinese text, “”‘’…—."""
    if not char or char.isspace():
        return False
    if char in _ZH_ONLY_PUNCT:
        return lang == "zh"
    code = ord(char)
    if 0x3001 <= code <= 0x303F:
        return unicodedata.category(char).startswith("P") or char in "〜〃"
    if 0xFF01 <= code <= 0xFF65:
        return not char.isalnum()
    return False


def _cjk_like(char: str, lang: str) -> bool:
    return is_cjk(char) or is_full_width_punct(char, lang)


def _context(value: str, start: int, end: int | None = None) -> str:
    end = start + 1 if end is None else end
    left = max(0, start - _CONTEXT)
    right = min(len(value), end + _CONTEXT)
    shown = value[left:right].replace("\n", "↵")
    return ("…" if left else "") + shown + ("…" if right < len(value) else "")


def lint_typography(text: ScalarText, lang: str) -> list[Finding]:
    """Every typography mistake in one ``zh`` or ``en`` value, in text order."""
    value = text.value
    if not _WIDE.search(value):  # no CJK, no full-width punctuation: nothing to find
        return []
    prose = Prose(value)
    findings = (
        _spaces(text, prose, lang)
        + _ascii_quotes(prose, lang)
        + _full_width_code(prose)
        + (_mixed_punctuation(prose) if lang == "zh" else [])
    )
    return sorted(findings, key=lambda f: f.index)


def _spaces(text: ScalarText, prose: Prose, lang: str) -> list[Finding]:
    """Rule 1: a space (typed, folded by YAML, or a soft line break) beside full-width
    punctuation; a folded space or soft break between two Chinese characters."""
    value, masked = prose.text, prose.masked
    findings = []
    for run in _WHITESPACE.finditer(masked):
        start, end = run.span()
        breaks = [i for i in range(start, end) if value[i] == "\n"]
        if breaks:
            if len(breaks) > 1 or not prose.is_soft_break(breaks[0]):
                continue
            made = "soft"
        elif start < prose.markup_end(prose.line_of(start)):
            continue  # the spaces of a list, heading or quote marker
        elif any(i in text.folds for i in range(start, end)):
            made = "fold"
        else:
            made = "typed"
        left = masked[start - 1] if start else ""
        right = masked[end] if end < len(masked) else ""
        if "|" in (left, right):  # a Markdown table's cell padding
            continue
        punct = next((c for c in (left, right) if is_full_width_punct(c, lang)), None)
        if punct is not None:
            what = f"{'line break' if made == 'soft' else 'space'} beside full-width '{punct}'"
        elif made != "typed" and _cjk_like(left, lang) and _cjk_like(right, lang):
            what = f"{'line break' if made == 'soft' else 'space'} between Chinese characters"
        else:
            continue
        where = f"'{_context(value, start, end)}'"
        index = breaks[0] if breaks else start
        findings.append(Finding(index, f"{what} in {where}; {_space_fix(text, made)}"))
    return findings


def _space_fix(text: ScalarText, made: str) -> str:
    if made == "typed":
        return "delete the space (Chinese puts no space beside full-width punctuation)"
    if made == "soft":
        return (
            "Markdown shows a line break inside a paragraph as a space: keep the sentence on one "
            "line (or leave a blank line to start a new paragraph)"
        )
    if text.style == "folded":
        return (
            f"this space comes from `{text.header or '>'}` folding the line break; use `|` "
            "(one line per paragraph) or keep the sentence on one line"
        )
    return (
        "this space comes from YAML folding the line break of a value written over several "
        "lines; keep the sentence on one line"
    )


def _ascii_quotes(prose: Prose, lang: str) -> list[Finding]:
    """Rule 2: ``"…"`` or ``'…'`` around text with Chinese in it."""
    value, masked = prose.text, prose.masked
    findings = []
    offset = 0
    for line in masked.split("\n"):
        for quote, pair in (('"', "“”"), ("'", "‘’")):
            if quote not in line:
                continue
            marks = [
                offset + i
                for i, c in enumerate(line)
                if c == quote and not (quote == "'" and _is_apostrophe(line, i))
            ]
            for opening, closing in zip(marks[::2], marks[1::2], strict=False):
                inner = value[opening + 1 : closing]
                if any(is_cjk(c) for c in inner):
                    quoted = f"{quote}{inner}{quote}"
                    if len(inner) > 30:
                        inner = f"{inner[:12]}…{inner[-12:]}"
                        quoted = f"{quote}{inner}{quote}"
                    spaced = value[opening - 1 : opening] == " " or value[closing + 1 :][:1] == " "
                    drop = " and no space beside them" if spaced and lang == "zh" else ""
                    findings.append(
                        Finding(
                            opening,
                            f"ASCII quotes around Chinese text {quoted}; write "
                            f"{pair[0]}{inner}{pair[1]}{drop} (Chinese quotes are “…” and ‘…’)",
                        )
                    )
        offset += len(line) + 1
    return findings


def _is_apostrophe(line: str, index: int) -> bool:
    before = line[index - 1] if index else ""
    after = line[index + 1] if index + 1 < len(line) else ""
    return before.isascii() and before.isalnum() and after.isascii() and after.isalpha()


def _full_width_code(prose: Prose) -> list[Finding]:
    """Rule 3: full-width letters or digits in a code span or a fenced code block."""
    findings = []
    for span in prose.code:
        code = prose.text[span.start : span.end]
        for match in _FULL_WIDTH_ALNUM.finditer(code):
            wide = match.group()
            shown = code if len(code) <= 40 else _context(code, match.start(), match.end())
            kind = "a code block" if span.block else "code"
            findings.append(
                Finding(
                    span.start + match.start(),
                    f"full-width '{wide}' in {kind} '{shown.strip()}'; write the ASCII "
                    f"'{unicodedata.normalize('NFKC', wide)}'",
                )
            )
    return findings


def _mixed_punctuation(prose: Prose) -> list[Finding]:
    """Rule 4: half-width ``, ; : ! ? .`` used as Chinese punctuation in a sentence that also
    has full-width punctuation. Not counted: inside ASCII brackets (a tuple such as
    ``(批量, 特征)``), between digits, a ``:`` or ``.`` followed by a non-space (``类型:编号``,
    a decimal point)."""
    value, masked = prose.text, prose.masked
    findings: list[Finding] = []
    if not _HALF.search(masked):
        return findings
    for sentence in _SENTENCE.finditer(masked):
        text = sentence.group()
        if text and _HALF.search(text) and any(c in _SENTENCE_PUNCT for c in text):
            findings += _half_width_in(value, masked, sentence.start(), sentence.end())
    return findings


def _half_width_in(value: str, masked: str, start: int, end: int) -> list[Finding]:
    findings = []
    depth = 0
    for index in range(start, end):
        char = masked[index]
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        if char not in _HALF_TO_FULL or depth:
            continue
        before = masked[index - 1] if index else ""
        after = masked[index + 1] if index + 1 < len(masked) else ""
        before_cjk = is_cjk(before) or before in _CLOSERS_FW
        if char in ",;!?":
            hit = before_cjk or is_cjk(after)
        else:  # ':' and '.' only where they end a clause: "如下: ...", "张量."
            hit = before_cjk and (not after.strip() or (char == ":" and after == MASK))
        if not hit:
            continue
        findings.append(
            Finding(
                index,
                f"half-width '{char}' in a Chinese sentence with full-width punctuation "
                f"('{_context(value, index)}'); write '{_HALF_TO_FULL[char]}'",
            )
        )
    return findings
