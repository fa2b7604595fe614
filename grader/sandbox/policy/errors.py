"""Policy violations: the exception, the process-wide record, and the bilingual messages.

Every violation names the rule it broke and the line of the learner's file. Runtime violations
are also appended to ``VIOLATIONS`` before they are raised, so a submission that swallows one
(``except Exception: pass``) is still reported with reason ``policy``.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

from grader.i18n import Text

__all__ = [
    "DUNDER_HINTS",
    "REASONS",
    "VIOLATIONS",
    "PolicyViolation",
    "aggregate",
    "fill_message",
    "make_violation",
    "raise_violation",
    "register_submission_file",
]


class PolicyViolation(Exception):
    """A submission broke a rule of the sandbox policy.

    Attributes: ``rule`` (short id such as ``import``, ``builtin``, ``dunder``, ``private``,
    ``denied-name``, ``denied-value``, ``module-write``, ``class-write``, ``function-write``,
    ``override``, ``format``, ``introspection``, ``metaclass``, ``tensor-subclass``,
    ``base-exception``, ``statement``, ``deny`` for an API the exercise's ``deny:`` list
    forbids), ``lineno`` (the line in the submission file, or None),
    ``filename``, ``text`` (the learner-facing message naming the line and the rule; ``en`` and
    ``zh`` are its two languages) and ``all`` (every violation this one stands for: several at
    compile time, else just itself). ``str()`` is the English message.
    """

    def __init__(
        self, rule: str, lineno: int | None, text: Text, filename: str | None = None
    ) -> None:
        super().__init__(text.en)
        self.rule = rule
        self.lineno = lineno
        self.text = text
        self.filename = filename
        self.all: list[PolicyViolation] = [self]

    @property
    def en(self) -> str:
        return self.text.en

    @property
    def zh(self) -> str:
        return self.text.zh

    def __str__(self) -> str:
        return self.text.en

    def __reduce__(self) -> tuple[Any, ...]:
        return (
            type(self),
            (self.rule, self.lineno, self.text, self.filename),
            {"all": [None if v is self else v for v in self.all]},
        )

    def __setstate__(self, state: dict[str, Any] | None) -> None:
        self.all = [self if v is None else v for v in (state or {}).get("all", [None])]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for result documents: rule, line, both messages, and every violation."""
        return {
            "rule": self.rule,
            "lineno": self.lineno,
            "en": self.en,
            "zh": self.zh,
            "all": [{"rule": v.rule, "lineno": v.lineno, "en": v.en, "zh": v.zh} for v in self.all],
        }


VIOLATIONS: list[PolicyViolation] = []
"""Every violation raised at run time in this process, in order (the runner reads and clears it)."""

_SUBMISSION_FILES: set[str] = set()

REASONS: dict[str, Text] = {
    "file": Text(en="reads or writes files", zh="会读写文件"),
    "pickle": Text(
        en="unpickles data, which can run any code", zh="会反序列化（pickle）数据，可能执行任意代码"
    ),
    "native": Text(en="loads native code or touches raw memory", zh="会加载本地代码或访问原始内存"),
    "process": Text(en="starts processes, threads or connections", zh="会启动进程、线程或网络连接"),
    "compile": Text(en="compiles code outside the policy", zh="会绕过策略编译代码"),
    "global": Text(
        en="changes process-wide settings the checks rely on", zh="会修改检查所依赖的全局设置"
    ),
    "override": Text(en="can replace library behaviour", zh="可以替换库的行为"),
    "introspection": Text(en="inspects interpreter internals", zh="会探查解释器内部"),
    "eval": Text(en="evaluates strings as code", zh="会把字符串当作代码执行"),
    "import": Text(en="imports modules by name", zh="会按名称导入模块"),
    "nondeterministic": Text(
        en="uses the OS's randomness (not reproducible)", zh="使用操作系统随机源，结果不可复现"
    ),
    "module": Text(en="is a module outside the allow-list", zh="是允许列表之外的模块"),
    "module-state": Text(en="is shared library state", zh="是库的共享状态"),
}

