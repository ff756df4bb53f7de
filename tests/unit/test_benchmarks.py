"""The national WRES figures shipped with the package."""

import csv
from importlib import resources

import pandas as pd
import pytest

from wres_utils.report import national as benchmarks


def test_the_data_file_parses_and_every_row_has_a_source():
    path = resources.files("wres_utils").joinpath("data", benchmarks.DATA_FILE)
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and list(rows[0]) == benchmarks.COLUMNS
    for r in rows:
        assert r["source"].strip(), r
        assert r["scope"].strip(), r
        assert r["indicator"] in benchmarks.STATISTIC
        assert r["statistic"] == benchmarks.STATISTIC[r["indicator"]]
        if r["value"].strip():
            assert r["source"] != benchmarks.NOT_ENTERED, r
            float(r["value"])
        else:
            assert r["source"] == benchmarks.NOT_ENTERED, r
    keys = [(r["year"], r["indicator"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_national_figures_entered():
    d = benchmarks.national(2022)
    got = dict(zip(d["indicator"], d["value"], strict=True))
    assert got["1"] == 24.2 and got["2"] == 1.54
    assert pd.isna(got["3"])
    assert benchmarks.value(2021, "2") == 1.61
    assert benchmarks.value(2019, "2") == 1.46
    assert benchmarks.value(2020, "2") is None
    assert benchmarks.value(1990, "2") is None


@pytest.mark.parametrize(
    ("year", "ind", "shown"),
    [
        (2022, "1", "24.2%"),
        (2022, "2", "1.54"),
        (2022, "3", "–"),
        (2022, "5", "–"),
        (2022, "9a", "–"),
    ],
)
def test_national_display(year, ind, shown):
    assert benchmarks.national_display(year, ind) == shown


def test_source_names_the_publication():
    assert "WRES" in benchmarks.source(2022, "2") and "2022" in benchmarks.source(2022, "2")
    assert benchmarks.source(2020, "3") == benchmarks.NOT_ENTERED
