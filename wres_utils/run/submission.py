"""The submission copy for NHS England's WRES collection: actual counts, NEVER published.

NHS England's data collection asks for the figures and the counts behind them, unsuppressed.
That copy is written to ``analyst/<year>/<unit>/wres-submission.xlsx`` (git-ignored, beside
``make counts``'s table), never under ``reports/``: the publication copy is
``reports/<year>/<unit>/wres-return.xlsx`` (:mod:`wres_utils.report.workbook`), built from the
disclosed figures only.

Every indicator row of the unit for this year and last year, with its counts (numerators and
denominators are the ``count`` and ``denominator`` statistics), each figure a number with the
number format of the publication workbook (unrounded: the format rounds for display only).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

from wres_utils.compute.indicators import compute_indicators
from wres_utils.core.catalogue import OK, STATUS_WORDS
from wres_utils.core.params import Unit
from wres_utils.core.rounding import COUNT_STATISTICS, PERCENT_STATISTICS, RATIO_STATISTICS
from wres_utils.inputs import load as inputs_load
from wres_utils.inputs.counts import normalise_dtypes
from wres_utils.report import workbook
from wres_utils.run import plan

FILE_NAME = "wres-submission.xlsx"
SHEET = "Submission"
WARNING = (
    "NOT FOR PUBLICATION: unsuppressed figures and counts for NHS England's WRES data "
    "collection. Publish reports/<year>/<unit>/wres-return.xlsx instead."
)
COLUMNS = ("Year", "Indicator", "Group", "Pay band", "Staff group", "Statistic", "Value", "Note")


def _number_format(statistic: str) -> str:
    if statistic in COUNT_STATISTICS:
        return workbook.NUMBER_FORMATS["count"]
    if statistic in PERCENT_STATISTICS:
        return workbook.NUMBER_FORMATS["percent"]
    if statistic in RATIO_STATISTICS:
        return workbook.NUMBER_FORMATS["ratio"]
    if statistic == "rate":
        return workbook.NUMBER_FORMATS["rate"]
    if statistic == "percentage_points":
        return workbook.NUMBER_FORMATS["points"]
    return "General"


def submission_rows(table: pd.DataFrame, unit: Unit, year: int) -> pd.DataFrame:
    """The unit's unsuppressed indicator rows of ``year`` and the year before."""
    d = table[(table["unit"].astype(str) == unit.id) & table["year"].isin([year - 1, year])]
    keys = ["year", "indicator", "group", "band", "clinical", "statistic"]
    return d.sort_values(keys, kind="stable").reset_index(drop=True)


def build_submission(rows: pd.DataFrame, unit: Unit, year: int) -> Workbook:
    """The submission workbook of one unit (not saved)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws["A1"] = f"WRES {year} submission: {workbook.escape(unit.name)}"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = WARNING
    ws["A2"].font = Font(bold=True)
    for j, name in enumerate(COLUMNS, start=1):
        ws.cell(row=4, column=j, value=name).font = Font(bold=True)
    for i, r in enumerate(rows.itertuples(index=False), start=5):
        status = str(getattr(r, "status", OK))
        values = [int(r.year), str(r.indicator), str(r.group), str(r.band), str(r.clinical)]
        for j, v in enumerate([*values, str(r.statistic)], start=1):
            cell = ws.cell(row=i, column=j, value=workbook.escape(str(v)) if j > 1 else v)
            if j > 1:
                cell.data_type = "s"
        value = getattr(r, "value", None)
        cell = ws.cell(row=i, column=7)
        if status == OK and value is not None and not pd.isna(value):
            v = float(value)
            if str(r.statistic) in PERCENT_STATISTICS:
                v /= 100
            cell.value = int(v) if str(r.statistic) in COUNT_STATISTICS else v
            cell.number_format = _number_format(str(r.statistic))
        else:
            cell.value = STATUS_WORDS.get(status, status)
        note = str(getattr(r, "note", "") or "")
        if note:
            ws.cell(row=i, column=8, value=workbook.escape(note)).data_type = "s"
    ws.freeze_panes = "A5"
    return wb


def write_submissions(
    year: int, params_dir: Path, out_dir: Path = Path("analyst"), unit: str | None = None
) -> list[Path]:
    """Write ``out_dir/<year>/<unit slug>/wres-submission.xlsx`` for every unit (or one).

    Reads and validates the year's extracts (and the previous years' for the comparison),
    computes every unit's indicators unsuppressed, and writes the submission copies.
    """
    params_dir = Path(params_dir)
    root = params_dir.resolve().parent
    history, files = plan.load_history(year, params_dir, root)
    params = history[year]
    units = plan.select_units(params, unit, files[year])
    counts = normalise_dtypes(
        pd.concat(
            [inputs_load.load_year(p, root).counts for p in history.values()], ignore_index=True
        )
    )
    table = compute_indicators(counts, params.units(), denominator=params.indicator1_denominator)
    written = []
    for u in units:
        path = Path(out_dir) / str(year) / u.slug / FILE_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        wb = build_submission(submission_rows(table, u, year), u, year)
        path.write_bytes(workbook.workbook_bytes(wb, year))
        written.append(path)
    return written
