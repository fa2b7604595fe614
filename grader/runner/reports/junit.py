"""JUnit XML for CI systems: one <testsuite> per graded submission, one <testcase> per check.

Rendered from the JSON result document (``ExerciseResult.to_dict``), so a batch can write JUnit for
grades it reuses from its journal. Points are where CI viewers show them:

* each case's name ends with its maximum, e.g. ``test_forward[2d] (0.25 pt)``: the same from run
  to run, so a CI's test history keeps following the case;
* each case has ``score`` (absent when the check did not run), ``max_score`` and ``reason``
  properties;
* a failure's message starts with the points earned: ``0 of 0.25 pt: ...`` (``得 0 分（满分
  0.25）：...`` in Chinese).

A result that is not a grade (a check could not run here) has the suite property
``graded=false`` with the reason and no ``score``, and its checks that did not run are
``<skipped>``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from grader.i18n import Lang
from grader.runner.result import ExerciseResult

_FAILURES = ("failed", "policy", "timeout")


def points(value: float) -> str:
    """``0.25 pt``, ``1 pt``, ``2 pts``."""
    return f"{value:g} {'pt' if value <= 1 else 'pts'}"


def case_name(name: str, max_score: float) -> str:
    """A check's name with its maximum, stable from run to run."""
    return f"{name} ({points(max_score)})"


def earned_text(score: float, max_score: float, lang: Lang) -> str:
    """How many points a check earned, for a failure's message."""
    if lang == "zh":
        return f"得 {score:g} 分（满分 {max_score:g}）"
    return f"{score:g} of {points(max_score)}"


def _properties(parent: ET.Element, items: list[tuple[str, str]]) -> None:
    props = ET.SubElement(parent, "properties")
    for key, value in items:
        ET.SubElement(props, "property", name=key, value=value)


def _message(doc_test: dict[str, Any], lang: Lang) -> str:
    messages = doc_test.get("messages") or {}
    return str(messages.get(lang) or "")


def add_suite(parent: ET.Element, doc: dict[str, Any], name: str, lang: Lang) -> ET.Element:
    """Append the <testsuite> of one result document (``ExerciseResult.to_dict``) to ``parent``."""
    tests: list[dict[str, Any]] = doc["tests"]
    classname = name
    suite = ET.SubElement(
        parent,
        "testsuite",
        name=name,
        tests=str(len(tests)),
        failures=str(sum(1 for t in tests if t["reason"] in _FAILURES)),
        errors=str(sum(1 for t in tests if t["reason"] == "error")),
        skipped=str(sum(1 for t in tests if t["reason"] == "skipped")),
        time=f"{float(doc.get('execution_time', 0.0)):.3f}",
    )
    graded = bool(doc.get("graded", True))
    items = [("graded", "true" if graded else "false")]
    if graded:
        items.append(("score", f"{doc['score']:g}"))
    else:
        why = ((doc.get("incomplete") or {}).get("messages") or {}).get(lang, "")
        items.append(("incomplete", str(why)))
    items.append(("max_score", f"{doc['max_score']:g}"))
    items += [(k, str(v)) for k, v in (doc.get("provenance") or {}).items()]
    _properties(suite, items)
    for test in tests:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=classname,
            name=case_name(test["name"], test["max_score"]),
            time=f"{float(test.get('duration', 0.0)):.3f}",
        )
        reason = test["reason"]
        ran = reason != "skipped"
        _properties(
            case,
            [
                *([("score", f"{test['score']:g}")] if ran else []),
                ("max_score", f"{test['max_score']:g}"),
                ("reason", reason),
            ],
        )
        detail = _message(test, lang)
        if not ran:
            ET.SubElement(case, "skipped", message=detail)
            continue
        if reason == "passed":
            continue
        earned = earned_text(test["score"], test["max_score"], lang)
        sep = "：" if lang == "zh" else ": "
        message = f"{earned}{sep}{detail}" if detail else earned
        tag = "error" if reason == "error" else "failure"
        el = ET.SubElement(case, tag, message=message, type=reason)
        el.text = test.get("output") or detail
    learner = (doc.get("learner_output") or {}).get("text") or ""
    if learner:
        ET.SubElement(suite, "system-out").text = learner
    return suite


def add_ungraded_suite(
    parent: ET.Element, name: str, check: str, max_score: float | None, status: str, why: str
) -> None:
    """A suite for a gradebook row without a result: a missing file (a failure worth 0) or a
    grader error (an error, not a grade)."""
    suite = ET.SubElement(
        parent,
        "testsuite",
        name=name,
        tests="1",
        failures="1" if status == "missing" else "0",
        errors="0" if status == "missing" else "1",
        skipped="0",
        time="0.000",
    )
    _properties(suite, [("graded", "true" if status == "missing" else "false"), ("status", status)])
    top = max_score or 0.0
    case = ET.SubElement(suite, "testcase", classname=name, name=case_name(check, top), time="0")
    _properties(case, [("max_score", f"{top:g}"), ("reason", status)])
    tag = "failure" if status == "missing" else "error"
    ET.SubElement(case, tag, message=why, type=status)


def render_suites(build: Iterable[tuple[str, dict[str, Any]]], lang: Lang) -> str:
    """A <testsuites> document of several result documents, each (suite name, document)."""
    suites = ET.Element("testsuites", name="grader")
    for name, doc in build:
        add_suite(suites, doc, name, lang)
    return to_text(suites)


def to_text(root: ET.Element) -> str:
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def render_junit(result: ExerciseResult, lang: Lang) -> str:
    """The JUnit document of one result."""
    return render_suites([(f"{result.exercise}.{result.kind}", result.to_dict(lang))], lang)
