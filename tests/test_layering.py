"""The layers of ``grader/`` (docs/architecture.md), checked on every import of every module.

:data:`LAYERS` assigns every file under ``grader/`` to one layer. The list starts at the bottom of
the stack (what every module may use) and ends with the ``grader`` command; a module may import
its own layer and the layers listed before it, never one listed after it. Layers that share a row
are siblings and may not import each other either (the judge and the executor share only
``grader.protocol``; the sandbox's language and OS layers are independent). :data:`FORBIDDEN`
adds the few pairs the order alone would allow.

What counts as an import, read with ``ast`` from the source (nothing is imported):

- ``import grader.x`` and ``from grader.x import y``, relative forms too, at module level *and*
  inside functions: a lazy import is still a dependency;
- imports under ``if TYPE_CHECKING:``, for the layer rule (a type names the layer it comes from);
- a string constant that is exactly a module's dotted name, or ``module:attribute``
  (``import_module("grader.x")``, ``pytest -p grader.judge.plugin``, ``python -m
  grader.runner.worker``, the ``"grader.cli.quiz:quiz"`` tables of ``grader.cli`` and the app's
  screens): it loads that module;
- a module's own package: importing ``grader.runner.result`` runs ``grader/runner/__init__.py``
  first, so a package's ``__init__.py`` must sit in a layer its modules may import.

The cycle check (:func:`test_no_import_cycles`) uses the same imports except those under
``if TYPE_CHECKING:``: they never run, so they cannot make an import-time cycle, and the typed
back-reference they allow (a screen annotating ``self.app`` as its ``QuizApp``, a controller
naming its screen) stays inside one layer, where the layer rule lets it be.

Third-party packages are ``tests/test_import_hygiene.py``'s job (it imports the headless core in a
fresh interpreter and checks that torch and textual stay out); this file checks only imports
between grader's own modules.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

GRADER = Path(__file__).resolve().parents[1] / "grader"
HERE = "tests/test_layering.py"

#: The layers, bottom first. Each row maps a layer's name to its files and folders (relative to
#: ``grader/``; a folder ends with ``/``); the longest matching entry decides a file's layer.
LAYERS: tuple[dict[str, tuple[str, ...]], ...] = (
    {
        "core": (
            "__init__.py",
            "errors.py",
            "i18n.py",
            "logs.py",
            "course.py",
            "database.py",
            "denylist.py",
        )
    },
    {"bank": ("bank/",)},
    {"exercises": ("exercises/",)},
    {"validate": ("validate.py",)},
    {"channel": ("processes.py", "protocol.py", "tracebacks.py")},
    {
        "results": (
            "runner/__init__.py",
            "runner/request.py",
            "runner/result.py",
            "runner/sanitize.py",
        )
    },
    {"sandbox": ("sandbox/__init__.py",)},
    {"sandbox.policy": ("sandbox/policy/",), "sandbox.os": ("sandbox/os/",)},
    {"executor": ("executor/",), "judge": ("judge/",)},
    {"checks": ("checks.py",)},
    {"runner": ("runner/",)},
    {"verify": ("verify/",)},
    {"study": ("study/",)},
    {"batch": ("batch/",)},
    {"exam": ("exam/",)},
    {"publish": ("gradescope.py", "pinned_wheel.py", "handout.py", "ci_kit.py")},
    {"interop": ("interop/",)},
    {"tui": ("tui/",)},
    {"serve": ("serve.py",)},
    {"cli": ("cli/", "__main__.py")},
)

#: (layer, layer it may not import though the order allows it, why).
FORBIDDEN: tuple[tuple[str, str, str], ...] = (
    ("judge", "sandbox", "the sandbox is the executor's side"),
    ("judge", "sandbox.policy", "the sandbox is the executor's side"),
    ("judge", "sandbox.os", "the sandbox is the executor's side"),
    ("executor", "results", "the executor knows nothing of requests and verdicts"),
)


@dataclass(frozen=True)
class Import:
    """One dependency of a module on a grader module."""

    line: int
    target: str
    """The dotted name of the grader module it loads."""
    type_only: bool = False
    """Under ``if TYPE_CHECKING:``: never executed."""
    package: bool = False
    """The module's own package (its ``__init__.py`` runs first), not an import statement."""


