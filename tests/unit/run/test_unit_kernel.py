"""One kernel per unit: a unit's notebooks run one after the other on one forked kernel, and
each starts as on a new kernel (no name, output or execution count left by the one before).

The adversary here is a chapter that, by mistake, uses a name an earlier chapter defined: on
separate kernels (the plain path, papermill's) it fails; it must fail on the shared kernel
too, or the fast path would publish what the plain path cannot build.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import pytest

from wres_utils.core.params import Unit
from wres_utils.run.execute import KernelStarter, execute_all
from wres_utils.run.model import NotebookParams, NotebookRun

pytestmark = pytest.mark.slow


def _runs(
    tmp_path: Path, make_notebook, unit_id: str, notebooks: dict[str, tuple[str, ...]]
) -> list:
    unit = Unit(id=unit_id, name=unit_id, members=(unit_id,))
    params = NotebookParams(
        year=2021,
        unit=unit_id,
        unit_name=unit_id,
        unit_slug=unit_id,
        prepared_dir="p",
        synthetic=True,
    )
    return [
        NotebookRun(unit, name, make_notebook(tmp_path / f"{unit_id}-{name}.ipynb", *cells), params)
        for name, cells in notebooks.items()
    ]


def _execute(tmp_path: Path, runs: list) -> tuple[list, KernelStarter]:
    build_dirs = {}
    for r in runs:
        build_dirs.setdefault(r.unit.slug, tmp_path / "build" / r.unit.slug)
        build_dirs[r.unit.slug].mkdir(parents=True, exist_ok=True)
    starter = KernelStarter(tmp_path / "logs", preload=("json",), fork=True, per_unit=True)
    done: list = []
    try:
        results = execute_all(
            runs,
            build_dirs,
            1,
            lambda slug, res: done.append(slug),
            tmp_path,
            2021,
            progress=False,
            starter=starter,
        )
    finally:
        starter.cleanup()
    assert sorted(done) == sorted(build_dirs)
    return results, starter


def _cells(path: Path) -> list:
    """The notebook's own code cells (not the parameters cells)."""
    nb = nbformat.read(path, as_version=4)
    tags = ("parameters", "injected-parameters")
    return [c for c in nb.cells if not set(c.metadata.get("tags", [])) & set(tags)]


def _outputs(path: Path) -> list[str]:
    return ["".join(o.get("text", "") for o in c.get("outputs", [])) for c in _cells(path)]


def test_a_units_notebooks_share_one_kernel_and_start_clean(tmp_path, make_notebook):
    runs = _runs(
        tmp_path,
        make_notebook,
        "AAA",
        {
            "a": (
                "import os\nx = 41\nos.write(2, b'written by a\\n')\nprint(os.getpid())",
                "x",  # an output: IPython keeps it as _ and Out[2]
            ),
            "b": (
                "import os\nprint(os.getpid())",
                "print('x' in dir(), '_' in dir() and _ == 41, 'Out' in dir() and bool(Out))",
            ),
        },
    )
    results, _ = _execute(tmp_path, runs)
    assert [r.status for r in results] == ["ok", "ok"], [r.failure for r in results]
    a = _outputs(tmp_path / "build" / "AAA" / "notebooks" / "a.ipynb")
    b = _outputs(tmp_path / "build" / "AAA" / "notebooks" / "b.ipynb")
    assert a[0].strip() and a[0].strip() == b[0].strip()  # one kernel process ran both
    assert b[1].split() == ["False", "False", "False"]  # nothing of a is left
    nb = nbformat.read(tmp_path / "build" / "AAA" / "notebooks" / "b.ipynb", as_version=4)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))  # numbered as on a new kernel
    by_name = {r.run.notebook: r for r in results}
    assert by_name["a"].messages == ["written by a"]  # each notebook's own kernel output
    assert by_name["b"].messages == []


def test_a_name_from_an_earlier_notebook_fails_as_on_separate_kernels(tmp_path, make_notebook):
    runs = _runs(
        tmp_path,
        make_notebook,
        "BBB",
        {"a": ("import os\nshared = 1\nprint(os.getpid())",), "b": ("shared + 1",), "c": ("1",)},
    )
    results, _ = _execute(tmp_path, runs)
    status = {r.run.notebook: r.status for r in results}
    assert status == {"a": "ok", "b": "failed", "c": "skipped"}
    failure = next(r.failure for r in results if r.status == "failed")
    assert failure.ename == "NameError" and "shared" in failure.evalue
    pid = int(_outputs(tmp_path / "build" / "BBB" / "notebooks" / "a.ipynb")[0])
    with pytest.raises(ProcessLookupError):  # the unit's kernel is gone with the failure
        for _ in range(50):
            os.kill(pid, 0)
            time.sleep(0.1)
        raise AssertionError(f"kernel {pid} still running")


def test_each_unit_gets_its_own_kernel(tmp_path, make_notebook):
    runs = _runs(tmp_path, make_notebook, "CCC", {"a": ("import os\nprint(os.getpid())",)})
    runs += _runs(tmp_path, make_notebook, "DDD", {"a": ("import os\nprint(os.getpid())",)})
    results, _ = _execute(tmp_path, runs)
    assert [r.status for r in results] == ["ok", "ok"]
    pids = {
        _outputs(tmp_path / "build" / u / "notebooks" / "a.ipynb")[0].strip()
        for u in ("CCC", "DDD")
    }
    assert len(pids) == 2 and "" not in pids
