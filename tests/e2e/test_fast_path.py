"""The fast path's outputs are the plain path's: same files, byte for byte.

The session's run (:func:`tests.e2e.conftest.e2e`) takes the fast path: kernels forked from
a warm server, units rendered in worker processes while the next units' notebooks run. Here
the same subset is built the plain way: kernels started by papermill, each unit rendered in
the main process when its notebooks are done. Every published file must be identical: HTML,
PDF, CSV, workbook, the index and the build keys; executed notebooks are identical once
papermill's timings and the random id of its injected parameters cell are set aside.
"""

from __future__ import annotations

import json
from pathlib import Path

from wres_utils.run.runner import run_year

#: Notebook metadata that records when and how long, not what.
TIMING_KEYS = frozenset({"papermill", "execution"})


def _notebook(path: Path) -> dict:
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["metadata"].pop("papermill", None)
    for cell in nb["cells"]:
        cell["metadata"] = {k: v for k, v in cell["metadata"].items() if k not in TIMING_KEYS}
        if "injected-parameters" in cell["metadata"].get("tags", []):
            cell.pop("id", None)  # papermill gives it a random id on every run
    return nb


#: What names the run rather than the report: the run logs and each folder's run.json (the
#: run id), and screenshots another test may have taken of the session's reports.
RUN_RECORDS = ("run.log", "run.json")


def _files(year_dir: Path) -> dict[str, Path]:
    out = {}
    for p in year_dir.rglob("*"):
        rel = p.relative_to(year_dir)
        if not p.is_file() or p.name in RUN_RECORDS or rel.parts[0] == "runs":
            continue
        if "screenshots" in rel.parts:
            continue
        out[rel.as_posix()] = p
    return out


def test_fast_path_outputs_equal_the_plain_paths(e2e, tmp_path):
    assert e2e.status == 0
    plain = tmp_path / "reports"
    status = run_year(
        year=e2e.year,
        params_dir=e2e.root / "params",
        reports_dir=plain,
        root=e2e.root,
        jobs=2,
        progress=False,
        prestart=False,  # papermill starts each kernel
        render_workers=0,  # each unit rendered here, one at a time
    )
    assert status == 0
    fast_files = _files(e2e.reports / str(e2e.year))
    plain_files = _files(plain / str(e2e.year))
    assert set(fast_files) == set(plain_files)
    kinds = {Path(name).suffix for name in fast_files}
    assert {".html", ".pdf", ".csv", ".xlsx", ".ipynb"} <= kinds
    differ = []
    for name, path in sorted(fast_files.items()):
        other = plain_files[name]
        if name.endswith(".ipynb"):
            same = _notebook(path) == _notebook(other)
        else:
            same = path.read_bytes() == other.read_bytes()
        if not same:
            differ.append(name)
    assert not differ, f"fast and plain paths differ in {differ}"
