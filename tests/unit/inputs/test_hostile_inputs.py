"""The hostile corpus (tests/hostile/): inputs an adversary (or a tired analyst) would try.

Same format and checks as tests/bad_inputs (see its README): each case is ``params/2021.yaml``
plus the files it names; ``wres validate`` must exit 2 with no traceback, a message naming the
file and the line (or key), and write nothing. Binary or large inputs are made by the test.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
import zipfile
from pathlib import Path

import pytest

from wres_utils.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "hostile"

CASES: dict[str, list[str]] = {
    # 4. bad input accepted silently
    "params_duplicate_key": ["2021.yaml", "line 10, column 1", "'suppression' is given twice"],
    "disciplinary_bad_dates": [
        "disciplinary.csv",
        "line 2, column 'date_entered': found '31/02/2021'",
        "line 3, column 'date_entered': found '1999-01-01'",
        "line 4, column 'date_entered': found 'not a date'",
        "from 01/04/2020 to 31/03/2021",
    ],
    "nul_after_64k": ["workforce.csv", "line 2001", "NUL"],
    "non_ascii_digits": ["counts.csv", "line 2", "line 3", "column 'value'", "'٣'"],
    # 6. tracebacks instead of exit 2
    "params_no_organisations": ["2021.yaml", "organisations", "at least 1"],
    "params_organisation_without_files": ["2021.yaml", "organisations.0", "no data"],
    "params_lone_surrogate_header": ["2021.yaml", "header.board_lead", "unpaired surrogate"],
    "xlsx_broken_sheet": ["workforce.xlsx", "sheet 'Staff in post'", "a readable XLSX"],
    "xlsx_broken_workbook_xml": ["workforce.xlsx", "a readable XLSX workbook"],
    "xlsx_encrypted_member": ["workforce.xlsx", "encrypted"],
    # 7. late or unclear messages; validate catches what run would fail on
    "params_vertical_tab": ["2021.yaml", "line 5, column 16", "U+000B", "Shift+Enter"],
    "actionplan_vertical_tab": ["05G.yaml", "line 4, column 25", "U+000B"],
    "actionplan_duplicate_key": ["05G.yaml", "line 5", "'1' is given twice"],
    "params_empty_slug": ["2021.yaml", "joint_groups.0.name", "letters or digits"],
    "params_blank_name": ["2021.yaml", "organisations.0.name", "needs a name"],
    "unterminated_quote": ["board.csv", "line 3", "never closed"],
    "xlsx_formula_no_cached_value": [
        "workforce.xlsx",
        "line 2",
        "column 'staff_id'",
        "'=A2&\"-1\"'",
        "never calculated",
    ],
}

WF_HEADER = "org_code,staff_id,ethnic_origin,pay_band,clinical\n"


def _make_nul_after_64k(path: Path) -> None:
    rows = [f"05G,{i},A White - British,Band 5,Clinical\n" for i in range(1, 3000)]
    text = WF_HEADER + "".join(rows)
    data = bytearray(text.encode("utf-8"))
    assert len(data) > 65_536 + 1000
    line_start = len((WF_HEADER + "".join(rows[:1999])).encode())  # line 2001 of the file
    data[line_start + 4] = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(data))


def _good_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff in post"
    ws.append(WF_HEADER.strip().split(","))
    ws.append(["05G", "1", "A White - British", "Band 5", "Clinical"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rewrite(raw: bytes, member: str, new: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, new if info.filename == member else src.read(info.filename))
    return buf.getvalue()


def _make_broken_sheet(path: Path) -> None:
    bad = b"<worksheet><sheetData><row r='1'><c r='A1' t='s'><v>oops"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_rewrite(_good_xlsx(), "xl/worksheets/sheet1.xml", bad))


def _make_broken_workbook_xml(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_rewrite(_good_xlsx(), "xl/workbook.xml", b"<workbook><sheets><sheet"))


def _make_encrypted_member(path: Path) -> None:
    """Set the 'encrypted' flag of the sheet's zip entry (as a password-protected zip has)."""
    raw = bytearray(_good_xlsx())
    name = b"xl/worksheets/sheet1.xml"
    for sig, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        pos = raw.find(sig)
        while pos >= 0:
            name_at = pos + (30 if sig == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + len(name)] == name:
                (flags,) = struct.unpack_from("<H", raw, pos + flag_at)
                struct.pack_into("<H", raw, pos + flag_at, flags | 0x1)
            pos = raw.find(sig, pos + 4)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(bytes(raw))


