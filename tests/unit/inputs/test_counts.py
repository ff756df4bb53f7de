"""Records -> counts, hand-written counts CSVs and reconciliation."""

from __future__ import annotations

import pandas as pd
import pytest

from wres_utils.core.errors import InputError
from wres_utils.inputs.counts import (
    COUNT_COLUMNS,
    GROUPS,
    complete_groups,
    empty_counts,
    measures_present,
    pool_counts,
    read_counts_csv,
    reconcile,
    records_to_counts,
)

HEAD = "org_code,year,measure,group,band,clinical,indicator,board_role,value\n"


def _value(c: pd.DataFrame, measure: str, group: str, **keys: str) -> int:
    sel = c[(c["measure"] == measure) & (c["group"] == group)]
    for k, v in keys.items():
        sel = sel[sel[k] == v]
    return int(sel["value"].sum())


def test_workforce_headcount_by_group_band_clinical():
    records = pd.DataFrame(
        {
            "ethnic_origin": ["A White", "N Black", "N Black", "", "White", "C3 Other"],
            "band": ["Band 5", "Band 5", "Band 5", "VSM", "Band 5", "Consultants"],
            "clinical": [True, True, False, False, True, True],
        }
    )
    c = records_to_counts("workforce", records, "05g", 2021)
    assert list(c.columns) == COUNT_COLUMNS
    assert c["value"].sum() == len(records)
    assert set(c["org_code"]) == {"05G"} and set(c["year"]) == {2021}
    assert _value(c, "headcount", "BME", band="Band 5", clinical="clinical") == 1
    assert _value(c, "headcount", "BME", band="Band 5", clinical="non-clinical") == 1
    assert _value(c, "headcount", "Unknown", band="Band 5", clinical="clinical") == 1
    # every band x clinical seen has the three groups, zeros included
    combos = c.groupby(["band", "clinical"])["group"].apply(lambda g: sorted(g))
    assert all(v == sorted(GROUPS) for v in combos)
    assert len(c) == 4 * 3
    assert c["band"].tolist()[:3] == ["Band 5"] * 3  # bands in indicator 1 order


def test_recruitment_disciplinary_training_board():
    rec = pd.DataFrame(
        {
            "group": ["White", "White", "BME", "BME", "Unknown"],
            "shortlisted": [True, True, True, False, False],
            "appointed": [True, False, False, False, False],
        }
    )
    c = records_to_counts("recruitment", rec, "05G", 2021)
    assert _value(c, "shortlisted", "White") == 2 and _value(c, "appointed", "White") == 1
    assert _value(c, "shortlisted", "BME") == 1 and _value(c, "appointed", "BME") == 0
    assert len(c) == 6  # 2 measures x 3 groups, zeros included

    d = records_to_counts(
        "disciplinary", pd.DataFrame({"group": pd.Series([], dtype=str)}), "05G", 2021
    )
    assert len(d) == 3 and d["value"].sum() == 0  # present, all zero
    assert measures_present(d, "05G", 2021) == {"disciplinary"}

    board = pd.DataFrame(
        {
            "group": ["White", "BME", "Unknown"],
            "voting": [True, True, False],
            "executive": [True, False, False],
        }
    )
    b = records_to_counts("board", board, "05G", 2021)
    assert _value(b, "board", "BME", board_role="voting") == 1
    assert _value(b, "board", "BME", board_role="executive") == 0
    assert _value(b, "board", "Unknown", board_role="all") == 1
    assert len(b) == 9


def test_staff_survey_counts():
    s = pd.DataFrame(
        {
            "group": ["White", "BME", "White"],
            "indicator": ["5", "5", "6"],
            "respondents": [100, 20, 90],
            "yes": [13, 5, 9],
        }
    )
    c = records_to_counts("staff_survey", s, "05G", 2021)
    assert _value(c, "survey_respondents", "BME", indicator="5") == 20
    assert _value(c, "survey_yes", "White", indicator="6") == 9
    assert _value(c, "survey_yes", "BME", indicator="6") == 0
    assert len(c) == 2 * 2 * 3


def test_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown extract kind"):
        records_to_counts("payroll", pd.DataFrame({"group": []}), "05G", 2021)


