"""The distributed engine (``wres run --scheduler ADDRESS``) on a Dask LocalCluster.

A real cluster of two worker processes on 127.0.0.1 runs the real notebooks (two chapters,
no PDF) for two example CCGs. The run gives the same files, the same indicators.csv and the
same HTML tables as the local pool; a notebook that fails fails its unit only, and the
summary names unit, notebook and cell; a bad address is a clear error (exit 2) before any
unit is touched; a lost worker or a worker that cannot see the build folder fails the run's
unit with a clear message.
"""

from __future__ import annotations

import contextlib
import io
import re
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
import yaml

from wres_utils import cli
from wres_utils.run import distributed, runlog
from wres_utils.run.model import PREPARED, NotebookParams, NotebookRun, RunSetupError
from wres_utils.run.publish import expected_outputs
from wres_utils.run.runner import run_year

from .conftest import ROOT, make_subset

ORGS = ("05G", "05W")
NOTEBOOKS = ("00_summary", "05_data_quality")
YEAR = 2021
RAISE_CELL = 'if unit == "05G":\n    raise RuntimeError("injected failure for the dask test")'
TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)


def make_root(root: Path) -> Path:
    """The e2e subset for :data:`ORGS`, without the joint group (two units)."""
    make_subset(root, orgs=ORGS)
    for params in (root / "params").glob("*.yaml"):
        raw = yaml.safe_load(params.read_text())
        raw["joint_groups"] = []
        params.write_text(yaml.safe_dump(raw, sort_keys=False))
    return root


def run(root: Path, reports: Path, **kw) -> tuple[int, str, float]:
    """``run_year`` on ``root``; returns (status, stderr, seconds)."""
    err = io.StringIO()
    t = time.perf_counter()
    with contextlib.redirect_stderr(err):
        status = run_year(
            YEAR,
            root / "params",
            reports,
            jobs=2,
            progress=False,
            render_pdf=False,
            notebooks=kw.pop("notebooks", NOTEBOOKS),
            root=root,
            cell_timeout=120,
            **kw,
        )
    return status, err.getvalue(), time.perf_counter() - t


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def tables(html: Path) -> list[str]:
    return TABLE.findall(html.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cluster(request):
    from distributed import LocalCluster

    c = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        dashboard_address=None,
        processes=True,
    )
    request.addfinalizer(c.close)
    return c


@pytest.fixture(scope="module")
def both(tmp_path_factory, cluster) -> SimpleNamespace:
    """The same subset built by the local pool and by the cluster (timed)."""
    root = make_root(tmp_path_factory.mktemp("dask"))
    local = run(root, root / "reports-local")
    dask = run(root, root / "reports-dask", scheduler=cluster.scheduler_address)
    print(f"\nlocal pool: {local[2]:.1f} s; Dask LocalCluster (2 workers): {dask[2]:.1f} s")
    return SimpleNamespace(root=root, local=local, dask=dask)


def test_cluster_run_succeeds(both):
    status, stderr, _ = both.dask
    assert status == 0, stderr
    assert both.local[0] == 0, both.local[1]
    events = runlog.read_run_log(both.root / "reports-dask" / str(YEAR) / "run.log")
    run_event = next(e for e in events if e["event"] == "run")
    assert run_event["engine"] == "dask" and run_event["scheduler"].startswith("tcp://127.0.0.1")
    executed = {(e["slug"], e["notebook"]) for e in events if e["event"] == "notebook"}
    assert executed == {(o, nb) for o in ORGS for nb in NOTEBOOKS}
    assert all(e["status"] == "ok" for e in events if e["event"] == "notebook")
    local_log = runlog.read_run_log(both.root / "reports-local" / str(YEAR) / "run.log")
    assert next(e for e in local_log if e["event"] == "run")["engine"] == "local"
    # Nothing left behind in the build area.
    assert not (both.root / "reports-dask" / ".tmp").exists()


@pytest.mark.parametrize("org", ORGS)
def test_same_outputs_as_local_pool(both, org):
    local = both.root / "reports-local" / str(YEAR) / org
    dask = both.root / "reports-dask" / str(YEAR) / org
    assert files(local) == files(dask)
    expected = set(expected_outputs([Path(n) for n in NOTEBOOKS], render_pdf=False))
    assert expected <= files(dask)
    assert (local / "indicators.csv").read_bytes() == (dask / "indicators.csv").read_bytes()
    for html in ["report.html"] + [f"notebooks/{n}.html" for n in NOTEBOOKS]:
        shown = tables(dask / html)
        assert shown, f"{html} shows no table"
        assert shown == tables(local / html), html
    for nb in NOTEBOOKS:  # executed on a worker, recorded with stable relative paths
        meta = nbformat.read(dask / "notebooks" / f"{nb}.ipynb", as_version=4).metadata
        assert meta["papermill"]["output_path"] == f"{YEAR}/{org}/notebooks/{nb}.ipynb"
        assert meta["papermill"]["parameters"]["unit"] == org


