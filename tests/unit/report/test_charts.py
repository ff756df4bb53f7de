"""Charts: palette contrast, gaps for suppressed figures, alt text, the notebook display,
and the SVG itself (well-formed, escaped, deterministic, scalable)."""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from wres_utils.report import charts, svg

NS = "{http://www.w3.org/2000/svg}"


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


def test_text_colours_have_4_5_to_1_contrast_against_white():
    assert _contrast(charts.TEXT, "#FFFFFF") >= 4.5
    assert _contrast(charts.GREYS[0], "#FFFFFF") >= 4.5  # gap labels and notes
    assert _contrast(charts.TEXT, charts.BAND_FILL) >= 4.5  # text over the shaded band


def _root(chart) -> ET.Element:
    return ET.fromstring(chart.svg)


def _texts(chart, cls: str | None = None) -> list[str]:
    """Every text drawn (or those of class ``cls``: value, gap, legend, note)."""
    return [
        "".join(t.itertext())
        for t in _root(chart).iter(f"{NS}text")
        if cls is None or t.get("class") == cls
    ]


def _bar_rects(chart) -> list[ET.Element]:
    return [r for r in _root(chart).iter(f"{NS}rect") if r.get("class") == "bar"]


def _bars(chart, vertical: bool = False) -> list[float]:
    """The figure each bar draws (from its title, "name: 12.5%"), checked against its length:
    every bar's length is proportional to its figure."""
    out, ratios = [], []
    for r in _bar_rects(chart):
        value = float(r.find(f"{NS}title").text.rsplit(": ", 1)[1].rstrip("%"))
        length = float(r.get("height" if vertical else "width"))
        out.append(value)
        if value:
            ratios.append(length / value)
    assert all(abs(x - ratios[0]) < 0.01 * ratios[0] for x in ratios), ratios
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
    texts = _texts(chart)
    assert texts.count("[c]") == 2 and _texts(chart, "gap") == ["[c]", "[c]"]
    assert "24.1%" in texts and "15.0%" in texts
    # the suppressed 55.5 is never drawn, even though a value was (wrongly) left in
    widths = [round(w, 1) for w in _bars(chart)]
    assert 55.5 not in widths
    assert sorted(widths) == [12.0, 15.0, 24.1]
    assert "55.5" not in chart.alt_text and "55.5" not in chart.data.to_string()
    assert "55.5" not in chart.svg
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
    texts = _texts(chart)
    # two points (2019, 2021) and a labelled gap for 2020
    assert "[c]" in texts
    assert "1.52" in texts and "0.95" in texts
    assert "2019 1.52 (95% CI 1.10 to 2.10)" in chart.alt_text
    assert "2020 [c]" in chart.alt_text
    assert "0.80 to 1.25" in chart.alt_text
    assert chart.data["Relative likelihood"].tolist() == ["1.52", "[c]", "0.95"]
    assert chart.data["95% confidence interval"].tolist() == ["1.10 to 2.10", "", "0.70 to 1.30"]
    charts.close(chart)


def _y_scale(chart) -> tuple[float, float]:
    """(y of 0, units per 1.0) of the relative-likelihood axis, from the band and the line."""
    root = _root(chart)
    band = next(r for r in root.iter(f"{NS}rect") if r.get("class") == "band")
    top, height = float(band.get("y")), float(band.get("height"))
    per_unit = height / (1.25 - 0.80)
    return top + 1.25 * per_unit, per_unit


