"""Shared fixtures and the test layers.

Layers (pyproject's markers), so that `make unit` is a loop under a minute and `make test`
runs everything:

- ``e2e``: end-to-end runs of the real notebooks (everything under tests/e2e/);
- ``slow``: tests that start Chromium, lay out PDFs with WeasyPrint, or run whole years;
- the rest: unit tests (tests/unit/, mirroring the sub-packages of wres_utils) and the
  regression test against tests/expected/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

#: The repository root.
ROOT = Path(__file__).resolve().parents[1]
#: A hand-written counts table used by several unit tests.
HANDWRITTEN_COUNTS = ROOT / "tests" / "data" / "handwritten_counts.csv"

#: Test modules outside tests/e2e/ that start Chromium or WeasyPrint, or run a whole year.
SLOW_MODULES = frozenset(
    {
        "test_a11y",
        "test_pdfcheck",
        "test_render",
        "test_pipeline",
        "test_reader_controls",
        "test_attack",
        "test_expected_indicators",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests by layer: everything in tests/e2e/ is ``e2e`` and ``slow``; the modules of
    :data:`SLOW_MODULES` are ``slow``."""
    for item in items:
        path = Path(str(item.fspath))
        if "e2e" in path.parts:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.slow)
        elif path.stem in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (tests read committed files from it, never write to it)."""
    return ROOT
