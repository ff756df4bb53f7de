"""Charts: palette contrast, gaps for suppressed figures, alt text, the notebook display."""

from __future__ import annotations

import base64
import re

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest

from wres_utils.report import charts


def _luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    rgb = [int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_known_values():
    assert _contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert _contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("colour", [*charts.PALETTE, *charts.GREYS])
def test_every_data_colour_has_3_to_1_contrast_against_white(colour):
    assert _contrast(colour, "#FFFFFF") >= 3.0


def test_palette_is_the_analysis_function_palette():
    assert charts.PALETTE[:4] == ("#12436D", "#28A197", "#801650", "#F46A25")


def test_apply_theme_sets_the_palette():
    with mpl.rc_context():
        charts.apply_theme()
        cycle = [mpl.colors.to_hex(c["color"]).upper() for c in mpl.rcParams["axes.prop_cycle"]]
        assert cycle[:4] == list(charts.PALETTE)


def _texts(fig) -> list[str]:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
    return out


def _bars(fig) -> list[float]:
    """Widths (horizontal) or heights (vertical) of every bar drawn."""
    out = []
    for ax in fig.axes:
        for p in ax.patches:
            if isinstance(p, mpl.patches.Rectangle) and p.get_width() > 0 and p.get_height() > 0:
                out.append(p.get_width() if p.get_height() < 1 else p.get_height())
    return out


@pytest.fixture
def bands() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "band": ["Band 5", "Band 6", "VSM", "Band 5", "Band 6", "VSM"],
            "clinical": ["clinical"] * 3 + ["non-clinical"] * 3,
            "group": "BME",
            "value": [24.1, np.nan, 0.0, 15.0, 12.0, 55.5],
            "display": ["24.1%", "[c]", "0.0%", "15.0%", "12.0%", "[c]"],
            "status": ["ok", "suppressed", "ok", "ok", "ok", "suppressed"],
        }
    )


def test_band_chart_draws_suppressed_values_as_labelled_gaps(bands):
    chart = charts.bme_share_by_band(bands, label_bme="Ethnic minority", title="Pay bands")
    texts = _texts(chart.figure)
    assert texts.count("[c]") == 2
    assert "24.1%" in texts and "15.0%" in texts
    # the suppressed 55.5 is never drawn, even though a value was (wrongly) left in
    widths = [round(w, 1) for w in _bars(chart.figure)]
    assert 55.5 not in widths
    assert sorted(widths) == [12.0, 15.0, 24.1]
    assert "55.5" not in chart.alt_text and "55.5" not in chart.data.to_string()
    charts.close(chart)


def test_band_chart_alt_text_and_data(bands):
    chart = charts.bme_share_by_band(bands, label_bme="Ethnic minority", title="Pay bands")
    assert chart.title == "Pay bands"
    assert "Pay bands" in chart.alt_text
    assert "Band 5 (24.1%)" in chart.alt_text
    assert "Ethnic minority" in chart.alt_text
    assert "[c]" in chart.alt_text
    assert list(chart.data.columns) == ["Pay band", "Clinical", "Non-clinical"]
    assert chart.data["Pay band"].tolist() == ["Band 5", "Band 6", "VSM"]
    assert chart.data["Clinical"].tolist() == ["24.1%", "[c]", "0.0%"]
    charts.close(chart)


def _rl() -> pd.DataFrame:
    rows = []
    for year, rl, lo, hi, disp, status in [
        (2019, 1.52, 1.10, 2.10, "1.52", "ok"),
        (2020, np.nan, np.nan, np.nan, "[c]", "suppressed"),
        (2021, 0.95, 0.70, 1.30, "0.95", "ok"),
    ]:
        for stat, v, d in [
            ("relative_likelihood", rl, disp),
            ("ci_low", lo, "" if status != "ok" else f"{lo:.2f}"),
            ("ci_high", hi, "" if status != "ok" else f"{hi:.2f}"),
        ]:
            rows.append(
                dict(year=year, indicator="2", statistic=stat, value=v, display=d, status=status)
            )
    return pd.DataFrame(rows)


