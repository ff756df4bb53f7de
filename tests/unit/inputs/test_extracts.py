"""Reading inputs (encodings, XLSX, line numbers, column names) and validating extracts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from wres_utils.core.errors import InputError
from wres_utils.core.params import load_params
from wres_utils.inputs.counts import reconcile, records_to_counts
from wres_utils.inputs.load import QUALITY_COLUMNS, format_summary, load_year
from wres_utils.inputs.read import normalise_column, read_table
from wres_utils.inputs.validate import survey_yes_from_percent, validate_extract

WF_HEAD = "Org Code,Staff ID,Ethnic Origin,Pay Band,Clinical\n"


def test_normalise_column():
    assert normalise_column(" Org Code ") == "org_code"
    assert normalise_column("Ethnic  -  Origin") == "ethnic_origin"
    assert normalise_column("PAY-BAND") == "pay_band"


def test_utf8_bom_and_cp1252_read_the_same(tmp_path):
    text = WF_HEAD + "05G,1,A White – British café,Band 5,Clinical\n"
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    cp = tmp_path / "cp.csv"
    cp.write_bytes(text.encode("cp1252"))
    a, ha = read_table(bom)
    b, hb = read_table(cp)
    assert ha == hb == 1
    assert list(a.columns) == ["org_code", "staff_id", "ethnic_origin", "pay_band", "clinical"]
    pd.testing.assert_frame_equal(a, b)
    assert a.at[2, "ethnic_origin"] == "A White – British café"


def test_comment_lines_and_blank_lines_keep_real_line_numbers(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text(
        "# SYNTHETIC DATA\n# second note\n" + WF_HEAD + "05G,1,A,Band 5,Clinical\n\n"
        ",,,,\n05G,2,N,Band 6,Clinical\n"
    )
    df, header = read_table(p)
    assert header == 3
    assert list(df.index) == [4, 7]
    assert df.at[7, "staff_id"] == "2"
    assert all(isinstance(v, str) for v in df.to_numpy().ravel())  # everything is text


def test_values_are_text_not_numbers(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("org_code,staff_id\n05G,007\n05G,NA\n")
    df, _ = read_table(p)
    assert df["staff_id"].tolist() == ["007", "NA"]


def test_params_column_mapping_applies_first(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("Organisation,Ethnicity,Grade\n05G,A,Band 5\n")
    df, _ = read_table(
        p, columns={"Organisation": "org_code", "ethnicity": "ethnic_origin", "Grade": "Pay Band"}
    )
    assert list(df.columns) == ["org_code", "ethnic_origin", "pay_band"]


def test_repeated_column_is_an_issue(tmp_path):
    p = tmp_path / "w.csv"
    p.write_text("Org Code,org_code\n05G,05G\n")
    with pytest.raises(InputError) as e:
        read_table(p)
    assert e.value.issues[0].line == 1 and e.value.issues[0].column == "org_code"


def test_utf16_and_empty_are_issues(tmp_path):
    p = tmp_path / "u.csv"
    p.write_bytes(WF_HEAD.encode("utf-16"))
    with pytest.raises(InputError, match="UTF-16"):
        read_table(p)
    e = tmp_path / "e.csv"
    e.write_text("# only a comment\n\n")
    with pytest.raises(InputError, match="empty"):
        read_table(e)


def test_xlsx_first_sheet_named_sheet_and_missing_sheet(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Notes"
    ws.append(["# SYNTHETIC DATA"])
    ws.append(["Org Code", "Staff ID", "Clinical"])
    ws.append(["05G", 12, True])
    other = wb.create_sheet("ESR")
    other.append(["Org Code", "Staff ID"])
    other.append(["05W", 3.0])
    p = tmp_path / "w.xlsx"
    wb.save(p)
    df, header = read_table(p)
    assert header == 2 and list(df.index) == [3]
    assert df.loc[3].tolist() == ["05G", "12", "TRUE"]
    df2, header2 = read_table(p, sheet="ESR")
    assert header2 == 1 and df2.at[2, "staff_id"] == "3"
    with pytest.raises(InputError) as e:
        read_table(p, sheet="Staff")
    assert "['Notes', 'ESR']" in str(e.value)


def _raw(text: str, tmp_path: Path) -> tuple[pd.DataFrame, int, Path]:
    p = tmp_path / "x.csv"
    p.write_text(text)
    df, header = read_table(p)
    return df, header, p


def test_validate_workforce_collects_all_issues(tmp_path):
    df, header, p = _raw(
        WF_HEAD
        + "05G,1,A,Band 5,Clinical\n"
        + "05G,1,A,Band 5,Clinical\n"  # duplicate staff id
        + "05W,2,A,Band 5,Clinical\n"  # other org
        + "05G,3,A,Band 5,maybe\n"  # bad boolean
        + "05G,,A,Band 5,no\n",  # blank staff id
        tmp_path,
    )
    _, _, issues = validate_extract("workforce", df, p, header, "05G", 2021)
    found = {(i.line, i.column) for i in issues}
    assert found == {(3, "staff_id"), (4, "org_code"), (5, "clinical"), (6, "staff_id")}
    dup = next(i for i in issues if i.line == 3)
    assert "also on line 2" in dup.expected and dup.value == "1"


def test_unrecognised_band_below_limit_is_kept_and_reported(tmp_path):
    rows = "".join(f"05G,{i},A,Band 5,Clinical\n" for i in range(40))
    df, header, p = _raw(WF_HEAD + rows + "05G,x,White,Band 55,Clinical\n", tmp_path)
    records, quality, issues = validate_extract("workforce", df, p, header, "05G", 2021)
    assert issues == []
    assert quality["unrecognised_band"] == 1
    assert quality["unrecognised_band_values"] == "'Band 55' x1"
    assert quality["unrecognised_ethnicity"] == 1 and quality["unknown_ethnicity"] == 1
    assert quality["unrecognised_values"] == "'White' x1"
    assert (records["band"] == "Unrecognised").sum() == 1


def test_training_duplicates_are_dropped_not_errors(tmp_path):
    df, header, p = _raw(
        "org_code,ethnic_origin,staff_id\n05G,A,1\n05G,A,1\n05G,N,2\n05G,N,\n05G,N,\n", tmp_path
    )
    records, quality, issues = validate_extract("training", df, p, header, "05G", 2021)
    assert issues == []
    assert quality["rows_read"] == 5 and quality["rows_kept"] == 4 and quality["duplicates"] == 1
    assert len(records) == 4


def test_header_only_is_zero_events_except_for_workforce(tmp_path):
    df, header, p = _raw("org_code,ethnic_origin\n", tmp_path)
    records, quality, issues = validate_extract("disciplinary", df, p, header, "05G", 2021)
    assert issues == [] and quality["rows_kept"] == 0 and quality["totals"] == "disciplinary=0"
    df, header, p = _raw(WF_HEAD, tmp_path)
    _, _, issues = validate_extract("workforce", df, p, header, "05G", 2021)
    assert len(issues) == 1 and issues[0].line == 2


def test_survey_checks(tmp_path):
    df, header, p = _raw(
        "org_code,survey_year,indicator,group,respondents,yes,percent\n"
        "05G,2020,5,White,100,,12.5\n"
        "05G,2020,9,BME,10,1,\n"  # bad indicator
        "05G,2019,6,BME,10,2,\n"  # wrong survey year
        "05G,2020,7,Asian,10,2,\n"  # bad group
        "05G,2020,8,BME,-1,,\n"  # negative respondents, and no yes/percent
        "05G,2020,5,white,10,1.5,\n"  # non-integer yes; duplicate of line 2
        "05G,2020,6,White,10,,abc\n",  # percent not a number
        tmp_path,
    )
    _, _, issues = validate_extract("staff_survey", df, p, header, "05G", 2021)
    found = {(i.line, i.column) for i in issues}
    assert found == {
        (3, "indicator"),
        (4, "survey_year"),
        (5, "group"),
        (6, "respondents"),
        (6, "yes"),
        (7, "yes"),
        (7, "indicator"),
        (8, "percent"),
    }


@pytest.mark.parametrize(
    ("percent", "n", "yes"),
    [
        ("12.5", 100, 13),
        ("12.5", 4, 1),
        ("33.3", 3, 1),
        ("50", 3, 2),
        ("0", 50, 0),
        ("100", 7, 7),
        ("2.5", 100, 3),
        ("49.9%", 2, 1),
    ],
)
def test_survey_yes_rounds_half_up(percent, n, yes):
    assert survey_yes_from_percent(percent, n) == yes


YEAR = """
year: 2021
organisations:
  - code: 05G
    name: North
    files:
      workforce: data/05G/workforce.csv
      recruitment:
        path: data/05G/recruitment.csv
        columns: {Ethnicity: ethnic_origin}
      training: data/05G/training.csv
      staff_survey: data/05G/survey.csv
      board: data/05G/board.csv
  - code: 05W
    name: Stoke
    counts: data/05W/counts.csv
