"""Fixtures of the run tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest


def write_notebook(path: Path, *cells: str) -> Path:
    """A Python 3 notebook at ``path``: a ``parameters`` cell, then ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    params = nbformat.v4.new_code_cell("unit = ''")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(c) for c in cells)]
    nbformat.write(nb, path)
    return path


@pytest.fixture
def make_notebook() -> Callable[..., Path]:
    """:func:`write_notebook`: ``make_notebook(path, *cells)``."""
    return write_notebook
