"""The chapter views: every table shows this year's figures, and only display strings."""

from __future__ import annotations

import pandas as pd

from wres_utils.core.actionplan import ActionPlan
from wres_utils.report import views


def _row(year, statistic, group, value, display, status="ok"):
    return {
        "unit": "AA1",
        "year": year,
        "indicator": "1",
        "group": group,
        "band": "All",
        "clinical": "all",
        "statistic": statistic,
        "value": value,
        "status": status,
        "note": "",
        "display": display,
    }


def chapter(year=2021):
    rows = []
    # 2020 and 2021: a different headcount, BME share and declaration rate each year
    for y, total, bme, dr in ((2020, 600, 9.0, 90.0), (2021, 635, 10.2, 92.9)):
        rows += [
            _row(y, "count", "", total, f"{total}"),
            _row(y, "percent", "BME", bme, f"{bme:.1f}%"),
            _row(y, "declaration_rate", "", dr, f"{dr:.1f}%"),
        ]
    context = {
        "year": year,
        "unit": {"id": "AA1", "name": "AA1", "slug": "AA1", "is_joint": False, "members": []},
        "synthetic": True,
        "years": [2020, 2021],
        "labels": {},
    }
    return views.Chapter(
        context=context,
        indicators=pd.DataFrame(rows),
        quality=pd.DataFrame(),
        plan=ActionPlan(),
    )


def test_totals_table_shows_this_years_figures_not_an_earlier_years():
    t = views.totals_table(chapter(2021)).set_index("Template section")["Figure"]
    assert t["2a. Total staff (headcount)"] == "635"
    assert t["2b. Proportion of staff who are BME"] == "10.2%"
    assert t["3a. Proportion of staff who have self-reported their ethnicity"] == "92.9%"


def test_summary_table_direction_of_change_from_published_values():
    s = views.summary_table(chapter(2021))
    first = s.iloc[0]
    assert (first["2020"], first["2021"], first["Change on last year"]) == ("9.0%", "10.2%", "up")
    assert views.direction(1.40, 1.20, "2") == "closer to 1"
    assert views.direction(None, 1.20, "2") == "–"
