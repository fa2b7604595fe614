"""Every bilingual text has each language in its own slot: no Chinese in an ``en`` slot, some in
a ``zh`` slot.

Walked: the app's string table, the reports' and results' texts, the sandbox policy's messages
and reasons, every ``Text(...)`` written in ``grader/``, every failure message of the bundled
checks (``fail``/``expect``/``CheckFailed``/``Text`` in ``exercises/``), and every text of the
bundled banks and exercise specs, loaded as the app loads them. A swapped pair (``Text(zh="passed",
en="通过")``) fails here, naming where it is, and so does a text in ``grader/`` written as a plain
``{"zh": ..., "en": ...}`` dict, which these checks could not read.

"Chinese" is any CJK character, punctuation included (``、`` and ``（）`` mark a zh text that is
otherwise code). Two kinds of text are not judged: one identical in both languages (code, a
formula: nothing to swap), and a template with no words of its own (``"{detail}"``).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pydantic import BaseModel

from grader.bank.loader import load_banks
from grader.exercises.loader import load_exercises
from grader.i18n import LANGS, Text

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")

ALLOWED = {
    "grader.tui.strings.STRINGS['lang']": (
        "the language switch names the language it switches to: 'English' in the Chinese "
        "interface, '中文' in the English one"
    ),
    "grader/tui/strings.py:lang": "the same entry, as written in the source",
}
"""Texts whose languages are deliberately the other way round, with the reason."""

CHECK_CALLS = {"fail": 0, "expect": 1, "CheckFailed": 0, "Unsendable": 0, "Text": 0}
"""The check API's message calls (and ``Text``, which checks may build a message with), and how
many positional arguments come before the message."""


def problem(where: str, zh: str, en: str) -> str | None:
    """What is wrong with a text's two slots (None if nothing, or if ``where`` is allowed)."""
    if where in ALLOWED:
        return None
    if CJK.search(en):
        return f"{where}: Chinese in the en slot: en={en!r}"
    words = PLACEHOLDER.sub("", zh).strip()
    if words and zh != en and not CJK.search(words):
        return f"{where}: no Chinese in the zh slot: zh={zh!r}"
    return None


def test_a_swapped_pair_is_caught() -> None:
    """The rule itself: a swapped pair, or either language in both slots, is a problem."""
    assert problem("x", zh="passed", en="通过") is not None
    assert problem("x", zh="通过", en="通过") is not None
    assert problem("x", zh="passed", en="passed (rule: x)") is not None
    assert problem("x", zh="通过", en="passed") is None
    assert problem("x", zh="`x.grad`", en="`x.grad`") is None
    assert problem("x", zh="`a`、`b`", en="`a`, `b`") is None
    assert problem("x", zh="{detail_zh}", en="{detail}") is None


# -- tables: the texts modules hold, read at run time ----------------------------------------


def _table_modules() -> list[ModuleType]:
    import grader.runner.reports.text
    import grader.runner.result
    import grader.sandbox.policy.errors
    import grader.tui.exercise_strings
    import grader.tui.strings

    return [
        grader.tui.strings,
        grader.tui.exercise_strings,
        grader.sandbox.policy.errors,
        grader.runner.reports.text,
        grader.runner.result,
    ]


def _module_texts(module: ModuleType) -> Iterator[tuple[str, Text]]:
    """Every module-level Text, and every entry of a module-level dict of Texts."""
    for name, value in vars(module).items():
        where = f"{module.__name__}.{name}"
        if isinstance(value, Text):
            yield where, value
        elif isinstance(value, dict) and value and all(isinstance(v, Text) for v in value.values()):
            for key, text in value.items():
                yield f"{where}[{key!r}]", text


def test_tables_hold_texts() -> None:
    """The tables this test walks exist and are tables of Text (a tuple table would be skipped)."""
    from grader.sandbox.policy.errors import _MESSAGES, REASONS
    from grader.tui.strings import STRINGS

    for table in (STRINGS, REASONS, _MESSAGES):
        assert table and all(isinstance(v, Text) for v in table.values())
    walked = {where for m in _table_modules() for where, _ in _module_texts(m)}
    assert "grader.tui.strings.STRINGS['quit']" in walked
    assert "grader.tui.strings.STRINGS['res_accepted_now']" in walked  # the exercise screens'
    assert "grader.sandbox.policy.errors.REASONS['file']" in walked
    assert "grader.runner.reports.text._REASONS['policy']" in walked


def test_string_tables_have_each_language_in_its_slot() -> None:
    """The app's strings, the reports', the results' and the sandbox policy's messages."""
    found = [
        p
        for module in _table_modules()
        for where, text in _module_texts(module)
        if (p := problem(where, text.zh, text.en))
    ]
    assert not found, "\n".join(found)


# -- source: texts written in grader/ and in the bundled checks ------------------------------


def _literal(node: ast.expr | None) -> str | None:
    """The words of a string literal or f-string (a replacement field becomes ``{}``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return None if left is None or right is None else left + right
    return None


def _calls(path: Path, names: dict[str, int]) -> Iterator[tuple[ast.Call, str, int]]:
    """Calls of ``names`` (``fail(...)``, ``checks.fail(...)``; not ``self.fail``)."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name):
            name = func.id
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            name = func.attr if func.value.id in ("checks", "grader") else ""
        else:
            continue
        if name in names:
            yield node, name, names[name]


