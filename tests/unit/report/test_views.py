"""The chapter views: every table shows this year's figures, and only display strings."""

from __future__ import annotations

import pandas as pd
import pytest

from wres_utils.core.actionplan import ActionPlan
from wres_utils.report import appendix, views


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
    assert (first["2020"], first["2021"], first["Change on last year"]) == (
        "9.0%",
        "10.2%",
        "+1.2 pp (higher)",  # the amount, then the direction
    )
    assert views.direction(1.40, 1.20, "2") == "better: closer to equal"
    assert views.direction(None, 1.20, "2") == "[x]"


@pytest.mark.parametrize(
    ("before", "now", "indicator", "text"),
    [
        # percentages: the difference in percentage points, from the values, rounded half up
        (24.0, 28.25, "5", "+4.3 pp (worse)"),  # 4.25 -> 4.3 (half up), not 4.2
        (30.0, 28.0, "6", "-2.0 pp (better)"),
        (70.0, 70.1, "7", "+0.1 pp (no change)"),
        (-12.0, -8.0, "9a", "+4.0 pp (better: closer to the workforce)"),
        # relative likelihoods: the two figures
        (1.2, 1.52, "2", "1.20 → 1.52 (worse: further from equal)"),
        (1.125, 1.0, "4", "1.13 → 1.00 (better: closer to equal)"),
        (None, 1.2, "3", "[x]"),
        (1.2, None, "5", "[x]"),
    ],
)
def test_change_on_last_year_gives_the_amount(before, now, indicator, text):
    assert views.change_on_last_year(before, now, indicator) == text


def test_blank_cells_use_the_one_convention():
    """No dash and no words for a blank: [x] when there is no figure or it is not collected
    or not calculable, [c] when withheld (the symbols of core.catalogue)."""
    assert views.shown(pd.DataFrame()) == "[x]"
    rows = pd.DataFrame(
        [
            {"status": "not_collected", "display": "not collected"},  # an older published copy
            {"status": "not_calculable", "display": "[x]"},
            {"status": "suppressed", "display": "[c]"},
            {"status": "ok", "display": "12.3%"},
        ]
    )
    assert [views.shown(rows.iloc[[i]]) for i in range(4)] == ["[x]", "[x]", "[c]", "12.3%"]
    s = views.summary_table(chapter(2021))
    cells = set(s.drop(columns="Measure").to_numpy().ravel())
    assert not any("–" in c or "not " in c for c in cells), cells


@pytest.mark.parametrize(
    ("before", "now", "indicator", "words"),
    [
        # |1.25 - 1| = 0.25 > |0.79 - 1| = 0.21, but on the log scale 0.79 is further from 1:
        # |ln 1.25| = 0.223 < |ln 0.79| = 0.236. The old rule said "closer to 1".
        (1.25, 0.79, "2", "worse: further from equal"),
        (0.80, 1.25, "3", "as far from equal"),  # |ln 0.8| = |ln 1.25|: the other group now
        (1.52, 1.53, "2", "no change"),  # within rounding
        (1.524, 1.535, "4", "worse: further from equal"),  # shows 1.52 -> 1.54 (half up)
        (1.50, 1.40, "4", "better: closer to equal"),
        (0.50, 0.70, "3", "better: closer to equal"),
        (0.0, 0.5, "2", "better: closer to equal"),  # 0 is infinitely far from equal
        (30.0, 28.0, "5", "better"),
        (30.0, 32.0, "6", "worse"),
        (70.0, 67.9, "7", "worse"),
        (70.0, 70.1, "7", "no change"),
        (15.0, 14.0, "8", "better"),
        (-12.0, -8.0, "9a", "better: closer to the workforce"),
        (-2.0, 4.0, "9b", "worse: further from the workforce"),
        (20.0, 22.0, "1", "higher"),
    ],
)
def test_direction_words_for_the_staff_concerned(before, now, indicator, words):
    assert views.direction(before, now, indicator) == words


