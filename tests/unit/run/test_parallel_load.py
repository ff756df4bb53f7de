"""Loading years in worker processes, each year cut into slices of organisations, gives
exactly what loading them one after the other gives: the same counts, quality and hashes,
and the same error (the oldest failing year's, every issue of it)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from wres_utils.core.errors import InputError
from wres_utils.core.params import load_params
from wres_utils.run import plan

ROOT = Path(__file__).resolve().parents[3]


def test_org_slices_cover_every_organisation_once_in_order():
    sizes = [5, 1, 1, 1, 9, 2, 2]
    slices = plan.org_slices(sizes, target=4)
    assert [i for s in slices for i in s] == list(range(len(sizes)))
    assert all(len(s) >= 1 for s in slices)
    assert len(slices) > 1
    assert plan.org_slices([], 10) == [range(0, 0)]
    assert plan.org_slices([3], 1) == [range(0, 1)]


def _history() -> dict:
    return {y: load_params(ROOT / "params" / f"{y}.yaml") for y in (2020, 2021)}


def test_sliced_parallel_load_equals_the_serial_load(monkeypatch):
    history = _history()
    serial = plan.load_years_cached(history, ROOT, None, jobs=1)
    monkeypatch.setattr(plan, "PARALLEL_LOAD_BYTES", 0)
    monkeypatch.setattr(plan, "SLICES_PER_WORKER", 8)  # several slices per year
    assert len(plan.org_slices(plan._org_bytes(history[2021], ROOT), 1)) > 1
    parallel = plan.load_years_cached(history, ROOT, None, jobs=2)
    assert list(parallel) == list(serial)
    for y in serial:
        pd.testing.assert_frame_equal(parallel[y].counts, serial[y].counts)
        pd.testing.assert_frame_equal(parallel[y].quality, serial[y].quality)
        pd.testing.assert_frame_equal(parallel[y].broad_counts, serial[y].broad_counts)
        assert parallel[y].files == serial[y].files


def test_sliced_parallel_load_raises_the_serial_error(tmp_path, monkeypatch):
    shutil.copytree(ROOT / "params", tmp_path / "params")
    shutil.copytree(ROOT / "data", tmp_path / "data")
    history = {y: load_params(tmp_path / "params" / f"{y}.yaml") for y in (2020, 2021)}
    # break one file of the last organisation of 2021 and one of the first of 2020
    for org in (history[2021].organisations[-1], history[2020].organisations[0]):
        spec = next(iter(org.files.values()))
        path = tmp_path / spec.path
        path.write_text(path.read_text().replace("\n", "\nnot,a,valid,row,at,all\n", 1))
    with pytest.raises(InputError) as serial:
        plan.load_years_cached(history, tmp_path, None, jobs=1)
    monkeypatch.setattr(plan, "PARALLEL_LOAD_BYTES", 0)
    monkeypatch.setattr(plan, "SLICES_PER_WORKER", 8)
    with pytest.raises(InputError) as parallel:
        plan.load_years_cached(history, tmp_path, None, jobs=2)
    assert str(parallel.value) == str(serial.value)
    assert "2020" in str(serial.value)
