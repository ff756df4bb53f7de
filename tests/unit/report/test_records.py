"""A chapter's records are its table's rows: the look-ups made on them find what a boolean
filter of the table finds, and what is shown from them is what was shown from the rows."""

from __future__ import annotations

import pandas as pd
import pytest
from test_workbook import CONTEXT, PLAN, published_rows

from wres_utils.core.actionplan import ActionPlan
from wres_utils.report import narrative, views
from wres_utils.report.records import by_indicator_year, first, matching, records


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    """AA1's published rows (some withheld, [c]; some not collected)."""
    return published_rows()


def _chapter(rows: pd.DataFrame, year: int) -> views.Chapter:
    context = CONTEXT | {"year": year, "years": [2019, 2020, 2021]}
    return views.Chapter(context=context, indicators=rows, quality=pd.DataFrame(), plan=PLAN)


def test_records_are_the_rows_in_table_order(published):
    rows = records(published)
    assert len(rows) == len(published)
    assert [r["display"] for r in rows] == published["display"].tolist()
    index = by_indicator_year(published)
    for (ind, year), recs in index.items():
        d = published[(published["indicator"] == ind) & (published["year"] == year)]
        assert repr(list(recs)) == repr(records(d))  # NaN is not equal to itself


def test_first_and_matching_are_the_filters():
    recs = [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}, {"a": 1, "b": "y"}]
    assert matching(recs, a=1) == [recs[0], recs[2]]
    assert first(recs, b="y") is recs[1]
    assert first(recs, a=1, b="y") is recs[2]
    assert first(recs, c=1) is None  # a missing column matches nothing
    assert matching(recs) == recs


def test_a_record_shows_as_its_row(published):
    for i in range(len(published)):
        row = published.iloc[[i]]
        assert views.shown_row(records(row)[0]) == views.shown(row)
        assert views.value_of_row(records(row)[0]) == views.value_of(row)
    assert views.shown_row(None) == views.shown(published.iloc[:0]) == "[x]"


@pytest.mark.parametrize("year", [2020, 2021])
def test_the_chapters_sentence_is_the_tables(published, year):
    ch = _chapter(published, year)
    written = [views.sentence(ch, ind) for ind in published["indicator"].unique()]
    assert written == [
        narrative.sentence_of(published, "AA1", year, ind)
        for ind in published["indicator"].unique()
    ]
    assert sum(bool(s) for s in written) > 5


def test_the_summary_table_is_the_tables_headline_rows(published):
    """The at-a-glance table (records) against the headline rows found by table filters."""
    ch = _chapter(published, 2021)
    got = views.summary_table(ch).set_index("Measure")
    head = published[(published["group"] == "") & (published["statistic"] == "relative_likelihood")]
    for ind in ("2", "4"):
        row = got.loc[next(m for m in got.index if m.endswith(f"(indicator {ind})"))]
        for y in ("2020", "2021"):
            want = head[(head["indicator"] == ind) & (head["year"] == int(y))]
            assert row[y] == views.shown(want)


def test_a_chapter_without_rows_has_no_records():
    ch = views.Chapter(
        context={"year": 2021, "unit": {"id": "U", "name": "U"}, "synthetic": False},
        indicators=pd.DataFrame(),
        quality=pd.DataFrame(),
        plan=ActionPlan(),
    )
    assert ch.records("1", 2021) == ()
    assert ch.records("1", 2021, broad=True) == ()
