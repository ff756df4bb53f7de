"""The bad-input corpus: every malformed input ends with exit status 2 and a precise message."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from wres_utils.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "bad_inputs"

# case -> fragments the message must contain (file, and line/column where they apply).
CASES: dict[str, list[str]] = {
    "missing_column": ["workforce.csv", "line 1", "column 'pay_band'", "pay_band"],
    "utf16_encoding": ["workforce.csv", "UTF-16", "UTF-8"],
    "invalid_bytes": ["workforce.csv", "line 4", "UTF-8 or Windows-1252"],
    "empty_file": ["recruitment.csv", "empty"],
    "header_only_workforce": ["workforce.csv", "line 3", "only a header"],
    "duplicate_staff_id": ["workforce.csv", "line 4", "column 'staff_id'", "also on line 2"],
    "appointed_not_shortlisted": ["recruitment.csv", "line 3", "column 'appointed'", "shortlisted"],
    "negative_count": ["counts.csv", "line 3", "column 'value'", "'-3'", "whole number"],
    "non_integer_count": ["counts.csv", "line 2", "column 'value'", "'12.5'", "whole number"],
    "duplicate_count_key": ["counts.csv", "line 4", "same key as line 2"],
    "unknown_band": ["workforce.csv", "line 4", "column 'pay_band'", "'Grade 5'"],
    "xlsx_missing_sheet": ["workforce.xlsx", "Staff in post", "Sheet1", "ESR"],
    "bad_yaml": ["2021.yaml", "line 5", "YAML"],
    "unknown_params_key": ["2021.yaml", "supression", "unknown key"],
    "joint_unknown_org": ["2021.yaml", "joint_groups.0.members", "99Q"],
    "missing_data_file": [
        "2021.yaml",
        "organisations.0.files.workforce",
        "nowhere.csv",
        "file not found",
    ],
    "bad_boolean": ["workforce.csv", "line 4", "column 'clinical'", "'sometimes'"],
    "survey_percent_over_100": ["staff_survey.csv", "line 3", "column 'percent'", "'130'"],
    "survey_year_mismatch": [
        "staff_survey.csv",
        "line 2",
        "line 3",
        "column 'survey_year'",
        "2020",
    ],
    "survey_yes_over_respondents": ["staff_survey.csv", "line 3", "column 'yes'", "'31'"],
    "org_code_mismatch": ["workforce.csv", "line 4", "column 'org_code'", "'05W'", "05G"],
    "ragged_row": ["board.csv", "line 3", "5 fields", "4 fields"],
    # Inconsistent counts.
    "counts_appointed_over_shortlisted": [
        "counts.csv",
        "line 5",
        "column 'value'",
        "'14'",
        "at most shortlisted for BME (12, line 3)",
    ],
    "counts_survey_yes_over_respondents": [
        "counts.csv",
        "line 5",
        "column 'value'",
        "'31'",
        "at most survey_respondents for BME 5 (30, line 3)",
    ],
    "counts_training_over_headcount": [
        "counts.csv",
        "line 6",
        "column 'value'",
        "'9'",
        "at most headcount for BME (7, line 3)",
    ],
    "training_over_headcount": [
        "training.csv",
        "line 3",
        "column 'ethnic_origin'",
        "3 BME staff trained",
        "BME headcount of 05G (1 in workforce.csv)",
    ],
    # Params pointing at another year's data: by path, and by content.
    "params_other_year_path": [
        "2021.yaml",
        "line 7",
        "organisations.0.files.workforce",
        "data/2020/workforce.csv",
        "folder of year 2020",
    ],
    "params_other_year_content": [
        "counts.csv, line 2, column 'year'",
        "every row has year 2020: does ",
        "2021.yaml, line 6, key organisations.0.counts, point at another year's file?",
    ],
    "params_other_year_survey": [
        "staff_survey.csv, line 2, column 'survey_year'",
        "every row has survey_year 2019 (the staff survey of WRES 2020)",
        "2021.yaml, line 7, key organisations.0.files.staff_survey",
    ],
    "duplicate_organisation": [
        "2021.yaml",
        "line 8",
        "organisations.1.code",
        "'05G' appears more than once (also organisations.0.code)",
    ],
    "duplicate_counts_row": [
        "counts.csv",
        "line 5",
        "column 'measure'",
        "'headcount, BME, Band 5, clinical'",
        "same key as line 3",
    ],
    "xlsx_merged_header": [
        "workforce.xlsx",
        "line 1",
        "column 'A'",
        "cells A1:B1 of sheet 'Staff in post'",
        "merged header cells: unmerge them and give each column its own name",
    ],
    "very_long_ethnic_origin": [
        "workforce.csv",
        "line 3",
        "column 'ethnic_origin'",
        "at most 1,000 characters in a cell (found 100,000)",
    ],
    "very_long_org_code": [
        "counts.csv",
        "line 2",
        "column 'org_code'",
        "(found 100,000)",
    ],
    # Formula-looking cells: unrecognised ethnicity (not an error) or errors naming the cell.
    "formula_org_code": [
        "workforce.csv",
        "line 4",
        "column 'org_code'",
        "=cmd|' /C calc'!A0",
    ],
    "formula_counts_cells": [
        "counts.csv",
        "line 3, column 'group': found '+1+1'",
        "line 4, column 'value': found '-2+3'",
        "line 5, column 'org_code': found '@SUM(1)'",
    ],
}
#: Longest value echo allowed in a message (60 characters and the quotes).
LONGEST_ECHO = 62


def _make_xlsx(path: Path) -> None:
    """A tiny workbook whose sheets are Sheet1 and ESR, not the sheet params name."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(["note"])
    esr = wb.create_sheet("ESR")
    esr.append(["org_code", "staff_id", "ethnic_origin", "pay_band", "clinical"])
    esr.append(["05G", "1", "A", "Band 5", "Clinical"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _make_merged_xlsx(path: Path) -> None:
    """A workbook whose header cells A1:B1 are merged (so column B has no name)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff in post"
    ws.append(["org_code", "", "ethnic_origin", "pay_band", "clinical"])
    ws.append(["05G", "1", "A", "Band 5", "Clinical"])
    ws.merge_cells("A1:B1")
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


LONG = "A" + "x" * 99_999


def _make_long_ethnic_origin(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "org_code,staff_id,ethnic_origin,pay_band,clinical\n"
        "05G,1,A White - British,Band 5,Clinical\n"
        f"05G,2,{LONG},Band 6,Clinical\n",
        encoding="utf-8",
    )


def _make_long_org_code(path: Path) -> None:
    org = ("05G" * 33_334)[:100_000]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "org_code,year,measure,group,band,clinical,indicator,board_role,value\n"
        f"{org},2021,board,White,,,,all,3\n",
        encoding="utf-8",
    )


#: Inputs made by the test (no binary workbook or 100 KB file committed).
MAKERS = {
    "xlsx_missing_sheet": ("data/workforce.xlsx", _make_xlsx),
    "xlsx_merged_header": ("data/workforce.xlsx", _make_merged_xlsx),
    "very_long_ethnic_origin": ("data/workforce.csv", _make_long_ethnic_origin),
    "very_long_org_code": ("data/counts.csv", _make_long_org_code),
}


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*")}


def test_the_corpus_is_complete():
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert on_disk == set(CASES)
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_exits_2_with_a_precise_message(case, tmp_path, capsys, monkeypatch):
    work = tmp_path / case
    shutil.copytree(CORPUS / case, work)
    if case in MAKERS:
        rel, make = MAKERS[case]
        make(work / rel)
    monkeypatch.chdir(tmp_path)  # anything written relative to the working folder lands here
    before = _files(tmp_path)
    status = main(["validate", "--year", "2021", "--params-dir", str(work / "params")])
    out, err = capsys.readouterr()
    assert status == 2, out + err
    message = out + err
    assert "Traceback" not in message
    for fragment in CASES[case]:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert _files(tmp_path) == before, "validating bad input wrote a file"
    for line in message.splitlines():
        for quoted in re.findall(r"found ('[^']*'|\"[^\"]*\")", line):
            assert len(quoted) <= LONGEST_ECHO, line[:200]
    assert len(message) < 5_000


def test_long_values_are_cut_in_messages(tmp_path, capsys):
    work = tmp_path / "case"
    shutil.copytree(CORPUS / "very_long_ethnic_origin", work)
    _make_long_ethnic_origin(work / "data" / "workforce.csv")
    assert main(["validate", "--year", "2021", "--params-dir", str(work / "params")]) == 2
    message = "".join(capsys.readouterr())
    assert "'A" + "x" * 58 + "…'" in message


def test_formula_looking_ethnicity_is_unrecognised_not_an_error(tmp_path, capsys):
    """In a text column that tolerates unknown values, a formula is just an unknown value."""
    work = tmp_path / "case"
    shutil.copytree(CORPUS / "formula_org_code", work)
    csv = work / "data" / "workforce.csv"
    csv.write_text(
        csv.read_text(encoding="utf-8").replace("\"=cmd|' /C calc'!A0\"", "05G"), encoding="utf-8"
    )
    assert main(["validate", "--year", "2021", "--params-dir", str(work / "params")]) == 0
    out = capsys.readouterr().out
    assert "'+1+1' x1" in out and "'@SUM(1)' x1" in out and "'-2+3' x1" in out
