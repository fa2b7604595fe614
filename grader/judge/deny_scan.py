"""The judge's static scan for an exercise's ``deny:`` list, before anything of the submission runs.

This scan, not the executor, decides: any reference to a denied API it can resolve makes every
check ``policy`` with a score of 0. It reads the submission's AST here, in the trusted judge, and
never imports or runs anything of it; names are resolved against the modules already imported in
this process (``sys.modules``), as the executor would see them.

What it follows:

* imports (``import torch.nn.functional as F``, ``from torch import softmax as s``) and dotted
  chains off them (``F.softmax``, ``torch.nn.modules.activation.F.softmax``);
* names through assignments in every scope (``sm = torch.softmax``; ``t = torch``; tuple
  unpacking, ``:=``, ``+=``), per scope as Python binds them, as a may-analysis: a name bound in
  several places may hold any of the values;
* ``getattr``/``hasattr`` (also under another name) and ``vars(m)[...]`` with a name that is a
  string constant, or a constant expression (``"soft" + "max"``, an f-string of constants, a name
  only ever bound to such strings);
* class attributes (``torch.Tensor.softmax``, ``torch.nn.Parameter.softmax``);
* for a class-attribute entry (``Tensor.softmax``), every ``.softmax`` on an object that may be a
  tensor: the object is taken for one unless it is known to be something else (a module, a
  library class that is not a ``Tensor`` subclass or its instance, the learner's own function,
  class or instance, a string).

The learner's own names are not references: ``def softmax(...)`` and a variable called
``softmax`` are fine, and so is ``self.softmax`` in a class the learner wrote. What cannot be
resolved here (a computed ``getattr`` name, an unbound method called on a tensor) is left to the
policy's runtime guard, which only ever lowers a score.
"""

from __future__ import annotations

import ast
import re
import sys
import types
from dataclasses import dataclass
from typing import Any

from grader.denylist import DenyList, class_attribute, finding_text, is_missing, message
from grader.i18n import Text

__all__ = ["Finding", "deny_verdict", "scan", "verdict_text"]

MAX_VALUES = 32
"""Values one expression may have; past that it may be anything (UNKNOWN)."""
MAX_STRING = 200
"""Longest string constant the scan builds (attribute names are short)."""
MAX_EVALUATIONS = 64
"""Evaluations of each binding, on average, before propagation gives up (each value set only
grows, and at most to MAX_VALUES, so this is never reached in practice); past it every variable
may also be anything (UNKNOWN)."""
MAX_LISTED = 50
"""Findings listed in the verdict at most, like the policy's compile-time violations."""
_RECURSION_LIMIT = 20_000
_MAX_DEPTH = 8


class _Unknown:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN = _Unknown()


class _OwnFunction:
    """A function or lambda the learner defined."""

    __slots__ = ("node",)

    def __init__(self, node: ast.AST) -> None:
        self.node = node


class _OwnClass:
    """A class the learner defined; ``scope`` holds what its body binds."""

    __slots__ = ("bases", "instance", "node", "scope")

    def __init__(self, node: ast.ClassDef, scope: _Scope, bases: list[ast.expr]) -> None:
        self.node = node
        self.scope = scope
        self.bases = bases
        self.instance = _OwnInstance(self)
        """The one abstract instance (values are sets by identity: one object per class)."""


class _OwnInstance:
    """An instance of a class the learner defined (``self`` in its methods, ``C()``)."""

    __slots__ = ("cls",)

    def __init__(self, cls: _OwnClass) -> None:
        self.cls = cls


class _Instance:
    """What calling a library class gives: an instance of it."""

    __slots__ = ("cls",)

    def __init__(self, cls: type) -> None:
        self.cls = cls


class _Namespace:
    """``vars(obj)``: subscripting it reads ``obj``'s attributes."""

    __slots__ = ("obj",)

    def __init__(self, obj: object) -> None:
        self.obj = obj