def _make_uncached_formula(path: Path) -> None:
    """openpyxl writes formulas without a calculated value (as some exporters do)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff in post"
    ws.append(WF_HEADER.strip().split(","))
    ws.append(["05G", '=A2&"-1"', "A White - British", "Band 5", "Clinical"])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


MAKERS = {
    "xlsx_formula_no_cached_value": ("data/workforce.xlsx", _make_uncached_formula),
    "nul_after_64k": ("data/workforce.csv", _make_nul_after_64k),
    "xlsx_broken_sheet": ("data/workforce.xlsx", _make_broken_sheet),
    "xlsx_broken_workbook_xml": ("data/workforce.xlsx", _make_broken_workbook_xml),
    "xlsx_encrypted_member": ("data/workforce.xlsx", _make_encrypted_member),
}


def test_the_corpus_is_complete():
    assert {p.name for p in CORPUS.iterdir() if p.is_dir()} == set(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_input_exits_2_with_a_precise_message(case, tmp_path, capsys, monkeypatch):
    work = tmp_path / case
    shutil.copytree(CORPUS / case, work)
    if case in MAKERS:
        rel, make = MAKERS[case]
        make(work / rel)
    monkeypatch.chdir(tmp_path)
    before = set(tmp_path.rglob("*"))
    status = main(["validate", "--year", "2021", "--params-dir", str(work / "params")])
    out, err = capsys.readouterr()
    message = out + err
    assert status == 2, message
    assert "Traceback" not in message
    for fragment in CASES[case]:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert set(tmp_path.rglob("*")) == before, "validating hostile input wrote a file"
    for quoted in re.findall(r"found ('[^']*'|\"[^\"]*\")", message):
        assert len(quoted) <= 62, quoted[:80]


def test_a_cr_only_file_after_a_comment_is_read(tmp_path, capsys):
    work = tmp_path / "case"
    shutil.copytree(CORPUS / "params_vertical_tab", work)
    params = work / "params" / "2021.yaml"
    params.write_text(params.read_text(encoding="utf-8").replace("\x0b", " "), encoding="utf-8")
    csv = work / "data" / "workforce.csv"
    csv.write_bytes(b"# exported from ESR\r" + csv.read_bytes().replace(b"\n", b"\r"))
    assert main(["validate", "--year", "2021", "--params-dir", str(work / "params")]) == 0
    assert "Counts table: 6 rows" in capsys.readouterr().out  # both rows read (3 bands x 2)


# ------------------------------------------------------------------ command-line options

COUNTS = Path(__file__).resolve().parents[2] / "data" / "handwritten_counts.csv"


@pytest.mark.parametrize(
    "extra, fragment",
    [
        (
            ["--min-count", "-1"],
            "--min-count -1: min_count: Input should be greater than or equal to 0",
        ),
        (["--min-count", "101"], "--min-count 101"),
        (["--joint", "X=05G,05G"], "a joint group names a member twice"),
        (["--joint", "!!!=05G,05W"], "letters or digits"),
    ],
)
def test_indicator_options_are_checked_like_params(extra, fragment, tmp_path, capsys):
    import pandas as pd

    codes = sorted(pd.read_csv(COUNTS, dtype=str)["org_code"].unique())
    extra = [e.replace("05W", codes[-1]).replace("05G", codes[0]) for e in extra]
    out = tmp_path / "ind.csv"
    status = main(["indicators", "--counts", str(COUNTS), "--out", str(out), *extra])
    message = "".join(capsys.readouterr())
    assert status == 2, message
    assert fragment.replace("05G", codes[0]) in message
    assert "Traceback" not in message and not out.exists()


def test_indicators_out_a_folder_is_exit_2(tmp_path, capsys):
    status = main(["indicators", "--counts", str(COUNTS), "--out", str(tmp_path)])
    message = "".join(capsys.readouterr())
    assert status == 2 and "a folder; expected the CSV file" in message