def module_name(relpath: str) -> str:
    """``bank/answers.py`` -> ``grader.bank.answers``; ``tui/__init__.py`` -> ``grader.tui``."""
    parts = ["grader", *relpath.removesuffix(".py").split("/")]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_sources(root: Path = GRADER) -> dict[str, str]:
    """Every module under ``root``, as relative path -> source text."""
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*.py"))
        if "_bundled" not in path.relative_to(root).parts
    }


def layer_of(relpath: str, layers: tuple[dict[str, tuple[str, ...]], ...] = LAYERS) -> str | None:
    """The layer ``layers`` assigns ``relpath`` to (None: it is in no layer)."""
    best: tuple[int, str] | None = None
    for row in layers:
        for name, entries in row.items():
            for entry in entries:
                hit = relpath == entry or (entry.endswith("/") and relpath.startswith(entry))
                if hit and (best is None or len(entry) > best[0]):
                    best = (len(entry), name)
    return None if best is None else best[1]


def _row(layer: str) -> int:
    return next(i for i, row in enumerate(LAYERS) if layer in row)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _resolve(name: str, known: frozenset[str]) -> str | None:
    """The longest prefix of ``name`` that is a grader module (``grader.x.Class`` -> ``grader.x``)."""
    while name:
        if name in known:
            return name
        name = name.rpartition(".")[0]
    return None


def imports_of(relpath: str, source: str, known: Iterable[str]) -> list[Import]:
    """Every grader module ``relpath`` depends on (see the module docstring), with its line."""
    return list(_imports(relpath, source, frozenset(known)))


@functools.lru_cache(maxsize=4096)  # each check reads the same ~200 files: parse each once
def _imports(relpath: str, source: str, known: frozenset[str]) -> tuple[Import, ...]:
    own = module_name(relpath)
    package = own if relpath.endswith("__init__.py") else own.rpartition(".")[0]
    found: list[Import] = []

    def add(line: int, name: str, type_only: bool) -> None:
        target = _resolve(name, known)
        if target is not None and target != own:
            found.append(Import(line, target, type_only))

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_only)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(node.lineno, alias.name, type_only)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            for alias in node.names:
                add(node.lineno, f"{module}.{alias.name}", type_only)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            named = node.value.partition(":")[0]  # "grader.cli.quiz:quiz" names grader.cli.quiz
            if named in known and named != own:
                found.append(Import(node.lineno, named, type_only))
        for child in ast.iter_child_nodes(node):
            visit(child, type_only)

    visit(ast.parse(source, filename=relpath), False)
    parts = own.split(".")
    for depth in range(1, len(parts) - (0 if relpath.endswith("__init__.py") else 1)):
        parent = ".".join(parts[:depth])
        if parent in known and parent != own:
            found.append(Import(1, parent, package=True))
    return tuple(found)


def unassigned(sources: Iterable[str]) -> list[str]:
    """A message for every file :data:`LAYERS` leaves out."""
    return [
        f"grader/{relpath} is in no layer: add it, or its folder, to LAYERS in {HERE} "
        "(and to the layer table of docs/architecture.md)"
        for relpath in sources
        if layer_of(relpath) is None
    ]


def layer_violations(sources: Mapping[str, str]) -> list[str]:
    """``grader/x/y.py:LINE imports grader.z (layer A may not depend on layer B)``, one per
    import the layers forbid."""
    files = {module_name(relpath): relpath for relpath in sources}
    forbidden = {(a, b): why for a, b, why in FORBIDDEN}
    bad: list[str] = []
    for relpath, source in sources.items():
        layer = layer_of(relpath)
        if layer is None:
            continue
        for imp in imports_of(relpath, source, files):
            target = layer_of(files[imp.target])
            if target is None or target == layer:
                continue
            if _row(target) < _row(layer) and (layer, target) not in forbidden:
                continue
            what = f"{imp.target} (its package)" if imp.package else imp.target
            why = forbidden.get((layer, target))
            if why is None and _row(target) == _row(layer):
                why = "sibling layers share only what is above them"
            bad.append(
                f"grader/{relpath}:{imp.line} imports {what} "
                f"(layer {layer} may not depend on layer {target})" + (f": {why}" if why else "")
            )
    return sorted(set(bad))  # `from m import a, b` is one line


