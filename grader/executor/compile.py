"""Compiling the submission under the policy, once per submission, in the template.

The template has not run a line of the submission, so what it reports here (a syntax error, the
policy violations found at compile time) is trusted by the judge as a verdict for every check.
"""

from __future__ import annotations

from typing import Any

from grader.bank.problems import blank_like
from grader.i18n import Text

MAX_LISTED = 50
"""Violations listed in the verdict at most; the rest are counted ("… and 1,234 more")."""


def _problem(reason: str, text: Text, line: int | None = None) -> dict[str, Any]:
    return {"reason": reason, **text.to_dict(), "line": line}


def caret_excerpt(source: str, lineno: int | None, offset: int | None, width: int = 120) -> str:
    """The offending line and a caret under the column, as Python prints a syntax error
    (empty when the line is unknown); a long line is cut around the column."""
    lines = source.splitlines()
    if not lineno or not 1 <= lineno <= len(lines):
        return ""
    line = lines[lineno - 1]
    stripped = line.lstrip()
    column = max(0, (offset or 1) - 1 - (len(line) - len(stripped)))
    start = max(0, column - width // 2) if len(stripped) > width else 0
    shown = stripped[start : start + width]
    if not shown.strip():
        return ""
    # The caret lines up on a terminal as the compiler's problems do: tabs kept, CJK twice as wide.
    return f"\n\n    {shown}\n    {blank_like(shown[: column - start])}^"


def compile_verdict(
    source: str, filename: str, allow: tuple[str, ...], deny: tuple[str, ...] = ()
) -> tuple[Any, dict[str, Any] | None]:
    """The policy-compiled code, or why the submission cannot run at all. ``deny`` is resolved
    here, in the template, so that executors inherit it (and the modules it names) resolved."""
    from grader.sandbox import policy

    try:
        return policy.compile_submission(source, filename, allow=allow, deny=deny), None
    except SyntaxError as exc:
        where = f"line {exc.lineno}, column {exc.offset}" if exc.lineno else "unknown line"
        where_zh = f"第 {exc.lineno} 行第 {exc.offset} 列" if exc.lineno else "未知位置"
        excerpt = caret_excerpt(source, exc.lineno, exc.offset)
        return None, _problem(
            "error",
            Text(
                en=f"syntax error in {filename} at {where}: {exc.msg}{excerpt}",
                zh=f"{filename} 有语法错误，位于{where_zh}：{exc.msg}{excerpt}",
            ),
            exc.lineno,
        )
    except policy.PolicyViolation as exc:
        found = getattr(exc, "all", None) or [exc]
        shown = found[:MAX_LISTED]
        en = [v.en[:500] for v in shown]
        zh = [v.zh[:500] for v in shown]
        if len(found) > MAX_LISTED:
            en.append(f"… and {len(found) - MAX_LISTED} more")
            zh.append(f"……另有 {len(found) - MAX_LISTED} 处")
        return None, _problem(
            "policy",
            Text(en="\n".join(en), zh="\n".join(zh)),
            getattr(found[0], "lineno", None),
        )
    except (RecursionError, MemoryError):
        # Python's own parser gives up on deeply nested code (e.g. thousands of chained `1+`):
        # the learner's file cannot be compiled, which is a graded result, not a grader fault.
        return None, _problem(
            "error",
            Text(
                en=f"{filename} cannot be compiled: its code is nested too deeply for Python's parser",
                zh=f"{filename} 无法编译：代码嵌套过深，超出了 Python 解析器的能力",
            ),
        )
    except ValueError as exc:  # an exercise's allow: or deny: entry the policy cannot admit
        return None, _problem(
            "error",
            Text(en=f"the exercise's policy is invalid: {exc}", zh=f"练习的策略配置无效：{exc}"),
        )
