"""Lazy public names for a package: ``from detente.store import Store`` imports only what it needs.

A stage package's ``__init__`` lists its public names and the module each comes from; the
module is imported on first use. Importing one module of a package (``detente.extract.html``)
therefore never loads its siblings, which keeps start-up fast and the stages free of import
circles through their packages. Type checkers read the same names from a ``TYPE_CHECKING`` block.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, importing ``exports[name]`` on first use."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(exports))

    return __getattr__, __dir__
