"""The filled WRES return workbook: cells against the published indicators table."""

import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from wres_utils.compute.indicators import compute_indicators
from wres_utils.core.actionplan import Action, ActionPlan
from wres_utils.core.params import Suppression, Unit
from wres_utils.disclosure import gate as disclosure
from wres_utils.inputs.counts import normalise_dtypes
from wres_utils.report import workbook

DATA = Path(__file__).resolve().parents[2] / "data" / "handwritten_counts.csv"


def published_rows() -> pd.DataFrame:
    raw = pd.read_csv(DATA, dtype=str, keep_default_na=False)
    raw = raw.assign(year=raw["year"].astype(int), value=raw["value"].astype(int))
    counts = normalise_dtypes(raw)
    units = [Unit(id=c, name=c, members=(c,)) for c in ("AA1", "BB2", "CC3")]
    # Board counts withheld as when they are not public, so that the sheet shows some [c].
    private = Suppression(board_public=False)
    pub = disclosure.published_copy(
        disclosure.disclose(compute_indicators(counts, units), settings=private)
    )
    return pub[pub["unit"] == "AA1"].reset_index(drop=True)


CONTEXT = {
    "year": 2021,
    "unit": {
        "id": "AA1",
        "name": "Alpha Trust",
        "slug": "AA1",
        "is_joint": False,
        "members": [{"code": "AA1", "name": "Alpha Trust"}],
    },
    "synthetic": True,
    "header": {
        "board_lead": '=HYPERLINK("http://example.org","click")',
        "compiler": "@lead",
        "commissioners_sent_to": "+44 commissioners",
        "publication_url": "https://example.org/wres",
        "board_sign_off": "September 2021",
    },
    "labels": {"white": "White", "bme": "BME", "unknown": "Unknown"},
    "denominator": "all",
    "suppression": {"min_count": 7, "round_to": None},
    "years": [2020, 2021],
}
PLAN = ActionPlan(
    unit="AA1",
    year=2021,
    actions={"2": Action(taken="-cmd|' /C calc'!A0", planned="Anonymise applications")},
)


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    rows = published_rows()
    folder = tmp_path_factory.mktemp("unit")
    path = workbook.write_return(folder, rows, CONTEXT, PLAN)
    return rows, path, load_workbook(path)


def cells(ws):
    return [[c for c in r] for r in ws.iter_rows(values_only=True)]


def find_row(ws, first, second):
    for r in ws.iter_rows(values_only=True):
        if r[0] == first and r[1] == second:
            return r
    raise AssertionError(f"no row {first!r} {second!r}")


def shown_row(ws, first, second):
    """The row whose first two cells are ``first`` and ``second``, as a reader sees it."""
    for r in ws.iter_rows():
        if r[0].value == first and r[1].value == second:
            return [workbook.cell_display(c.value, c.number_format) for c in r]
    raise AssertionError(f"no row {first!r} {second!r}")


def expected(rows, ind, year, stat, group, where):
    d = rows[
        (rows.indicator == ind)
        & (rows.year == year)
        & (rows.statistic == stat)
        & (rows.group == group)
    ]
    for k, v in where.items():
        d = d[d[k] == v]
    if d.empty:  # the one convention for blanks: [x] not available (the 1a text says why)
        return "[x]"
    assert len(d) == 1
    return d.iloc[0]["display"]


def test_layout_and_header(written):
    _, path, wb = written
    assert path.name == "wres-return.xlsx"
    assert wb.sheetnames == [
        workbook.MAIN_SHEET,
        *workbook.BAND_SHEETS.values(),
        workbook.PLAN_SHEET,
        workbook.NOTES_SHEET,
    ]
    ws = wb[workbook.MAIN_SHEET]
    assert "WRES" in ws["A1"].value and "Alpha Trust" in ws["A1"].value
    assert find_row(ws, "Field", "Value")
    assert find_row(ws, "Organisation", "Alpha Trust")
    assert find_row(ws, "Section", "Question")
    head = find_row(ws, "Indicator", "Measure")
    assert head[2] == "Data for reporting year (2021)"
    assert head[3] == "Data for previous year (2020)"
    for section in ("1a", "1b", "2a", "2b", "3a", "3b", "3c", "4a"):
        assert any(r[0] == section for r in ws.iter_rows(values_only=True)), section


def test_text_that_looks_like_a_formula_is_escaped(written):
    _, _, wb = written
    ws = wb[workbook.MAIN_SHEET]
    lead = find_row(ws, "Board lead for WRES", workbook.escape(CONTEXT["header"]["board_lead"]))
    assert lead[1].startswith("'=")
    assert find_row(ws, "Lead manager compiling this report", "'@lead")
    assert find_row(ws, "Commissioners sent to", "'+44 commissioners")
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                assert c.data_type != "f", (sheet.title, c.coordinate)
                if isinstance(c.value, str):
                    assert not c.value.startswith(("=", "+", "-", "@")), c.value
    plan = cells(wb[workbook.PLAN_SHEET])
    assert ["2", "'-cmd|' /C calc'!A0", "Anonymise applications"] in [list(r[:3]) for r in plan]
    assert workbook.unescape("'-3.4 pp") == "-3.4 pp" and workbook.unescape("'a") == "'a"


