"""The bad-input corpus: every malformed input ends with exit status 2 and a precise message."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wres_utils.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "bad_inputs"

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
}


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


def test_the_corpus_is_complete():
    on_disk = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert on_disk == set(CASES)
    assert len(CASES) >= 18


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_exits_2_with_a_precise_message(case, tmp_path, capsys):
    work = tmp_path / case
    shutil.copytree(CORPUS / case, work)
    if case == "xlsx_missing_sheet":
        _make_xlsx(work / "data" / "workforce.xlsx")
    status = main(["validate", "--year", "2021", "--params-dir", str(work / "params")])
    out, err = capsys.readouterr()
    assert status == 2, out + err
    message = out + err
    assert "Traceback" not in message
    for fragment in CASES[case]:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
