"""1/16 shows 6.3% and 1.125 shows 1.13 (as the template's Excel), from the counts to every
place a figure is printed: tables, summary, sentences, charts, the return workbook.

Hand-worked: 10 BME staff of 160 = 1/16 = 6.25% -> "6.3%" (Python's f"{6.25:.1f}" gives
"6.2%"); indicator 2 = (45/100) / (40/100) = 1.125 -> "1.13" (f"{1.125:.2f}" gives "1.12").
"""

from __future__ import annotations

import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from wres_utils.compute.indicators import compute_indicators
from wres_utils.core.actionplan import ActionPlan
from wres_utils.core.params import Unit
from wres_utils.disclosure import gate as disclosure
from wres_utils.inputs.counts import COUNT_COLUMNS, normalise_dtypes
from wres_utils.report import charts, tables, views, workbook

UNIT = "HW1"


def _counts() -> pd.DataFrame:
    rows = []
    for year in (2020, 2021):

        def add(
            measure: str, group: str, value: int, band: str = "", clinical: str = "", year=year
        ) -> None:
            rows.append(
                dict(
                    org_code=UNIT,
                    year=year,
                    measure=measure,
                    group=group,
                    band=band,
                    clinical=clinical,
                    indicator="",
                    board_role="",
                    value=value,
                )
            )

        for g, n in (("White", 150), ("BME", 10), ("Unknown", 0)):
            add("headcount", g, n, "Band 5", "clinical")
        for g, short, app in (("White", 100, 45), ("BME", 100, 40), ("Unknown", 0, 0)):
            add("shortlisted", g, short)
            add("appointed", g, app)
    return normalise_dtypes(pd.DataFrame(rows, columns=COUNT_COLUMNS))


@pytest.fixture(scope="module")
def chapter() -> views.Chapter:
    table = compute_indicators(_counts(), [Unit(id=UNIT, name="Hand-worked", members=(UNIT,))])
    published = disclosure.published_copy(disclosure.disclose(table))
    # as the pipeline hands it to the chapters: a CSV, read back as text
    buf = io.StringIO()
    published.to_csv(buf, index=False)
    rows = views.read_prepared_csv(io.StringIO(buf.getvalue()))
    context = {
        "year": 2021,
        "unit": {
            "id": UNIT,
            "name": "Hand-worked",
            "slug": UNIT,
            "is_joint": False,
            "members": [{"code": UNIT, "name": "Hand-worked"}],
        },
        "synthetic": True,
        "labels": {},
        "years": [2020, 2021],
        "suppression": {"min_count": 7, "round_to": None},
    }
    return views.Chapter(
        context=context,
        indicators=rows,
        quality=pd.DataFrame(),
        plan=ActionPlan(unit=UNIT, year=2021),
    )


def test_tables_summary_and_sentences(chapter):
    totals = views.totals_table(chapter).set_index("Template section")["Figure"]
    assert totals["2b. Proportion of staff who are BME"] == "6.3%"
    summary = views.summary_table(chapter)
    summary = summary.set_index(summary["Measure"].str.extract(r"\(indicator (\w+)\)$")[0])
    assert summary.loc["1", "2021"] == "6.3%"
    assert summary.loc["2", "2021"] == "1.13"
    assert views.likelihood_table(chapter, "2").iloc[-1]["Relative likelihood"] == "1.13"
    html = tables.html_table(views.summary_table(chapter), caption="Summary")
    assert "6.3%" in html and "1.13" in html and "6.2%" not in html and "1.12<" not in html
    assert "made up 6.3% of all staff" in views.sentence(chapter, "1")
    assert "were 1.13 times as likely" in views.sentence(chapter, "2")


def test_charts(chapter):
    band = charts.bme_share_by_band(views.band_chart_data(chapter))
    rl = charts.relative_likelihood_chart(views.likelihood_chart_data(chapter, "2", national=False))
    try:
        assert "6.3%" in band.alt_text and "6.2%" not in band.alt_text
        assert "1.13" in rl.alt_text and "1.12" not in rl.alt_text
        # and on the charts themselves
        assert ">6.3%</text>" in band.svg and ">6.2%<" not in band.svg
        assert ">1.13</text>" in rl.svg and ">1.12<" not in rl.svg
    finally:
        charts.close(band)
        charts.close(rl)


def test_workbook(chapter, tmp_path):
    path = workbook.write_return(tmp_path, chapter.indicators, chapter.context, chapter.plan)
    values = {
        workbook.cell_display(c.value, c.number_format)
        for ws in load_workbook(path).worksheets
        for row in ws.iter_rows()
        for c in row
        if c.value is not None
    }
    assert "6.3%" in values and "1.13" in values
    assert "6.2%" not in values and "1.12" not in values