def test_relative_likelihood_chart_from_long_indicators_rows():
    chart = charts.relative_likelihood_chart(_rl(), title="Indicator 2")
    texts = _texts(chart.figure)
    # two points (2019, 2021) and a labelled gap for 2020
    assert "[c]" in texts
    assert "1.52" in texts and "0.95" in texts
    assert "2019 1.52 (95% CI 1.10 to 2.10)" in chart.alt_text
    assert "2020 [c]" in chart.alt_text
    assert "0.80 to 1.25" in chart.alt_text
    assert chart.data["Relative likelihood"].tolist() == ["1.52", "[c]", "0.95"]
    assert chart.data["95% confidence interval"].tolist() == ["1.10 to 2.10", "", "0.70 to 1.30"]
    charts.close(chart)


def test_relative_likelihood_chart_has_band_reference_line_and_error_bars():
    chart = charts.relative_likelihood_chart(_rl(), title="Indicator 2")
    ax = chart.figure.axes[0]
    spans = [
        (p.get_y(), p.get_y() + p.get_height())
        for p in ax.patches
        if isinstance(p, mpl.patches.Rectangle)
    ]
    assert any(np.allclose(s, (0.80, 1.25)) for s in spans), spans
    assert any(np.allclose(line.get_ydata(), 1.0) for line in ax.get_lines())
    # error bars: one vertical segment per shown point, from ci_low to ci_high
    segs = [seg for coll in ax.collections for seg in coll.get_segments() if len(seg) == 2]
    ends = sorted((round(s[0][1], 2), round(s[1][1], 2)) for s in segs)
    assert ends == [(0.7, 1.3), (1.1, 2.1)]
    charts.close(chart)


def _survey() -> pd.DataFrame:
    rows = []
    for ind in ("5", "6"):
        for year in (2020, 2021):
            for group, v in (("White", 20.0), ("BME", 30.0)):
                rows.append(
                    dict(
                        year=year,
                        indicator=ind,
                        group=group,
                        value=v + year % 10,
                        display=f"{v + year % 10:.1f}%",
                        status="ok",
                    )
                )
    df = pd.DataFrame(rows)
    sel = (df["indicator"] == "6") & (df["year"] == 2021) & (df["group"] == "BME")
    df.loc[sel, ["value", "display", "status"]] = [np.nan, "[c]", "suppressed"]
    return df


def test_survey_chart_hatches_groups_and_labels_values():
    chart = charts.survey_chart(_survey(), label_white="White", label_bme="Global majority")
    texts = _texts(chart.figure)
    assert "[c]" in texts
    assert "31.0%" in texts and "21.0%" in texts
    hatches = {p.get_hatch() or "" for ax in chart.figure.axes for p in ax.patches}
    assert len(hatches) >= 2, "the two groups differ by hatching, not only by colour"
    assert len(_bars(chart.figure)) == 7  # 8 bars minus one suppressed
    assert "Global majority" in chart.alt_text and "White" in chart.alt_text
    assert set(chart.data.columns) == {"Indicator", "Year", "White", "Global majority"}
    assert chart.data.loc[3, "Global majority"] == "[c]"
    charts.close(chart)


def test_board_chart():
    df = pd.DataFrame(
        {
            "role": ["voting", "executive", "workforce"],
            "value": [12.5, np.nan, 22.3],
            "display": ["12.5%", "[c]", "22.3%"],
        }
    )
    chart = charts.board_chart(df, label_bme="BME")
    assert "Voting Board members 12.5%" in chart.alt_text
    assert "Executive Board members [c]" in chart.alt_text
    assert chart.data["BME %"].tolist() == ["12.5%", "[c]", "22.3%"]
    assert sorted(round(w, 1) for w in _bars(chart.figure)) == [12.5, 22.3]
    charts.close(chart)