def import_cycles(sources: Mapping[str, str]) -> list[str]:
    """One line per import cycle between modules (runtime imports, lazy ones included), e.g.
    ``grader/a.py:3 imports grader.b; grader/b.py:9 imports grader.a``."""
    files = {module_name(relpath): relpath for relpath in sources}
    edges: dict[str, dict[str, int]] = {name: {} for name in files}
    for relpath, source in sources.items():
        out = edges[module_name(relpath)]
        for imp in imports_of(relpath, source, files):
            if not imp.type_only and not imp.package:
                out.setdefault(imp.target, imp.line)
    report = []
    for component in _strongly_connected(edges):
        path = _cycle_through(min(component), edges, component)
        steps = [
            f"grader/{files[a]}:{edges[a][b]} imports {b}"
            for a, b in zip(path, path[1:] + path[:1], strict=True)
        ]
        report.append("; ".join(steps))
    return sorted(report)


def _strongly_connected(edges: Mapping[str, Mapping[str, int]]) -> list[set[str]]:
    """Tarjan's algorithm, iteratively: the components of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def _cycle_through(
    start: str, edges: Mapping[str, Mapping[str, int]], within: set[str]
) -> list[str]:
    """The shortest cycle from ``start`` back to it inside one component (breadth-first)."""
    previous: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for child in sorted(edges[node]):
                if child == start:
                    path = [node]
                    while path[-1] != start:
                        path.append(previous[path[-1]])
                    return path[::-1]
                if child in within and child not in previous:
                    previous[child] = node
                    following.append(child)
        frontier = following
    raise AssertionError(f"{start} is in no cycle")


# --- the checks -----------------------------------------------------------------------------


def test_every_module_is_in_a_layer() -> None:
    """A new module fails here until LAYERS says which layer it belongs to."""
    missing = unassigned(read_sources())
    assert not missing, "\n".join(missing)


def test_every_layer_entry_names_files() -> None:
    """No stale entry: each file or folder LAYERS names exists and holds modules."""
    sources = read_sources()
    stale = [
        entry
        for row in LAYERS
        for entries in row.values()
        for entry in entries
        if not any(p == entry or (entry.endswith("/") and p.startswith(entry)) for p in sources)
    ]
    assert not stale, f"LAYERS in {HERE} names what grader/ does not have: {stale}"


def test_the_architecture_document_lists_these_layers() -> None:
    """docs/architecture.md's layer table names the same layers, rows and files as LAYERS."""
    text = (GRADER.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = text.split("\n## Layers\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) >= 3 and cells[0].isdigit():
            names = tuple(n.strip() for n in cells[1].split("\\|"))
            files = set(re.findall(r"`([^`]+)`", cells[2]))
            rows.append((names, files))
    expected = [(tuple(row), {e for entries in row.values() for e in entries}) for row in LAYERS]
    assert rows == expected


def test_layers_are_respected() -> None:
    """No module imports a layer after its own, a sibling layer, or a FORBIDDEN pair."""
    bad = layer_violations(read_sources())
    assert not bad, "\n".join(bad)


def test_no_import_cycles() -> None:
    """No two modules import each other, directly or around a loop, even lazily."""
    cycles = import_cycles(read_sources())
    assert not cycles, "\n".join(cycles)


# --- the checker catches what it must (so the checks above cannot pass by accident) -----------


def _with(relpath: str, extra: str) -> dict[str, str]:
    sources = read_sources()
    sources[relpath] = sources.get(relpath, "") + extra
    return sources


def test_the_bank_importing_the_runner_or_the_app_is_reported() -> None:
    """The two imports the old hygiene test let through: ``bank/answers.py`` importing
    ``grader.runner.client`` (module level) or ``grader.tui.cjk`` (``from`` form, in a function)."""
    sources = _with(
        "bank/answers.py",
        "\nimport grader.runner.client\n\n\ndef _width():\n    from grader.tui import cjk\n",
    )
    lines = len(read_sources()["bank/answers.py"].splitlines())
    bad = layer_violations(sources)
    assert (
        f"grader/bank/answers.py:{lines + 2} imports grader.runner.client (layer bank may not depend on layer runner)"
        in bad
    )
    assert (
        f"grader/bank/answers.py:{lines + 6} imports grader.tui.cjk (layer bank may not depend on layer tui)"
        in bad
    )


def test_siblings_type_only_and_named_imports_are_reported() -> None:
    """Sibling layers, an import under TYPE_CHECKING, a module named by a string, a FORBIDDEN
    pair and a relative import are all dependencies."""
    sources = _with(
        "sandbox/os/limits.py",
        "\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
        "    from grader.sandbox.policy.config import PolicyConfig\n",
    )
    sources["judge/deny_scan.py"] += (
        '\nNAMED = "grader.executor.serve"\nfrom ..sandbox.os import paths\n'
    )
    bad = "\n".join(layer_violations(sources))
    assert (
        "imports grader.sandbox.policy.config (layer sandbox.os may not depend on layer sandbox.policy)"
        in bad
    )
    assert "grader/judge/deny_scan.py:" in bad
    assert "imports grader.executor.serve (layer judge may not depend on layer executor)" in bad
    assert "imports grader.sandbox.os.paths (layer judge may not depend on layer sandbox.os)" in bad


def test_a_package_init_in_a_later_layer_is_reported() -> None:
    """``runner/__init__.py`` runs before ``runner/result.py``: were it to import the engine, the
    results layer (which the judge imports) would depend on the runner."""
    sources = _with("runner/__init__.py", "\nfrom grader.runner import engine\n")
    bad = layer_violations(sources)
    assert any(
        v.startswith("grader/runner/__init__.py:")
        and "imports grader.runner.engine (layer results may not depend on layer runner)" in v
        for v in bad
    ), bad


def test_the_most_specific_entry_decides_a_layer() -> None:
    """A file named on its own beats its folder's entry, wherever either is listed."""
    table = ({"runner": ("runner/",)}, {"results": ("runner/result.py",)})
    assert layer_of("runner/result.py", table) == "results"
    assert layer_of("runner/engine.py", table) == "runner"
    assert layer_of("runner/result.py", table[::-1]) == "results"
    assert layer_of("runner.py", table) is None


def test_a_new_module_outside_every_layer_is_reported() -> None:
    """A file in a new folder gets a message that says where to declare it."""
    assert unassigned(["bank/answers.py", "plugins/extra.py"]) == [
        f"grader/plugins/extra.py is in no layer: add it, or its folder, to LAYERS in {HERE} "
        "(and to the layer table of docs/architecture.md)"
    ]


def test_cycles_are_found_lazy_imports_included_type_checking_excluded() -> None:
    """A lazy import closes a cycle; a TYPE_CHECKING-only one does not."""
    sources = _with("study/report.py", "\n\ndef _late():\n    from grader.study import session\n")
    cycles = import_cycles(sources)
    assert any(
        "grader/study/report.py:" in c and "imports grader.study.session" in c for c in cycles
    ), cycles
    typed = _with(
        "study/clock.py",
        "\nfrom typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from grader.study.stats import Stats\n",
    )
    assert import_cycles(typed) == import_cycles(read_sources())


def test_a_three_module_cycle_is_reported_in_order() -> None:
    """Each step of a longer cycle is named with its file and line."""
    sources = {
        "a.py": "import grader.b\n",
        "b.py": "\nfrom grader import c\n",
        "c.py": "x = 1\n\n\ndef f():\n    import grader.a\n",
        "d.py": "import grader.a\n",
    }
    assert import_cycles(sources) == [
        "grader/a.py:1 imports grader.b; grader/b.py:2 imports grader.c; grader/c.py:5 imports grader.a"
    ]
