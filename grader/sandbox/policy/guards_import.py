"""The import guard: ``import x`` goes through ``__import__`` in the submission's builtins, and
``from x import a`` is compiled to ``a = _import_from_("x", "a")`` so that the attribute guard
sees every imported name (the ``IMPORT_FROM`` bytecode would skip it: ``from torch import os``).

C code inside torch and numpy also imports through the submission's ``__builtins__.__import__``
(CPython's ``PyImport_Import`` takes it from the current frame) and passes ``fromlist`` as a
list; compiled ``import`` statements pass None or a tuple, and a submission cannot call
``__import__`` itself, so a list marks such an internal import.
"""

from __future__ import annotations

import builtins
import importlib.util
import sys
import types
from collections.abc import Callable
from typing import Any

from grader.i18n import Text
from grader.sandbox.policy.config import PolicyConfig
from grader.sandbox.policy.errors import fill_message, raise_violation
from grader.sandbox.policy.guards_attr import deny_violation, name_verdict
from grader.sandbox.policy.guards_table import ensure_module, value_verdict

__all__ = ["ImportGuards", "from_import_verdict"]

_real_import = builtins.__import__
_INTERNAL_ROOTS = frozenset({"torch", "numpy"})


def from_import_verdict(
    module: types.ModuleType, module_name: str, item: str, config: PolicyConfig
) -> Text | None:
    """Why ``from module_name import item`` is refused, as detail text; None if allowed.

    Raises LookupError when ``item`` is neither an attribute nor a submodule (a typo).
    """
    if f"{module_name}.{item}" in config.modules:
        return None
    verdict = name_verdict(module, item, config, frozenset())
    if verdict is None:
        namespace = vars(module)
        if item not in namespace:
            if importlib.util.find_spec(f"{module_name}.{item}") is not None:
                return fill_message("import", {"name": f"{module_name}.{item}"})
            raise LookupError(item)
        if f"{module_name}:{item}" not in config.lifted:
            verdict = value_verdict(namespace[item], config.modules, config.lifted)
    if verdict is None:
        return None
    return fill_message(verdict[1], verdict[2])


class ImportGuards:
    """Import guards; mixed into ``guards_builtins.Guards`` (needs ``config``)."""

    config: PolicyConfig
    getattr_: Callable[..., Any]  # provided by AttrGuards

    def import_(
        self,
        name: str,
        globals: Any = None,
        locals: Any = None,
        fromlist: Any = (),
        level: int = 0,
    ) -> types.ModuleType:
        """The submission's ``__import__``."""
        if type(fromlist) is list and level == 0 and type(name) is str:
            if name in sys.modules or name.partition(".")[0] in _INTERNAL_ROOTS:
                return _real_import(name, None, None, fromlist, 0)
            raise raise_violation("import", "import", name=name)
        if level != 0:
            raise raise_violation("import", "import-relative")
        if type(name) is not str or name not in self.config.modules:
            raise raise_violation("import", "import", name=str(name))
        deny = self.config.deny
        if deny is not None:
            entry = deny.module_entry(name)  # `import torch.nn.functional as F` never loads
            if entry is not None:  # the attribute through the guard
                raise deny_violation(entry)
        top = _real_import(name, None, None, (), 0)
        parts = name.split(".")
        for i in range(1, len(parts) + 1):
            ensure_module(".".join(parts[:i]))
        module = sys.modules[name]
        for item in fromlist or ():
            if type(item) is not str or item == "*":
                raise raise_violation("import", "import-star")
            try:
                why = from_import_verdict(module, name, item, self.config)
            except LookupError:
                raise ImportError(f"cannot import name {item!r} from {name!r}") from None
            if why is not None:
                raise raise_violation("import", "import-name", module=name, name=item, why=why)
        if fromlist:
            module = _real_import(name, None, None, tuple(fromlist), 0)
            for item in fromlist:
                ensure_module(f"{name}.{item}")
            return module
        return top

    def import_from_(self, module_name: str, item: str) -> Any:
        """``from module_name import item`` compiles to ``item = _import_from_(module_name, item)``."""
        module = self.import_(module_name, None, None, (item,), 0)
        sub = f"{module_name}.{item}"
        if sub in self.config.modules:
            deny = self.config.deny
            entry = deny.module_entry(sub) if deny is not None else None
            if entry is not None:
                raise deny_violation(entry, module, item)
            return sys.modules[sub]
        try:
            return self.getattr_(module, item)
        except AttributeError:
            raise ImportError(f"cannot import name {item!r} from {module_name!r}") from None
