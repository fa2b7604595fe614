"""JUnit XML for CI systems: one <testsuite> per exercise, one <testcase> per check."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from grader.i18n import Lang
from grader.runner.result import ExerciseResult, Reason


def render_junit(result: ExerciseResult, lang: Lang) -> str:
    tests = result.tests
    failures = sum(1 for t in tests if t.reason in (Reason.FAILED, Reason.POLICY, Reason.TIMEOUT))
    errors = sum(1 for t in tests if t.reason is Reason.ERROR)
    skipped = sum(1 for t in tests if t.reason is Reason.SKIPPED)
    suites = ET.Element("testsuites", name="grader")
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"{result.exercise}.{result.kind}",
        tests=str(len(tests)),
        failures=str(failures),
        errors=str(errors),
        skipped=str(skipped),
        time=f"{result.execution_time:.3f}",
    )
    props = ET.SubElement(suite, "properties")
    for key, value in (
        ("score", f"{result.score:g}"),
        ("max_score", f"{result.max_score:g}"),
        *((k, str(v)) for k, v in result.provenance.to_dict().items()),
    ):
        ET.SubElement(props, "property", name=key, value=value)
    for check in tests:
        case = ET.SubElement(
            suite,
            "testcase",
            classname=f"{result.exercise}.{result.kind}",
            name=check.name,
            time=f"{check.duration:.3f}",
        )
        text = check.output(lang)
        if check.reason is Reason.SKIPPED:
            ET.SubElement(case, "skipped", message=check.message.get(lang))
        elif check.reason is Reason.ERROR:
            el = ET.SubElement(
                case, "error", message=check.message.get(lang), type=str(check.reason)
            )
            el.text = text
        elif check.reason is not Reason.PASSED:
            el = ET.SubElement(
                case, "failure", message=check.message.get(lang), type=str(check.reason)
            )
            el.text = text
    if result.learner_output:
        ET.SubElement(suite, "system-out").text = result.learner_output
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)
