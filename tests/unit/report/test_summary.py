"""The Board's summary: findings from disclosed figures only, ranked, and the ask."""

from __future__ import annotations

import numpy as np
import pandas as pd

from wres_utils.core.actionplan import ActionPlan
from wres_utils.core.params import Labels
from wres_utils.report import summary, views


def _row(year, indicator, statistic, group, value, display, status="ok"):
    return {
        "unit": "AA1",
        "year": year,
        "indicator": indicator,
        "group": group,
        "band": "All" if indicator == "1" else "",
        "clinical": "all" if indicator == "1" else "",
        "statistic": statistic,
        "value": value if status == "ok" else np.nan,
        "status": status,
        "note": "",
        "display": display if status == "ok" else "[c]",
        "classification": "",
        "small_numbers": "",
    }


def _hidden(year, indicator, statistic, group=""):
    return _row(year, indicator, statistic, group, np.nan, "[c]", status="suppressed")


def chapter(labels=None) -> views.Chapter:
    """The joint 2021 report's pattern: indicator 7's gap widens from 9.2 to 13.4 points,
    indicator 6's BME figure is new, indicator 2 is outside the range and worse, the rest
    withheld."""
    rows = []
    for y, share in ((2020, 9.7), (2021, 10.2)):
        rows.append(_row(y, "1", "percent", "BME", share, f"{share:.1f}%"))
    rows += [
        _row(2020, "7", "percent", "White", 87.3, "87.3%"),
        _row(2020, "7", "percent", "BME", 78.1, "78.1%"),
        _row(2021, "7", "percent", "White", 89.1, "89.1%"),
        _row(2021, "7", "percent", "BME", 75.7, "75.7%"),
        _row(2020, "6", "percent", "White", 14.1, "14.1%"),
        _hidden(2020, "6", "percent", "BME"),
        _row(2021, "6", "percent", "White", 15.6, "15.6%"),
        _row(2021, "6", "percent", "BME", 21.6, "21.6%"),
        _row(2020, "2", "relative_likelihood", "", 1.40, "1.40"),
        _row(2021, "2", "relative_likelihood", "", 1.61, "1.61"),
        _row(2021, "2", "ci_low", "", 1.12, "1.12"),
        _row(2021, "2", "ci_high", "", 2.31, "2.31"),
        _hidden(2021, "5", "percent", "BME"),
        _row(2021, "5", "percent", "White", 5.4, "5.4%"),
        _hidden(2021, "8", "percent", "BME"),
        _hidden(2021, "9b", "percentage_points"),
    ]
    context = {
        "year": 2021,
        "unit": {"id": "AA1", "name": "AA1", "slug": "AA1", "is_joint": True, "members": []},
        "synthetic": True,
        "years": [2020, 2021],
        "labels": labels or {},
    }
    return views.Chapter(
        context=context,
        indicators=pd.DataFrame(rows),
        quality=pd.DataFrame(),
        plan=ActionPlan(),
        labels=Labels(**(labels or {})),
    )


def test_findings_ranked_worse_first_with_the_widened_gap():
    found = summary.findings(chapter())
    assert 3 <= len(found) <= 5
    texts = [f.text for f in found]
    # indicator 2 moved further from equal (1.40 -> 1.61) and is outside the range: worse,
    # and so is indicator 7 (BME down, the gap widened); both rank first
    assert {found[0].indicator, found[1].indicator} == {"2", "7"}
    seven = next(t for t in texts if t.startswith("Indicator 7"))
    assert "75.7% of BME staff" in seven and "89.1% of White staff" in seven
    assert "worse than last year (78.1%)" in seven
    assert "widened from 9.2 points to 13.4 points" in seven
    two = next(t for t in texts if t.startswith("Indicator 2"))
    assert "outside 0.80-1.25: White applicants are favoured" in two
    assert "excludes 1" in two
    # a large gap that did not change is still a finding (indicator 6, 6.0 points)
    six = next(t for t in texts if t.startswith("Indicator 6"))
    assert "gap with White staff is 6.0 points" in six
    # last year's BME figure is withheld: the summary says so rather than say nothing
    assert "Last year's figure for BME staff is withheld ([c])" in six
    assert "cannot be said" in six and "widened" not in six and "narrowed" not in six
    assert "cannot be said" not in seven  # indicator 7's last year is shown
    # what cannot be judged closes the list
    assert found[-1].text.startswith("How sure we are: ")
    assert "[c]" in found[-1].text
    # each indicator once
    inds = [f.indicator for f in found if f.indicator]
    assert len(inds) == len(set(inds))


def test_the_ask_names_what_got_worse():
    ask = summary.board_ask(chapter())
    assert ask.startswith("The Board is asked to approve this WRES 2021 report")
    assert "equal opportunities for career progression" in ask
    assert "appointment from shortlisting" in ask
    assert "owner, a date and a measure of success" in ask


def test_hidden_values_do_not_change_the_text():
    """Scramble every value that disclosure withheld: the summary must not change."""
    ch = chapter()
    before = summary.summary_html(ch)
    rng = np.random.default_rng(7)
    for seed in range(5):
        d = ch.indicators.copy()
        hidden = d["status"] != "ok"
        d.loc[hidden, "value"] = rng.uniform(0, 100, hidden.sum())
        scrambled = views.Chapter(
            context=ch.context, indicators=d, quality=ch.quality, plan=ch.plan
        )
        assert summary.summary_html(scrambled) == before, seed


def test_labels_from_params_are_text_not_markup():
    html = summary.summary_html(chapter({"bme": "<b>ethnic minority</b>"}))
    assert "<b>" not in html
    assert "&lt;b&gt;ethnic minority&lt;/b&gt;" in html


def test_nothing_to_say_is_said_plainly():
    ch = chapter()
    empty = views.Chapter(
        context=ch.context,
        indicators=ch.indicators[ch.indicators["indicator"] == "1"],
        quality=ch.quality,
        plan=ch.plan,
    )
    found = summary.findings(empty)
    assert [f.indicator for f in found] == ["1"]
    assert found[0].text == "BME staff are 10.2% of the workforce (9.7% last year)."
    assert summary.board_ask(empty).endswith("for publication.")


def test_a_commissioner_links_its_view(monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj.data))
    ch = chapter()
    summary.show_summary(ch)
    assert len(shown) == 1
    ch = views.Chapter(
        context=ch.context | {"commissioner": True},
        indicators=ch.indicators,
        quality=ch.quality,
        plan=ch.plan,
    )
    shown.clear()
    summary.show_summary(ch)
    assert 'href="providers.html"' in shown[1]


def test_the_summary_gives_one_meaning_of_c():
    """Nothing published tells a small count from a cell withheld to protect one: the
    summary says a figure is withheld to protect confidentiality, never that its numbers
    are small."""
    text = summary.summary_html(chapter())
    assert "withheld, [c], to protect confidentiality" in text
    assert "small" not in text.lower()
