"""CSV outputs never carry a formula a spreadsheet would run (OWASP CSV injection)."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from wres_utils.core.params import YearParams
from wres_utils.report import safe_csv, workbook

ATTACKS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_looking_text_is_escaped(text):
    assert safe_csv.escape_cell(text) == "'" + text
    assert safe_csv.unescape_cell(safe_csv.escape_cell(text)) == text


@pytest.mark.parametrize("value", [-3.4, -3, 0, 12.5, np.float64(-1.5), np.int64(-2), True, None])
def test_numbers_and_missing_values_stay_as_they_are(value):
    assert safe_csv.escape_cell(value) is value


@pytest.mark.parametrize("text", ["05G", "12.3%", "[c]", "1.52", "", "'quoted", "a=b", "0.0 pp"])
def test_ordinary_text_is_unchanged(text):
    assert safe_csv.escape_cell(text) == text
    assert safe_csv.unescape_cell(text) == text


def test_display_strings_that_start_like_a_formula_are_escaped():
    """The rule chosen: text is escaped whatever follows (OWASP); numbers are never."""
    assert safe_csv.escape_cell("-3.4 pp") == "'-3.4 pp"
    assert safe_csv.escape_cell("+3.4 pp") == "'+3.4 pp"
    assert safe_csv.escape_cell("-3.4") == "'-3.4"


def test_same_rule_as_the_workbook():
    assert safe_csv.FORMULA_STARTS == workbook.FORMULA_STARTS
    for text in [*ATTACKS, "-3.4 pp", "05G"]:
        assert safe_csv.escape_cell(text) == workbook.escape(text)


def _raw_rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_params_names_are_escaped_in_a_written_csv(tmp_path):
    params = YearParams.model_validate(
        {
            "year": 2021,
            "organisations": [
                {"code": "05G", "name": '=HYPERLINK("http://evil.example","Click")'},
                {"code": "05W", "name": "@SUM(A1:A9)"},
            ],
            "joint_groups": [{"name": "+cmd|' /C calc'!A0", "members": ["05G", "05W"]}],
        }
    )
    rows = pd.DataFrame(
        {
            "unit": [u.name for u in params.units()],
            "indicator": ["1", "2", "3"],
            "value": [-3.4, 1.52, np.nan],
            "display": ["-3.4 pp", "1.52", "[c]"],
        }
    )
    path = safe_csv.write_csv(rows, tmp_path / "indicators.csv")
    raw = _raw_rows(path)
    assert raw[0] == ["unit", "indicator", "value", "display"]
    assert [r[0] for r in raw[1:]] == [
        '\'=HYPERLINK("http://evil.example","Click")',
        "'@SUM(A1:A9)",
        "'+cmd|' /C calc'!A0",
    ]
    assert [r[2] for r in raw[1:]] == ["-3.4", "1.52", ""]  # numbers stay numbers
    assert [r[3] for r in raw[1:]] == ["'-3.4 pp", "1.52", "[c]"]
    # No cell of the file starts like a formula.
    for r in raw:
        for cell in r:
            assert not cell.startswith(safe_csv.FORMULA_STARTS) or _is_number(cell), cell
    back = safe_csv.read_csv(path)
    assert back["unit"].tolist() == rows["unit"].tolist()
    assert back["display"].tolist() == rows["display"].tolist()


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_headers_index_and_mixed_columns(tmp_path):
    df = pd.DataFrame({"=x": ["-a", "b"], "mixed": [-2, "+1"]}, index=pd.Index(["=i", "j"]))
    path = safe_csv.write_csv(df, tmp_path / "t.csv", index=True)
    raw = _raw_rows(path)
    assert raw[0] == ["", "'=x", "mixed"]
    assert raw[1] == ["'=i", "'-a", "-2"]
    assert raw[2] == ["j", "b", "'+1"]
    assert df.columns.tolist() == ["=x", "mixed"]  # the caller's frame is not changed
    assert df["=x"].tolist() == ["-a", "b"]


def test_escape_frame_keeps_dtypes():
    df = pd.DataFrame({"s": pd.array(["=1", None], dtype="str"), "n": [1.5, -2.0]})
    out = safe_csv.escape_frame(df)
    assert out["s"].dtype == df["s"].dtype and out["n"].dtype == df["n"].dtype
    assert out["s"].iloc[0] == "'=1" and pd.isna(out["s"].iloc[1])
    assert out["n"].tolist() == [1.5, -2.0]
