"""The national WRES figures shipped with the package."""

import csv
from importlib import resources

import pandas as pd
import pytest

from wres_utils.report import national as benchmarks

TIERS = ("(tier P)", "(tier S*)", "(tier S)")


def _rows() -> list[dict[str, str]]:
    path = resources.files("wres_utils").joinpath("data", benchmarks.DATA_FILE)
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_the_data_file_parses_and_every_row_has_a_source():
    rows = _rows()
    assert rows and list(rows[0]) == benchmarks.COLUMNS
    for r in rows:
        assert r["source"].strip(), r
        assert r["scope"].strip(), r
        assert r["indicator"] in benchmarks.STATISTIC
        assert r["statistic"] == benchmarks.STATISTIC[r["indicator"]]
        assert r["group"] == ("" if r["indicator"] not in benchmarks.SURVEY else r["group"])
        if r["value"].strip():
            assert r["source"] != benchmarks.NOT_ENTERED, r
            # the publication and its confidence tier; a secondary source says so
            assert sum(t in r["source"] for t in TIERS) >= 1, r
            if r["source"].startswith("secondary"):
                assert "secondary source only (tier S)" in r["source"]
            float(r["value"])
        else:
            assert r["source"] == benchmarks.NOT_ENTERED, r
    keys = [(r["year"], r["indicator"], r["group"]) for r in rows]
    assert len(keys) == len(set(keys))


def test_at_least_twenty_figures_entered_including_indicators_5_to_8():
    rows = [r for r in _rows() if r["value"].strip()]
    assert len(rows) >= 20
    assert {r["indicator"] for r in rows} >= {"1", "2", "3", "4", "5", "6", "7", "8", "9"}


def test_national_figures_entered():
    d = benchmarks.national(2022)
    got = {(i, g): v for i, g, v in zip(d["indicator"], d["group"], d["value"], strict=True)}
    assert got[("1", "")] == 24.2 and got[("2", "")] == 1.54 and got[("3", "")] == 1.14
    assert pd.isna(got[("4", "")])
    assert benchmarks.value(2021, "2") == 1.61
    assert benchmarks.value(2019, "2") == 1.46
    assert benchmarks.value(2020, "2") == 1.61
    assert benchmarks.value(2024, "7", "White") == 59.4
    assert benchmarks.value(2024, "7") == 48.8  # BME by default
    assert benchmarks.value(2020, "1") is None  # published only as "21 per cent"
    assert benchmarks.value(1990, "2") is None


def test_indicator_9_is_a_difference_like_the_local_figure():
    # 2019: Board 8.4% - workforce 19.7% = -11.3 pp (worked out from the two published shares)
    assert benchmarks.points(2019) == pytest.approx(-11.3)
    assert benchmarks.national_display(2019, "9a") == "-11.3 pp"
    assert benchmarks.national_display(2022, "9b") == "-11.0 pp"
    assert benchmarks.points(2020) is None  # no workforce share entered for 2020
    assert "computed here" in benchmarks.source(2019, "9a")


@pytest.mark.parametrize(
    ("year", "ind", "group", "shown"),
    [
        (2022, "1", None, "24.2%"),
        (2022, "2", None, "1.54"),
        (2022, "3", None, "1.14"),
        (2022, "4", None, "[x]"),
        (2022, "5", None, "29.2%"),
        (2022, "5", "White", "[x]"),
        (2024, "6", "White", "20.7%"),
        (2020, "9a", None, "[x]"),
    ],
)
def test_national_display(year, ind, group, shown):
    assert benchmarks.national_display(year, ind, group) == shown


def test_source_names_the_publication_and_tier():
    assert "WRES 2022" in benchmarks.source(2022, "1") and "(tier P)" in benchmarks.source(
        2022, "1"
    )
    assert "secondary source only" in benchmarks.source(2022, "2")
    assert benchmarks.source(2020, "1") == benchmarks.NOT_ENTERED
