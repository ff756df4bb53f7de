"""The submission copy for NHS England: unsuppressed counts as numbers, written to analyst/."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from wres_utils.compute.indicators import compute_indicators
from wres_utils.core.params import Unit
from wres_utils.inputs.counts import normalise_dtypes
from wres_utils.report import workbook
from wres_utils.run import submission

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tests" / "data" / "handwritten_counts.csv"
UNIT = Unit(id="AA1", name="Alpha Trust", members=("AA1",))


def _table() -> pd.DataFrame:
    raw = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    counts = normalise_dtypes(
        raw.assign(year=raw["year"].astype(int), value=raw["value"].astype(int))
    )
    units = [Unit(id=c, name=c, members=(c,)) for c in ("BB2", "CC3")] + [UNIT]
    return compute_indicators(counts, units)


def test_counts_are_numbers_and_nothing_is_withheld(tmp_path):
    table = _table()
    rows = submission.submission_rows(table, UNIT, 2021)
    assert set(rows["year"]) <= {2020, 2021} and 2021 in set(rows["year"])
    path = tmp_path / "s.xlsx"
    path.write_bytes(workbook.workbook_bytes(submission.build_submission(rows, UNIT, 2021), 2021))
    ws = load_workbook(path)[submission.SHEET]
    assert "NOT FOR PUBLICATION" in ws["A2"].value
    body = list(ws.iter_rows(min_row=5))
    counts = [r[6].value for r in body if r[5].value == "count"]
    assert counts and all(isinstance(v, int) for v in counts)
    assert any(1 <= v <= 7 for v in counts), "small counts are in the submission copy"
    assert "[c]" not in {r[6].value for r in body}
    pct = next(r[6] for r in body if r[5].value == "percent")
    assert isinstance(pct.value, float) and pct.number_format == "0.0%" and pct.value <= 1


def test_written_to_analyst_not_reports(tmp_path):
    written = submission.write_submissions(2021, ROOT / "params", tmp_path / "analyst", "ZZ1")
    assert [p.relative_to(tmp_path).as_posix() for p in written] == [
        "analyst/2021/ZZ1/wres-submission.xlsx"
    ]