def test_relative_likelihood_chart_has_band_reference_line_and_error_bars():
    chart = charts.relative_likelihood_chart(_rl(), title="Indicator 2")
    root = _root(chart)
    zero, unit = _y_scale(chart)
    line = next(ln for ln in root.iter(f"{NS}line") if ln.get("class") == "ref-line")
    assert line.get("stroke-dasharray")  # dashed
    assert float(line.get("y1")) == pytest.approx(zero - unit, abs=0.02)  # at 1.0
    # error bars: one vertical segment per shown point, from ci_low to ci_high
    segs = [ln for ln in root.iter(f"{NS}line") if ln.get("class") == "ci"]
    ends = sorted(
        (round((zero - float(s.get("y1"))) / unit, 2), round((zero - float(s.get("y2"))) / unit, 2))
        for s in segs
    )
    assert ends == [(0.7, 1.3), (1.1, 2.1)]
    points = [p for p in root.iter() if p.get("class") == "point"]
    assert len(points) == 2
    # the band in words, the line and the series named in the legend
    legend = _texts(chart, "legend")
    assert "0.80 to 1.25: the non-adverse range" in legend and "1: equal likelihood" in legend
    assert any(t.startswith("Indicator 2: appointment from shortlisting") for t in legend)
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
    texts = _texts(chart)
    assert "[c]" in texts
    assert "31.0%" in texts and "21.0%" in texts
    fills = {r.get("fill") for r in _bar_rects(chart)}
    assert len(fills) == 2 and any(f.startswith("url(#") for f in fills), (
        "the two groups differ by hatching, not only by colour"
    )
    assert len(_bars(chart, vertical=True)) == 7  # 8 bars minus one suppressed
    assert "Global majority" in chart.alt_text and "White" in chart.alt_text
    assert list(chart.data.columns) == ["Measure", "Year", "White", "Global majority"]
    # each row is headed by the measure (read first on a phone), not an indicator number
    assert all(m.startswith("Indicator ") and ": " in m for m in chart.data["Measure"])
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
    assert sorted(round(w, 1) for w in _bars(chart)) == [12.5, 22.3]
    assert _texts(chart, "gap") == ["[c]"]
    assert "Dotted line: the overall workforce's share" in _texts(chart, "legend")
    charts.close(chart)


def test_chart_html_embeds_svg_with_alt_and_data_table(bands):
    chart = charts.bme_share_by_band(bands, title="Pay bands & more")
    page = charts.chart_html(chart)
    m = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]+)">', page)
    assert m, page[:300]
    assert base64.b64decode(m.group(1)).decode("utf-8") == chart.svg
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
    root = _root(chart)
    zero, unit = _y_scale(chart)
    gap = next(t for t in root.iter(f"{NS}text") if t.get("class") == "gap")
    assert gap.text == "[c]"
    y = float(gap.get("y"))
    assert zero - 10 <= y <= zero  # at the foot of the axis, just above 0
    assert y - zero + unit > 0.5 * unit  # far below the line at 1 and below the band
    assert len([p for p in root.iter() if p.get("class") == "point"]) == 1
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
    assert _texts(chart, "legend") == ["White", "ethnic minority"]
    charts.close(chart)


def test_band_alt_text_with_one_band_does_not_say_highest_and_lowest():
    df = pd.DataFrame(
        {"band": ["Band 8a", "Band 5"], "value": [0.0, float("nan")], "display": ["0.0%", "[c]"]}
    )
    chart = charts.bme_share_by_band(df)
    assert "highest" not in chart.alt_text
    assert "0.0% in Band 8a, the only band that can be shown" in chart.alt_text
    charts.close(chart)


def test_show_displays_once(bands, monkeypatch):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj: shown.append(obj))
    chart = charts.bme_share_by_band(bands)
    charts.show(chart)
    assert len(shown) == 1
    assert "<figure>" in shown[0].data and 'alt="' in shown[0].data


def test_svg_is_deterministic(bands):
    a = charts.bme_share_by_band(bands)
    b = charts.bme_share_by_band(bands)
    assert a.svg == b.svg
    ids = re.findall(r'id="([^"]+)"', a.svg)
    assert ids == [svg.pattern_id(charts.PALETTE[1], "///")]  # from the content, not hash()


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
        assert ET.fromstring(chart.svg).tag == f"{NS}svg"
        charts.close(chart)
    hidden = pd.DataFrame(
        {"band": ["Band 5"], "value": [np.nan], "display": ["[c]"], "status": ["suppressed"]}
    )
    chart = charts.bme_share_by_band(hidden)
    assert _bars(chart) == [] and "[c]" in _texts(chart)
    assert "no figures can be shown" in chart.alt_text
    charts.close(chart)


HOSTILE = "</text><script>alert(1)</script>]]><!--&amp;<foreignObject/>\x00\x1b\"'"
ALLOWED_TAGS = {"svg", "title", "defs", "pattern", "rect", "path", "circle", "line", "text",
                "polygon"}  # fmt: skip


