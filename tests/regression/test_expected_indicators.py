"""Regression: the indicators table of the shipped example data against a committed expected CSV.

The expected file is the analyst's copy (unrounded values, statuses, display strings after
disclosure control) for every unit and WRES year 2019-2023. A change in any figure fails with a
diff naming the rows. After an intended change, regenerate it and review the diff in git:

    WRES_UPDATE_EXPECTED=1 .venv/bin/python -m pytest tests/regression -q
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wres_utils.core.params import load_params
from wres_utils.disclosure import recipe
from wres_utils.inputs import load as inputs_load
from wres_utils.inputs.counts import normalise_dtypes

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = ROOT / "tests" / "expected" / "example_indicators.csv"
YEARS = range(2019, 2024)
KEY = ["unit", "year", "indicator", "group", "band", "clinical", "statistic"]
COLUMNS = [*KEY, "value", "status", "display"]


def current() -> pd.DataFrame:
    loaded = [
        inputs_load.load_year(load_params(ROOT / "params" / f"{y}.yaml"), ROOT) for y in YEARS
    ]
    counts = normalise_dtypes(pd.concat([ly.counts for ly in loaded], ignore_index=True))
    params = load_params(ROOT / "params" / f"{max(YEARS)}.yaml")
    # As the pipeline discloses them: the published units together (by policy), each member
    # of a joint group on its own (its report, when built, is for internal use only).
    table = recipe.disclose_year(counts, params.units(), params)
    out = table[COLUMNS].copy()
    out["year"] = out["year"].astype(int)
    return out.sort_values(KEY).reset_index(drop=True)


def read_expected() -> pd.DataFrame:
    d = pd.read_csv(EXPECTED, dtype=str, keep_default_na=False)
    d["year"] = d["year"].astype(int)
    d["value"] = pd.to_numeric(d["value"].replace("", np.nan))
    return d.sort_values(KEY).reset_index(drop=True)


def test_example_indicators_match_the_expected_csv():
    got = current()
    if os.environ.get("WRES_UPDATE_EXPECTED") == "1":
        EXPECTED.parent.mkdir(parents=True, exist_ok=True)
        got.to_csv(EXPECTED, index=False, float_format="%.12g", lineterminator="\n")
        pytest.skip(f"rewrote {EXPECTED}")
    want = read_expected()
    for col in KEY:
        got[col] = got[col].astype(str)
        want[col] = want[col].astype(str)
    merged = want.merge(got, on=KEY, how="outer", suffixes=("_expected", "_got"), indicator=True)
    missing = merged[merged["_merge"] == "left_only"]
    extra = merged[merged["_merge"] == "right_only"]
    both = merged[merged["_merge"] == "both"]
    ve, vg = both["value_expected"].astype(float), both["value_got"].astype(float)
    value_diff = ~(np.isclose(ve, vg, rtol=1e-9, atol=1e-9) | (ve.isna() & vg.isna()))
    text_diff = (both["status_expected"] != both["status_got"]) | (
        both["display_expected"].fillna("") != both["display_got"].fillna("")
    )
    changed = both[value_diff.to_numpy() | text_diff.to_numpy()]
    problems = []
    if len(missing):
        problems.append(f"{len(missing)} expected row(s) missing, e.g.\n{missing[KEY].head(10)}")
    if len(extra):
        problems.append(f"{len(extra)} unexpected row(s), e.g.\n{extra[KEY].head(10)}")
    if len(changed):
        cols = [*KEY, "value_expected", "value_got", "display_expected", "display_got"]
        problems.append(
            f"{len(changed)} row(s) changed, e.g.\n{changed[cols].head(15).to_string()}"
        )
    assert not problems, "\n\n".join(problems)
    assert len(both) > 5000
