"""Fault tolerance of ``wres run``: a unit that fails half-way never damages the others.

Three runs of the pipeline on three example CCGs (05G, 05W, 05Q; two chapters each, no PDF):

1. notebooks with injected faults: 05G's ``01_workforce`` raises in a cell, and 05W's kernel
   dies (``os._exit``) in a cell of ``00_summary``; 05Q has no fault;
2. the real notebooks, with a disk-full write failure (``OSError(ENOSPC)``, after half a file
   was written) while 05G's report.html is rendered;
3. a rerun without any fault.

Before run 1, 05G and 05W each have a previous report (a folder with a marker file). After
each failing run: exit status 1, the unit without a fault is complete, the failed units'
previous reports are untouched, nothing is left under reports/.tmp (nor any temporary file in
reports/<year>), and the summary on stderr names the unit, the notebook and the cell. Run 3
completes with status 0.
"""

from __future__ import annotations

import contextlib
import errno
import io
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
import yaml

from wres_utils.report import render
from wres_utils.run.model import EXIT_FAILED, EXIT_OK
from wres_utils.run.runner import run_year

from .conftest import ROOT, YEAR

ORGS = ("05G", "05W", "05Q")
NOTEBOOKS = ("00_summary", "01_workforce")
RAISE_CELL = 'if unit == "05G":\n    raise RuntimeError("injected failure for the fault test")'
KILL_CELL = 'import os\n\nif unit == "05W":\n    os._exit(1)  # the kernel dies'
MARKER = "previous.txt"
#: Hidden files the pipeline writes on purpose (the cache's build key of a unit folder).
PIPELINE_DOTFILES = {".build-key"}


def make_root(root: Path) -> Path:
    """A project root whose params name only :data:`ORGS` (no joint group)."""
    (root / "params" / "action-plans").mkdir(parents=True)
    (root / "data").symlink_to(ROOT / "data", target_is_directory=True)
    for y in (YEAR - 1, YEAR):
        raw = yaml.safe_load((ROOT / "params" / f"{y}.yaml").read_text())
        raw["organisations"] = [o for o in raw["organisations"] if o["code"] in ORGS]
        raw["joint_groups"] = []
        raw.pop("commissioners", None)
        (root / "params" / f"{y}.yaml").write_text(yaml.safe_dump(raw, sort_keys=False))
        shutil.copytree(
            ROOT / "params" / "action-plans" / str(y), root / "params" / "action-plans" / str(y)
        )
    return root


def copy_notebooks(dest: Path, inject: dict[str, str] | None = None) -> tuple[Path, dict]:
    """The chapters copied to ``dest``, with a code cell inserted after the parameters cell
    of each notebook in ``inject``; returns (folder, {notebook: index of the inserted cell})."""
    dest.mkdir(parents=True)
    where = {}
    for name in NOTEBOOKS:
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        if inject and name in inject:
            params = next(
                i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])
            )
            nb.cells.insert(params + 1, nbformat.v4.new_code_cell(inject[name]))
            where[name] = params + 1
        nbformat.write(nb, dest / f"{name}.ipynb")
    return dest, where


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def leftovers(reports: Path) -> list[str]:
    """Files that are not outputs: anything under reports/.tmp, temporary or partial files."""
    out = (
        [p.as_posix() for p in (reports / ".tmp").rglob("*")] if (reports / ".tmp").exists() else []
    )
    year = reports / str(YEAR)
    for p in year.rglob("*"):
        rel = p.relative_to(year)
        if p.is_file() and (
            (p.name.startswith(".") and p.name not in PIPELINE_DOTFILES)
            or p.name.endswith((".tmp", ".old", ".partial"))
        ):
            out.append(rel.as_posix())
        if p.is_dir() and p.name.endswith(".old"):
            out.append(rel.as_posix())
    return out


def complete(unit_dir: Path) -> list[str]:
    """The outputs missing from a unit folder (render_pdf=False)."""
    want = ["report.html", "indicators.csv"]
    for name in NOTEBOOKS:
        want += [f"notebooks/{name}.ipynb", f"notebooks/{name}.html"]
    return [w for w in want if not (unit_dir / w).is_file() or (unit_dir / w).stat().st_size == 0]


@dataclass
class RunOutcome:
    status: int
    stderr: str
    files: dict[str, dict[str, bytes]]  # unit -> snapshot of its folder
    leftovers: list[str]


@dataclass
class Faults:
    root: Path
    reports: Path
    previous: dict[str, dict[str, bytes]]
    injected: dict[str, int]
    faulty: RunOutcome
    disk_full: RunOutcome
    rerun: RunOutcome


def _run(root: Path, reports: Path, notebooks_dir: Path, **kw) -> RunOutcome:
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = run_year(
            year=YEAR,
            params_dir=root / "params",
            reports_dir=reports,
            jobs=2,
            notebooks_dir=notebooks_dir,
            notebooks=NOTEBOOKS,
            render_pdf=False,
            root=root,
            progress=False,
            cell_timeout=120,
            **kw,
        )
    year = reports / str(YEAR)
    files = {u: snapshot(year / u) for u in ORGS if (year / u).is_dir()}
    return RunOutcome(status, err.getvalue(), files, leftovers(reports))


