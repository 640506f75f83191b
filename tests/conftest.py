"""Shared fixtures: paths to the project's own demo articles and to ../shared when present."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"
SHARED = Path(os.environ.get("DETENTE_SHARED_DIR", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    """The demo articles written for the project (they ship with it)."""
    return EXAMPLES


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (samples and eval sets); tests that need it skip cleanly when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent (it holds the samples and eval sets)")
    return SHARED


def pytest_addoption(parser: pytest.Parser) -> None:
    """``--update-golden`` rewrites the expected files of the golden tests (review the diff)."""
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/*.json from output"
    )


@pytest.fixture(scope="session")
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether golden files are rewritten instead of compared."""
    return bool(request.config.getoption("--update-golden"))
