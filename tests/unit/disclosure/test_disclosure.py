"""The one disclosure gate: primary and secondary suppression, rounding, the published copy."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wres_utils.compute.indicators import compute_indicators
from wres_utils.compute.table import CONTRACT_COLUMNS, EXTRA_COLUMNS
from wres_utils.core.params import Suppression, Unit
from wres_utils.disclosure import gate as d
from wres_utils.disclosure import ties as d_ties
from wres_utils.inputs import load as inputs_load
from wres_utils.inputs.counts import normalise_dtypes

DATA = Path(__file__).resolve().parents[2] / "data" / "handwritten_counts.csv"
GROUPS = ("White", "BME", "Unknown")


def load_counts() -> pd.DataFrame:
    raw = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    return normalise_dtypes(
        raw.assign(year=raw["year"].astype(int), value=raw["value"].astype(int))
    )


def headcount(cells: dict[tuple[str, str, str], int], org="AA1", year=2021) -> pd.DataFrame:
    """Counts table from {(band, clinical, group): n}."""
    rows = [(org, year, "headcount", g, b, c, "", "", n) for (b, c, g), n in cells.items()]
    return normalise_dtypes(
        pd.DataFrame(
            rows,
            columns=[
                "org_code",
                "year",
                "measure",
                "group",
                "band",
                "clinical",
                "indicator",
                "board_role",
                "value",
            ],
        )
    )


def units(*codes):
    return [Unit(id=c, name=c, members=(c,)) for c in codes]


def row(t, unit, ind, stat, group="", band="", clinical="", year=2021):
    sel = t[
        (t.unit == unit)
        & (t.year == year)
        & (t.indicator == ind)
        & (t.statistic == stat)
        & (t.group == group)
        & (t.band == band)
        & (t.clinical == clinical)
    ]
    assert len(sel) == 1
    return sel.iloc[0]


@pytest.fixture(scope="module")
def disclosed():
    u = units("AA1", "BB2", "CC3") + [Unit(id="J", name="J", members=("AA1", "BB2"))]
    return d.disclose(compute_indicators(load_counts(), u))


def test_format_value():
    assert d.format_value("relative_likelihood", 1.5234) == "1.52"
    assert d.format_value("ci_low", 0.798856) == "0.80"
    assert d.format_value("percent", 12.345) == "12.3%"
    assert d.format_value("rate", 0.15234) == "0.152"
    assert d.format_value("percentage_points", 3.44) == "+3.4 pp"
    assert d.format_value("percentage_points", -3.571) == "-3.6 pp"
    assert d.format_value("percentage_points", -0.04) == "0.0 pp"
    assert d.format_value("count", 1234) == "1,234"
    assert d.format_value("count", 97, round_to=5) == "95"


def test_round_count_half_up():
    assert [d.round_count(n, 5) for n in (0, 2, 3, 12, 13, 97, 140)] == [0, 0, 5, 10, 15, 95, 140]
    assert d.round_count(8, None) == 8


def test_primary_suppression_of_1_to_k_and_not_zero(disclosed):
    t = disclosed
    base = t[t.statistic.isin(["count", "denominator"]) & t.numerator.notna()]
    small = base[(base.numerator >= 1) & (base.numerator <= 7)]
    # Board members are public office holders (params board_public): their counts are shown.
    small = small[~small.indicator.isin(["9a", "9b"])]
    assert (small.status == "suppressed").all() and (small.display == "[c]").all()
    # 0 is never withheld for being small; a zero may be withheld so that a row does not
    # reveal itself or a small count stays protected ([c] has one meaning, 0 included).
    zero = base[base.numerator == 0]
    shown = zero[zero.status == "ok"]
    assert len(shown) > len(zero) / 2 and (shown.display == "0").all()
    # AA1 2021 Band 6 clinical BME = 3 -> [c]; its percentage too
    assert row(t, "AA1", "1", "count", "BME", "Band 6", "clinical").display == "[c]"
    assert row(t, "AA1", "1", "percent", "BME", "Band 6", "clinical").display == "[c]"
    # VSM: 2 staff, so 0% BME would reveal 2 White: suppressed (denominator 1..7)
    assert row(t, "AA1", "1", "percent", "BME", "VSM", "non-clinical").display == "[c]"
    # the 2-year pooled ratio of AA1 rests on BME 2 cases in 2020 -> suppressed
    assert row(t, "AA1", "3", "relative_likelihood_2yr").display == "[c]"
    # a ratio with all four counts > 7 is shown, 2 dp
    assert row(t, "AA1", "2", "relative_likelihood").display == "1.50"
    assert row(t, "AA1", "2", "ci_high").display == "2.82"


def test_statuses_display_symbols(disclosed):
    """The one blanks convention (core.catalogue): [x] for not collected and not calculable,
    the reason kept in status and note; [c] for withheld."""
    t = disclosed
    nc = row(t, "AA1", "4", "relative_likelihood")
    assert (nc.display, nc.status) == ("[x]", "not_collected")
    calc = row(t, "CC3", "3", "relative_likelihood")
    assert (calc.display, calc.status) == ("[x]", "not_calculable")
    assert calc.note.startswith("not calculable")
    # suppressed rows carry no four-fifths class and a note that reveals nothing
    rr = row(t, "AA1", "3", "relative_likelihood", year=2020)
    assert rr.status == "suppressed" and rr.classification == "" and "favoured" not in rr.note


def test_secondary_suppression_in_a_row():
    # Band 5 clinical: White 40, BME 3, Unknown 20, total 63. BME is primary; with the total
    # published, one more cell of the row must go, else BME = 63 - 40 - 20.
    t = d.disclose(
        compute_indicators(
            headcount(
                {
                    ("Band 5", "clinical", "White"): 40,
                    ("Band 5", "clinical", "BME"): 3,
                    ("Band 5", "clinical", "Unknown"): 20,
                    ("Band 6", "clinical", "White"): 30,
                    ("Band 6", "clinical", "BME"): 12,
                    ("Band 6", "clinical", "Unknown"): 9,
                }
            ),
            units("AA1"),
        )
    )
    cells = t[(t.indicator == "1") & (t.statistic == "count") & (t.band == "Band 5")]
    assert (cells.status == "suppressed").sum() >= 2
    # and the column (BME over bands, with the clinical total) cannot give it back either
    col = t[
        (t.indicator == "1")
        & (t.statistic == "count")
        & (t.group == "BME")
        & (t.clinical == "clinical")
    ]
    assert (col.status == "suppressed").sum() >= 2
    # percent cells whose count is suppressed are suppressed too (count = percent * total)
    for _, r in cells[cells.status == "suppressed"].iterrows():
        if r.group:
            assert row(t, "AA1", "1", "percent", r.group, "Band 5", "clinical").display == "[c]"
    assert_not_recoverable(t)


def test_joint_unit_cannot_reveal_member_cell_by_difference():
    # A: BME 3 (suppressed); B: BME 30; J = A + B = 33. Publishing J and B would give A = 3.
    a = headcount(
        {
            ("Band 5", "clinical", "White"): 50,
            ("Band 5", "clinical", "BME"): 3,
            ("Band 5", "clinical", "Unknown"): 20,
        },
        org="AA1",
    )
    b = headcount(
        {
            ("Band 5", "clinical", "White"): 60,
            ("Band 5", "clinical", "BME"): 30,
            ("Band 5", "clinical", "Unknown"): 20,
        },
        org="BB2",
    )
    u = units("AA1", "BB2") + [Unit(id="J", name="J", members=("AA1", "BB2"))]
    t = d.disclose(compute_indicators(pd.concat([a, b], ignore_index=True), u))
    j = row(t, "J", "1", "count", "BME", "Band 5", "clinical")
    bb = row(t, "BB2", "1", "count", "BME", "Band 5", "clinical")
    assert row(t, "AA1", "1", "count", "BME", "Band 5", "clinical").display == "[c]"
    assert "[c]" in (j.display, bb.display)
    assert_not_recoverable(t)


def test_rounding_to_5(disclosed):
    u = units("AA1")
    t = d.disclose(compute_indicators(load_counts(), u), round_to=5)
    # AA1 2021 overall: 97 -> 95, 140 -> 140; percentages come from unrounded counts
    assert row(t, "AA1", "1", "count", "White", "All", "all").display == "95"
    assert row(t, "AA1", "1", "count", "", "All", "all").display == "140"
    assert row(t, "AA1", "1", "percent", "White", "All", "all").display == "69.3%"  # 97/140


def test_min_count_parameter():
    t = compute_indicators(load_counts(), units("AA1"))
    loose = d.disclose(t, min_count=2)
    assert row(loose, "AA1", "1", "count", "BME", "Band 6", "clinical").display == "3"
    assert row(loose, "AA1", "9b", "count", "BME").display == "1"  # Board counts are public
    private = d.disclose(t, settings=Suppression(min_count=2, board_public=False))
    assert row(private, "AA1", "9b", "count", "BME").display == "[c]"  # 1 <= 2


def test_published_copy_drops_values_and_helpers(disclosed):
    pub = d.published_copy(disclosed)
    assert list(pub.columns) == CONTRACT_COLUMNS + EXTRA_COLUMNS
    sup = pub[pub.status == "suppressed"]
    assert len(sup) > 0 and sup["value"].isna().all()
    assert (sup["display"] == "[c]").all()
    shown = pub[pub.status == "ok"]
    assert shown["value"].notna().all()
    # the analyst copy still has the values
    assert disclosed.loc[disclosed.status == "suppressed", "value"].notna().any()
    with pytest.raises(ValueError):
        d.published_copy(compute_indicators(load_counts(), units("AA1")))


def test_disclose_frame():
    df = pd.DataFrame(
        {"kind": ["workforce", "board"], "a": [3, 40], "b": [50, 0], "total": [53, 40]}
    )
    out = d.disclose_frame(df, ["a", "b"], total_col="total")
    assert out.loc[0, "a"] == "[c]"
    # one more of the row goes so that a != total - b
    assert (out.loc[0, ["b", "total"]] == "[c]").sum() == 1
    assert list(out.loc[1, ["a", "b", "total"]]) == ["40", "0", "40"]
    assert d.disclose_frame(df, ["a"], round_to=5).loc[1, "a"] == "40"
    # One meaning of [c], whatever the threshold: the note never says why a cell is withheld.
    assert "[c]" in d.TABLE_NOTE and d.table_note(5) == d.table_note(7) == d.TABLE_NOTE


# --- the property: no suppressed indicator 1 count can be worked out from published cells ---


def ties_of(t: pd.DataFrame, unit: str, year: int):
    """Independent construction of the published totals of one unit's indicator 1 table."""
    c = t[(t.unit == unit) & (t.year == year) & (t.indicator == "1") & (t.statistic == "count")]
    idx = {k: i for i, k in enumerate(zip(c.group, c.band, c.clinical, strict=True))}
    ties = []
    clin = sorted(set(c.clinical) - {"all"})
    for cl in clin:
        for band in set(c[c.clinical == cl].band):
            ties.append([idx[("", band, cl)]] + [idx[(g, band, cl)] for g in GROUPS])
        for g in (*GROUPS, ""):
            parts = [idx[(g, b, cl)] for b in set(c[c.clinical == cl].band) - {"All"}]
            ties.append([idx[(g, "All", cl)]] + parts)
    for g in (*GROUPS, ""):
        ties.append([idx[(g, "All", "all")]] + [idx[(g, "All", cl)] for cl in clin])
    ties.append([idx[("", "All", "all")]] + [idx[(g, "All", "all")] for g in GROUPS])
    return c, ties