def _with_indicator3(basis: str | None) -> views.Chapter:
    ch = chapter(2021)
    rows = []
    for y, one, two in ((2020, 1.60, None), (2021, 1.10, 1.30)):
        for stat, v in (("relative_likelihood", one), ("relative_likelihood_2yr", two)):
            if v is not None:
                r = _row(y, stat, "", v, f"{v:.2f}") | {
                    "indicator": "3",
                    "band": "",
                    "clinical": "",
                }
                rows.append(r)
    ind = pd.concat([ch.indicators, pd.DataFrame(rows)], ignore_index=True)
    ctx = dict(ch.context)
    if basis:
        ctx["indicator3_basis"] = basis
    return views.Chapter(context=ctx, indicators=ind, quality=ch.quality, plan=ch.plan)


def test_indicator3_headline_follows_the_basis_and_both_are_shown():
    s = views.summary_table(_with_indicator3(None))  # default: two-year, NHS England's guidance
    three = s[s["Measure"].str.endswith("(indicator 3)")].reset_index(drop=True)
    assert len(three) == 2
    assert "two-year" in three.loc[0, "Measure"] and "headline" in three.loc[0, "Measure"]
    assert (three.loc[0, "2020"], three.loc[0, "2021"]) == ("[x]", "1.30")  # no 2019 to pool
    assert "single year" in three.loc[1, "Measure"] and three.loc[1, "2021"] == "1.10"
    assert three.loc[1, "Change on last year"] == "1.60 → 1.10 (better: closer to equal)"
    s1 = views.summary_table(_with_indicator3("single_year"))
    first = s1[s1["Measure"].str.endswith("(indicator 3)")].iloc[0]
    assert "single year; headline" in first["Measure"] and first["2021"] == "1.10"
    t = views.likelihood_table(_with_indicator3(None), "3").set_index("Year")
    assert t.loc["2021", "Two-year pooled (95% CI)"] == "1.30"
    assert t.loc["2021", "Headline (template)"] == "two-year pooled"


def test_action_plan_table_names_owner_due_measure_and_finding():
    from datetime import date

    from wres_utils.core.actionplan import Action

    plan = ActionPlan(
        year=2021,
        actions={
            "7": Action(
                planned="Open secondments",
                owner="Director of People",
                due=date(2022, 3, 31),
                measure="The gap narrows",
                finding="Indicator 7 gap widened",
            ),
            "2": Action(planned="Anonymise forms"),
            "self_reporting": Action(taken="Reminded staff"),
        },
    )
    ch = chapter()
    t = views.action_plan_table(views.Chapter(ch.context, ch.indicators, ch.quality, plan))
    seven = t.set_index("Indicator").loc["7"]
    assert (seven["Owner"], seven["Due"], seven["Measure of success"]) == (
        "Director of People",
        "31 March 2022",
        "The gap narrows",
    )
    assert seven["Answers the finding"] == "Indicator 7 gap widened"
    assert t.set_index("Indicator").loc["2", "Owner"] == "Not set."
    assert t.set_index("Indicator").loc["1", "Owner"] == ""  # nothing planned, nothing to own
    assert t["Indicator"].iloc[-1] == "Self-reporting"


def test_methods_table_states_the_blanks_and_the_change():
    m = appendix.methods_table(chapter(2021)).set_index("Topic")["Method"]
    assert m["Blank figures"].startswith("[c] withheld to protect confidentiality; [x] not ")
    assert m["Change on last year"].startswith("the amount (the difference in percentage points")


def test_documents_note_links_survive_the_sanitiser():
    from bs4 import BeautifulSoup

    from wres_utils.report import safetext

    soup = BeautifulSoup(safetext.clean_html(views.documents_note()), "html.parser")
    hrefs = [a.get("href") for a in soup.find_all("a")]
    assert hrefs == ["action-plan.html", "action-plan.pdf", "wres-return.pdf", "wres-return.xlsx"]
    assert [a.get_text() for a in soup.find_all("a")] == ["web page", "PDF", "PDF", "Excel"]
