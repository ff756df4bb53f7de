"""The indicator engine on tests/data/handwritten_counts.csv, with the arithmetic worked by hand.

The file: AA1 (2020, 2021; no training), BB2 (2021 only; no survey, no executive board),
CC3 (2021; zero cells), and the joint unit J = AA1 + BB2.
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wres_utils.compute.indicators import compute_indicators
from wres_utils.compute.table import COLUMNS, CONTRACT_COLUMNS
from wres_utils.core.params import Unit
from wres_utils.inputs.counts import normalise_dtypes

DATA = Path(__file__).resolve().parents[2] / "data" / "handwritten_counts.csv"
UNITS = [Unit(id=c, name=c, members=(c,)) for c in ("AA1", "BB2", "CC3")] + [
    Unit(id="J", name="J", members=("AA1", "BB2"))
]


def load_counts() -> pd.DataFrame:
    raw = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    return normalise_dtypes(
        raw.assign(year=raw["year"].astype(int), value=raw["value"].astype(int))
    )


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return compute_indicators(load_counts(), UNITS)


@pytest.fixture(scope="module")
def known() -> pd.DataFrame:
    return compute_indicators(load_counts(), UNITS, denominator="known")


def one(t, unit, year, ind, stat, group="", band="", clinical=""):
    sel = t[
        (t.unit == unit)
        & (t.year == year)
        & (t.indicator == ind)
        & (t.statistic == stat)
        & (t.group == group)
        & (t.band == band)
        & (t.clinical == clinical)
    ]
    assert len(sel) == 1, (unit, year, ind, stat, group, band, clinical, len(sel))
    return sel.iloc[0]


def test_columns_and_coverage(table):
    assert list(table.columns) == COLUMNS
    assert COLUMNS[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    # every unit x every year x every indicator
    got = set(zip(table.unit, table.year, table.indicator, strict=True))
    want = {
        (u.id, y, i)
        for u in UNITS
        for y in (2020, 2021)
        for i in ("1", "2", "3", "4", "5", "6", "7", "8", "9a", "9b")
    }
    assert got == want
    assert (table["display"] == "").all()
    # never inf; NaN only where the status is not ok
    assert np.isfinite(table.loc[table.status == "ok", "value"]).all()
    assert table.loc[table.status != "ok", "value"].isna().all()


def test_indicator1_all_staff_denominator(table):
    # AA1 2021 whole workforce: White 40+30+25+2 = 97, BME 20+3+10+0 = 33, Unknown 5+0+5+0 = 10
    assert one(table, "AA1", 2021, "1", "count", "", "All", "all").value == 140
    assert one(table, "AA1", 2021, "1", "count", "BME", "All", "all").value == 33
    # BME share = 33 / 140 * 100 = 23.5714
    assert one(table, "AA1", 2021, "1", "percent", "BME", "All", "all").value == pytest.approx(
        23.571429, abs=1e-5
    )
    # Band 6 clinical: BME 3 of 33 = 9.0909%; Unknown 0 of 33 = 0%
    assert one(table, "AA1", 2021, "1", "percent", "BME", "Band 6", "clinical").value == (
        pytest.approx(100 * 3 / 33)
    )
    assert one(table, "AA1", 2021, "1", "percent", "Unknown", "Band 6", "clinical").value == 0
    # clinical total row: White 40 + 30 = 70
    assert one(table, "AA1", 2021, "1", "count", "White", "All", "clinical").value == 70
    # declaration rate = (97 + 33) / 140 = 92.857%
    assert one(table, "AA1", 2021, "1", "declaration_rate", "", "All", "all").value == (
        pytest.approx(100 * 130 / 140)
    )
    assert "all staff" in one(table, "AA1", 2021, "1", "percent", "BME", "All", "all").note


def test_indicator1_known_denominator(known):
    # BME share of staff of known ethnicity = 33 / (97 + 33) = 25.3846%
    row = one(known, "AA1", 2021, "1", "percent", "BME", "All", "all")
    assert row.value == pytest.approx(100 * 33 / 130)
    assert "known ethnicity" in row.note
    assert known[
        (known.indicator == "1") & (known.statistic == "percent") & (known.group == "Unknown")
    ].empty
    # indicator 9 uses the same denominator: 33/130
    assert one(known, "AA1", 2021, "9a", "workforce_percent", "BME").value == pytest.approx(
        100 * 33 / 130
    )


def test_unrecognised_band_is_its_own_row_and_counted(table):
    assert one(table, "CC3", 2021, "1", "count", "White", "Unrecognised", "non-clinical").value == 1
    # totals include it: White 15 + 1 = 16
    assert one(table, "CC3", 2021, "1", "count", "White", "All", "all").value == 16


def test_indicator2_rates_and_orientation(table):
    # AA1: White 30/100 = 0.30, BME 10/50 = 0.20, RR = White/BME = 1.5
    assert one(table, "AA1", 2021, "2", "rate", "White").value == pytest.approx(0.30)
    rr = one(table, "AA1", 2021, "2", "relative_likelihood")
    assert rr.value == pytest.approx(1.5)
    assert rr.classification == "above 1.25" and "White applicants favoured" in rr.note
    assert not rr.small_numbers
    assert (rr.numerator, rr.denominator, rr.numerator2, rr.denominator2) == (30, 100, 10, 50)
    assert one(table, "AA1", 2021, "2", "ci_low").value == pytest.approx(0.798856, abs=1e-6)


def test_joint_unit_pools_counts_not_ratios(table):
    # AA1 RR 1.5 and BB2 RR (10/20)/(10/50) = 2.5: the average would be 2.0.
    # Pooled: White 40/120 = 0.3333, BME 20/100 = 0.20 -> RR = 1.6667
    assert one(table, "BB2", 2021, "2", "relative_likelihood").value == pytest.approx(2.5)
    assert one(table, "J", 2021, "2", "relative_likelihood").value == pytest.approx(5 / 3)
    assert one(table, "J", 2021, "2", "count", "White").members == "AA1,BB2"
    # indicator 1 for J: 140 + 120 = 260 staff; BME 33 + 50 = 83 -> 31.923%
    assert one(table, "J", 2021, "1", "percent", "BME", "All", "all").value == pytest.approx(
        100 * 83 / 260
    )


def test_joint_measure_collected_by_some_members(table):
    # Training: only BB2. J pools over BB2 and restricts headcount to BB2 (70 White, 50 BME),
    # not J's 167/83: RR = (60/70)/(30/50) = 0.857143/0.6 = 1.428571
    rr = one(table, "J", 2021, "4", "relative_likelihood")
    assert rr.value == pytest.approx(1.428571, abs=1e-6)
    assert rr.members == "BB2"
    assert "Excludes AA1" in rr.note and "not collected" in rr.note
    assert one(table, "J", 2021, "4", "denominator", "White").value == 70
    # Survey: only AA1
    assert one(table, "J", 2021, "5", "percent", "BME").value == pytest.approx(30.0)


def test_not_collected(table):
    row = one(table, "AA1", 2021, "4", "relative_likelihood")
    assert row.status == "not_collected" and np.isnan(row.value)
    assert "not collected" in row.note
    assert len(table[(table.unit == "AA1") & (table.year == 2021) & (table.indicator == "4")]) == 1
    # no member of J collected training in 2020
    assert "by any member" in one(table, "J", 2020, "4", "relative_likelihood").note


def test_numerator_zero_is_a_real_zero(table):
    # AA1 2021 indicator 3 = BME/White: (0/33) / (10/97) = 0, status ok
    rr = one(table, "AA1", 2021, "3", "relative_likelihood")
    assert rr.status == "ok" and rr.value == 0
    assert one(table, "AA1", 2021, "3", "ci_low").value == 0


def test_zero_comparator_and_zero_group_not_calculable(table):
    # CC3 indicator 3: BME 3/9, White 0/16 -> comparator rate 0
    rr = one(table, "CC3", 2021, "3", "relative_likelihood")
    assert rr.status == "not_calculable" and np.isnan(rr.value)
    assert "no White staff entered the formal disciplinary process" in rr.note
    # CC3 indicator 2: no BME applicants shortlisted
    rr2 = one(table, "CC3", 2021, "2", "relative_likelihood")
    assert rr2.status == "not_calculable" and "no BME applicants were shortlisted" in rr2.note
    assert one(table, "CC3", 2021, "2", "rate", "BME").status == "not_calculable"
    assert one(table, "CC3", 2021, "2", "ci_high").status == "not_calculable"


def test_indicator3_two_year_pooled(table):
    # AA1: BME (0 + 2) / (33 + 18) = 0.039216; White (10 + 8) / (97 + 38) = 0.133333
    # RR = 0.039216 / 0.133333 = 0.294118
    rr = one(table, "AA1", 2021, "3", "relative_likelihood_2yr")
    assert rr.value == pytest.approx(0.294118, abs=1e-6)
    assert (rr.numerator, rr.denominator, rr.numerator2, rr.denominator2) == (2, 51, 18, 135)
    assert table[(table.year == 2020) & (table.statistic == "relative_likelihood_2yr")].empty


def test_survey_indicators(table):
    # WRES 2021 uses the 2020 survey: indicator 5 is Q13a; White 20/80 = 25%, BME 9/30 = 30%
    w = one(table, "AA1", 2021, "5", "percent", "White")
    assert w.value == pytest.approx(25.0) and w.question == "Q13a" and not w.redesign
    assert one(table, "AA1", 2021, "5", "percent", "BME").value == pytest.approx(30.0)


def test_survey_renumbered_in_2021_is_not_flagged_but_a_changed_measure_is():
    counts = load_counts()
    aa1 = counts[(counts.org_code == "AA1") & (counts.year == 2021)]
    t = compute_indicators(
        pd.concat([counts, aa1.assign(year=2022), aa1.assign(year=2019)]), UNITS[:1]
    )
    # WRES 2022 uses the 2021 survey: Q13a renumbered Q14a with the same wording: comparable
    row = one(t, "AA1", 2022, "5", "percent", "BME")
    assert row.question == "Q14a" and not row.redesign
    assert "renumbered from Q13a" in row.note and "not like for like" not in row.note
    # WRES 2019 uses the 2018 survey: KF25 (a key finding) became Q13a: a change of measure
    row = one(t, "AA1", 2019, "5", "percent", "BME")
    assert row.question == "Q13a" and row.redesign and "not like for like" in row.note


def test_indicator9(table):
    # AA1 voting: BME 2 of 10 = 20%; workforce 33/140 = 23.5714%; pp = -3.5714
    assert one(table, "AA1", 2021, "9a", "percent", "BME").value == pytest.approx(20.0)
    assert one(table, "AA1", 2021, "9a", "percentage_points").value == pytest.approx(
        20 - 100 * 33 / 140
    )
    # executive: 1 of 6 = 16.667%
    assert one(table, "AA1", 2021, "9b", "percent", "BME").value == pytest.approx(100 / 6)
    # J voting pooled: (2 + 4) / (10 + 11) = 28.571%; workforce 83/260; pp = -3.3516
    pp = one(table, "J", 2021, "9a", "percentage_points")
    assert pp.value == pytest.approx(100 * 6 / 21 - 100 * 83 / 260)
    assert (pp.numerator, pp.denominator, pp.numerator2, pp.denominator2) == (6, 21, 83, 260)
    # BB2 has no executive board figures: not collected
    assert one(table, "BB2", 2021, "9b", "percentage_points").status == "not_collected"


def test_indicator9_one_basis_for_board_and_workforce():
    # AA1 2021 voting Board with 2 members of unknown ethnicity: White 8, BME 2, Unknown 2.
    # Workforce: White 97, BME 33, Unknown 10.
    c = load_counts()
    sel = (c.org_code == "AA1") & (c.year == 2021) & (c.measure == "board")
    sel &= (c.board_role == "voting") & (c.group == "Unknown")
    c.loc[sel, "value"] = 2
    # "all": Unknown in both denominators: 2/12 = 16.667% against 33/140 = 23.571%
    t = compute_indicators(c, UNITS[:1], denominator="all")
    assert one(t, "AA1", 2021, "9a", "percent", "BME").value == pytest.approx(100 * 2 / 12)
    assert one(t, "AA1", 2021, "9a", "percentage_points").value == pytest.approx(
        100 * 2 / 12 - 100 * 33 / 140
    )
    # "known": Unknown out of both: 2/10 = 20% against 33/130 = 25.385%; pp = -5.385
    k = compute_indicators(c, UNITS[:1], denominator="known")
    assert one(k, "AA1", 2021, "9a", "percent", "BME").value == pytest.approx(20.0)
    assert one(k, "AA1", 2021, "9a", "denominator").value == 10
    pp = one(k, "AA1", 2021, "9a", "percentage_points")
    assert pp.value == pytest.approx(20 - 100 * 33 / 130)
    assert (pp.numerator, pp.denominator, pp.numerator2, pp.denominator2) == (2, 10, 33, 130)
    assert "known ethnicity" in one(k, "AA1", 2021, "9a", "percent", "BME").note
