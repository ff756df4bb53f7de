"""The committed notebooks: stripped, literal parameters, thin (no logic of their own)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from wres_utils.core.params import NOTEBOOKS
from wres_utils.run.model import PARAMETER_NAMES
from wres_utils.run.plan import parameters_cell

ROOT = Path(__file__).resolve().parents[3]
PATHS = [ROOT / "notebooks" / f"{name}.ipynb" for name in NOTEBOOKS]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, path.name
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(
        [str(bin_dir / "nbstripout"), "--verify", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_parameters_cell_holds_the_validated_names_as_literals(path):
    values = parameters_cell(path)
    assert set(values) == set(PARAMETER_NAMES)


# Calculation belongs in wres_utils: a notebook only calls the package and displays.
FORBIDDEN = [
    (r"^\s*def |^\s*class |lambda", "defines logic"),
    (r"import (pandas|numpy)|from (pandas|numpy)", "imports a data library"),
    (r"\.(groupby|pivot|merge|sum|mean|query|apply)\(", "computes on data"),
    (r"\[\s*['\"]value['\"]\s*\]", "reads raw values"),
    (r"[^*]\*\s*100|/\s*\w+\[", "does arithmetic"),
]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_notebook_is_thin(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        for pattern, why in FORBIDDEN:
            assert not re.search(pattern, cell.source, re.M), f"{path.name} {why}: {cell.source}"
