"""Indicators 1-4 by broad ethnic group: a hand-worked example, and disclosure of both tables."""

import math

import pandas as pd
import pytest

from wres_utils.compute import broad, uncertainty
from wres_utils.compute.indicators import compute_indicators
from wres_utils.core.params import Unit
from wres_utils.disclosure import gate as disclosure
from wres_utils.disclosure import recipe
from wres_utils.inputs.counts import (
    BROAD_COUNT_GROUPS,
    empty_counts,
    normalise_dtypes,
    records_to_broad_counts,
)

BME4 = ("Asian", "Black", "Mixed", "Other")


def counts(rows):
    """Broad counts table from (measure, group, band, clinical, value) tuples, org AA1 2021."""
    return normalise_dtypes(
        pd.DataFrame(
            [("AA1", 2021, m, g, b, c, "", "", v) for m, g, b, c, v in rows],
            columns=["org_code", "year", "measure", "group", "band", "clinical"]
            + ["indicator", "board_role", "value"],
        )
    )


HAND = counts(
    [
        *[
            ("headcount", g, "Band 5", "clinical", n)
            for g, n in zip(BROAD_COUNT_GROUPS, (200, 100, 50, 30, 600, 20), strict=True)
        ],
        *[
            ("headcount", g, "Band 6", "non-clinical", n)
            for g, n in zip(BROAD_COUNT_GROUPS, (100, 0, 0, 0, 400, 0), strict=True)
        ],
        *[
            ("shortlisted", g, "", "", n)
            for g, n in zip(BROAD_COUNT_GROUPS, (100, 50, 20, 10, 200, 5), strict=True)
        ],
        *[
            ("appointed", g, "", "", n)
            for g, n in zip(BROAD_COUNT_GROUPS, (20, 5, 4, 0, 50, 1), strict=True)
        ],
        *[
            ("disciplinary", g, "", "", n)
            for g, n in zip(BROAD_COUNT_GROUPS, (6, 2, 0, 0, 10, 0), strict=True)
        ],
    ]
)
UNIT = [Unit(id="AA1", name="AA1", members=("AA1",))]


@pytest.fixture(scope="module")
def table():
    return broad.compute_broad(HAND, UNIT)


def pick(t, ind, stat, group, band="", clinical=""):
    sel = t[
        (t.indicator == ind)
        & (t.statistic == stat)
        & (t.group == group)
        & (t.band == band)
        & (t.clinical == clinical)
    ]
    assert len(sel) == 1, (ind, stat, group, band, clinical)
    return sel.iloc[0]


def test_records_to_broad_counts_uses_the_first_letter_of_the_code():
    rec = pd.DataFrame({"ethnic_origin": ["A", "LH Asian", "N Black", "G", "S", "Z", "C3", "xx"]})
    c = records_to_broad_counts("disciplinary", rec, "aa1", 2021)
    got = dict(zip(c["group"], c["value"], strict=True))
    assert got == {"Asian": 1, "Black": 1, "Mixed": 1, "Other": 1, "White": 2, "Unknown": 2}
    assert set(c["org_code"]) == {"AA1"} and set(c["measure"]) == {"disciplinary"}
    assert records_to_broad_counts("board", rec, "AA1", 2021).empty


def test_indicator1_percentages_of_all_staff(table):
    # Band 5 clinical: 1,000 staff, 200 Asian; whole workforce: 1,500 staff, 300 Asian.
    assert pick(table, "1", "percent", "Asian", "Band 5", "clinical")["value"] == 20.0
    assert pick(table, "1", "count", "", "Band 5", "clinical")["value"] == 1000
    assert pick(table, "1", "percent", "Asian", "All", "all")["value"] == 20.0
    assert pick(table, "1", "percent", "Black", "All", "all")["value"] == pytest.approx(100 / 15)
    assert pick(table, "1", "percent", "White", "Band 6", "non-clinical")["value"] == 80.0
    assert pick(table, "1", "percent", "Unknown", "All", "all")["basis"] == "all"