def assert_not_recoverable(t: pd.DataFrame) -> None:
    for unit, year in (
        t[t.indicator == "1"][["unit", "year"]].drop_duplicates().itertuples(index=False)
    ):
        c, ties = ties_of(t, unit, year)
        supp = (c.status == "suppressed").to_numpy()
        # every tie (a published total and its parts) has 0 or >= 2 suppressed cells
        for tie in ties:
            assert supp[tie].sum() != 1, (unit, year, c.iloc[tie])
        # stronger: no suppressed cell is determined by the published ones
        cols = np.flatnonzero(supp)
        if cols.size == 0:
            continue
        a = np.zeros((len(ties), len(c)))
        for i, tie in enumerate(ties):
            a[i, tie[0]] = -1
            a[i, tie[1:]] += 1
        m = a[:, cols]
        rank = np.linalg.matrix_rank(m)
        for j in range(cols.size):
            assert np.linalg.matrix_rank(np.delete(m, j, axis=1)) == rank, (
                f"{unit} {year}: suppressed cell {c.iloc[cols[j]].to_dict()} is determined"
            )
        # and every count 1..7 is suppressed, and so is every percent of a suppressed count
        small = (c.value >= 1) & (c.value <= 7)
        assert (c.status[small] == "suppressed").all()
        p = t[
            (t.unit == unit) & (t.year == year) & (t.indicator == "1") & (t.statistic == "percent")
        ]
        sk = set(zip(c.group[supp], c.band[supp], c.clinical[supp], strict=True))
        for r in p.itertuples():
            if (r.group, r.band, r.clinical) in sk or ("", r.band, r.clinical) in sk:
                assert r.status == "suppressed"