def test_read_counts_csv_normalises_and_completes(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text(
        "# hand-written\n"
        + HEAD.upper().replace("BOARD_ROLE", "Board Role")
        + "05g,2021,headcount,white,band 8 - range a,Non-clinical,,,4\n"
        + "05G,2021,board,BME,,,,voting,1\n"
        + "05G,2021,survey_yes,BME,,,5,,3\n"
        + "05G,2021,headcount,Unknown,Unrecognised,clinical,,,2\n"
    )
    c = read_counts_csv(p)
    assert _value(c, "headcount", "White", band="Band 8a", clinical="non-clinical") == 4
    assert _value(c, "headcount", "BME", band="Band 8a", clinical="non-clinical") == 0
    assert _value(c, "headcount", "Unknown", band="Unrecognised") == 2
    assert len(c) == 4 * 3 and set(c["org_code"]) == {"05G"}


@pytest.mark.parametrize(
    ("row", "line", "column"),
    [
        ("05G,2021,headcount,White,Band 5,clinical,,,-1", 2, "value"),
        ("05G,2021,headcount,White,Band 5,clinical,,,1.5", 2, "value"),
        ("05G,2021,headcount,White,Band 5,clinical,,,", 2, "value"),
        ("05G,2021,headcounts,White,,,,,1", 2, "measure"),
        ("05G,2021,training,Asian,,,,,1", 2, "group"),
        ("05G,2021,headcount,White,Band 55,clinical,,,1", 2, "band"),
        ("05G,2021,headcount,White,Band 5,,,,1", 2, "clinical"),
        ("05G,2021,training,White,Band 5,,,,1", 2, "band"),
        ("05G,2021,survey_yes,White,,,9,,1", 2, "indicator"),
        ("05G,2021,survey_yes,White,,,,,1", 2, "indicator"),
        ("05G,2021,board,White,,,,chair,1", 2, "board_role"),
        ("05G,2021,board,White,,,5,all,1", 2, "indicator"),
        ("05G,21,board,White,,,,all,1", 2, "year"),
        ("05G-X,2021,board,White,,,,all,1", 2, "org_code"),
    ],
)
def test_read_counts_csv_errors_name_line_and_column(tmp_path, row, line, column):
    p = tmp_path / "c.csv"
    p.write_text(HEAD + row + "\n")
    with pytest.raises(InputError) as e:
        read_counts_csv(p)
    assert [(i.line, i.column) for i in e.value.issues] == [(line, column)]
    assert e.value.issues[0].file == p


def test_read_counts_csv_columns_and_duplicates(tmp_path):
    p = tmp_path / "c.csv"
    p.write_text("org_code,year,measure,group,value,extra\n05G,2021,training,White,1,x\n")
    with pytest.raises(InputError) as e:
        read_counts_csv(p)
    cols = {i.column for i in e.value.issues}
    assert cols == {"band", "clinical", "indicator", "board_role", "extra"}
    assert all(i.line == 1 for i in e.value.issues)
    p.write_text(
        HEAD + "05G,2021,training,White,,,,,1\n05G,2021,training,BME,,,,,1\n"
        "05G,2021,training,white,,,,,2\n"
    )
    with pytest.raises(InputError) as e:
        read_counts_csv(p)
    assert [i.line for i in e.value.issues] == [4]
    assert "line 2" in e.value.issues[0].expected


def test_reconcile_finds_a_mismatch():
    records = pd.DataFrame(
        {"group": ["White", "BME", "BME"], "band": ["Band 5"] * 3, "clinical": [True] * 3}
    )
    c = records_to_counts("workforce", records, "05G", 2021)
    quality = pd.DataFrame(
        [{"org_code": "05G", "kind": "workforce", "file": "w.csv", "totals": "headcount=3"}]
    )
    assert reconcile(c, quality) == []
    bad = c.copy()
    bad.loc[0, "value"] += 1
    problems = reconcile(bad, quality)
    assert len(problems) == 1 and "headcount adds up to 4" in problems[0]


def test_complete_groups_and_pooling_keep_totals():
    c = pd.DataFrame(
        [
            ["A1", 2021, "training", "White", "", "", "", "", 3],
            ["B2", 2021, "training", "BME", "", "", "", "", 2],
        ],
        columns=COUNT_COLUMNS,
    )
    full = complete_groups(c)
    assert len(full) == 6 and full["value"].sum() == 5
    pooled = pool_counts(full, ["A1", "B2"], "Joint")
    assert len(pooled) == 3 and pooled["value"].sum() == 5
    assert complete_groups(empty_counts()).empty