class _Builtin:
    """One of the builtins the scan understands (``getattr``, ``hasattr``, ``vars``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name


_BUILTINS = {name: _Builtin(name) for name in ("getattr", "hasattr", "vars")}
_CONSTANTS = (str, int, float, bool, complex, bytes, type(None))


class _Scope:
    """A module, function, lambda, class or comprehension scope and the names it binds."""

    __slots__ = ("declared_global", "declared_nonlocal", "kind", "locals", "parent")

    def __init__(self, kind: str, parent: _Scope | None) -> None:
        self.kind = kind
        self.parent = parent
        self.locals: set[str] = set()
        self.declared_global: set[str] = set()
        self.declared_nonlocal: set[str] = set()


Key = tuple[int, str]
"""(id of the scope, name): one variable."""


class _Values:
    """A set of abstract values, deduplicated by identity (strings by value)."""

    __slots__ = ("_keys", "items")

    def __init__(self) -> None:
        self.items: list[object] = []
        self._keys: set[Any] = set()

    def add(self, value: object) -> bool:
        key = ("s", value) if type(value) is str else id(value)
        if key in self._keys:
            return False
        if len(self.items) >= MAX_VALUES:
            if UNKNOWN in self.items:
                return False
            value, key = UNKNOWN, id(UNKNOWN)
            if key in self._keys:
                return False
        self._keys.add(key)
        self.items.append(value)
        return True


@dataclass(frozen=True)
class Finding:
    """One reference to a denied API: the entry, the line, how the code spells it."""

    entry: str
    line: int
    spelling: str
    by_name: bool

    def text(self) -> Text:
        return finding_text(self.line, message(self.entry, self.spelling, self.by_name))


class _Binder(ast.NodeVisitor):
    """First pass: scopes, the scope of every ``Name``, and every binding with its source."""

    def __init__(self) -> None:
        self.module = _Scope("module", None)
        self.scope = self.module
        self.scope_of: dict[int, _Scope] = {}
        self.bindings: list[tuple[_Scope, str, Any]] = []
        """(scope where the statement is, name, source): an expression node, or a value."""
        self.classes: dict[int, _OwnClass] = {}
        self.functions: dict[int, _OwnFunction] = {}

    # -- scopes ----------------------------------------------------------------------------
    def _enter(self, kind: str) -> _Scope:
        scope = _Scope(kind, self.scope)
        self.scope = scope
        return scope

    def _leave(self, scope: _Scope) -> None:
        assert scope.parent is not None
        self.scope = scope.parent

    def bind(self, name: str, source: Any, scope: _Scope | None = None) -> None:
        scope = scope or self.scope
        if name in scope.declared_global:
            self.module.locals.add(name)
        elif name not in scope.declared_nonlocal:
            scope.locals.add(name)
        self.bindings.append((scope, name, source))

    def _bind_target(self, target: ast.AST, source: Any) -> None:
        if isinstance(target, ast.Name):
            self.scope_of[id(target)] = self.scope
            self.bind(target.id, source)
        elif isinstance(target, (ast.Tuple, ast.List)):
            elts = target.elts
            if (
                isinstance(source, (ast.Tuple, ast.List))
                and len(source.elts) == len(elts)
                and not any(isinstance(e, ast.Starred) for e in (*elts, *source.elts))
            ):
                for elt, value in zip(elts, source.elts, strict=True):
                    self._bind_target(elt, value)
            else:
                for elt in elts:
                    self._bind_target(elt, UNKNOWN)
        elif isinstance(target, ast.Starred):
            self._bind_target(target.value, UNKNOWN)
        else:  # an attribute or a subscript: its parts are loads
            self.visit(target)

    # -- statements that bind --------------------------------------------------------------
    def visit_Global(self, node: ast.Global) -> None:
        self.scope.declared_global.update(node.names)

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        self.scope.declared_nonlocal.update(node.names)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.visit(node.value)
        for target in node.targets:
            self._bind_target(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.visit(node.annotation)
        if node.value is not None:
            self.visit(node.value)
            self._bind_target(node.target, node.value)
        elif not isinstance(node.target, ast.Name):
            self.visit(node.target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self.visit(node.value)
        if isinstance(node.target, ast.Name):
            # `s += "max"` binds s to `s + "max"`: build that expression for the evaluator.
            load = ast.Name(node.target.id, ast.Load())
            self.scope_of[id(load)] = self.scope
            self.scope_of[id(node.target)] = self.scope
            self.bind(node.target.id, ast.BinOp(load, node.op, node.value))
        else:
            self.visit(node.target)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.visit(node.value)
        scope = self.scope
        while scope.kind == "comprehension" and scope.parent is not None:
            scope = scope.parent
        self.scope_of[id(node.target)] = scope
        self.bind(node.target.id, node.value, scope)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.visit(node.iter)
        self._bind_target(node.target, UNKNOWN)
        for child in (*node.body, *node.orelse):
            self.visit(child)

    visit_AsyncFor = visit_For

    def visit_With(self, node: ast.With | ast.AsyncWith) -> None:
        for item in node.items:
            self.visit(item.context_expr)
            if item.optional_vars is not None:
                self._bind_target(item.optional_vars, UNKNOWN)
        for child in node.body:
            self.visit(child)

    visit_AsyncWith = visit_With

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.type is not None:
            self.visit(node.type)
        if node.name:
            self.bind(node.name, UNKNOWN)
        for child in node.body:
            self.visit(child)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.pattern is not None:
            self.visit(node.pattern)
        if node.name:
            self.bind(node.name, UNKNOWN)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.bind(node.name, UNKNOWN)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        self.generic_visit(node)
        if node.rest:
            self.bind(node.rest, UNKNOWN)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.asname:
                self.bind(alias.asname, ("module", alias.name))
            else:
                top = alias.name.partition(".")[0]
                self.bind(top, ("module", top))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        for alias in node.names:
            if alias.name == "*":
                continue
            source = ("from", node.module or "", alias.name) if not node.level else UNKNOWN
            self.bind(alias.asname or alias.name, source)

    # -- definitions -----------------------------------------------------------------------
    def _arguments(self, args: ast.arguments) -> list[ast.arg]:
        return [*args.posonlyargs, *args.args, *args.kwonlyargs] + [
            a for a in (args.vararg, args.kwarg) if a is not None
        ]

    def _visit_defaults(self, args: ast.arguments) -> None:
        for default in (*args.defaults, *[d for d in args.kw_defaults if d is not None]):
            self.visit(default)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        for decorator in node.decorator_list:
            self.visit(decorator)
        self._visit_defaults(node.args)
        for arg in self._arguments(node.args):
            if arg.annotation is not None:
                self.visit(arg.annotation)
        if node.returns is not None:
            self.visit(node.returns)
        own = self.functions.setdefault(id(node), _OwnFunction(node))
        first: Any = UNKNOWN
        enclosing = self.scope
        cls = self.classes.get(id(enclosing)) if enclosing.kind == "class" else None
        if cls is not None:
            names = {d.id for d in node.decorator_list if isinstance(d, ast.Name)}
            if "classmethod" in names:
                first = cls
            elif "staticmethod" not in names:
                first = cls.instance
        self.bind(node.name, own)
        scope = self._enter("function")
        positional = [*node.args.posonlyargs, *node.args.args]
        for arg in self._arguments(node.args):
            self.bind(arg.arg, first if positional and arg is positional[0] else UNKNOWN)
        for child in node.body:
            self.visit(child)
        self._leave(scope)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._visit_defaults(node.args)
        self.functions.setdefault(id(node), _OwnFunction(node))
        scope = self._enter("function")
        for arg in self._arguments(node.args):
            self.bind(arg.arg, UNKNOWN)
        self.visit(node.body)
        self._leave(scope)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for expr in (*node.decorator_list, *node.bases, *[k.value for k in node.keywords]):
            self.visit(expr)
        outer = self.scope
        scope = self._enter("class")
        cls = _OwnClass(node, scope, list(node.bases))
        self.classes[id(scope)] = cls
        self.scope_of[id(node)] = outer
        for child in node.body:
            self.visit(child)
        self._leave(scope)
        self.bind(node.name, cls)

    def _comprehension(self, node: Any, results: list[ast.expr]) -> None:
        generators = node.generators
        self.visit(generators[0].iter)  # evaluated in the enclosing scope
        scope = self._enter("comprehension")
        for i, gen in enumerate(generators):
            if i:
                self.visit(gen.iter)
            self._bind_target(gen.target, UNKNOWN)
            for cond in gen.ifs:
                self.visit(cond)
        for expr in results:
            self.visit(expr)
        self._leave(scope)

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node, [node.elt])

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node, [node.elt])

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node, [node.elt])

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node, [node.key, node.value])

    # -- loads -----------------------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        self.scope_of[id(node)] = self.scope
        if not isinstance(node.ctx, ast.Load):
            self.bind(node.id, UNKNOWN)  # `del x`, or a store the visitors above do not model

    def generic_visit(self, node: ast.AST) -> None:
        # Record the scope of every node, so the scan can evaluate any expression.
        self.scope_of.setdefault(id(node), self.scope)
        super().generic_visit(node)


class _Scanner:
    """Second part: propagate values through the bindings, then look at every reference."""

    def __init__(self, tree: ast.Module, source: str, denied: DenyList) -> None:
        self.tree = tree
        self.source = source
        self.denied = denied
        binder = _Binder()
        binder.visit(tree)
        self.binder = binder
        self.env: dict[Key, _Values] = {}
        self.memo: dict[int, list[object]] = {}
        self.final = False
        self.findings: dict[tuple[int, str], Finding] = {}
        self.lines: list[str] | None = None
        self.reading: set[Key] | None = None
        """While propagating: the variables the binding being evaluated reads."""
        self._markers: dict[tuple[type, int], object] = {}

    def _interned(self, kind: type, obj: object) -> Any:
        """One marker per (kind, object), so that a value set stops growing."""
        key = (kind, id(obj))
        marker = self._markers.get(key)
        if marker is None:
            marker = self._markers[key] = kind(obj)
        return marker

    # -- variables -------------------------------------------------------------------------
    def _target_scope(self, scope: _Scope, name: str) -> _Scope:
        if name in scope.declared_global:
            return self.binder.module
        if name in scope.declared_nonlocal:
            outer = scope.parent
            while outer is not None:
                if outer.kind == "function" and name in outer.locals:
                    return outer
                outer = outer.parent
        return scope

    def _lookup(self, scope: _Scope, name: str) -> Key | None:
        """The variable a load of ``name`` in ``scope`` reads (None: a builtin)."""
        if name in scope.declared_global:
            return (id(self.binder.module), name) if name in self.binder.module.locals else None
        if name in scope.declared_nonlocal:
            return (id(self._target_scope(scope, name)), name)
        if name in scope.locals:
            return (id(scope), name)
        outer = scope.parent
        while outer is not None:
            if outer.kind != "class" and name in outer.locals:
                return (id(outer), name)
            outer = outer.parent
        return None

    def _variable(self, key: Key) -> list[object]:
        if self.reading is not None:
            self.reading.add(key)
        values = self.env.get(key)
        if values is None or not values.items:
            return [UNKNOWN] if self.final else []
        return values.items

    def propagate(self) -> None:
        """Values through the bindings, to a fixed point: a worklist, so a binding is evaluated
        again only when a variable it read has grown (a chain of n aliases costs n evaluations,
        not n passes over the file)."""
        bindings = [
            ((id(self._target_scope(scope, name)), name), source)
            for scope, name, source in self.binder.bindings
        ]
        readers: dict[Key, set[int]] = {}
        queue = list(range(len(bindings)))
        queued = set(queue)
        budget = MAX_EVALUATIONS * max(len(bindings), 1)
        while queue and budget > 0:
            index = queue.pop()
            queued.discard(index)
            budget -= 1
            key, source = bindings[index]
            self.memo = {}
            self.reading = set()
            found = self._source_values(source)
            for read in self.reading:
                readers.setdefault(read, set()).add(index)
            self.reading = None
            values = self.env.setdefault(key, _Values())
            grown = False
            for value in found:
                grown |= values.add(value)
            if grown:
                for reader in readers.get(key, ()):
                    if reader not in queued:
                        queued.add(reader)
                        queue.append(reader)
        if queue:  # gave up: whatever a variable holds, it may also be anything
            for values in self.env.values():
                values.add(UNKNOWN)
        self.reading = None
        self.memo = {}
        self.final = True

    def _source_values(self, source: Any) -> list[object]:
        if isinstance(source, ast.AST):
            return self.eval(source)
        if isinstance(source, tuple):
            if source[0] == "module":
                return [self._module(source[1])]
            return [self._from(source[1], source[2])]
        return [source]

    # -- library objects -------------------------------------------------------------------
    def _module(self, name: str) -> object:
        module = sys.modules.get(name)
        return module if isinstance(module, types.ModuleType) else UNKNOWN

    def _from(self, module_name: str, item: str) -> object:
        module = sys.modules.get(module_name)
        if not isinstance(module, types.ModuleType):
            return UNKNOWN
        value = vars(module).get(item, UNKNOWN)
        if value is UNKNOWN:
            return self._module(f"{module_name}.{item}")
        return value

    def _attribute(self, base: object, name: str, depth: int = 0) -> list[object]:
        """What ``base.name`` may be."""
        if base is UNKNOWN or isinstance(base, (_OwnFunction, _Namespace, _Builtin)):
            return [UNKNOWN]
        if isinstance(base, types.ModuleType):
            value = vars(base).get(name, UNKNOWN)
            if value is UNKNOWN:
                module_name = vars(base).get("__name__")
                if isinstance(module_name, str):
                    return [self._module(f"{module_name}.{name}")]
            return [value]
        if isinstance(base, (_OwnClass, _OwnInstance)):
            own = base if isinstance(base, _OwnClass) else base.cls
            return self._own_attribute(own, name, depth)
        if isinstance(base, type):
            cls = base
        elif isinstance(base, _Instance):
            cls = base.cls
        else:
            cls = type(base)
        value = class_attribute(cls, name)
        return [UNKNOWN if is_missing(value) else value]

    def _own_attribute(self, cls: _OwnClass, name: str, depth: int) -> list[object]:
        if name in cls.scope.locals:
            return self._variable((id(cls.scope), name)) or [UNKNOWN]
        if depth >= _MAX_DEPTH:
            return [UNKNOWN]
        found: list[object] = []
        for base_node in cls.bases:
            for base in self.eval(base_node):
                if isinstance(base, _OwnClass):
                    found += self._own_attribute(base, name, depth + 1)
                elif isinstance(base, type):
                    value = class_attribute(base, name)
                    if not is_missing(value):
                        found.append(value)
                else:
                    found.append(UNKNOWN)
        return found or [UNKNOWN]  # an instance attribute set in a method, for instance

    def _defines(self, cls: _OwnClass, name: str, depth: int = 0) -> bool:
        """The learner's class (or one of its own bases) defines ``name`` in its body."""
        if name in cls.scope.locals:
            return True
        if depth >= _MAX_DEPTH:
            return False
        return any(
            isinstance(base, _OwnClass) and self._defines(base, name, depth + 1)
            for node in cls.bases
            for base in self.eval(node)
        )

    def _may_derive(self, cls: _OwnClass, target: type, depth: int = 0) -> bool:
        if depth >= _MAX_DEPTH:
            return True
        for node in cls.bases:
            for base in self.eval(node):
                if isinstance(base, _OwnClass):
                    if self._may_derive(base, target, depth + 1):
                        return True
                elif isinstance(base, type):
                    if issubclass(base, target):
                        return True
                else:
                    return True
        return False

    def _may_have(self, base: object, target: type, name: str) -> bool:
        """``base.name`` may be the attribute ``name`` of class ``target``."""
        if base is UNKNOWN:
            return True
        if isinstance(base, (types.ModuleType, _OwnFunction, _Namespace, _Builtin)):
            return False
        if isinstance(base, (_OwnClass, _OwnInstance)):
            cls = base if isinstance(base, _OwnClass) else base.cls
            return not self._defines(cls, name) and self._may_derive(cls, target)
        if isinstance(base, type):
            return issubclass(base, target)
        if isinstance(base, _Instance):
            return issubclass(base.cls, target)
        return isinstance(base, target)

    # -- evaluation ------------------------------------------------------------------------
    def eval(self, node: ast.AST) -> list[object]:
        key = id(node)
        cached = self.memo.get(key)
        if cached is None:
            self.memo[key] = []  # a cycle through the learner's classes reads nothing new
            values = _Values()
            for value in self._eval(node):
                values.add(value)
            cached = values.items
            self.memo[key] = cached
        return cached

    def _eval(self, node: ast.AST) -> list[object]:
        if isinstance(node, ast.Name):
            key = self._lookup(self.binder.scope_of.get(id(node), self.binder.module), node.id)
            if key is None:
                builtin = _BUILTINS.get(node.id)
                return [builtin if builtin is not None else UNKNOWN]
            return self._variable(key)
        if isinstance(node, ast.Constant):
            return [node.value] if isinstance(node.value, _CONSTANTS) else [UNKNOWN]
        if isinstance(node, ast.Attribute):
            return [v for base in self.eval(node.value) for v in self._attribute(base, node.attr)]
        if isinstance(node, ast.Call):
            return self._call(node)
        if isinstance(node, ast.Subscript):
            out: list[object] = []
            for base in self.eval(node.value):
                if isinstance(base, _Namespace):
                    for name in self.eval(node.slice):
                        out += self._attribute(base.obj, name) if type(name) is str else [UNKNOWN]
                else:
                    out.append(UNKNOWN)
            return out
        if isinstance(node, ast.BinOp):
            return self._binop(node)
        if isinstance(node, ast.JoinedStr):
            return self._fstring(node)
        if isinstance(node, ast.IfExp):
            return [*self.eval(node.body), *self.eval(node.orelse)]
        if isinstance(node, ast.BoolOp):
            return [v for value in node.values for v in self.eval(value)]
        if isinstance(node, ast.NamedExpr):
            return self.eval(node.value)
        if isinstance(node, ast.Lambda):
            function = self.binder.functions.get(id(node))
            return [function if function is not None else UNKNOWN]
        return [UNKNOWN]

    def _call(self, node: ast.Call) -> list[object]:
        out: list[object] = []
        for func in self.eval(node.func):
            if isinstance(func, _Builtin):
                out += self._builtin_call(func.name, node)
            elif isinstance(func, _OwnClass):
                out.append(func.instance)
            elif isinstance(func, type) and not issubclass(func, type):
                out.append(self._interned(_Instance, func))
            else:
                out.append(UNKNOWN)
        return out

    def _builtin_call(self, name: str, node: ast.Call) -> list[object]:
        args = node.args
        if any(isinstance(a, ast.Starred) for a in args) or node.keywords:
            return [UNKNOWN]
        if name == "vars" and len(args) == 1:
            return [self._interned(_Namespace, b) for b in self.eval(args[0])]
        if name == "getattr" and len(args) in (2, 3):
            out = [
                value
                for base in self.eval(args[0])
                for attr in self.eval(args[1])
                for value in (self._attribute(base, attr) if type(attr) is str else [UNKNOWN])
            ]
            return out + (self.eval(args[2]) if len(args) == 3 else [])
        return [UNKNOWN]

    def _binop(self, node: ast.BinOp) -> list[object]:
        left, right = self.eval(node.left), self.eval(node.right)
        out: list[object] = []
        for a in left:
            for b in right:
                if isinstance(node.op, ast.Add) and type(a) is str and type(b) is str:
                    out.append(a + b if len(a) + len(b) <= MAX_STRING else UNKNOWN)
                elif isinstance(node.op, ast.Mult) and {type(a), type(b)} == {str, int}:
                    text, count = (a, b) if isinstance(a, str) else (b, a)
                    assert isinstance(text, str) and isinstance(count, int)
                    ok = 0 <= count and len(text) * count <= MAX_STRING
                    out.append(text * count if ok else UNKNOWN)
                else:
                    out.append(UNKNOWN)
        return out

    def _fstring(self, node: ast.JoinedStr) -> list[object]:
        texts: list[str] = [""]
        for part in node.values:
            if isinstance(part, ast.Constant) and type(part.value) is str:
                options: list[object] = [part.value]
            elif (
                isinstance(part, ast.FormattedValue)
                and part.conversion == -1
                and part.format_spec is None
            ):
                options = self.eval(part.value)
            else:
                return [UNKNOWN]
            if any(type(o) is not str for o in options):
                return [UNKNOWN]
            texts = [t + o for t in texts for o in options]  # type: ignore[operator]
            if len(texts) > MAX_VALUES or any(len(t) > MAX_STRING for t in texts):
                return [UNKNOWN]
        return list(texts)

    # -- findings --------------------------------------------------------------------------
    def _spelling(self, node: ast.AST) -> str:
        """The node's source text on its first line (like ``ast.get_source_segment``, without
        splitting the whole file again for every finding)."""
        if self.lines is None:
            self.lines = re.split(r"\r\n|\r|\n", self.source)
        line, col = getattr(node, "lineno", 0), getattr(node, "col_offset", 0)
        if not 0 < line <= len(self.lines):
            return ""
        data = self.lines[line - 1].encode("utf-8")
        end = (
            getattr(node, "end_col_offset", None)
            if getattr(node, "end_lineno", None) == line
            else None
        )
        text = data[col:end].decode("utf-8", errors="replace")
        text = " ".join(text.split()) + ("" if end is not None else " ...")
        return text if len(text) <= 80 else text[:77] + "..."

    def _found(self, entry: str, node: ast.AST, by_name: bool = False) -> None:
        line = getattr(node, "lineno", 0)
        key = (line, entry)
        known = self.findings.get(key)
        if known is None or (known.by_name and not by_name):
            self.findings[key] = Finding(entry, line, self._spelling(node), by_name)

    def _check_values(self, values: list[object], node: ast.AST) -> None:
        for value in values:
            entry = self.denied.object_entry(value)
            if entry is not None:
                self._found(entry, node)

    def _check_attribute(self, bases: list[object], names: list[object], node: ast.AST) -> None:
        for name in names:
            if type(name) is not str:
                continue
            for target, entry in self.denied.attributes.get(name, ()):
                if any(self._may_have(base, target, name) for base in bases):
                    resolved = all(isinstance(b, type) for b in bases)
                    self._found(entry, node, by_name=not resolved)

    def check(self) -> None:
        denied = self.denied
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
                bases = self.eval(node.value)
                self._check_values(self.eval(node), node)
                self._check_attribute(bases, [node.attr], node)
                for base in bases:  # anything read off a denied module (`F.relu`)
                    if isinstance(base, types.ModuleType):
                        entry = denied.module_entry(vars(base).get("__name__"))
                        if entry is not None:
                            self._found(entry, node)
            elif isinstance(node, ast.Call):
                funcs = self.eval(node.func)
                if any(isinstance(f, _Builtin) and f.name != "vars" for f in funcs):
                    if len(node.args) >= 2 and not node.keywords:
                        bases, names = self.eval(node.args[0]), self.eval(node.args[1])
                        values = [
                            v
                            for b in bases
                            for n in names
                            if type(n) is str
                            for v in self._attribute(b, n)
                        ]
                        self._check_values(values, node)
                        self._check_attribute(bases, names, node)
            elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
                if any(isinstance(b, _Namespace) for b in self.eval(node.value)):
                    self._check_values(self.eval(node), node)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    entry = denied.module_entry(alias.name)
                    if entry is not None:
                        self._found(entry, node)
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                entry = denied.module_entry(node.module)
                if entry is not None:
                    self._found(entry, node)
                for alias in node.names:
                    entry = denied.module_entry(f"{node.module}.{alias.name}")
                    if entry is not None:
                        self._found(entry, node)
                    self._check_values([self._from(node.module, alias.name)], node)