def test_indicator_cells_match_the_indicators_table(written):
    rows, _, wb = written
    ws = wb[workbook.MAIN_SHEET]
    ch = workbook.chapter(rows, CONTEXT, PLAN)
    seen_suppressed = seen_figure = 0
    for ind, measure, stat, group, where in workbook.indicator_lines(ch):
        r = shown_row(ws, ind, measure)
        now = expected(rows, ind, 2021, stat, group, where)
        before = expected(rows, ind, 2020, stat, group, where)
        assert r[2] == now, (ind, measure)
        assert r[3] == before, (ind, measure)
        seen_suppressed += now == "[c]"
        seen_figure += now not in ("[c]", "[x]")
        assert now not in ("–", "-", "not collected", "not calculable", "not published")
    assert seen_suppressed and seen_figure
    # indicator 3 in 2020 exists only as last year's figure
    lines3 = [x for x in workbook.indicator_lines(ch) if x[0] == "3" and "likelihood" in x[2]]
    single = next(x for x in lines3 if x[2] == "relative_likelihood")
    r = shown_row(ws, "3", single[1])
    assert r[3] == expected(rows, "3", 2020, "relative_likelihood", "", {})
    # both bases are shown; the headline (first, marked) is the two-year figure by default
    assert [x[2] for x in lines3] == ["relative_likelihood_2yr", "relative_likelihood"]
    assert "headline" in lines3[0][1] and "pooled" in lines3[0][1]
    ch1 = workbook.chapter(rows, CONTEXT | {"indicator3_basis": "single_year"}, PLAN)
    lines1 = [x for x in workbook.indicator_lines(ch1) if x[0] == "3" and "likelihood" in x[2]]
    assert [x[2] for x in lines1] == ["relative_likelihood", "relative_likelihood_2yr"]


def test_band_tables(written):
    rows, _, wb = written
    ws = wb[workbook.BAND_SHEETS["clinical"]]
    head = find_row(ws, "Pay band", "White % (2021)")
    assert "BME % (2021)" in head and "Staff (2020)" in head
    col = head.index("BME % (2021)")
    band6 = find_row(ws, "Band 6", ws_value(ws, "Band 6", 1))
    want = expected(rows, "1", 2021, "percent", "BME", {"band": "Band 6", "clinical": "clinical"})
    assert band6[col] == want == "[c]"  # 3 BME staff in Band 6
    band5 = shown_row(ws, "Band 5", ws_value(ws, "Band 5", 1))
    where = {"band": "Band 5", "clinical": "clinical"}
    want5 = expected(rows, "1", 2020, "percent", "White", where)
    assert band5[head.index("White % (2020)")] == want5


def test_figures_are_numbers_with_number_formats(written):
    """An analyst can recompute: figures are numbers (shown as published), blanks are text."""
    _, _, wb = written
    kinds = set()
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    assert workbook.figure_cell(workbook.unescape(c.value)) is None or (
                        c.column == 1 or sheet.title in (workbook.PLAN_SHEET,)
                    ), (sheet.title, c.coordinate, c.value)
                    assert not re.match(r"'[+-]\d+\.\d pp", c.value), c.value  # no "'+3.2 pp"
                elif isinstance(c.value, (int, float)):
                    assert c.number_format in workbook.NUMBER_FORMATS.values(), c.coordinate
                    kinds.add(c.number_format)
    assert {"0.0%", "0.00"} <= kinds
    ws = wb[workbook.MAIN_SHEET]
    staff = next(r for r in ws.iter_rows() if r[0].value == "2a")
    assert isinstance(staff[2].value, int) and staff[2].number_format == "#,##0"


def ws_value(ws, first, col):
    for r in ws.iter_rows(values_only=True):
        if r[0] == first:
            return r[col]
    raise AssertionError(first)


def test_deterministic_bytes_and_fixed_properties(written, tmp_path):
    rows, path, wb = written
    again = workbook.write_return(tmp_path / "again.xlsx", rows, CONTEXT, PLAN)
    assert again.read_bytes() == path.read_bytes()
    assert wb.properties.created == datetime(2021, 3, 31)
    assert wb.properties.modified == datetime(2021, 3, 31)
    assert wb.properties.creator == workbook.CREATOR


def test_refuses_undisclosed_rows(tmp_path):
    with pytest.raises(ValueError):
        workbook.write_return(tmp_path, pd.DataFrame({"unit": []}), CONTEXT, PLAN)