def test_failing_notebook_fails_its_unit_only(tmp_path, cluster):
    root = make_root(tmp_path / "root")
    nb_dir = tmp_path / "notebooks-faulty"
    nb_dir.mkdir()
    injected = None
    for name in NOTEBOOKS:
        nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
        if name == "00_summary":
            params = next(
                i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])
            )
            nb.cells.insert(params + 1, nbformat.v4.new_code_cell(RAISE_CELL))
            injected = params + 1
        nbformat.write(nb, nb_dir / f"{name}.ipynb")
    reports = root / "reports"
    status, stderr, _ = run(
        root, reports, notebooks_dir=nb_dir, scheduler=cluster.scheduler_address
    )
    assert status == 1
    year = reports / str(YEAR)
    assert not (year / "05G").exists()
    published = files(year / "05W")
    assert set(expected_outputs([Path(n) for n in NOTEBOOKS], False)) <= published
    assert f"unit '05G', notebook 00_summary.ipynb, cell {injected}" in stderr
    assert "RuntimeError: injected failure for the dask test" in stderr
    assert "05W" not in stderr.split("failure(s)")[-1]
    assert "1 of 2 unit(s) built" in stderr
    assert not (reports / ".tmp").exists()
    events = runlog.read_run_log(year / "run.log")
    units = {e["slug"]: e["status"] for e in events if e["event"] == "unit"}
    assert units == {"05G": "failed", "05W": "ok"}


def test_bad_address_is_a_clear_error_before_any_unit(tmp_path, monkeypatch, capsys):
    root = make_root(tmp_path / "root")
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 1.0)
    status = cli.main(
        [
            "run",
            "--year",
            str(YEAR),
            "--params-dir",
            str(root / "params"),
            "--reports-dir",
            str(root / "reports"),
            "--scheduler",
            "tcp://127.0.0.1:9",
        ]
    )
    err = capsys.readouterr().err
    assert status == cli.EXIT_BAD_INPUT
    assert "cannot connect to the Dask scheduler at 'tcp://127.0.0.1:9'" in err
    assert "Traceback" not in err
    assert not (root / "reports").exists()


# ---------------------------------------------------------------------------------------------
# Failure handling without a cluster: lost workers, cancelled tasks, blind workers.


class FakeFuture:
    def __init__(self, status: str, exc: BaseException | None = None, value=None):
        self.status, self._exc, self._value = status, exc, value

    def result(self):
        if self._exc is not None:
            raise self._exc
        return self._value


def _a_run() -> NotebookRun:
    from wres_utils.core.params import Unit

    unit = Unit(id="05G", name="NHS North Staffordshire CCG", members=("05G",))
    params = NotebookParams(
        year=YEAR,
        unit="05G",
        unit_name=unit.name,
        unit_slug=unit.slug,
        prepared_dir=PREPARED,
        synthetic=True,
    )
    return NotebookRun(unit, "00_summary", ROOT / "notebooks/00_summary.ipynb", params)


def test_lost_worker_is_a_failure_of_the_unit():
    from distributed import KilledWorker

    run_ = _a_run()
    last = SimpleNamespace(address="tcp://10.0.0.3:4000")
    res = distributed.collect(run_, FakeFuture("error", KilledWorker("wres-x", last, 3)))
    assert res.status == "failed"
    assert res.failure.ename == "KilledWorker" and res.failure.stage == "00_summary"
    assert "worker running this notebook was lost" in res.failure.evalue
    assert "tcp://10.0.0.3:4000" in res.failure.evalue
    assert res.failure.describe().startswith("unit '05G', notebook 00_summary.ipynb: KilledWorker")
    # A cancelled task is skipped when its unit already failed, a failure otherwise.
    assert distributed.collect(run_, FakeFuture("cancelled"), unit_failed=True).status == "skipped"
    other = distributed.collect(run_, FakeFuture("cancelled"))
    assert other.status == "failed" and other.failure.ename == "CancelledError"
    done = distributed.TaskResult("ok", 1.5, messages=("hello",))
    ok = distributed.collect(run_, FakeFuture("finished", value=done))
    assert (ok.status, ok.seconds, ok.messages) == ("ok", 1.5, ["hello"])


def test_worker_that_cannot_see_the_build_folder(tmp_path):
    res = distributed.run_notebook_task(_a_run(), str(tmp_path / "absent"), str(ROOT), YEAR)
    assert res.status == "failed" and res.failure.ename == distributed.NOT_SHARED
    assert "cannot see the unit's build folder" in res.failure.evalue

    class BlindClient:
        def run(self, fn, *args, on_error="raise"):
            return {"tcp://10.0.0.1:4000": fn(*args), "tcp://10.0.0.2:4000": False}

    distributed.check_shared(SimpleNamespace(run=lambda fn, *a, **k: {"w": fn(*a)}), tmp_path)
    with pytest.raises(RunSetupError) as e:
        distributed.check_shared(BlindClient(), tmp_path)
    assert "tcp://10.0.0.2:4000 cannot see the build folder" in str(e.value)
    assert "tcp://10.0.0.1:4000" not in str(e.value)
    assert list(tmp_path.iterdir()) == []  # the marker is removed