"""


def _year(tmp_path: Path) -> Path:
    d = tmp_path / "data" / "05G"
    d.mkdir(parents=True)
    (d / "workforce.csv").write_text(
        "# SYNTHETIC\n" + WF_HEAD + "05G,1,A,Band 5,Clinical\n05G,2,N,Band 5,Clinical\n"
        "05G,3,,Consultant,Clinical\n05G,4,??,VSM,Non-clinical\n"
    )
    (d / "recruitment.csv").write_text(
        "org_code,Ethnicity,shortlisted,appointed\n05G,A,yes,yes\n05G,A,yes,no\n05G,N,yes,no\n"
        "05G,N,no,no\n"
    )
    (d / "training.csv").write_text("org_code,ethnic_origin,staff_id\n05G,A,1\n05G,A,1\n")
    (d / "survey.csv").write_text(
        "org_code,survey_year,indicator,group,respondents,percent\n05G,2020,7,White,40,50\n"
        "05G,2020,7,BME,9,33.3\n"
    )
    (d / "board.csv").write_text(
        "org_code,ethnic_origin,voting,executive\n05G,A,y,y\n05G,N,y,n\n05G,Z,n,n\n"
    )
    w = tmp_path / "data" / "05W"
    w.mkdir(parents=True)
    (w / "counts.csv").write_text(
        "Org Code,Year,Measure,Group,Band,Clinical,Indicator,Board Role,Value\n"
        "05w,2021,headcount,white,band 5,Clinical,,,10\n"
        "05W,2021,disciplinary,BME,,,,,2\n"
    )
    (tmp_path / "params").mkdir()
    p = tmp_path / "params" / "2021.yaml"
    p.write_text(YEAR)
    return p


def test_load_year_counts_quality_files_and_reconcile(tmp_path):
    params = load_params(_year(tmp_path))
    loaded = load_year(params, tmp_path)
    c = loaded.counts
    assert list(loaded.quality.columns) == QUALITY_COLUMNS
    assert set(loaded.files) == {
        "data/05G/workforce.csv",
        "data/05G/recruitment.csv",
        "data/05G/training.csv",
        "data/05G/survey.csv",
        "data/05G/board.csv",
        "data/05W/counts.csv",
    }
    assert all(len(h) == 64 for h in loaded.files.values())

    def v(org, measure, group, **keys):
        sel = c[(c.org_code == org) & (c.measure == measure) & (c.group == group)]
        for k, val in keys.items():
            sel = sel[sel[k] == val]
        return int(sel["value"].sum())

    assert v("05G", "headcount", "White") == 1 and v("05G", "headcount", "Unknown") == 2
    assert v("05G", "headcount", "BME", band="Band 5", clinical="clinical") == 1
    assert v("05G", "shortlisted", "White") == 2 and v("05G", "appointed", "White") == 1
    assert v("05G", "shortlisted", "BME") == 1 and v("05G", "appointed", "BME") == 0
    assert v("05G", "training", "White") == 1  # duplicate staff id counted once
    assert v("05G", "survey_yes", "White", indicator="7") == 20
    assert v("05G", "survey_yes", "BME", indicator="7") == 3  # 33.3% of 9 = 2.997 -> 3
    assert v("05G", "board", "BME", board_role="voting") == 1
    assert v("05G", "board", "Unknown", board_role="all") == 1
    assert v("05W", "headcount", "White", band="Band 5", clinical="clinical") == 10
    assert v("05W", "disciplinary", "White") == 0  # completed with zero rows
    assert "disciplinary" not in set(c[c.org_code == "05G"].measure)  # not collected
    assert set(c.groupby(["org_code", "measure"])["group"].nunique()) == {3}
    assert reconcile(c, loaded.quality) == []
    summary = format_summary(loaded)
    assert "'??' x1" in summary and "Counts table:" in summary and "05W" in summary


def test_load_year_collects_issues_from_every_file(tmp_path):
    p = _year(tmp_path)
    (tmp_path / "data/05G/board.csv").write_text(
        "org_code,ethnic_origin,voting,executive\n05G,A,perhaps,n\n"
    )
    (tmp_path / "data/05W/counts.csv").write_text(
        "org_code,year,measure,group,band,clinical,indicator,board_role,value\n"
        "05W,2020,training,White,,,,,1\n"
    )
    with pytest.raises(InputError) as e:
        load_year(load_params(p), tmp_path)
    where = {(i.file.name, i.line, i.column) for i in e.value.issues}
    assert where == {("board.csv", 2, "voting"), ("counts.csv", 2, "year")}


def test_counts_file_may_not_repeat_a_measure_of_an_extract(tmp_path):
    p = _year(tmp_path)
    text = p.read_text().replace("    counts: data/05W/counts.csv", "    counts: data/05W/c.csv")
    text = text.replace(
        "      board: data/05G/board.csv",
        "      board: data/05G/board.csv\n    counts: data/05G/c.csv",
    )
    p.write_text(text)
    (tmp_path / "data/05W/c.csv").write_text((tmp_path / "data/05W/counts.csv").read_text())
    (tmp_path / "data/05G/c.csv").write_text(
        "org_code,year,measure,group,band,clinical,indicator,board_role,value\n"
        "05G,2021,training,White,,,,,1\n05G,2021,disciplinary,White,,,,,1\n"
    )
    with pytest.raises(InputError) as e:
        load_year(load_params(p), tmp_path)
    assert [(i.column, i.value) for i in e.value.issues] == [("measure", "training")]


def test_broad_counts_only_when_the_view_is_on(tmp_path):
    """The broad-groups counts cost as much as the WRES counts: made only when params ask."""
    params = load_params(_year(tmp_path))
    assert not params.broad_groups
    assert load_year(params, tmp_path).broad_counts.empty
    on = params.model_copy(update={"broad_groups": True})
    broad = load_year(on, tmp_path).broad_counts
    assert not broad.empty and set(broad["group"]) <= {
        "White",
        "Asian",
        "Black",
        "Mixed",
        "Other",
        "Unknown",
    }


def test_appointed_means_an_accepted_offer(tmp_path):
    # 4 shortlisted White applicants, 3 offered, 1 declined: 2 appointed (accepted offers);
    # 2 shortlisted BME applicants, 1 offered and accepted.
    df, header, p = _raw(
        "org_code,ethnic_origin,shortlisted,appointed,offer_accepted\n"
        "05G,A,yes,yes,yes\n"
        "05G,A,yes,yes,yes\n"
        "05G,A,yes,yes,no\n"  # offered, declined: shortlisted, not appointed
        "05G,A,yes,no,\n"
        "05G,N,yes,yes,yes\n"
        "05G,N,yes,no,\n",
        tmp_path,
    )
    records, _, issues = validate_extract("recruitment", df, p, header, "05G", 2021)
    assert issues == []
    counts = records_to_counts("recruitment", records, "05G", 2021).set_index(["measure", "group"])
    assert counts.loc[("shortlisted", "White"), "value"] == 4
    assert counts.loc[("appointed", "White"), "value"] == 2
    assert counts.loc[("appointed", "BME"), "value"] == 1
    # White 2/4 = 0.5 over BME 1/2 = 0.5: indicator 2 = 1.00 (with the decline it would be 1.50)


def test_offer_accepted_without_an_offer_is_an_issue(tmp_path):
    df, header, p = _raw(
        "org_code,ethnic_origin,shortlisted,appointed,offer_accepted\n"
        "05G,A,yes,no,yes\n05G,A,yes,yes,perhaps\n",
        tmp_path,
    )
    _, _, issues = validate_extract("recruitment", df, p, header, "05G", 2021)
    assert {(i.line, i.column) for i in issues} == {(2, "offer_accepted"), (3, "offer_accepted")}


def test_executive_directors_on_other_pay_scales_count_as_vsm(tmp_path):
    text = (
        WF_HEAD.rstrip("\n") + ",executive_director\n"
        "05G,1,A,Consultant,Clinical,yes\n"  # a medical director on the consultant scale
        "05G,2,N,Executive director pay,Non-clinical,yes\n"  # a pay scale the loader can't map
        "05G,3,A,Consultant,Clinical,no\n"
        + "".join(f"05G,{i},A,Band 5,Clinical,\n" for i in range(10, 50))
    )
    df, header, p = _raw(text, tmp_path)
    off, _, issues = validate_extract("workforce", df, p, header, "05G", 2021)
    assert issues == [] and (off["band"] == "VSM").sum() == 0
    assert (off["band"] == "Consultants").sum() == 2 and (off["band"] == "Unrecognised").sum() == 1
    on, quality, issues = validate_extract("workforce", df, p, header, "05G", 2021, True)
    assert issues == [] and quality["unrecognised_band"] == 0
    assert (on["band"] == "VSM").sum() == 2 and (on["band"] == "Consultants").sum() == 1
    # the option needs the column
    df2, header2, p2 = _raw(WF_HEAD + "05G,1,A,Band 5,Clinical\n", tmp_path)
    _, _, issues = validate_extract("workforce", df2, p2, header2, "05G", 2021, True)
    assert [i.column for i in issues] == ["executive_director"]
