"""The JSON report: exactly one object, in the shape of grader/runner/results.schema.json."""

from __future__ import annotations

import json

from grader.i18n import Lang
from grader.runner.result import ExerciseResult


def render_json(result: ExerciseResult, lang: Lang) -> str:
    return json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2)