def _source_problems(path: Path, names: dict[str, int]) -> Iterator[str]:
    rel = path.relative_to(ROOT).as_posix()
    keys = _dict_keys(path)
    for call, name, _ in _calls(path, names):
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        if "zh" not in keywords or "en" not in keywords:
            continue  # a Text passed whole, or a call this test cannot read
        zh, en = _literal(keywords["zh"]), _literal(keywords["en"])
        if zh is None or en is None:
            continue  # computed (a variable, a join): judged where its parts are written
        key = keys.get((call.lineno, call.col_offset))
        where = f"{rel}:{key}" if f"{rel}:{key}" in ALLOWED else f"{rel}:{call.lineno}"
        if p := problem(where, zh, en):
            yield f"{p} ({name})"


def _dict_keys(path: Path) -> dict[tuple[int, int], str]:
    """The key of each dict entry whose value is a call, by the call's position (for ALLOWED)."""
    keys: dict[tuple[int, int], str] = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(value, ast.Call) and isinstance(key, ast.Constant):
                    keys[(value.lineno, value.col_offset)] = str(key.value)
    return keys


GRADER_FILES = sorted((ROOT / "grader").rglob("*.py"))
CHECK_FILES = sorted(
    p for p in (ROOT / "exercises").rglob("*.py") if p.name.startswith("test_")
) + [ROOT / "grader" / "checks.py", ROOT / "grader" / "judge" / "remote.py"]


def test_texts_written_in_grader_have_each_language_in_its_slot() -> None:
    """Every ``Text(zh=..., en=...)`` in ``grader/`` with literal (or f-string) texts."""
    found = [p for path in GRADER_FILES for p in _source_problems(path, {"Text": 0})]
    assert not found, "\n".join(found)


def test_no_text_in_grader_is_a_plain_zh_en_dict() -> None:
    """A learner-facing text written as ``{"zh": "...", "en": "..."}`` is a second bilingual form
    that the checks above do not read: write ``Text(zh=..., en=...)`` (``.to_dict()`` gives the
    JSON shape). A mapping of other things keyed by language (regexes, language names) is not a
    text and has no Chinese literal."""
    found = []
    for path in GRADER_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Dict):
                continue
            keys = [_literal(k) if k is not None else None for k in node.keys]  # None: **spread
            if set(keys) != {"zh", "en"}:
                continue
            values = [_literal(v) for v in node.values]
            if any(v is not None and CJK.search(v) for v in values):
                found.append(f"{path.relative_to(ROOT).as_posix()}:{node.lineno}: {keys}")
    assert not found, "bilingual texts written as dicts, not Text:\n" + "\n".join(found)


def test_no_function_in_grader_takes_a_positional_en_zh_pair() -> None:
    """A helper ``f(stats, en, zh)`` is the positional pair again, at every call: take a ``Text``,
    or make the two languages keyword-only (``*, en, zh``), as the check API does."""
    found = []
    for path in GRADER_FILES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                positional = [a.arg for a in node.args.posonlyargs + node.args.args]
                pair = [a for a in positional if a in LANGS or a.endswith(("_en", "_zh"))]
                if pair:
                    rel = path.relative_to(ROOT).as_posix()
                    found.append(f"{rel}:{node.lineno}: {node.name}({', '.join(positional)})")
    assert not found, "positional language parameters:\n" + "\n".join(found)


def test_bundled_check_messages_have_each_language_in_its_slot() -> None:
    """Every ``fail``/``expect``/``CheckFailed`` message and ``Text`` of the bundled checks."""
    assert len(CHECK_FILES) > 20
    found = [p for path in CHECK_FILES for p in _source_problems(path, CHECK_CALLS)]
    assert not found, "\n".join(found)


def test_bundled_checks_use_the_keyword_form() -> None:
    """No bundled check uses the deprecated positional ``fail(en, zh)``/``expect(cond, en, zh)``
    (``tests/judge/test_check_messages.py`` tests that form on its own)."""
    positional = [
        f"{path.relative_to(ROOT)}:{call.lineno}: {name}(...) with positional en, zh"
        for path in CHECK_FILES
        for call, name, before in _calls(path, CHECK_CALLS)
        if len(call.args) > before
        and not (len(call.args) == before + 1 and not isinstance(call.args[before], ast.Constant))
    ]
    assert not positional, "\n".join(positional)


# -- content: the bundled banks and exercise specs, as loaded ---------------------------------


def _texts(obj: Any, where: str) -> Iterator[tuple[str, Text]]:
    if isinstance(obj, Text):
        yield where, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _texts(getattr(obj, name), f"{where}.{name}")
    elif isinstance(obj, tuple):
        for i, item in enumerate(obj):
            yield from _texts(item, f"{where}[{i}]")


@pytest.fixture(scope="module")
def bank_texts() -> list[tuple[str, Text]]:
    result = load_banks([ROOT / "questions"])
    assert result.ok, "\n".join(str(p) for p in result.problems)
    return [pair for bank in result.banks for pair in _texts(bank.bank, bank.path.name)]


def test_bank_texts_have_each_language_in_its_slot(bank_texts: list[tuple[str, Text]]) -> None:
    """Every text of every bundled bank (titles, prompts, options, hints, explanations, ...)."""
    assert len(bank_texts) > 1000
    found = [p for where, text in bank_texts if (p := problem(where, text.zh, text.en))]
    assert not found, "\n".join(found)


def test_exercise_texts_have_each_language_in_its_slot() -> None:
    """The title, statement and hints of every bundled exercise."""
    exercises = load_exercises(ROOT / "exercises", ROOT / "solutions")
    texts = [pair for ex in exercises for pair in _texts(ex.spec, f"exercises/{ex.id}")]
    assert len(texts) >= 3 * len(exercises) > 0
    found = [p for where, text in texts if (p := problem(where, text.zh, text.en))]
    assert not found, "\n".join(found)
