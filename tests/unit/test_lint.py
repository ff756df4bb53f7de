"""The code is linted and formatted with ruff (the settings are in pyproject.toml)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUFF = Path(sys.executable).parent / "ruff"


def test_ruff_check_passes():
    r = subprocess.run([str(RUFF), "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_ruff_format_is_clean():
    r = subprocess.run(
        [str(RUFF), "format", "--check", "."], cwd=ROOT, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stdout + r.stderr


LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    env = {**__import__("os").environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, capture_output=True, text=True, env=env
    )


def test_import_rules_hold():
    r = _lint_imports(ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.mark.parametrize(
    ("plants", "contract"),
    [
        # inputs must never import the run (a layer above it)
        ([("inputs/counts.py", "from wres_utils.run import runner")], "layered"),
        # report reads disclosed figures only, never compute
        ([("report/tables.py", "from wres_utils.compute import indicators")], "report reads"),
        # a cycle between two siblings
        (
            [
                ("core/bands.py", "from wres_utils.core import ethnicity"),
                ("core/ethnicity.py", "from wres_utils.core import bands"),
            ],
            "No import cycles",
        ),
    ],
    ids=["layers", "report-forbidden", "cycle"],
)
def test_import_rules_fail_on_a_planted_violation(tmp_path, plants, contract):
    """`make lint` fails when a module breaks a rule: plant one in a copy of the package."""
    shutil.copytree(ROOT / "wres_utils", tmp_path / "wres_utils", ignore=_ignore)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for rel, line in plants:
        path = tmp_path / "wres_utils" / rel
        path.write_text(path.read_text() + f"\n{line}  # noqa: E402,F401\n")
    r = _lint_imports(tmp_path)
    assert r.returncode != 0, r.stdout
    broken = r.stdout.split("Broken contracts")[-1]
    assert contract in broken, r.stdout


def _ignore(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__"]