def test_indicator2_is_white_rate_over_group_rate(table):
    # White 50/200 = 0.25; Asian 20/100 = 0.2; Black 5/50 = 0.1; Mixed 4/20 = 0.2; Other 0/10.
    assert pick(table, "2", "rate", "White")["value"] == 0.25
    assert pick(table, "2", "relative_likelihood", "Asian")["value"] == pytest.approx(1.25)
    assert pick(table, "2", "relative_likelihood", "Black")["value"] == pytest.approx(2.5)
    assert pick(table, "2", "relative_likelihood", "Mixed")["value"] == pytest.approx(1.25)
    other = pick(table, "2", "relative_likelihood", "Other")
    assert other["status"] == "not_calculable" and "no Other applicants" in other["note"]
    asian = pick(table, "2", "relative_likelihood", "Asian")
    assert asian["classification"] == "0.80-1.25"
    # Katz: SE = sqrt(1/50 - 1/200 + 1/20 - 1/100)
    se = math.sqrt(1 / 50 - 1 / 200 + 1 / 20 - 1 / 100)
    low = pick(table, "2", "ci_low", "Asian")["value"]
    assert low == pytest.approx(math.exp(math.log(1.25) - uncertainty.Z95 * se))
    assert pick(table, "2", "ci_high", "Black")["value"] == pytest.approx(
        uncertainty.katz_ci(50, 200, 5, 50)[1]
    )


def test_indicator3_is_group_rate_over_white_rate(table):
    # Headcount White 1,000, Asian 300; disciplinary White 10, Asian 6: (6/300)/(10/1000) = 2.
    assert pick(table, "3", "relative_likelihood", "Asian")["value"] == pytest.approx(2.0)
    assert pick(table, "3", "relative_likelihood", "Black")["value"] == pytest.approx(2.0)
    mixed = pick(table, "3", "relative_likelihood", "Mixed")
    assert mixed["value"] == 0.0 and mixed["status"] == "ok"  # a 0 numerator rate is real
    assert pick(table, "3", "relative_likelihood", "Asian")["classification"] == "above 1.25"


def test_indicator_not_collected(table):
    nc = table[table.indicator == "4"]
    assert len(nc) == 1 and nc.iloc[0]["status"] == "not_collected"
    assert "training" in nc.iloc[0]["note"]


def test_empty_counts_give_an_empty_table():
    assert broad.compute_broad(empty_counts(), UNIT).empty


def wres_counts(broad_counts):
    """The White/BME/Unknown counts table the same records give."""
    c = broad_counts.copy()
    c["group"] = c["group"].where(~c["group"].isin(BME4), "BME")
    keys = [k for k in c.columns if k != "value"]
    return normalise_dtypes(c.groupby(keys, as_index=False)["value"].sum())


SMALL = counts(
    [
        *[
            ("headcount", g, "Band 5", "clinical", n)
            for g, n in zip(BROAD_COUNT_GROUPS, (40, 30, 5, 20, 300, 12), strict=True)
        ],
        *[
            ("headcount", g, "Band 6", "clinical", n)
            for g, n in zip(BROAD_COUNT_GROUPS, (25, 20, 11, 15, 200, 9), strict=True)
        ],
        *[
            ("disciplinary", g, "", "", n)
            for g, n in zip(BROAD_COUNT_GROUPS, (9, 3, 0, 12, 20, 0), strict=True)
        ],
    ]
)


@pytest.fixture(scope="module")
def together():
    main = compute_indicators(wres_counts(SMALL), UNIT)
    return recipe.disclose_together(main, broad.compute_broad(SMALL, UNIT))


def test_disclose_works_on_the_broad_table_and_published_copy():
    t = disclosure.disclose(broad.compute_broad(HAND, UNIT))
    assert (t["display"] != "").all()
    pub = disclosure.published_copy(t)
    assert pub.loc[pub["status"] == "suppressed", "value"].isna().all()