_MESSAGES: dict[str, Text] = {
    "import": Text(
        en="importing `{name}` is not allowed (allowed: torch, numpy, math, random and a few "
        "standard modules; see the exercise's allow-list)",
        zh="不允许导入 `{name}`（允许：torch、numpy、math、random 和少数标准库模块，见本题允许列表）",
    ),
    "import-relative": Text(en="relative imports are not allowed", zh="不允许相对导入"),
    "import-star": Text(en="`from ... import *` is not allowed", zh="不允许 `from ... import *`"),
    "import-name": Text(
        en="`from {module} import {name}` is not allowed: {why}",
        zh="不允许 `from {module} import {name}`：{why_zh}",
    ),
    "builtin": Text(
        en="`{name}` is not available in submissions: it {reason}",
        zh="提交的代码不能使用 `{name}`：它{reason_zh}",
    ),
    "builtin-type3": Text(
        en="`type()` with three arguments is not allowed; define classes with `class`",
        zh="不允许三参数的 `type()`；请用 `class` 定义类",
    ),
    "builtin-vars": Text(
        en="`vars()` is only allowed on your own objects", zh="`vars()` 只能用于你自己创建的对象"
    ),
    "builtin-dir": Text(
        en="`dir()` without an argument or of a module is not allowed",
        zh="不允许无参数的 `dir()` 或对模块使用 `dir()`",
    ),
    "dunder-read": Text(
        en="`{name}` is a special attribute and may not be used{hint}",
        zh="`{name}` 是特殊属性，不能使用{hint_zh}",
    ),
    "dunder-name": Text(
        en="the name `{name}` is reserved for Python internals",
        zh="名字 `{name}` 保留给 Python 内部使用",
    ),
    "dunder-def": Text(
        en="defining `{name}` is not allowed; a class may define __init__, __len__, __getitem__, "
        "__iter__, __next__, __call__, __repr__ and a few other protocol methods",
        zh="不允许定义 `{name}`；类只能定义 __init__、__len__、__getitem__、__iter__、__next__、"
        "__call__、__repr__ 等少数协议方法",
    ),
    "override-def": Text(
        en="defining `{name}` is not allowed: comparison, hashing, dispatch and attribute hooks "
        "can fake results",
        zh="不允许定义 `{name}`：比较、哈希、分派和属性钩子可以伪造结果",
    ),
    "private-attr": Text(
        en="`{name}` is a private attribute of {owner}; only your own objects' private attributes "
        "may be used",
        zh="`{name}` 是 {owner} 的私有属性；只能使用你自己对象的私有属性",
    ),
    "private-mangled": Text(
        en="names that start with two underscores (`{name}`) are not supported; use one underscore",
        zh="不支持以两个下划线开头的名字（`{name}`），请只用一个下划线",
    ),
    "private-reserved": Text(
        en="the name `{name}` is reserved for the grader", zh="名字 `{name}` 保留给评分程序使用"
    ),
    "introspection": Text(
        en="`{name}` gives access to interpreter frames and code and is not allowed",
        zh="`{name}` 会访问解释器的栈帧和代码，不允许使用",
    ),
    "denied-name": Text(
        en="`{owner}.{name}` is not allowed: it {reason}",
        zh="不允许使用 `{owner}.{name}`：它{reason_zh}",
    ),
    "module-attr": Text(
        en="`{module}.{name}` is not on the allow-list of `{module}`",
        zh="`{module}.{name}` 不在 `{module}` 的允许列表中",
    ),
    "denied-value": Text(
        en="`{what}` is not allowed: it {reason}", zh="不允许使用 `{what}`：它{reason_zh}"
    ),
    "denied-module": Text(
        en="`{what}` is the module `{module}`, which is not on the allow-list",
        zh="`{what}` 是不在允许列表中的模块 `{module}`",
    ),
    "denied-argument": Text(
        en="`{what}` is only allowed {condition}", zh="`{what}` 只能{condition_zh}"
    ),
    "module-write": Text(
        en="changing `{target}` is not allowed: modules and their shared state are read-only",
        zh="不允许修改 `{target}`：模块及其共享状态是只读的",
    ),
    "class-write": Text(
        en="changing the library class `{target}` is not allowed",
        zh="不允许修改库中的类 `{target}`",
    ),
    "function-write": Text(
        en="changing attributes of the function `{target}` is not allowed",
        zh="不允许修改函数 `{target}` 的属性",
    ),
    "override-write": Text(
        en="replacing the method `{name}` of a `{owner}` object is not allowed; define methods in "
        "your class instead",
        zh="不允许替换 `{owner}` 对象的方法 `{name}`；请在你的类中定义方法",
    ),
    "format": Text(
        en="format fields with attribute or index access (`{field}`) are not allowed; use an "
        "f-string with a plain expression",
        zh="不允许在格式字段中访问属性或下标（`{field}`）；请使用 f-string 和普通表达式",
    ),
    "metaclass": Text(en="metaclasses (`{what}`) are not allowed", zh="不允许使用元类（`{what}`）"),
    "tensor-subclass": Text(
        en="subclassing `{base}` is not allowed; wrap a tensor in your own class instead",
        zh="不允许继承 `{base}`；请把张量放在你自己的类里",
    ),
    "base-exception": Text(
        en="`{name}` is not allowed: raise an Exception subclass such as ValueError instead",
        zh="不允许使用 `{name}`：请抛出 ValueError 等 Exception 子类",
    ),
    "statement": Text(
        en="this statement is not allowed in submissions ({detail})",
        zh="提交的代码中不允许这种语句（{detail}）",
    ),
    # Worded by grader.denylist.message, which the judge's static scan uses too.
    "deny": Text(en="{detail}", zh="{detail_zh}"),
}