BANDS = ("Band 2", "Band 5", "Band 6", "Band 8a", "VSM", "Consultants")
small_or_big = st.one_of(st.integers(0, 9), st.integers(0, 9), st.integers(0, 80))


@st.composite
def tables(draw):
    clin = draw(st.sampled_from([("clinical",), ("non-clinical",), ("clinical", "non-clinical")]))
    cells = {}
    for cl in clin:
        for b in draw(st.lists(st.sampled_from(BANDS), min_size=1, max_size=4, unique=True)):
            for g in GROUPS:
                cells[(b, cl, g)] = draw(small_or_big)
    return cells


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(tables())
def test_property_no_suppressed_count_recoverable(cells):
    t = d.disclose(compute_indicators(headcount(cells), units("AA1")), min_count=7)
    assert_not_recoverable(t)


def test_joint_total_stays_published_when_a_member_cell_protects_it():
    """A suppressed member cell is protected by another member's cell, not by the joint total.

    A: BME 3 (primary), White 50; B: BME 30, White 60; J = A + B. One more cell in the tie
    J = A + B must go; it is taken from the members (B's BME, 30), so the joint report, whose
    purpose is to publish what its small members cannot, keeps its figures.
    """
    a = headcount({("Band 5", "clinical", "White"): 50, ("Band 5", "clinical", "BME"): 3}, "AA1")
    b = headcount({("Band 5", "clinical", "White"): 60, ("Band 5", "clinical", "BME"): 30}, "BB2")
    u = units("AA1", "BB2") + [Unit(id="J", name="J", members=("AA1", "BB2"))]
    t = d.disclose(compute_indicators(pd.concat([a, b], ignore_index=True), u))
    for g in ("White", "BME", ""):
        assert row(t, "J", "1", "count", g, "All", "all").display != "[c]", g
    assert row(t, "J", "1", "percent", "BME", "All", "all").display == f"{100 * 33 / 143:.1f}%"
    assert row(t, "BB2", "1", "count", "BME", "Band 5", "clinical").display == "[c]"
    assert_not_recoverable(t)