@pytest.fixture(scope="module")
def faults(tmp_path_factory) -> Faults:
    tmp = tmp_path_factory.mktemp("faults")
    root = make_root(tmp / "root")
    reports = root / "reports"
    previous = {}
    for u in ("05G", "05W"):
        d = reports / str(YEAR) / u
        d.mkdir(parents=True)
        (d / MARKER).write_text(f"the previous report of {u}\n")
        previous[u] = snapshot(d)
    faulty_nb, injected = copy_notebooks(
        tmp / "nb-faulty", {"01_workforce": RAISE_CELL, "00_summary": KILL_CELL}
    )
    good_nb, _ = copy_notebooks(tmp / "nb-good")

    faulty = _run(root, reports, faulty_nb)

    real_report_html = render.report_html

    def full_disk(nb_paths, out_path, title, synthetic):
        if Path(out_path).parent.name.startswith("05G-"):  # the unit's build folder
            Path(out_path).write_text("<html><body><p>half a rep", encoding="utf-8")
            raise OSError(errno.ENOSPC, "No space left on device", str(out_path))
        return real_report_html(nb_paths, out_path, title, synthetic)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(render, "report_html", full_disk)
        # The fault is patched in this process: render here (render workers would not see it).
        disk_full = _run(root, reports, good_nb, render_workers=0)

    rerun = _run(root, reports, good_nb)
    return Faults(root, reports, previous, injected, faulty, disk_full, rerun)


# ------------------------------------------------------------------------------ run 1


def test_faulty_run_fails_but_builds_the_unit_without_a_fault(faults):
    assert faults.faulty.status == EXIT_FAILED
    assert complete(faults.reports / str(YEAR) / "05Q") == []
    assert "05Q" in faults.faulty.files
    assert (faults.reports / str(YEAR) / "run.log").is_file()


def test_faulty_run_leaves_previous_reports_untouched(faults):
    for u in ("05G", "05W"):
        assert faults.faulty.files[u] == faults.previous[u], u


def test_faulty_run_leaves_no_partial_file(faults):
    assert faults.faulty.leftovers == []


def test_summary_names_unit_notebook_and_cell_of_an_exception(faults):
    lines = [ln for ln in faults.faulty.stderr.splitlines() if "'05G'" in ln]
    assert lines, faults.faulty.stderr
    line = lines[0]
    assert "notebook 01_workforce.ipynb" in line
    assert f"cell {faults.injected['01_workforce']}" in line
    assert "RuntimeError" in line and "injected failure" in line
    assert "'05Q'" not in faults.faulty.stderr


def test_summary_names_unit_notebook_and_cell_of_a_dead_kernel(faults):
    lines = [ln for ln in faults.faulty.stderr.splitlines() if "'05W'" in ln]
    assert lines, faults.faulty.stderr
    assert "notebook 00_summary.ipynb" in lines[0]
    assert f"cell {faults.injected['00_summary']}" in lines[0]


def test_summary_names_unit_and_notebook_of_a_dead_kernel(faults):
    lines = [ln for ln in faults.faulty.stderr.splitlines() if "'05W'" in ln]
    assert lines, faults.faulty.stderr
    assert "notebook 00_summary.ipynb" in lines[0]
    assert "Dead" in lines[0] or "died" in lines[0].lower()


# ------------------------------------------------------------------------------ run 2


def test_disk_full_fails_the_unit_and_only_that_unit(faults):
    out = faults.disk_full
    assert out.status == EXIT_FAILED
    assert out.files["05G"] == faults.previous["05G"]
    assert complete_in(out, "05W") and complete_in(out, "05Q")
    assert out.leftovers == []
    (line,) = [ln for ln in out.stderr.splitlines() if "'05G'" in ln]
    assert "render" in line and "No space left on device" in line
    assert "'05W'" not in out.stderr and "'05Q'" not in out.stderr


def complete_in(out: RunOutcome, unit: str) -> bool:
    """Whether the snapshot of ``unit`` after a run holds every output."""
    files = out.files.get(unit, {})
    want = {"report.html", "indicators.csv"} | {
        f"notebooks/{n}.{ext}" for n in NOTEBOOKS for ext in ("ipynb", "html")
    }
    return want <= set(files) and all(files[w] for w in want)


# ------------------------------------------------------------------------------ run 3


def test_rerun_without_the_fault_completes(faults):
    out = faults.rerun
    assert out.status == EXIT_OK, out.stderr
    for u in ORGS:
        assert complete_in(out, u), u
    assert MARKER not in out.files["05G"]  # the previous report was replaced, whole
    assert out.leftovers == []
    assert not (faults.reports / ".tmp").exists() or not any((faults.reports / ".tmp").iterdir())