DUNDER_HINTS: dict[str, Text] = {
    "__class__": Text(en="; use type(x) instead", zh="；请改用 type(x)"),
    "__dict__": Text(en="; use vars(x) on your own objects", zh="；可以对自己的对象使用 vars(x)"),
}
"""The ``{hint}`` of ``dunder-read`` for the special attributes that have a plain replacement."""


def register_submission_file(filename: str) -> None:
    """Remember a compiled submission's filename, to find its frames at run time."""
    _SUBMISSION_FILES.add(filename)


def fill_message(key: str, fmt: dict[str, Any]) -> Text:
    """The detail text of a catalogue message (no line, no rule).

    ``fmt`` fills the templates: a value that is a :class:`Text` fills ``{field}`` with its
    English and ``{field_zh}`` with its Chinese, a ``reason`` or ``why`` that is a key of
    :data:`REASONS` stands for that reason's text, and any other value is used in both
    languages.
    """
    fmt = dict(fmt)
    for field in ("reason", "why"):
        code = fmt.get(field)
        if isinstance(code, str) and code in REASONS:
            fmt[field] = REASONS[code]
    for field, value in list(fmt.items()):
        if isinstance(value, Text):
            fmt[field], fmt[field + "_zh"] = value.en, value.zh
    fmt.setdefault("hint", "")
    fmt.setdefault("hint_zh", "")
    for field in ("why", "condition", "reason"):
        if field in fmt:
            fmt.setdefault(field + "_zh", fmt[field])
    return _MESSAGES[key].format(**fmt)


def make_violation(
    rule: str, key: str, lineno: int | None, filename: str | None = None, **fmt: Any
) -> PolicyViolation:
    """Build a violation with messages from the catalogue (``key``) and the line prefix."""
    detail = fill_message(key, fmt)
    if lineno is not None:
        text = Text(
            zh=f"第 {lineno} 行：{detail.zh}（规则：{rule}）",
            en=f"line {lineno}: {detail.en} (rule: {rule})",
        )
    else:
        text = Text(zh=f"{detail.zh}（规则：{rule}）", en=f"{detail.en} (rule: {rule})")
    return PolicyViolation(rule, lineno, text, filename)


def _submission_frame_line() -> tuple[int | None, str | None]:
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if name in _SUBMISSION_FILES:
            return frame.f_lineno, name
        frame = frame.f_back
    return None, None


def raise_violation(rule: str, key: str, **fmt: Any) -> PolicyViolation:
    """Record a runtime violation at the submission's current line and return it to raise.

    Use as ``raise raise_violation(...)`` so tracebacks point at the guard's caller.
    """
    lineno, filename = _submission_frame_line()
    violation = make_violation(rule, key, lineno, filename, **fmt)
    VIOLATIONS.append(violation)
    return violation


def aggregate(violations: list[PolicyViolation]) -> PolicyViolation:
    """One exception for every compile-time violation, ordered by line (``.all`` lists them)."""
    ordered = sorted(violations, key=lambda v: v.lineno or 0)
    if len(ordered) == 1:
        return ordered[0]
    first = ordered[0]
    text = Text(
        zh=f"{len(ordered)} 处违反规则：\n" + "\n".join(f"  {v.zh}" for v in ordered),
        en=f"{len(ordered)} policy violations:\n" + "\n".join(f"  {v.en}" for v in ordered),
    )
    combined = PolicyViolation(first.rule, first.lineno, text, first.filename)
    combined.all = ordered
    return combined