def _determined_anywhere(t: pd.DataFrame) -> list[dict]:
    """Suppressed counts that the engine's own ties (all indicators, joint = sum of members)
    would let a reader work out from the published counts."""
    base = t["statistic"].isin(["count", "denominator"]).to_numpy() & t["value"].notna().to_numpy()
    ties = d.tie_table(t, base)
    if ties.empty:
        return []
    rows = np.unique(ties["rid"].to_numpy(dtype=int))
    pos = {r: i for i, r in enumerate(rows)}
    n_ties = int(ties["tie"].max()) + 1
    a = np.zeros((n_ties, len(rows)))
    for tie, rid, is_total in ties.itertuples(index=False):
        a[int(tie), pos[int(rid)]] += -1.0 if is_total else 1.0
    supp = (t.loc[rows, "status"] == "suppressed").to_numpy()
    return [t.loc[rows[i]].to_dict() for i in d_ties.determined(a, supp)]


def test_example_joint_report_publishes_its_workforce_and_leaks_nothing():
    """Regression on the shipped example (2021): the six small CCGs and their joint group.

    The joint group's whole-workforce headcounts are published (they were once all withheld
    by a cascade of secondary suppression through 05Q's missing training data), and still no
    suppressed count of any unit can be worked out from the published counts.
    """
    from wres_utils.core.params import load_params

    root = Path(__file__).resolve().parents[3]
    params = load_params(root / "params" / "2021.yaml")
    counts = inputs_load.load_year(params, root).counts
    t = d.disclose(compute_indicators(counts, params.units()), min_count=7, attacker=False)
    joint = "Staffordshire and Stoke-on-Trent CCGs"
    for g in ("White", "BME", "Unknown", ""):
        assert row(t, joint, "1", "count", g, "All", "all").status == "ok", g
    assert row(t, joint, "1", "percent", "BME", "All", "all").status == "ok"
    assert _determined_anywhere(t) == []