def _hostile_charts() -> list[charts.Chart]:
    h = HOSTILE
    band = pd.DataFrame(
        {"band": [h, "Band 5"], "clinical": [h, "clinical"], "value": [12.0, np.nan],
         "display": [h, "[c]"], "status": ["ok", "suppressed"]}
    )  # fmt: skip
    rl = pd.DataFrame(
        {"year": [h, "2021"], "indicator": [h, "2"], "value": [1.2, np.nan],
         "ci_low": [1.0, np.nan], "ci_high": [1.5, np.nan], "display": [h, "[c]"]}
    )  # fmt: skip
    survey = pd.DataFrame(
        {"year": [h, h], "indicator": [h, h], "group": ["White", h], "value": [5.0, 6.0],
         "display": [h, h]}
    )  # fmt: skip
    board = pd.DataFrame({"role": [h, "workforce"], "value": [5.0, 9.0], "display": [h, h]})
    return [
        charts.bme_share_by_band(band, label_bme=h, title=h),
        charts.relative_likelihood_chart(rl, title=h, label_bme=h),
        charts.survey_chart(survey, label_white="White", label_bme=h, title=h),
        charts.board_chart(board, label_bme=h, title=h),
    ]


@pytest.mark.parametrize("k", range(4))
def test_hostile_labels_stay_text_in_well_formed_svg(k):
    chart = _hostile_charts()[k]
    root = ET.fromstring(chart.svg)  # well-formed XML, whatever the labels
    tags = {el.tag.removeprefix(NS) for el in root.iter()}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    assert all(el.tag.startswith(NS) for el in root.iter())  # no foreign element
    assert "<script" not in chart.svg and "<foreignObject" not in chart.svg
    assert "]]>" not in chart.svg and "<!--" not in chart.svg
    assert "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt;]]&gt;" in chart.svg
    # the reader sees the label as it was written (XML-forbidden controls replaced)
    seen = "\n".join(svg.svg_text(chart.svg))
    assert "</text><script>alert(1)</script>]]><!--&amp;<foreignObject/>" in seen
    assert "\x00" not in seen and "\ufffd" in seen
    # and the page around it escapes the title and alt text too
    page = charts.chart_html(chart)
    assert "<script" not in page and "alert(1)</script>" not in page


def test_infinite_values_are_gaps_not_bars():
    df = pd.DataFrame({"role": ["voting", "all"], "value": [float("inf"), 5.0],
                       "display": ["", "5.0%"], "status": ["not_calculable", "ok"]})  # fmt: skip
    chart = charts.board_chart(df)
    assert "inf" not in chart.svg and _texts(chart, "gap") == ["[x]"]
    rl = pd.DataFrame({"year": [2021], "value": [float("inf")], "display": ["1.00"]})
    chart = charts.relative_likelihood_chart(rl)
    assert "inf" not in chart.svg and chart.plotted == 0


def test_svg_scales_and_uses_the_report_fonts(bands):
    chart = charts.bme_share_by_band(bands)
    root = ET.fromstring(chart.svg)
    w, h = float(root.get("width")), float(root.get("height"))
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    assert w == charts.WIDTH and 100 < h < 2000
    assert root.get("font-family").startswith("Arial, 'Liberation Sans'")
    # nothing is drawn outside the picture
    for el in root.iter(f"{NS}text"):
        assert 0 <= float(el.get("x")) <= w and 0 <= float(el.get("y")) <= h


def test_long_labels_are_wrapped():
    name = "A very long readable name of a pay band that would not fit beside the bars"
    df = pd.DataFrame({"band": [name], "value": [10.0], "display": ["10.0%"]})
    chart = charts.bme_share_by_band(df, title="T " * 60)
    texts = _texts(chart)
    assert name not in texts
    assert " ".join(t for t in texts if t in name) == name  # every word, in order, in lines
    assert max(len(t) for t in texts) < 80


def test_the_report_path_draws_without_matplotlib():
    """Charts are SVG written by the package: drawing every chart loads no plotting library
    (their speed is shown by benchmarks/charts_bench.py, not by a timed test)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from wres_utils.report import charts, views, tables, summary, narrative\n"
        "from wres_utils.commissioner import view\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'seaborn')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_every_point_and_label_is_inside_the_relative_likelihood_axis():
    df = pd.DataFrame(
        {
            "year": [2020, 2021],
            "value": [3.4, 0.9],
            "ci_low": [1.2, 0.7],
            "ci_high": [1.9, 1.2],  # an interval below its point must not push it off
            "display": ["3.40", "0.90"],
        }
    )
    chart = charts.relative_likelihood_chart(df)
    root = _root(chart)
    zero, _ = _y_scale(chart)
    for el in root.iter():
        if el.get("class") in ("point", "value"):
            y = float(
                el.get("y") or el.get("cy") or el.get("points", "0,0").split()[0].split(",")[1]
            )
            assert 20 < y <= zero, (el.tag, y)  # below the title, above 0