def test_small_broad_counts_and_what_is_built_on_them_are_withheld(together):
    main, b = together
    # Indicator 1 of the broad view is published at whole-workforce level only (no band
    # tables, whose row and column totals would need a search to protect).
    assert set(b.loc[b["indicator"] == "1", "band"]) == {"All"}
    assert pick(b, "1", "count", "Mixed", "All", "all")["display"] == "16"  # 5 + 11
    assert pick(b, "3", "count", "Black")["display"] == "[c]"
    assert pick(b, "3", "relative_likelihood", "Black")["display"] == "[c]"
    assert pick(b, "3", "ci_low", "Black")["display"] == "[c]"
    # BME (24) is published in the WRES table: with Black (3) withheld, the other three BME
    # groups are withheld with it (all four together), or Black = 24 - Asian - Mixed - Other.
    for g in ("Asian", "Mixed", "Other"):
        assert pick(b, "3", "count", g)["note"] == disclosure.WITHHELD_NOTE, g
        assert pick(b, "3", "relative_likelihood", g)["display"] == "[c]", g
    # The WRES table is disclosed exactly as without the broad view.
    assert main.equals(disclosure.disclose(compute_indicators(wres_counts(SMALL), UNIT)))
    for t in (main, b):
        pub = disclosure.published_copy(t)
        assert pub.loc[pub["status"] == "suppressed", "value"].isna().all()


def test_no_broad_cell_can_be_worked_out_from_the_wres_table(together):
    """Where the WRES table publishes BME, never exactly one of its four parts is withheld,
    and the White/Unknown/all-staff cells carry the WRES table's status."""
    main, b = together
    counts_b = b[b["statistic"].isin(["count", "denominator"])]
    for (ind, stat, band, clin), cell in counts_b.groupby(
        ["indicator", "statistic", "band", "clinical"]
    ):
        parts = cell[cell["group"].isin(BME4)]
        n_supp = int((parts["status"] == "suppressed").sum())
        bme = pick(main, ind, stat, "BME", band, clin)
        if bme["status"] == "ok":
            assert n_supp != 1, (ind, stat, band, clin)
        for g in ("White", "Unknown", ""):
            if g == "" and ind != "1":
                continue
            assert (
                pick(b, ind, stat, g, band, clin)["status"]
                == pick(main, ind, stat, g, band, clin)["status"]
            )


def test_joint_units_pool_counts_first():
    two = pd.concat([SMALL, SMALL.assign(org_code="BB2")], ignore_index=True)
    units = [
        Unit(id="AA1", name="AA1", members=("AA1",)),
        Unit(id="BB2", name="BB2", members=("BB2",)),
        Unit(id="J", name="J", members=("AA1", "BB2")),
    ]
    t = broad.compute_broad(normalise_dtypes(two), units)
    j = t[t.unit == "J"]
    assert pick(j, "1", "count", "Asian", "All", "all")["value"] == 2 * (40 + 25)
    rr = pick(j, "3", "relative_likelihood", "Asian")["value"]
    assert rr == pytest.approx((18 / 130) / (40 / 1000))
    main = compute_indicators(wres_counts(normalise_dtypes(two)), units)
    _, b = recipe.disclose_together(main, t)
    assert pick(b[b.unit == "J"], "3", "count", "Black")["display"] == "[c]"  # 3 + 3 = 6
    assert set(b["status"]) <= {"ok", "suppressed", "not_calculable", "not_collected"}


def test_joint_group_never_leaves_exactly_one_member_withheld():
    """J = AA1 + BB2. AA1's indicator 3 groups are withheld (Black 3); BB2's are all large.
    Publishing J's and BB2's would give AA1's by subtraction, so BB2's are withheld too."""
    big = SMALL.copy()
    dis = (big["measure"] == "disciplinary") & big["group"].isin(BME4)
    big.loc[dis, "value"] = 30
    two = normalise_dtypes(pd.concat([SMALL, big.assign(org_code="BB2")], ignore_index=True))
    units = [
        Unit(id="AA1", name="AA1", members=("AA1",)),
        Unit(id="BB2", name="BB2", members=("BB2",)),
        Unit(id="J", name="J", members=("AA1", "BB2")),
    ]
    main = compute_indicators(wres_counts(two), units)
    _, b = recipe.disclose_together(main, broad.compute_broad(two, units))
    a1 = b[(b.unit == "AA1") & (b.indicator == "3") & (b.statistic == "count")]
    b2 = b[(b.unit == "BB2") & (b.indicator == "3") & (b.statistic == "count")]
    j = b[(b.unit == "J") & (b.indicator == "3") & (b.statistic == "count")]
    assert (a1[a1.group.isin(BME4)]["status"] == "suppressed").all()
    j_published = (j[j.group.isin(BME4)]["status"] == "ok").any()
    b2_published = (b2[b2.group.isin(BME4)]["status"] == "ok").any()
    assert not (j_published and b2_published)
