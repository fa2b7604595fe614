"""The RestrictedPython policy for PyTorch submissions: the API the runner calls.

``compile_submission`` parses and transforms a submission, reporting every compile-time violation
at once; ``load_submission`` executes the result in a fresh module whose builtins are the runtime
guards. See ``grader/sandbox/policy/ALLOWLIST.md`` for what is admitted and why.

The policy keeps grading honest inside the test process (no monkeypatching of torch, numpy or
the checks, no frame walks, no files, no global-state setters) and turns attacks into clear,
bilingual feedback with a line number. It is a layer, not a boundary: the OS layer (rlimits,
Landlock, seccomp) contains what native code can still do.
"""

from __future__ import annotations

import ast
import linecache
import sys
import types
import weakref
from collections.abc import Sequence

from grader.sandbox.policy.config import config_for, normalise_allow
from grader.sandbox.policy.errors import (
    VIOLATIONS,
    PolicyViolation,
    aggregate,
    register_submission_file,
)
from grader.sandbox.policy.guards_builtins import Guards
from grader.sandbox.policy.guards_owned import register_globals
from grader.sandbox.policy.guards_table import table_matches_installed
from grader.sandbox.policy.static import StaticScope
from grader.sandbox.policy.transform import PolicyTransformer

__all__ = [
    "VIOLATIONS",
    "PolicyViolation",
    "compile_submission",
    "load_submission",
    "table_matches_installed",
]

_COMPILED: dict[int, tuple[weakref.ref[types.CodeType], frozenset[str]]] = {}
"""id(code) -> (weak reference, declared private names). By identity: equal code objects
compiled twice would collide in a WeakKeyDictionary and lose their entry."""


_TRANSFORM_RECURSION_LIMIT = 20_000
"""Visiting a node takes a few Python frames; whatever nesting the parser accepts (it stops at a
few thousand levels) must transform too. Python-to-Python calls do not grow the C stack in 3.11+."""


def _remember(code: types.CodeType, declared: frozenset[str]) -> None:
    key = id(code)

    def forget(ref: weakref.ref[types.CodeType]) -> None:
        entry = _COMPILED.get(key)
        if entry is not None and entry[0] is ref:
            del _COMPILED[key]

    _COMPILED[key] = (weakref.ref(code, forget), declared)


def compile_submission(
    source: str,
    filename: str = "submission.py",
    *,
    allow: Sequence[str] = (),
    deny: Sequence[str] = (),
) -> types.CodeType:
    """Compile a submission under the policy.

    A ``SyntaxError`` propagates unchanged (line and offset intact). Policy violations found at
    compile time raise one ``PolicyViolation`` whose ``.all`` lists every one, each with its
    line. ``allow`` holds the exercise's extra modules and lifted ``module:attr`` denies;
    ``deny`` the exercise's forbidden APIs (validated and resolved here, refused at run time:
    the judge's static scan reports them before anything runs); ValueError if an entry of
    either cannot be admitted.
    """
    config = config_for(normalise_allow(allow), normalise_allow(deny, "deny"))
    tree = ast.parse(source, filename=filename)
    transformer = PolicyTransformer(config, StaticScope(tree), filename)
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _TRANSFORM_RECURSION_LIMIT))
    try:
        tree = transformer.visit(tree)
        if transformer.violations:
            compile(source, filename, "exec", dont_inherit=True)  # a compiler SyntaxError first
            raise aggregate(transformer.violations)
        ast.fix_missing_locations(tree)
        try:
            code = compile(tree, filename, "exec", dont_inherit=True)
        except SyntaxError:
            compile(source, filename, "exec", dont_inherit=True)  # the learner's own error
            raise
    finally:
        sys.setrecursionlimit(limit)
    _remember(code, frozenset(transformer.declared))
    register_submission_file(filename)
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return code


def load_submission(
    code: types.CodeType,
    *,
    module_name: str = "submission",
    allow: Sequence[str] = (),
    deny: Sequence[str] = (),
    print_limit: int = 64_000,
) -> types.ModuleType:
    """Execute compiled submission code in a fresh module with the restricted builtins.

    The module is registered as ``sys.modules[module_name]`` (removed again if executing it
    fails). Runtime violations raise ``PolicyViolation`` and are recorded in ``VIOLATIONS``;
    a use of an API in ``deny`` (the exercise's ``deny:``) is one, with rule ``deny``.
    ``print`` writes to ``sys.stdout`` at call time, at most ``print_limit`` bytes in total and
    then one line ``[output truncated]``. Only code returned by ``compile_submission`` in this
    process (or a parent it was forked from) is accepted (ValueError otherwise).
    """
    entry = _COMPILED.get(id(code))
    if entry is None or entry[0]() is not code:
        raise ValueError("load_submission() only runs code returned by compile_submission()")
    declared = entry[1]
    config = config_for(normalise_allow(allow), normalise_allow(deny, "deny"))
    guards = Guards(config, declared, print_limit)
    module = types.ModuleType(module_name)
    module.__file__ = code.co_filename
    namespace = module.__dict__
    namespace["__builtins__"] = guards.builtins()
    register_globals(namespace)
    previous = sys.modules.get(module_name)
    sys.modules[module_name] = module
    try:
        exec(code, namespace)
    except BaseException:
        if sys.modules.get(module_name) is module:
            if previous is None:
                del sys.modules[module_name]
            else:
                sys.modules[module_name] = previous
        raise
    return module
