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


def _locked() -> dict[str, str]:
    text = (ROOT / "requirements.lock").read_text()
    return {
        m.group(1).lower().replace("_", "-"): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", text, re.M)
    }


def test_the_lock_pins_every_dependency_exactly_with_hashes():
    """requirements.lock (made by `make lock`) pins every runtime and dev dependency of
    pyproject.toml to one version, with hashes, so the same commit builds the same report."""
    locked = _locked()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for req in project["dependencies"] + project["optional-dependencies"]["dev"]:
        name = re.match(r"[A-Za-z0-9_.\-]+", req).group(0).lower().replace("_", "-")
        assert name in locked, f"{name} is not in requirements.lock: run `make lock`"
    text = (ROOT / "requirements.lock").read_text()
    pins = re.findall(r"^[A-Za-z0-9_.\-]+==", text, re.M)
    assert text.count("--hash=sha256:") >= len(pins)
    assert "Makefile" and "--require-hashes -r $(LOCK)" in (ROOT / "Makefile").read_text()


def test_the_run_log_records_the_locked_versions():
    """What run.log records (runlog.package_versions) is what the lock installed."""
    from wres_utils.run import runlog

    locked = _locked()
    versions = runlog.package_versions()
    for name, version in versions.items():
        if name in ("python", "wres-utils"):
            continue
        assert name in locked, f"run.log records {name}, which the lock does not pin"
        assert version == locked[name], f"{name}: installed {version}, locked {locked[name]}"


def test_committed_benchmark_results_hold_no_absolute_paths():
    for path in (ROOT / "benchmarks" / "results").glob("*"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?<![\w<])/(work|tmp|root|home|usr)/", text), path.name
