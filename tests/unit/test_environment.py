"""The project's own files agree with each other: environment.yml mirrors pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _norm(req: str) -> str:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req).groups()
    return f"{name.lower().replace('_', '-')}{spec.replace(' ', '')}"


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = pyproject["project"]
    wanted = {_norm(r) for r in project["dependencies"]}
    wanted |= {_norm(r) for r in project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {_norm(d) for d in env["dependencies"] if isinstance(d, str)}
    listed -= {_norm("pip")}
    listed = {d for d in listed if not d.startswith("python=")}
    assert listed == wanted, (
        f"only in environment.yml: {sorted(listed - wanted)}; "
        f"only in pyproject.toml: {sorted(wanted - listed)}"
    )


def test_no_jupyter_metapackage_or_lab():
    """`jupyter` / jupyterlab add >2 s to every kernel start (via rfc3987-syntax)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    names = {_norm(r).split(">")[0].split("=")[0] for r in pyproject["project"]["dependencies"]}
    assert not names & {"jupyter", "jupyterlab", "notebook"}


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make report YEAR=2021" in readme