def scan(source: str, denied: DenyList, filename: str = "submission.py") -> list[Finding] | None:
    """Every reference to a denied API in ``source``, ordered by line; None when the file does
    not parse (the executor template reports the syntax error as it always does).

    RecursionError propagates when the code is nested too deeply to scan.
    """
    try:
        tree = ast.parse(source, filename=filename)
    except (SyntaxError, ValueError):
        return None
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        scanner = _Scanner(tree, source, denied)
        scanner.propagate()
        scanner.check()
    finally:
        sys.setrecursionlimit(limit)
    return sorted(scanner.findings.values(), key=lambda f: (f.line, f.entry))


def verdict_text(findings: list[Finding]) -> Text:
    """The verdict's text: every finding, one per line (the first 50)."""
    texts = [f.text() for f in findings[:MAX_LISTED]]
    if len(findings) > MAX_LISTED:
        more = len(findings) - MAX_LISTED
        texts.append(Text(zh=f"……另有 {more} 处", en=f"… and {more} more"))
    return Text(zh="\n".join(t.zh for t in texts), en="\n".join(t.en for t in texts))


def deny_verdict(source: str, filename: str, denied: DenyList) -> dict[str, Any] | None:
    """The judge's verdict for every check when ``source`` uses a denied API (reason
    ``policy``, the first finding's line), else None.

    A file that does not compile gets no deny verdict: the executor template reports its syntax
    error, as for any file (a syntax error comes before policy violations). A file nested too
    deeply to scan fails closed, with reason ``error``.
    """
    from grader.runner.result import Reason

    try:
        findings = scan(source, denied, filename)
    except (RecursionError, MemoryError):
        return {
            "reason": Reason.ERROR,
            "message": Text(
                zh=f"{filename} 嵌套过深，无法检查其中是否用到了本练习禁止的 API",
                en=f"{filename} is nested too deeply to be checked for the APIs this exercise "
                "forbids",
            ),
            "line": None,
        }
    if not findings:
        return None
    try:
        compile(source, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return {"reason": Reason.POLICY, "message": verdict_text(findings), "line": findings[0].line}
