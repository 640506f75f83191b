"""The ``detente`` command line: each command a thin wrapper over one library function."""

from __future__ import annotations

from detente.cli.app import main

__all__ = ["main"]