def test_chart_html_embeds_png_with_alt_and_data_table(bands):
    chart = charts.bme_share_by_band(bands, title="Pay bands & more")
    page = charts.chart_html(chart)
    m = re.search(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]+)">', page)
    assert m, page[:300]
    assert base64.b64decode(m.group(1))[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Pay bands &amp; more" in m.group(2)
    assert "<figcaption>Pay bands &amp; more</figcaption>" in page
    assert ">Data for the chart: Pay bands &amp; more</caption>" in page
    assert "http" not in page
    charts.close(chart)


def test_a_chart_with_nothing_to_draw_is_a_sentence_and_its_table(bands):
    hidden = bands.assign(value=float("nan"), display="[c]", status="suppressed")
    chart = charts.bme_share_by_band(hidden, title="Pay bands")
    assert chart.plotted == 0
    page = charts.chart_html(chart)
    assert "<img" not in page and "No chart of pay bands" in page
    assert ">Data for the chart: Pay bands</caption>" in page  # the audit's caption
    charts.close(chart)


def test_withheld_relative_likelihood_is_not_drawn_on_the_equal_line():
    df = pd.DataFrame(
        {
            "year": [2020, 2021],
            "value": [1.4, float("nan")],
            "ci_low": [1.1, float("nan")],
            "ci_high": [1.9, float("nan")],
            "display": ["1.40", "[c]"],
        }
    )
    chart = charts.relative_likelihood_chart(df)
    ax = chart.figure.axes[0]
    marker = next(t for t in ax.texts if t.get_text() == "[c]")
    assert marker.get_transform() != ax.transData  # placed in axes units, at the foot
    assert marker.get_position()[1] < 0.1
    charts.close(chart)


def test_survey_legend_names_both_groups():
    df = pd.DataFrame(
        {
            "year": [2021, 2021],
            "indicator": ["5", "5"],
            "group": ["White", "BME"],
            "value": [5.4, float("nan")],
            "display": ["5.4%", "[c]"],
        }
    )
    chart = charts.survey_chart(df, label_bme="ethnic minority")
    labels = [t.get_text() for leg in chart.figure.legends for t in leg.get_texts()]
    assert labels == ["White", "ethnic minority"]
    charts.close(chart)


def test_band_alt_text_with_one_band_does_not_say_highest_and_lowest():
    df = pd.DataFrame(
        {"band": ["Band 8a", "Band 5"], "value": [0.0, float("nan")], "display": ["0.0%", "[c]"]}
    )
    chart = charts.bme_share_by_band(df)
    assert "highest" not in chart.alt_text
    assert "0.0% in Band 8a, the only band that can be shown" in chart.alt_text
    charts.close(chart)


def test_show_displays_once_and_closes_the_figure(bands, monkeypatch):
    import IPython.display
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    chart = charts.bme_share_by_band(bands)
    n_before = len(plt.get_fignums())
    charts.show(chart)
    assert len(shown) == 1
    assert "<figure>" in shown[0].data and 'alt="' in shown[0].data
    assert len(plt.get_fignums()) == n_before  # never registered with pyplot, nothing left open


def test_png_is_deterministic(bands):
    a = charts.bme_share_by_band(bands)
    b = charts.bme_share_by_band(bands)
    assert charts.figure_png(a.figure) == charts.figure_png(b.figure)


def test_empty_and_all_suppressed_inputs_do_not_crash():
    empty = pd.DataFrame(
        {c: pd.Series(dtype="object") for c in ("band", "year", "indicator", "group", "role")}
        | {"value": pd.Series(dtype="float64"), "display": pd.Series(dtype="object")}
    )
    for chart in (
        charts.bme_share_by_band(empty),
        charts.relative_likelihood_chart(empty),
        charts.survey_chart(empty),
        charts.board_chart(empty),
    ):
        assert chart.alt_text and isinstance(chart.data, pd.DataFrame)
        assert charts.figure_png(chart.figure)[:4] == b"\x89PNG"
        charts.close(chart)
    hidden = pd.DataFrame(
        {"band": ["Band 5"], "value": [np.nan], "display": ["[c]"], "status": ["suppressed"]}
    )
    chart = charts.bme_share_by_band(hidden)
    assert _bars(chart.figure) == [] and "[c]" in _texts(chart.figure)
    assert "no figures can be shown" in chart.alt_text
    charts.close(chart)
