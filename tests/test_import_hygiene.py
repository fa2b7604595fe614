"""The headless core (banks, exercises, validation, study) imports neither torch nor textual.

This checks third-party packages at run time, in a fresh interpreter; which grader modules may
import which is ``tests/test_layering.py``'s job (read from the source).
"""

from __future__ import annotations

import importlib.util
import json
import pkgutil
import subprocess
import sys

HEADLESS_PACKAGES = ("grader.bank", "grader.exercises", "grader.study", "grader.interop")
HEADLESS_MODULES = (
    "grader.validate",
    "grader.cli.validate",
    "grader.cli.listing",
    "grader.cli.importing",
    "grader.cli.exporting",
)
HEAVY = ("torch", "textual")

# Imports each module in turn and names the first one after which a heavy package is loaded.
_PROBE = """
import importlib, json, sys
heavy = {heavy!r}
for name in {modules!r}:
    importlib.import_module(name)
    leaked = [m for m in heavy if m in sys.modules]
    if leaked:
        print(json.dumps([name, leaked]))
        break
else:
    print(json.dumps(None))
"""


def _modules() -> list[str]:
    names = [m for m in HEADLESS_MODULES if importlib.util.find_spec(m) is not None]
    for package in HEADLESS_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.submodule_search_locations is None:
            continue
        names.append(package)
        names += [
            f"{package}.{info.name}"
            for info in pkgutil.iter_modules(spec.submodule_search_locations)
        ]
    return names


def test_headless_core_imports_no_heavy_package() -> None:
    """In a fresh interpreter, importing every headless module loads neither torch nor textual."""
    modules = _modules()
    assert "grader.bank.loader" in modules
    code = _PROBE.format(heavy=HEAVY, modules=modules)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    culprit = json.loads(done.stdout.strip().splitlines()[-1])
    assert culprit is None, f"import {culprit[0]} imported {culprit[1]}"


def test_quiz_app_imports_no_torch() -> None:
    """``import grader.tui`` (and the Textual app itself) leaves torch out of sys.modules."""
    code = "import grader.tui, grader.tui.app, sys; print('torch' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
